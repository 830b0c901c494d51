"""End to end in headless Chromium (Debian's /usr/bin/chromium through Playwright).

Loads the dashboard from the real app, checks that the browser reports no console error and
contacts no other host, changes the as-of date and sees the numbers change, switches to
Japanese, and saves screenshots and the first-paint time under test-artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from liqwatch.report import write_report
from liqwatch.store import Store
from web.server import running

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Watch:
    """Console errors and requests of one page."""

    def __init__(self, page: Any, origin: str) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)
        self.origin = origin

    def _request(self, req: Any) -> None:
        url: str = req.url
        if not (url.startswith(self.origin) or url.startswith(("data:", "blob:", "about:"))):
            self.foreign.append(url)


def _render_all_charts(page: Any) -> int:
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, int(height), 900):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(20)
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.chart')).every(c => c.querySelector('.main-svg'))",
        timeout=60000)
    page.evaluate("window.scrollTo(0, 0)")
    count: int = page.evaluate("document.querySelectorAll('.chart .main-svg').length")
    return count


def test_dashboard_end_to_end(browser: Any, real_db: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with running(real_db) as base:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.set_default_timeout(60_000)  # a loaded CI machine renders slowly
        watch = Watch(page, base)
        page.goto(base + "/?lang=en", wait_until="load")
        paint = page.evaluate(
            "Object.fromEntries(performance.getEntriesByType('paint')"
            ".map(e => [e.name, e.startTime]))")
        nav = page.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
        assert nav["responseStart"] > 0
        assert "first-contentful-paint" in paint
        assert page.locator("section.card").count() >= 11
        sofr_latest = page.locator('.tile[data-ref="SOFR"] .v').inner_text()
        reserves_latest = page.locator('.tile[data-ref="WRESBAL"] .v').inner_text()
        assert _render_all_charts(page) > 10
        page.screenshot(path=str(ARTIFACTS / "dashboard_en.png"), full_page=False)

        # Change the as-of date: the page reloads with the numbers of that day.
        with page.expect_navigation():
            page.fill("#as-of", "2019-09-18")
            page.dispatch_event("#as-of", "change")
        assert "as_of=2019-09-18" in page.url
        assert page.locator("#as-of").input_value() == "2019-09-18"
        sofr_then = page.locator('.tile[data-ref="SOFR"] .v').inner_text()
        assert sofr_then == "5.25%" != sofr_latest
        assert page.locator('.tile[data-ref="WRESBAL"] .v').inner_text() != reserves_latest
        assert "17 Sep 2019" in page.locator("#funding").inner_text()
        page.evaluate("document.getElementById('chart-sofr_corridor').scrollIntoView()")
        page.wait_for_selector("#chart-sofr_corridor .main-svg")
        page.screenshot(path=str(ARTIFACTS / "dashboard_2019-09-18.png"), full_page=False)

        # One week back with the toolbar button.
        with page.expect_navigation():
            page.click('button[data-step="-7"]')
        assert "as_of=2019-09-11" in page.url
        assert page.locator('.tile[data-ref="SOFR"] .v').inner_text() != sofr_then
        with page.expect_navigation():
            page.click('button[data-step="7"]')
        assert "as_of=2019-09-18" in page.url

        # Switch to Japanese, keeping the date.
        with page.expect_navigation():
            page.click("#lang-ja")
        assert page.evaluate("document.documentElement.lang") == "ja"
        assert "lang=ja" in page.url and "as_of=2019-09-18" in page.url
        assert "米ドル資金流動性レポート" in page.locator("h1").inner_text()
        assert "2019年9月17日" in page.locator("#funding").inner_text()
        page.evaluate("document.getElementById('chart-sofr_corridor').scrollIntoView()")
        page.wait_for_selector("#chart-sofr_corridor .main-svg")
        page.screenshot(path=str(ARTIFACTS / "dashboard_ja.png"), full_page=False)
        page.close()

    assert watch.errors == []
    assert watch.foreign == []
    result = {"server_response_ms": nav.get("responseStart"),
              "first_paint_ms": paint.get("first-paint"),
              "first_contentful_paint_ms": paint.get("first-contentful-paint"),
              "dom_content_loaded_ms": nav.get("domContentLoadedEventEnd"),
              "load_ms": nav.get("loadEventEnd")}
    (ARTIFACTS / "dashboard_first_paint.json").write_text(json.dumps(result, indent=2))
    print("dashboard timing:", result)


def test_standalone_report_works_offline(browser: Any, real_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    with Store(real_db, read_only=True) as store:
        write_report(store, path, lang="ja")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(60_000)
    watch = Watch(page, "file://")
    page.goto(path.as_uri(), wait_until="load")
    page.evaluate("document.getElementById('chart-sofr_corridor').scrollIntoView()")
    page.wait_for_selector("#chart-sofr_corridor .main-svg", timeout=60000)
    page.evaluate("document.getElementById('chart-composite').scrollIntoView()")
    page.wait_for_selector("#chart-composite .main-svg", timeout=60000)
    page.evaluate("document.getElementById('provenance').scrollIntoView()")
    page.close()
    assert watch.errors == []
    assert watch.foreign == []


def test_pages_run_under_their_content_security_policy(browser: Any, real_db: Path) -> None:
    """The dashboard and the served report draw their charts under the policy the server
    sends (no violation), and the policy is enforced: a script injected into the page is
    refused."""
    with running(real_db) as base:
        for path in ("/?lang=en", "/api/report?lang=ja"):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(60_000)
            page.add_init_script(
                "window.__violations = [];"
                "document.addEventListener('securitypolicyviolation',"
                " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
            watch = Watch(page, base)
            response = page.goto(base + path, wait_until="load")
            assert response is not None
            assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
            assert _render_all_charts(page) > 10
            assert page.evaluate("window.__violations") == []
            page.evaluate("const s = document.createElement('script');"
                          "s.textContent = 'window.__ran = 1'; document.body.appendChild(s);")
            page.wait_for_function("window.__violations.length > 0")
            assert page.evaluate("window.__ran") is None
            assert page.evaluate("window.__violations")[0].startswith("script-src")
            page.close()
            assert [e for e in watch.errors if "Content Security Policy" not in e] == []
            assert watch.foreign == []


# ----------------------------------------------------------------- desk-ready pages
#: Amounts written the English way (``$2.85tn``, ``3.0T``, ``USD bn``): never on a Japanese
#: page, where amounts are ``2.85兆ドル`` / ``504億ドル``. Series ids (BTCUSD) are not units.
MIXED_UNITS = re.compile(r"\$\s?\d|(?<![A-Za-z_])\d[\d,.]*\s?(tn|bn|mn|T)\b|"
                         r"(?<![A-Z_])USD(?![A-Z_0-9])|\b(billion|trillion)\b")
#: Threshold lines each chart must draw, by language: (chart, label texts).
THRESHOLD_LINES = {
    "en": {"reserves": ["watch $3.00tn", "alert $2.50tn"],
           "sofr_iorb": ["watch 0 bp", "alert +10 bp"],
           "effr_iorb": ["watch -5 bp", "alert 0 bp"],
           "scenarios": ["watch $3.00tn", "alert $2.50tn"]},
    "ja": {"reserves": ["注意 3.00兆ドル", "警戒 2.50兆ドル"],
           "sofr_iorb": ["注意 0bp", "警戒 +10bp"],
           "effr_iorb": ["注意 -5bp", "警戒 0bp"],
           "scenarios": ["注意 3.00兆ドル", "警戒 2.50兆ドル"]},
}


def _svg_texts(page: Any, chart: str) -> list[str]:
    texts: list[str] = page.evaluate(
        f"Array.from(document.querySelectorAll('#chart-{chart} svg text'))"
        ".map(t => t.textContent)")
    return texts


def _check_desk_page(page: Any, lang: str) -> None:
    """Every chart drawn, threshold lines labelled, episode labels apart, the SRF chart on
    its last year, units in the page's language, no clipped box in print."""
    assert _render_all_charts(page) > 10
    for chart, labels in THRESHOLD_LINES[lang].items():
        texts = _svg_texts(page, chart)
        for label in labels:
            assert label in texts, (chart, label, texts)
    boxes = page.evaluate(
        "Array.from(document.querySelectorAll('#chart-composite .annotation-text'))"
        ".map(t => { const r = t.getBoundingClientRect(); "
        "return [r.left, r.top, r.right, r.bottom, t.textContent]; })")
    assert len(boxes) >= 5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b)
    span = page.evaluate("(() => { const r = document.getElementById('chart-srf')"
                         ".layout.xaxis.range; return (new Date(r[1]) - new Date(r[0])) "
                         "/ 86400000; })()")
    assert 360 <= span <= 370
    if lang == "ja":
        text = page.evaluate("document.body.innerText") + " ".join(page.evaluate(
            "Array.from(document.querySelectorAll('svg text')).map(t => t.textContent)"))
        bad = [m.group(0) for m in MIXED_UNITS.finditer(text)]
        assert bad == [], bad[:10]
    page.emulate_media(media="print")
    clipped = page.evaluate(
        "Array.from(document.querySelectorAll('main *')).filter(e => {"
        " const s = getComputedStyle(e);"
        " return ['auto', 'scroll', 'hidden'].includes(s.overflowY) && e.offsetParent !== null"
        "  && !e.closest('.chart') && e.scrollHeight > e.clientHeight + 2; })"
        ".map(e => e.className || e.tagName)")
    assert clipped == []
    page.emulate_media(media="screen")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_and_dashboard_are_desk_ready(browser: Any, real_db: Path, tmp_path: Path,
                                             lang: str) -> None:
    """The standalone report and the dashboard, in English and Japanese."""
    path = tmp_path / f"report_{lang}.html"
    with Store(real_db, read_only=True) as store:
        write_report(store, path, lang=lang)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    watch = Watch(page, "file://")
    page.goto(path.as_uri(), wait_until="load")
    _check_desk_page(page, lang)
    page.close()
    assert watch.errors == [] and watch.foreign == []
    with running(real_db) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        watch = Watch(page, base)
        page.goto(f"{base}/?lang={lang}", wait_until="load")
        assert page.evaluate("document.documentElement.lang") == lang
        _check_desk_page(page, lang)
        page.screenshot(path=str(ARTIFACTS / f"desk_{lang}.png"), full_page=False)
        page.close()
    assert watch.errors == [] and watch.foreign == []


