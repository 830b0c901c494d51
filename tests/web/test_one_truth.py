"""One store, one day: the same numbers and the same status on every surface.

The report's sentences, its indicator table, the JSON API, the ``verdict`` command and the
alert rules all render the day's :class:`~liqwatch.assessment.Assessment`; these tests check
that on real data for several days, including the default one.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest

from liqwatch.alerts.config import load_alert_config
from liqwatch.alerts.engine import evaluate
from liqwatch.assessment import assess
from liqwatch.report.build import build_sections
from liqwatch.store import Store
from liqwatch.vocab import fmt_value
from web.server import running

#: Days checked: the Sep 2019 and Mar 2020 squeezes, the autumn-2025 one, and the default.
DAYS: tuple[date | None, ...] = (date(2019, 9, 18), date(2020, 3, 17), date(2025, 11, 3),
                                 None)


@pytest.fixture(scope="module")
def api(real_db: Path) -> Iterator[httpx.Client]:
    with running(real_db) as url, httpx.Client(base_url=url, timeout=120) as client:
        yield client


def _params(day: date | None) -> dict[str, str]:
    return {"as_of": day.isoformat()} if day else {}


@pytest.mark.parametrize("day", DAYS, ids=lambda d: str(d or "default"))
def test_narrative_table_api_cli_and_alerts_agree(
    real_db: Path, api: httpx.Client, day: date | None, cli: Any,
) -> None:
    with Store(real_db, read_only=True) as store:
        assessment = assess(store, day)
        built = build_sections(store, assessment=assessment)
        events = evaluate(store, assessment.day, config=load_alert_config(), persist=False)
    readings = assessment.indicators.set_index("id")

    # Every value a sentence quotes is the indicator's value, written as the table writes it.
    quoted = [(s, ident, text) for sec in built.sections for s in sec.sentences
              for ident, text in s.values]
    assert len(quoted) >= 8, "the narrative quotes too few indicator readings"
    table = next(t for sec in built.sections if sec.key == "summary" for t in sec.tables)
    cells = {row[0].title: row[2].text for row in table.rows}  # id -> value cell
    api_rows = {r["id"]: r for r in
                api.get("/api/indicators", params=_params(day)).json()["indicators"]}
    for sentence, ident, text in quoted:
        r = readings.loc[ident]
        assert text == fmt_value(r["value"], r["unit"]), (ident, sentence.text)
        assert text in sentence.text, (ident, sentence.text)
        assert cells[ident] == text, ident
        assert fmt_value(api_rows[ident]["value"], api_rows[ident]["unit"]) == text, ident

    # The same day everywhere.
    status = api.get("/api/status", params=_params(day)).json()
    assert status["as_of"]["day"] == assessment.day.isoformat()
    args = ["--db", str(real_db), "verdict", "--format", "json"]
    code, out, err = cli(*args, *(["--as-of", day.isoformat()] if day else []))
    assert code == 0, err
    verdict = json.loads(out)
    assert verdict["as_of"]["day"] == assessment.day.isoformat()

    # The same overall status everywhere.
    overall = assessment.overall.status.value
    summary = next(sec for sec in built.sections if sec.key == "summary")
    assert summary.extra["overall"]["status"] == overall
    assert status["overall"]["status"] == overall
    assert verdict["overall"]["status"] == overall
    alert = [e for e in events if e.rule == "overall"]
    if overall in ("watch", "alert"):
        assert [e.state for e in alert] == [overall]
    else:
        assert alert == []


def test_every_command_without_as_of_names_the_same_day(
    real_db: Path, cli: Any, tmp_path: Path
) -> None:
    db = tmp_path / "copy.duckdb"  # `alerts` records its evaluation: a store of its own
    shutil.copyfile(real_db, db)
    with Store(db, read_only=True) as store:
        expected = assess(store).as_of.describe()
    assert expected.startswith("as of 21 Aug 2026 — the latest day with SOFR, reserves and TGA")
    commands = [
        ["verdict"], ["indicators", "--format", "json"], ["stress", "--format", "json"],
        ["analogs", "--format", "json"], ["scenario", "--format", "json"],
        ["nowcast", "--format", "json"], ["alerts", "--format", "json"],
        ["report", "--out", str(tmp_path / "r.html")],
        ["export", "--what", "stress", "--format", "csv", "--out", str(tmp_path / "s.csv")],
    ]
    for args in commands:
        code, _, err = cli("--db", str(db), *args)
        assert code == 0, (args, err)
        assert expected in " ".join(err.split()), (args, err)


def test_report_header_says_which_day_and_why(real_db: Path) -> None:
    from liqwatch.report import build_report

    with Store(real_db, read_only=True) as store:
        html = build_report(store)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "As of 21 Aug 2026 — the latest day with SOFR, reserves and TGA current" in text
    assert "SOFR 20 Aug 2026" in text and "reserves 19 Aug 2026" in text


#: Indicators whose value is a function of the listed inputs on the observation date alone.
POINTWISE = {
    "sofr_iorb_bp": lambda v: (v["SOFR"] - v.get("IORB", v.get("IOER", float("nan")))) * 100,
    "effr_iorb_bp": lambda v: (v["EFFR"] - v.get("IORB", v.get("IOER", float("nan")))) * 100,
    "sofr_ceiling_bp": lambda v: (v["SOFR"] - v.get("SRF_MIN_BID", v.get("DFEDTARU",
                                                                          float("nan")))) * 100,
    "sofr_dispersion_bp": lambda v: (v["SOFR99"] - v["SOFR1"]) * 100,
    "tgcr_sofr_bp": lambda v: (v["TGCR"] - v["SOFR"]) * 100,
    "reserves_tn": lambda v: v["WRESBAL"] / 1e6,
    "reserves_to_gdp_pct": lambda v: v["WRESBAL"] / (v["GDP"] * 1e3) * 100,
    "reserves_to_bank_assets_pct": lambda v: v["WRESBAL"] / (v["TLAACBW027SBOG"] * 1e3) * 100,
    "on_rrp_bn": lambda v: v["RRPONTSYD"],
    "hy_oas_bp": lambda v: v["BAMLH0A0HYM2"] * 100,
    "vix": lambda v: v["VIXCLS"],
}


@pytest.mark.parametrize("day", ["2019-09-18", "2021-06-02", "2025-11-03", "2026-08-21"])
def test_recorded_inputs_reproduce_the_value(real_store: Store, day: str) -> None:
    """Each reading lists the observations it was computed from: those observations, as
    published on the day, give back its value (point-wise indicators), and every listed
    observation is one the store held on that day."""
    frame = assess(real_store, date.fromisoformat(day)).indicators
    checked = 0
    for _, r in frame[frame["status"] != "no_data"].iterrows():
        used = {i["series_id"]: i for i in r["inputs"]}
        assert used, r["id"]
        for sid, inp in used.items():
            known = real_store.read([sid], start=inp["date"], end=inp["date"], as_of=day)
            assert not known.empty, (r["id"], sid)
            assert float(known["value"].iloc[0]) == pytest.approx(inp["value"]), (r["id"], sid)
        fn = POINTWISE.get(str(r["id"]))
        if fn is not None:
            values = {sid: float(i["value"]) for sid, i in used.items()}
            assert fn(values) == pytest.approx(float(r["value"]), rel=1e-9), (r["id"], used)
            checked += 1
    assert checked >= 6
    assert not pd.isna(frame["value"]).all()
