"""Wording of alert messages: what happened, the number, the threshold, the dates."""

from __future__ import annotations

import math
from datetime import date

from liqwatch.alerts.rules import Condition

__all__ = ["describe", "fmt_number"]

_UNITS = {"percent": "%", "pct": "%", "pct_chg": "%", "usd_bn": "USD bn", "usd_tn": "USD tn",
          "usd_mn": "USD mn", "usd": "USD", "corr": "", "index": "", "count": ""}


def fmt_number(value: float | None, unit: str | None = None, digits: int = 4) -> str:
    """A number for people: ``5.25%``, ``82 bp``, ``1,394,122 USD millions``."""
    if value is None or math.isnan(value):
        return "n/a"
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.{digits}g}"
    if not unit:
        return text
    symbol = _UNITS.get(unit, unit)
    if not symbol:
        return text
    return f"{text}%" if symbol == "%" else f"{text} {symbol}"


def _dates(obs: date | None, as_of: date) -> str:
    if obs is None or obs == as_of:
        return f"as of {as_of}"
    return f"observation {obs}, known {as_of}"


def describe(cond: Condition, state: str, previous: str, as_of: date) -> str:
    """One-paragraph message for the change of ``cond``'s rule instance to ``state``.

    Examples
    --------
    >>> from liqwatch.alerts.rules import Condition
    >>> c = Condition("indicator-status", "indicator", "sofr_iorb", "alert", 315.0,
    ...               {"watch": 10.0, "alert": 25.0}, date(2019, 9, 17), "bp",
    ...               "sofr_iorb (funding)")
    >>> describe(c, "alert", "normal", date(2019, 9, 18))  # doctest: +NORMALIZE_WHITESPACE
    'ALERT sofr_iorb (funding): 315 bp, above the alert threshold of 25 bp (observation
    2019-09-17, known 2019-09-18).'
    """
    label = cond.label or cond.subject
    number = fmt_number(cond.value, cond.unit)
    for thr_value in cond.thresholds.values():
        # 2.99972 tn must not read "3 USD tn, below the watch threshold of 3 USD tn".
        if (thr_value is not None and cond.value is not None and cond.value != thr_value
                and number == fmt_number(thr_value, cond.unit)):
            number = fmt_number(cond.value, cond.unit, digits=7)
    up, down = ("above", "below") if cond.direction >= 0 else ("below", "above")
    when = _dates(cond.date, as_of) if cond.kind in ("indicator", "composite",
                                                     "combination") else f"as of {as_of}"
    if state == "normal":
        head = f"RESOLVED {label} (was {previous})"
        if cond.level == "no_data":
            body = "no data to judge it any more"
        else:
            thr = cond.threshold("watch")
            if thr is not None and cond.basis:
                body = f"{number}; {cond.basis}, back within the watch threshold {thr:g}"
            elif thr is not None:
                body = (f"{number}, back {down} the watch threshold of "
                        f"{fmt_number(thr, cond.unit)}")
            else:
                body = number
    else:
        head = state.upper() + (f" (was {previous})" if previous != "normal" else "")
        head = f"{head} {label}"
        thr = cond.threshold(state)
        body = number
        watch_thr = cond.threshold("watch")
        if cond.level == "normal" and watch_thr is not None and cond.kind != "combination":
            # Held by ``resolve_after_days``: say that the reading is already back.
            body = (f"{number}, back {down} the watch threshold of "
                    f"{fmt_number(watch_thr, cond.unit)}; the {state} ends if it stays there")
        elif cond.kind in ("indicator", "composite") and thr is not None and cond.basis:
            body = f"{number}; {cond.basis}, past the {state} threshold {thr:g}"
        elif cond.kind in ("indicator", "composite") and thr is not None:
            body = f"{number}, {up} the {state} threshold of {fmt_number(thr, cond.unit)}"
        elif cond.kind == "combination":
            at = "alert" if state == "alert" else "watch or worse"
            body = (f"{cond.value:g} categories at {at} (threshold {thr:g})"
                    if cond.value is not None and thr is not None else number)
        elif cond.kind == "stale":
            body = f"not updated, {number}"
            if cond.unit == "series overdue":
                body = f"{number} by the publication schedule plus grace"
        elif cond.kind == "source_failure":
            body = (f"{cond.value:g} consecutive failed updates (threshold {thr:g})"
                    if cond.value is not None and thr is not None else number)
    text = f"{head}: {body} ({when})."
    if cond.detail:
        text += f" {cond.detail.rstrip('.')}."
    return text
