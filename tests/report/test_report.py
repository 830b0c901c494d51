"""The HTML report: structure, self-containment, languages, escaping, degraded sections."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from liqwatch.importer import import_path
from liqwatch.report import SECTION_KEYS, build_report, write_report
from liqwatch.store import Store
from report.htmlcheck import external_refs, figures, parse, visible_text

BODY_SECTIONS = [k for k in SECTION_KEYS if k != "claims"]


@pytest.fixture(scope="module")
def report_en(real_db: Path) -> str:
    with Store(real_db, read_only=True) as store:
        return build_report(store)


@pytest.fixture(scope="module")
def report_ja(real_db: Path) -> str:
    with Store(real_db, read_only=True) as store:
        return build_report(store, lang="ja")


def _section(html: str, key: str) -> str:
    m = re.search(rf'<section class="card" id="{key}".*?</section>', html, re.S)
    assert m, f"section {key} missing"
    return m.group(0)


def test_report_parses_and_has_every_section(report_en: str) -> None:
    parsed = parse(report_en)
    assert report_en.startswith("<!DOCTYPE html>")
    assert parsed.errors == []
    assert parsed.html_lang == "en"
    for key in BODY_SECTIONS:
        assert parsed.ids.get(key, {}).get("tag") == "section", key
    assert "claims" not in parsed.ids  # only with a claims file


def test_report_is_self_contained(report_en: str) -> None:
    parsed = parse(report_en)
    assert external_refs(parsed) == []
    # Plotly.js inlined exactly once, and no script loaded from anywhere.
    bundles = [body for attrs, body in parsed.scripts if "src" not in attrs and len(body) > 1e6]
    assert len(bundles) == 1
    assert all("src" not in attrs for attrs, _ in parsed.scripts)
    # Outside the bundle, no http(s) URL appears at all (links, JSON, text).
    rest = report_en.replace(bundles[0], "")
    assert re.findall(r"https?://", rest) == []


def test_market_sections_show_real_data(report_en: str) -> None:
    parsed = parse(report_en)
    figs = figures(parsed)
    for key in ("sofr_corridor", "effr_iorb", "srf", "balance_sheet", "net_liquidity",
                "reserves_ratio", "btc_ndx", "btc_drawdown", "wti", "delinquency", "dollar",
                "composite"):
        fig = figs[f"fig-{key}"]
        assert fig["data"], key
        assert any(len(t["x"]) > 10 for t in fig["data"]), key  # type: ignore[index]
    for key in ("funding", "reserves", "risk_appetite", "oil", "credit", "offshore"):
        assert 'data-state="unavailable"' not in _section(report_en, key).split(">", 1)[0], key
    sofr_band = {t["name"] for t in figs["fig-sofr_corridor"]["data"]}  # type: ignore[index]
    assert {"SOFR", "IORB", "SOFR 1st–99th percentile"} <= sofr_band


def test_numbers_in_text_cite_the_provenance_table(report_en: str) -> None:
    parsed = parse(report_en)
    refs = re.findall(r'<sup class="ref">\[(.*?)\]</sup>', report_en)
    assert refs
    targets = set(re.findall(r'href="#(prov-\d+)"', report_en))
    assert targets and all(t in parsed.ids for t in targets)
    rows = {v["id"]: v for v in parsed.ids.values() if v["id"].startswith("prov-")}
    assert len(rows) >= 90  # every stored series is listed
    text = visible_text(parsed)
    assert "Used in this report" in text and "Published" in text and "Fetched" in text


def test_as_of_uses_only_data_published_by_then(real_db: Path) -> None:
    with Store(real_db, read_only=True) as store:
        html = build_report(store, as_of=date(2019, 9, 18))
    text = visible_text(parse(html))
    # SOFR for 17 Sep 2019 (5.25%) was published on the 18th; the 18th's was not yet.
    assert "SOFR was 5.25% on 17 Sep 2019" in text
    # Every date the narrative states is an observation known by then, except the weeks a
    # projection looks ahead to (the scenarios section).
    scen = _section(html, "scenarios")
    ahead = re.findall(r"<li>(.*?)</li>", scen, re.S)[:1]  # its headline, lent to the summary
    observed_html = html.replace(scen, "")
    for sentence in ahead:
        observed_html = observed_html.replace(sentence, "")
    narrative = " ".join(re.findall(r'<ul class="narrative">(.*?)</ul>', observed_html, re.S))
    days = [pd.Timestamp(d) for d in re.findall(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b", narrative)]
    assert len(days) > 10
    assert max(days) <= pd.Timestamp("2019-09-18")
    figs = figures(parse(html))
    observed = [t for key, f in figs.items() for t in f["data"]  # type: ignore[attr-defined]
                if t.get("x") and (key != "fig-scenarios" or "actual" in t["name"])]
    assert len(observed) > 20
    assert max(t["x"][-1] for t in observed) <= "2019-09-18"
    for t in figs.get("fig-scenarios", {"data": []})["data"]:  # type: ignore[index]
        assert t["x"][0] <= "2019-09-18"  # projections start from published data


def test_japanese_report_is_in_japanese(report_ja: str) -> None:
    parsed = parse(report_ja)
    assert parsed.html_lang == "ja"
    assert parsed.errors == []
    text = visible_text(parsed)
    assert "米ドル資金流動性レポート" in text
    for title in ("概要", "短期資金市場", "準備預金と資金の流れ", "リスク選好", "データの出所"):
        assert title in text
    narrative = " ".join(re.findall(r'<ul class="narrative">(.*?)</ul>', report_ja, re.S))
    kana = len(re.findall(r"[\u3040-\u30ff]", narrative))
    assert kana > 300
    for english in ("SOFR was", "Reserve balances averaged", "Overall", "Not available yet"):
        assert english not in text
    assert re.search(r"\d+年\d+月\d+日", text)


def test_japanese_report_names_episodes_in_japanese(report_ja: str) -> None:
    from liqwatch.stress import EPISODES

    analogs = _section(report_ja, "analogs")
    assert all(ep.title_ja for ep in EPISODES)
    for ep in EPISODES:
        assert ep.title not in analogs, f"English title of {ep.name} in the Japanese report"
    assert re.search(r"「\d{4}年\d{1,2}月（[^」]*[\u3040-\u30ff\u4e00-\u9fff][^」]*）」", analogs)


def test_analogs_sentence_speaks_of_the_report_day(real_db: Path, report_en: str) -> None:
    """The report day always has a stress reading (the composite needs no warm-up and the day
    is one with the core series current): the analogs compare that day, and say so."""
    from liqwatch.asof import resolve_as_of
    from liqwatch.stress import analogs

    with Store(real_db, read_only=True) as store:
        day = resolve_as_of(store).day
        compared = analogs(store, day).date
    assert compared == day
    text = " ".join(visible_text(parse(_section(report_en, "analogs"))).split())
    assert "Today's signals resemble" in text
    assert "(the last day with a stress reading)" not in text


def test_summary_shows_the_verdict_with_its_regime_and_flags(real_db: Path,
                                                            report_en: str) -> None:
    """The headline is the overall status of liqwatch.stress: the regime, since when, why,
    and every regime flag with its value and threshold. A calm 2026 day with ON RRP near zero
    is a watch (a tight regime), not an alert; 31 Oct 2025 is an alert set by an event."""
    from liqwatch.stress import overall_status

    with Store(real_db, read_only=True) as store:
        now = overall_status(store, date(2026, 8, 21))
        oct25 = build_report(store, as_of="2025-10-31")
    assert now.status == "watch" and now.regime in ("tight", "scarce")
    text = " ".join(visible_text(parse(_section(report_en, "summary"))).split())
    assert f"Overall: Watch. {now.reason_en}" in text
    assert "Reserve regime:" in text and 'id="regime-flags"' in report_en
    for flag in now.flags:
        assert flag["name"] in text
    oct_text = " ".join(visible_text(parse(_section(oct25, "summary"))).split())
    assert "Overall: Alert." in oct_text and "alert:" in oct_text


def test_user_series_names_are_escaped(store: Store, tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    csv = tmp_path / "user.csv"
    csv.write_text("date,value\n2024-01-02,1.5\n2024-01-03,1.7\n", encoding="utf-8")
    refused = import_path(store, csv, series_id=evil)
    assert refused.errors and "not valid" in str(refused.errors[0])
    report = import_path(store, csv, series_id="USER_EVIL")
    assert not report.errors
    store.register_series("USER_EVIL", provenance={
        "description": evil + '"><img src=x onerror=alert(2)>'})
    html = build_report(store, lang="en")
    body = html[html.index("<body>"):]
    assert "USER_EVIL" in body
    assert evil not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert parse(html).errors == []


def test_empty_store_gives_a_complete_page(store: Store) -> None:
    html = build_report(store, lang="en")
    parsed = parse(html)
    assert parsed.errors == []
    for key in BODY_SECTIONS:
        assert key in parsed.ids
    for key in ("funding", "reserves", "analogs"):
        assert 'data-state="unavailable"' in _section(html, key)
    assert "Not available yet" in visible_text(parsed)


def test_write_report_is_atomic_and_complete(real_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "r.html"
    with Store(real_db, read_only=True) as store:
        path = write_report(store, out, lang="ja")
    assert path == out and out.stat().st_size > 1_000_000
    assert not list(out.parent.glob("*.tmp"))
    assert out.read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_bad_language_is_a_clear_error(store: Store) -> None:
    from liqwatch.exceptions import ConfigError

    with pytest.raises(ConfigError, match="fr"):
        build_report(store, lang="fr")


def test_charts_stop_at_the_last_observation(real_db: Path) -> None:
    with Store(real_db, read_only=True) as store:
        sofr = store.read(["SOFR"])
        html = build_report(store, as_of=date(2026, 8, 21))
    last = pd.Timestamp(sofr["date"].max()).strftime("%Y-%m-%d")
    fig = figures(parse(html))["fig-sofr_corridor"]
    sofr_trace = next(t for t in fig["data"] if t["name"] == "SOFR")  # type: ignore[index]
    assert sofr_trace["x"][-1] == last


def test_default_day_is_the_latest_with_the_core_series_current(real_db: Path) -> None:
    """The bundled snapshot's series stop on different days (SOFR 2026-08-20, reserves the
    week to 2026-08-19, TGA 2026-10-06): the default report day is the last day none of the
    core series was overdue, and the header says so."""
    from liqwatch.asof import resolve_as_of

    with Store(real_db, read_only=True) as store:
        day = resolve_as_of(store)
        assert day.day == date(2026, 8, 21) and day.moved
        html = build_report(store)
    assert "21 Aug 2026" in html
    assert "the latest day with SOFR, reserves and TGA current" in html
    # The projection starts from the latest published week and quotes its published value.
    assert "From the week of 19 Aug 2026 (published reserves $2.94tn)" in html


def test_model_sections_are_built(real_db: Path) -> None:
    with Store(real_db, read_only=True) as store:
        html = build_report(store, as_of=date(2020, 3, 17))
    for key, marker in (("composite", "liqwatch composite"), ("analogs", "Mar 2020"),
                        ("scenarios", "current-policy")):
        sec = _section(html, key)
        head = sec.split(">", 1)[0]
        assert 'data-state="unavailable"' not in head, key
        assert marker in sec, key
    # 17 Mar 2020 lies inside the March 2020 episode: said as such, and the headline analog
    # is a past episode.
    analogs = _section(html, "analogs")
    assert "Today falls inside the Mar 2020 (" in analogs
    assert re.search(r"Among past episodes, today(?:'|&#39;)s signals resemble "
                     r"(?!Mar 2020)", analogs)


def test_claims_file_is_checked_as_of_the_report_day(
    real_db: Path, tmp_path: Path
) -> None:
    claims = tmp_path / "claims.yaml"
    claims.write_text(
        "claims:\n"
        "  - {kind: level, series: SOFR, date: 2019-09-17, value: '5.25%'}\n"
        "  - {kind: level, series: WRESBAL, date: 2019-09-18, value: '$1.8T'}\n"
        "  - {kind: level, series: RRPONTSYD, date: 2022-12-30, value: '$2.55T'}\n",
        encoding="utf-8")
    with Store(real_db, read_only=True) as store:
        latest = _section(build_report(store, claims=claims), "claims")
        then = _section(build_report(store, as_of=date(2019, 9, 18), claims=claims), "claims")
    assert 'data-state="ok"' in latest
    assert "consistent: 2" in latest and "wrong: 1" in latest
    # As of 18 Sep 2019 the 2022 value and the week to 18 Sep 2019 were not published yet.
    assert "consistent: 1" in then and "not checkable: 2" in then
