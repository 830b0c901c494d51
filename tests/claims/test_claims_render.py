"""The report's "numbers checked" section: escaping, languages, summary counts."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from liqwatch.claims import parse_claims, render_html_section
from liqwatch.claims.check import ClaimResult
from liqwatch.claims.data import Obs


def _result(quote: str, verdict: str, auto: bool = False) -> ClaimResult:
    (claim,) = parse_claims([{"kind": "level", "series": "SOFR", "date": "2019-09-17",
                              "value": 5.25, "unit": "percent", "quote": quote, "auto": auto}])
    obs = (Obs("SOFR", date(2019, 9, 17), 5.25, "percent", date(2019, 9, 18), "nyfed:SOFR"),)
    return ClaimResult(
        claim=claim, verdict=verdict, data_value=5.25, error_abs=0.0, error_rel=0.0,
        tolerance=0.005, series="SOFR", reading_en="SOFR", reading_ja="SOFR",
        observations=obs, explanation_en=f"{verdict} <b>en</b>",
        explanation_ja=f"{verdict} 日本語",
    )


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_text_from_claims_is_escaped() -> None:
    html = render_html_section([_result("<script>alert(1)</script> & co", "wrong")])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    parser = _Collect()
    parser.feed(html)
    assert "script" not in parser.tags and "b" not in parser.tags
    assert any("wrong <b>en</b>" in t for t in parser.text)


def test_summary_counts_and_sources() -> None:
    results = [_result("a", "consistent"), _result("b", "wrong", auto=True),
               _result("c", "wrong"), _result("d", "not_checkable")]
    html = render_html_section(results)
    assert "consistent: 1" in html and "wrong: 2" in html and "ambiguous: 0" in html
    assert "not checkable: 1" in html
    assert "published 2019-09-18; nyfed:SOFR" in html
    assert html.count("drafted automatically") == 1


def test_japanese_section() -> None:
    html = render_html_section([_result("引用", "ambiguous")], lang="ja")
    assert "数値の検証" in html and "解釈次第: 1" in html and "ambiguous 日本語" in html
    assert "2019年9月17日" in html
    assert "水準 · SOFR · 2019年9月17日" in html and "level ·" not in html


def test_empty_results() -> None:
    html = render_html_section([])
    assert "No claims were checked." in html and html.rstrip().endswith("</section>")
