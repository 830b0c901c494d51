"""Assemble the sections and render the report with Jinja2."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from liqwatch import __version__
from liqwatch.assessment import Assessment, assess
from liqwatch.files import write_text
from liqwatch.report import i18n
from liqwatch.report.context import Context
from liqwatch.report.model import Section
from liqwatch.report.sections import claims as claims_section
from liqwatch.report.sections import funding, markets, plumbing, provenance, stress, summary
from liqwatch.store import Store

__all__ = ["SECTION_KEYS", "build_report", "build_sections", "render", "write_report"]

log = logging.getLogger(__name__)

#: Sections in page order (``claims`` only when a claims file is given).
SECTION_KEYS = ("summary", "funding", "reserves", "risk_appetite", "oil", "credit", "offshore",
                "composite", "analogs", "scenarios", "claims", "provenance")


#: Series the market sections read, fetched in one query.
PREFETCH = (
    "SOFR", "SOFR1", "SOFR99", "IORB", "IOER", "RRPONTSYAWARD", "DFEDTARU", "DFEDTARL", "EFFR",
    "RPONTSYD", "RPONTTLD_NYFED", "RPONTSYD_NYFED", "WREPO", "WRESBAL", "WTREGEN", "TGA_DTS",
    "RRPONTSYD", "WALCL",
    "TLAACBW027SBOG", "BTCUSD", "CBBTCUSD", "NASDAQ100", "RCLC1", "RCLC2", "CL_F_YAHOO",
    "DCOILWTICO", "DRCCLACBS", "DRCLACBS", "DRALACBS", "DRSFRMACBS", "UNRATE", "BAMLH0A0HYM2",
    "DTWEXBGS", "WCBLSA", "XCCY_BASIS_EUR_3M", "XCCY_BASIS_JPY_3M", "STLFSI4", "NFCI", "OFR_FSI",
    "KCFSI",
)


@dataclass
class Built:
    """Sections of one report and what the page header shows."""

    sections: list[Section]
    ctx: Context
    seconds: float


def _guard(ctx: Context, key: str, fn: Any, *args: Any) -> Section:
    """Run one section builder; an unexpected failure becomes a visible note, not a crash."""
    try:
        result: Section = fn(ctx, *args)
        return result
    except Exception as exc:
        from liqwatch.exceptions import ConfigError

        if isinstance(exc, ConfigError):
            raise
        log.warning("report section %s failed: %s", key, exc)
        log.debug("report section %s failed", key, exc_info=True)
        sec = Section(key, ctx.label(key))
        sec.unavailable(ctx.t(f"This section could not be built: {exc}",
                              f"このセクションを作成できませんでした: {exc}"))
        return sec


def build_sections(
    store: Store, as_of: date | str | None = None, lang: str = "en", claims: Any = None,
    *, assessment: Assessment | None = None,
) -> Built:
    """Compute every section of the report (no HTML yet).

    Parameters
    ----------
    store
        The store.
    as_of
        The day asked for (default: the latest day the core data are current, see
        :func:`liqwatch.asof.resolve_as_of`).
    lang
        ``en`` or ``ja``.
    claims
        A claims file (path) or already-checked claim results; adds the "numbers checked"
        section.
    assessment
        The day's results, when the caller already holds them (the dashboard and the API
        share one per day); ``store`` and ``as_of`` are then not used.
    """
    t0 = time.perf_counter()
    language = i18n.check_lang(lang)
    if assessment is None:
        if isinstance(as_of, str):
            as_of = _parse_day(as_of)
        assessment = assess(store, as_of)
    ctx = Context.create(assessment, language)
    ctx.panel.prefetch(list(PREFETCH))
    body = [
        _guard(ctx, "funding", funding.build),
        _guard(ctx, "reserves", plumbing.build),
        _guard(ctx, "risk_appetite", markets.risk_appetite),
        _guard(ctx, "oil", markets.oil),
        _guard(ctx, "credit", markets.credit),
        _guard(ctx, "offshore", markets.offshore),
        _guard(ctx, "composite", stress.composite),
        _guard(ctx, "analogs", stress.analogs),
        _guard(ctx, "scenarios", stress.scenarios),
    ]
    if claims is not None:
        body.append(_guard(ctx, "claims", claims_section.build, claims))
    summary.category_tables(ctx, body)
    headline = [s for s in body if s.key in ("funding", "reserves", "analogs", "scenarios")]
    top = _guard(ctx, "summary", summary.build, headline)
    prov = _guard(ctx, "provenance", provenance.build)
    return Built([top, *body, prov], ctx, time.perf_counter() - t0)


def _parse_day(text: str) -> date:
    from liqwatch.exceptions import ConfigError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"as_of {text!r} is not a date (use YYYY-MM-DD)") from None


def build_report(
    store: Store,
    as_of: date | str | None = None,
    lang: str = "en",
    claims: Any = None,
    *,
    dashboard: dict[str, Any] | None = None,
    assessment: Assessment | None = None,
) -> str:
    """Return the report as one self-contained HTML page.

    Parameters
    ----------
    store
        The store to read.
    as_of
        Use only data published by this day (default: the latest day on which the core
        series are current, so that every section is judged on the same day; the header
        says which day and why).
    lang
        ``en`` (English) or ``ja`` (Japanese).
    claims
        Path of a claims file (or results of ``liqwatch.claims.check``): adds the "numbers
        checked" section.
    dashboard
        Internal: render the dashboard variant (Plotly.js from a URL, date picker, language
        switch) with these settings.
    assessment
        The day's results when already computed (``store`` and ``as_of`` are then unused).

    Returns
    -------
    str
        The HTML document. Plotly.js is inlined once; the page requests nothing from any other
        host.

    Examples
    --------
    >>> from liqwatch.store import Store
    >>> from liqwatch.report import build_report
    >>> html = build_report(Store(":memory:"), lang="ja")
    >>> html.startswith("<!DOCTYPE html>")
    True
    """
    built = build_sections(store, as_of, lang, claims, assessment=assessment)
    return render(built, dashboard=dashboard)


def write_report(
    store: Store,
    path: Path | str,
    as_of: date | str | None = None,
    lang: str = "en",
    claims: Any = None,
) -> Path:
    """Write :func:`build_report` to ``path`` (atomically) and return the path."""
    html = build_report(store, as_of=as_of, lang=lang, claims=claims)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return write_text(path, html)


def render(built: Built, *, dashboard: dict[str, Any] | None = None) -> str:
    """Render built sections to HTML."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    from liqwatch.report.charts import figure_json, plotly_js

    env = Environment(loader=PackageLoader("liqwatch.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    ctx = built.ctx
    prov = next((s for s in built.sections if s.key == "provenance"), None)
    anchor_map: dict[str, str] = dict(prov.extra.get("anchors", {})) if prov else {}
    refs_index = {sid: i + 1 for i, sid in enumerate(anchor_map)}
    template = env.get_template("report.html.j2")
    asof = ctx.assessment.as_of
    return template.render(
        lang=ctx.lang,
        L=i18n.labels(ctx.lang),
        sections=built.sections,
        as_of=ctx.as_of if asof.asked is not None else None,
        picker_date=ctx.as_of,
        as_of_text=ctx.d(ctx.as_of),
        as_of_reason=asof.reason(ctx.lang),
        core=[{"label": c.label_ja if ctx.lang == "ja" else c.label_en,
               "last": ctx.d(c.last_date)} for c in asof.core],
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        anchors=anchor_map,
        refs_index=refs_index,
        figure_json=figure_json,
        plotly_js=None if dashboard else plotly_js(),
        dashboard=dashboard,
        version=__version__,
        build_seconds=built.seconds,
        data_origin=prov.extra.get("origin", "") if prov else "",
    )