PHONE_OVERFLOW = """(() => {
  const w = document.documentElement.clientWidth;
  const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll'].includes(s.overflowX)) return true; }
    return false; };
  const name = e => `${(e.closest('.chart') || {}).id || ''} ${e.tagName}.`
    + `${e.className.baseVal ?? e.className}`;
  return Array.from(document.querySelectorAll('body *')).filter(e => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && e.offsetParent !== null && r.right > w + 1 && !scrolls(e); })
    .slice(0, 40).map(e => `${name(e)} ${Math.round(e.getBoundingClientRect().right)}`);
})()"""


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_fits_a_phone(browser: Any, real_db: Path, tmp_path: Path, lang: str) -> None:
    """At 390 px nothing but a table's own scroll box is wider than the screen: the page never
    scrolls sideways and every chart is drawn inside it."""
    path = tmp_path / f"report_{lang}.html"
    with Store(real_db, read_only=True) as store:
        write_report(store, path, lang=lang)
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page.set_default_timeout(60_000)
    watch = Watch(page, "file://")
    page.goto(path.as_uri(), wait_until="load")
    assert _render_all_charts(page) > 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    assert page.evaluate(PHONE_OVERFLOW) == []
    page.screenshot(path=str(ARTIFACTS / f"phone_{lang}.png"), full_page=False)
    page.close()
    assert watch.errors == [] and watch.foreign == []
