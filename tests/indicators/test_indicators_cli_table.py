"""The ``liqwatch indicators`` table as a person reads it: in Japanese, with reasons below."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from liqwatch.store import Store

CLI = Callable[..., tuple[int, str, str]]


def test_japanese_table_speaks_japanese(real_db: Path, cli: CLI
                                        ) -> None:
    code, out, _ = cli("--db", str(real_db), "indicators", "--as-of", "2019-09-18",
                       "-c", "funding", "-c", "credit", "--lang", "ja")
    assert code == 0
    assert "流動性指標 (2019-09-18 時点)" in out
    assert "警戒" in out and "資金市場" in out and "信用" in out  # status and category
    assert "no_data" not in out and "alert " not in out
    # The missing CP series is explained below the table, in Japanese.
    assert "データなし:" in out and "RIFSPPNA2P2D90NB: ストアにありません" in out
    assert "not in the store" not in out


def test_english_reasons_below_the_table(real_db: Path, cli: CLI
                                         ) -> None:
    code, out, _ = cli("--db", str(real_db), "indicators", "--as-of", "2019-09-18",
                       "-c", "credit")
    assert code == 0
    table, _, below = out.partition("No data:")
    assert "see below" in table and "RIFSPPNA2P2D90NB" not in table
    assert "RIFSPPNA2P2D90NB: not in the store" in below


def test_json_has_reason_in_both_languages(real_db: Path, cli: CLI
                                           ) -> None:
    code, out, _ = cli("--db", str(real_db), "indicators", "--as-of", "2019-09-18",
                       "-c", "credit", "--format", "json")
    assert code == 0
    row = next(r for r in json.loads(out) if r["id"] == "cp_spread_bp")
    assert "not in the store" in row["reason"] and "ストアにありません" in row["reason_ja"]


def test_history_chart_dates_units_and_levels(real_store: Store, tmp_path: Path) -> None:
    from liqwatch.indicators import history
    from liqwatch.indicators.chart import history_chart

    frame = history(real_store, ["reserves_tn", "sofr_iorb_bp"], "2019-06-03", "2023-06-30")
    html = history_chart(frame, tmp_path / "c.html", lang="ja").read_text(encoding="utf-8")
    figure = _figure(html)
    titles = [a["text"] for a in figure["layout"]["annotations"]]
    assert "準備預金残高 (兆ドル)" in titles
    axes = [k for k in figure["layout"] if k.startswith("xaxis")]
    assert len(axes) == 2 and all(figure["layout"][k].get("showticklabels") for k in axes)
    # The 2.5-3.0T band starts where it applies (2022), not in 2019.
    band = [s for s in figure["layout"]["shapes"] if s["y0"] in (2.5, 3.0)]
    assert len(band) == 2 and {s["x0"][:10] for s in band} == {"2022-01-01"}
    spread = [s for s in figure["layout"]["shapes"] if s["y0"] in (0.0, 10.0)]
    assert {s["x0"][:10] for s in spread} == {"2019-06-03"}
    assert {"平常", "警戒"} <= {t.get("name") for t in figure["data"]}


def _figure(html: str) -> dict[str, Any]:
    """The figure JSON of a plotly HTML file (``Plotly.newPlot(id, data, layout, config)``)."""
    start = html.index("Plotly.newPlot(")
    decoder = json.JSONDecoder()
    rest = html[start + len("Plotly.newPlot("):]
    rest = rest[rest.index(",") + 1:].lstrip()
    data, end = decoder.raw_decode(rest)
    rest = rest[end:].lstrip()[1:].lstrip()
    layout, _ = decoder.raw_decode(rest)
    return {"data": data, "layout": layout}


def test_stale_store_says_why_nothing_is_judged(tmp_path: Path,
                                                cli: CLI) -> None:
    """Synthetic data (named so): a store whose SOFR stops in 2020, read in 2021."""
    import pandas as pd

    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        days = pd.bdate_range("2020-01-02", "2020-03-31")
        store.write(pd.DataFrame({"series_id": "SOFR", "date": days.date, "value": 1.5}))
    code, out, err = cli("--db", str(db), "indicators", "--as-of", "2021-06-01")
    assert code == 0
    assert "No data:" in out and "SOFR" in out  # every reason is listed below the table
    assert "too old" in err and "--as-of 2020-" in err


def test_history_chart_needs_an_html_name(real_db: Path, tmp_path: Path, cli: CLI) -> None:
    code, _, err = cli("--db", str(real_db), "indicators", "history", "sofr_iorb_bp",
                       "--chart", str(tmp_path / "c.png"))
    assert code == 1 and ".html" in err and not (tmp_path / "c.png").exists()


def test_point_in_time_end_to_end_through_the_cli(tmp_path: Path, cli: CLI) -> None:
    """Synthetic data (named so): a SOFR print revised later; each as-of day sees its vintage,
    from `import --vintage` to `series --as-of`, `indicators --as-of` and `history`."""
    import pandas as pd

    db = tmp_path / "pit.duckdb"
    with Store(db) as store:
        days = pd.bdate_range("2024-01-02", "2024-01-31")
        store.write(pd.DataFrame({"series_id": "SOFR", "date": days.date, "value": 5.31}))
        cal = pd.date_range("2024-01-01", "2024-01-31")
        store.write(pd.DataFrame({"series_id": "IORB", "date": cal.date, "value": 5.40}))
    revised = tmp_path / "sofr_rev.csv"
    revised.write_text("date,value\n2024-01-16,5.60\n", encoding="utf-8")
    code, _, _ = cli("--db", str(db), "import", str(revised), "--series", "SOFR",
                     "--vintage", "2024-01-25")
    assert code == 0
    for as_of, sofr in (("2024-01-17", 5.31), ("2024-01-26", 5.60)):
        code, out, _ = cli("--db", str(db), "series", "SOFR", "--start", "2024-01-16", "--end",
                           "2024-01-16", "--as-of", as_of, "--format", "json")
        assert [r["value"] for r in json.loads(out)] == [sofr]
    # On the 17th the print of the 16th is known as first published: 5.31 - 5.40.
    code, out, _ = cli("--db", str(db), "indicators", "--as-of", "2024-01-17", "-c", "funding",
                       "--format", "json")
    row = next(r for r in json.loads(out) if r["id"] == "sofr_iorb_bp")
    assert (row["date"], row["value"]) == ("2024-01-16", -9.0)
    code, out, _ = cli("--db", str(db), "indicators", "history", "sofr_iorb_bp", "--start",
                       "2024-01-17", "--end", "2024-01-17", "--format", "json")
    assert json.loads(out)[0]["value"] == -9.0  # history keeps what was known that day


def test_cli_category_list_matches_the_registry() -> None:
    from liqwatch.cli import indicators as cli_indicators
    from liqwatch.indicators import CATEGORIES

    assert tuple(cli_indicators._CATEGORIES) == tuple(CATEGORIES)
