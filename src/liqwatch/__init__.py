"""liqwatch: a point-in-time monitor of US-dollar funding liquidity stress.

The Python API behind the ``liqwatch`` command. Results are pandas objects indexed by date or
id, and result objects have ``summary()`` and an HTML representation for notebooks::

    import liqwatch

    store = liqwatch.Store("liqwatch.duckdb", read_only=True)
    day = liqwatch.assess(store)              # the latest day the core data are current
    day.overall.status, day.overall.reason_en
    day.indicators                            # every indicator reading (DataFrame)
    liqwatch.indicators.compute(store, "2019-09-18")   # the same, on a past day
    liqwatch.events_on("2025-12-31").names()  # funding-calendar events of a day
    liqwatch.composite(store).summary()
    liqwatch.project(store, "current-policy", weeks=26).summary()
    liqwatch.write_report(store, "report.html", lang="ja")

Names are imported on first use, so that ``import liqwatch`` (and the command line) stays
fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = [
    "AsOf",
    "Assessment",
    "Status",
    "Store",
    "__version__",
    "analogs",
    "assess",
    "backtest",
    "build_report",
    "combination",
    "composite",
    "events_on",
    "fundcal",
    "history",
    "indicators",
    "nowcast",
    "project",
    "report",
    "resolve_as_of",
    "scenarios",
    "store",
    "stress",
    "stress_history",
    "write_report",
]

if TYPE_CHECKING:
    from liqwatch.asof import AsOf, resolve_as_of
    from liqwatch.assessment import Assessment, assess
    from liqwatch.fundcal import events_on
    from liqwatch.indicators import combination, history
    from liqwatch.report import build_report, write_report
    from liqwatch.scenarios.nowcast import nowcast
    from liqwatch.scenarios.projection import project
    from liqwatch.store import Store
    from liqwatch.stress.composite import composite, stress_history
    from liqwatch.stress.crisis_analogs import analogs
    from liqwatch.stress.event_study import backtest
    from liqwatch.vocab import Status


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    if name == "Assessment":
        from liqwatch.assessment import Assessment as Assessment_
        return Assessment_
    elif name == "assess":
        from liqwatch.assessment import assess as assess_
        return assess_
    elif name == "AsOf":
        from liqwatch.asof import AsOf as AsOf_
        return AsOf_
    elif name == "resolve_as_of":
        from liqwatch.asof import resolve_as_of as resolve_as_of_
        return resolve_as_of_
    elif name == "combination":
        from liqwatch.indicators import combination as combination_
        return combination_
    elif name == "history":
        from liqwatch.indicators import history as history_
        return history_
    elif name == "build_report":
        from liqwatch.report import build_report as build_report_
        return build_report_
    elif name == "write_report":
        from liqwatch.report import write_report as write_report_
        return write_report_
    elif name == "nowcast":
        from liqwatch.scenarios import nowcast as nowcast_
        return nowcast_
    elif name == "project":
        from liqwatch.scenarios import project as project_
        return project_
    elif name == "Store":
        from liqwatch.store import Store as Store_
        return Store_
    elif name == "analogs":
        from liqwatch.stress import analogs as analogs_
        return analogs_
    elif name == "backtest":
        from liqwatch.stress import backtest as backtest_
        return backtest_
    elif name == "composite":
        from liqwatch.stress import composite as composite_
        return composite_
    elif name == "stress_history":
        from liqwatch.stress import stress_history as stress_history_
        return stress_history_
    elif name == "Status":
        from liqwatch.vocab import Status as Status_
        return Status_
    elif name == "events_on":
        from liqwatch.fundcal import events_on as events_on_
        return events_on_
    elif name == "fundcal":
        import liqwatch.fundcal as fundcal_
        return fundcal_
    elif name == "indicators":
        import liqwatch.indicators as indicators_
        return indicators_
    elif name == "report":
        import liqwatch.report as report_
        return report_
    elif name == "scenarios":
        import liqwatch.scenarios as scenarios_
        return scenarios_
    elif name == "store":
        import liqwatch.store as store_
        return store_
    elif name == "stress":
        import liqwatch.stress as stress_
        return stress_
    raise AttributeError(f"module 'liqwatch' has no attribute {name!r}")
