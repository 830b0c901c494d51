"""Funding-calendar days on the report's corridor and SOFR − IORB charts (real data), and the
chart drawn in headless Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from liqwatch.calendar import to_date
from liqwatch.fundcal import events_on
from liqwatch.report import build_report, write_report
from liqwatch.store import Store
from report.htmlcheck import figures, parse, visible_text

MARKS = {"month-, quarter-, year-end", "tax date", "coupon settlement", "GSE cash day"}


@pytest.fixture(scope="module")
def report_nov(real_db: Path) -> str:
    with Store(real_db, read_only=True) as store:
        return build_report(store, as_of=to_date("2025-11-03"))


def test_sofr_iorb_chart_marks_event_days_with_the_usual_print(report_nov: str) -> None:
    figs = figures(parse(report_nov))
    fig = figs["fig-sofr_iorb"]
    traces = {t["name"]: t for t in fig["data"]}  # type: ignore[index]
    assert set(traces) >= MARKS
    ends = traces["month-, quarter-, year-end"]
    at = ends["x"].index("2025-10-31")
    assert ends["y"][at] == 32.0
    assert ends["text"][at].startswith("SOFR − IORB +32 bp: a month-end print")
    assert "36 bp above the usual month-end" in ends["text"][at]
    # every marked day is an event day of its group, and no day after the report day
    for name in MARKS:
        for x in traces[name]["x"]:
            assert events_on(x).events, (name, x)
            assert x <= "2025-10-31"
    # the 17 Sep 2019 squeeze is no event day: not marked
    assert all("2019-09-17" not in traces[n]["x"] for n in MARKS)
    corridor = {t["name"] for t in figs["fig-sofr_corridor"]["data"]}  # type: ignore[index]
    assert corridor >= MARKS


def test_narrative_reads_the_print_against_the_calendar(report_nov: str,
                                                        real_db: Path) -> None:
    text = visible_text(parse(report_nov))
    assert ("On the calendar: a month-end print (also month-end coupon settlement), 36 bp "
            "above the usual month-end (median -4 bp over the last 12).") in text
    with Store(real_db, read_only=True) as store:
        ja = build_report(store, as_of=to_date("2025-11-03"), lang="ja")
    text_ja = visible_text(parse(ja))
    assert "暦の上では、月末の値" in text_ja
    names = {t["name"] for t in figures(parse(ja))["fig-sofr_iorb"]["data"]}  # type: ignore[index]
    assert {"月末・四半期末・年末", "納税日", "国債決済", "GSE 資金支払日"} <= names


@pytest.mark.browser
def test_marked_chart_draws_in_chromium(real_db: Path, tmp_path: Path) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists() and shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    path = tmp_path / "report.html"
    with Store(real_db, read_only=True) as store:
        write_report(store, path, as_of=to_date("2025-11-03"))
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium),
                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
        page: Any = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate("document.getElementById('chart-sofr_iorb').scrollIntoView()")
        page.wait_for_selector("#chart-sofr_iorb .main-svg", timeout=60000)
        points = page.locator("#chart-sofr_iorb .scatterlayer .trace .points path").count()
        legend = page.locator("#chart-sofr_iorb .legend").text_content() or ""
        browser.close()
    assert errors == []
    assert points > 20  # event-day markers drawn in the two-year window
    assert "month-, quarter-, year-end" in legend and "GSE cash day" in legend
