"""The coming funding-pressure days, each with the usual corridor print on its kind of day:
what ``liqwatch calendar`` and ``/api/calendar`` list, so that a desk can plan."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from liqwatch.frames import row_of
from liqwatch.fundcal import FundingCalendar, events_between, kind

__all__ = ["pressure_days"]


def pressure_days(start: date, end: date, lang: str = "en", *, every: bool = False,
                  store: Any | None = None, calendar: FundingCalendar | None = None
                  ) -> list[dict[str, Any]]:
    """The funding-calendar days from ``start`` to ``end`` as plain records.

    Parameters
    ----------
    start, end
        The range (inclusive).
    lang
        Language of ``events`` and ``why``.
    every
        Also list the calmer days (the first business days after the ends).
    store
        With a store, each day carries ``usual_sofr_iorb_bp``: the usual SOFR − IORB on its
        kind of day (the median of its last occurrences known today,
        :func:`liqwatch.indicators.turns.usual_by_kind`) and ``usual_n``.
    calendar
        Adds events from data (auction settlements) to the rule-dated ones.

    Returns
    -------
    list of dict
        ``date, weekday, events, kinds, principal, why, settling_bn, usual_sofr_iorb_bp,
        usual_n``.
    """
    usual = None
    if store is not None:
        from liqwatch.indicators.turns import corridor_prints, usual_by_kind

        prints = corridor_prints(store, "sofr_iorb_bp")
        usual = usual_by_kind(prints) if len(prints) else None
    rows = []
    for tags in events_between(start, end, pressure_only=not every, calendar=calendar):
        principal = kind(tags.principal)
        amount = sum(e.amount_bn or 0.0 for e in tags.events if e.amount_bn is not None)
        row: dict[str, Any] = {
            "date": tags.day,
            "weekday": "月火水木金土日"[tags.day.weekday()] if lang == "ja"
            else tags.day.strftime("%a"),
            "events": (", " if lang != "ja" else "、").join(tags.names(lang)),
            "kinds": list(tags.kinds), "principal": tags.principal,
            "why": principal.note(lang),
            "settling_bn": round(amount, 1) if amount else None,
            "usual_sofr_iorb_bp": None, "usual_n": None,
        }
        if usual is not None and tags.principal in usual.index:
            base = row_of(usual, tags.principal)
            typical = float(base["typical"])
            row["usual_sofr_iorb_bp"] = None if math.isnan(typical) else round(typical, 1)
            row["usual_n"] = int(base["n"])
        rows.append(row)
    return rows
