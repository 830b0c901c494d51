"""Turn-aware readings of the corridor spreads: each print against the usual print on the
same kind of funding-calendar day.

A desk reads SOFR 5 bp above IORB on a month-end differently from the same print on a quiet
Tuesday. For each corridor spread (:data:`TURN_AWARE`) and each print, the **kind of day** is
the highest-ranked funding-calendar event of its observation date (:mod:`liqwatch.fundcal`,
as known that day; ``ordinary`` without one), the **typical** print is the median of the
prints on the last ``lookback`` earlier days of the same kind (12 month-ends, 8 quarter-ends,
5 year-ends, 20 ordinary days; package data ``fundcal/events.toml``), and the **excess** is
the print minus that median. Only earlier prints enter the median, each known before the
print itself, so the reading is point in time. At least :data:`MIN_OCCURRENCES` earlier
occurrences are needed for a baseline.

The explanation names the day's events and says how far the print is from the usual one:
"a month-end print, 9 bp above the usual month-end (median +3 bp over the last 12)", or on a
day without an event "no calendar event: unusual, 12 bp above the usual day without an event".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.fundcal import ORDINARY, FundingCalendar, default_calendar, kind
from liqwatch.vocab import fmt_bp, pick

__all__ = ["IN_LINE_BP", "MIN_OCCURRENCES", "TURN_AWARE", "UNUSUAL_BP", "corridor_prints",
           "turn_details", "turn_frame", "turn_text", "usual_by_kind"]

#: Corridor spreads read against the calendar -> the column of the indicator frame holding
#: the day's print (``sofr_floor_bp``'s value is a 10-day mean; its daily print is
#: ``spread_today``).
TURN_AWARE: Mapping[str, str] = {
    "sofr_iorb_bp": "value",
    "effr_iorb_bp": "value",
    "sofr_ceiling_bp": "value",
    "sofr_floor_bp": "spread_today",
    "sofr_dispersion_bp": "value",
}
#: Earlier occurrences of a kind of day needed for its baseline.
MIN_OCCURRENCES = 3
#: A print within this many bp of the usual one is "in line with" it.
IN_LINE_BP = 1.0
#: An ordinary-day print this many bp or more above the usual ordinary day is "unusual".
UNUSUAL_BP = 5.0


def turn_frame(prints: pd.Series, calendar: FundingCalendar | None = None) -> pd.DataFrame:
    """The turn-aware reading of every print of a corridor spread.

    Parameters
    ----------
    prints
        The spread (bp) indexed by observation date, each print as first known.
    calendar
        The funding calendar (default: the rule-dated one).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``prints``: ``print`` (the spread), ``kind`` (principal kind of the
        day), ``kinds`` (tuple of the day's kinds), ``typical`` (median of the last
        ``lookback`` earlier prints on days of the same kind; NaN with fewer than
        :data:`MIN_OCCURRENCES`), ``n`` (how many entered it) and ``excess`` (print −
        typical).

    Examples
    --------
    >>> s = pd.Series([1.0, 2.0, 3.0, 9.0], index=pd.to_datetime(
    ...     ["2025-04-30", "2025-05-30", "2025-07-31", "2025-08-29"]))
    >>> row = turn_frame(s).loc["2025-08-29"]
    >>> row["kind"], float(row["typical"]), float(row["excess"])
    ('month_end', 2.0, 7.0)
    """
    s = prints.dropna().astype(float).round(9).sort_index()
    s = s[~s.index.duplicated(keep="first")]
    tags = (calendar or default_calendar()).tag(s.index, point_in_time=True)
    out = pd.DataFrame({"print": s.to_numpy(), "kind": tags["kind"].to_numpy(),
                        "kinds": tags["kinds"].to_numpy()}, index=s.index)
    typical = np.full(len(out), np.nan)
    count = np.zeros(len(out), dtype=int)
    for k, pos in out.groupby("kind", sort=False).indices.items():
        look = kind(str(k)).lookback
        vals = out["print"].to_numpy()[pos]
        earlier = pd.Series(vals).shift(1)
        typical[pos] = earlier.rolling(look, min_periods=MIN_OCCURRENCES).median().to_numpy()
        count[pos] = earlier.rolling(look, min_periods=1).count().fillna(0).to_numpy()
    out["typical"] = typical
    out["n"] = count
    out["excess"] = out["print"] - out["typical"]
    return out


def usual_by_kind(prints: pd.Series, calendar: FundingCalendar | None = None
                  ) -> pd.DataFrame:
    """The usual print of each kind of day after the last print: what the next such day is
    read against.

    Returns
    -------
    pandas.DataFrame
        Indexed by kind: ``typical`` (median of the last ``lookback`` prints of the kind;
        NaN with fewer than :data:`MIN_OCCURRENCES`) and ``n``.
    """
    frame = turn_frame(prints, calendar)
    rows = {}
    for k, group in frame.groupby("kind", sort=False):
        last = group["print"].iloc[-kind(str(k)).lookback:]
        rows[str(k)] = (float(last.median()) if len(last) >= MIN_OCCURRENCES else np.nan,
                        len(last))
    return pd.DataFrame.from_dict(rows, orient="index", columns=["typical", "n"])


def corridor_prints(store: Any, ind: str = "sofr_iorb_bp") -> pd.Series:
    """Every print of the corridor spread ``ind`` known today, by observation date (empty
    when the store lacks its inputs). For the spreads whose value is the day's print (all of
    :data:`TURN_AWARE` but ``sofr_floor_bp``, a 10-day mean)."""
    from liqwatch.indicators.engine import history

    if TURN_AWARE.get(ind) != "value":
        raise ValueError(f"{ind!r} has no daily print as its value; choose from "
                         f"{', '.join(k for k, v in TURN_AWARE.items() if v == 'value')}")
    frame = history(store, [ind])
    frame = frame.dropna(subset=["obs_date", "value"]).drop_duplicates("obs_date")
    return pd.Series(frame["value"].to_numpy(dtype=float),
                     index=pd.DatetimeIndex(frame["obs_date"]), name=ind).sort_index()


def turn_details(row: Mapping[str, Any]) -> dict[str, Any]:
    """The reading of one print as plain values (for ``details`` of an indicator row)."""
    def num(x: Any) -> float | None:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

    return {"calendar_kind": str(row["kind"]), "calendar_events": list(row["kinds"]),
            "typical_bp": num(row["typical"]), "typical_n": int(row["n"]),
            "excess_bp": num(row["excess"])}


def _names(kinds: tuple[str, ...] | list[str], lang: str) -> str:
    names = [kind(k).name(lang) for k in kinds]
    if lang == "ja":
        return "、".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def turn_text(row: Mapping[str, Any], lang: str = "en") -> str:
    """One clause on the print against the usual one on its kind of day, in ``lang``.

    ``row`` is a row of :func:`turn_frame` (or :func:`turn_details`' keys).

    Examples
    --------
    >>> turn_text({"kind": "month_end", "kinds": ("month_end",), "typical": 3.0, "n": 12,
    ...            "excess": 9.0})
    'a month-end print, 9 bp above the usual month-end (median +3 bp over the last 12)'
    >>> turn_text({"kind": "ordinary", "kinds": (), "typical": -5.0, "n": 20, "excess": 12.0}
    ...           ).split(" (")[0]
    'no calendar event: unusual, 12 bp above the usual day without an event'
    """
    k = str(row.get("kind", row.get("calendar_kind")))
    kinds = tuple(row.get("kinds", row.get("calendar_events", ())))
    typical = row.get("typical", row.get("typical_bp"))
    excess = row.get("excess", row.get("excess_bp"))
    n = int(row.get("n", row.get("typical_n", 0)) or 0)
    spec = kind(k)
    has_base = typical is not None and not (isinstance(typical, float) and math.isnan(typical))
    if k == ORDINARY:
        head = pick(lang, "no calendar event", "暦上のイベントなし")
    else:
        head = pick(lang, spec.print_en, spec.print_ja)
        if len(kinds) > 1:
            head += pick(lang, f" (also {_names(kinds[1:], lang)})",
                         f" (同日に{_names(kinds[1:], lang)})")
    if not has_base or excess is None:
        return head + pick(lang, f"; no baseline yet (fewer than {MIN_OCCURRENCES} earlier "
                                 f"{spec.en} prints)",
                           f"。比較の基準なし (過去の{spec.ja}が {MIN_OCCURRENCES} 回未満)")
    base = float(typical)
    x = float(excess)
    med = pick(lang, f"median {fmt_bp(base)} over the last {n}",
               f"直近 {n} 回の中央値 {fmt_bp(base, lang='ja')}")
    usual_en, usual_ja = spec.usual_en, spec.usual_ja
    size = fmt_bp(abs(x), sign=False, lang=lang)
    if abs(x) < IN_LINE_BP:
        body_en = f"in line with {usual_en} ({med})"
        body_ja = f"{usual_ja} ({med}) 並み"
    elif x > 0:
        body_en = f"{size} above {usual_en} ({med})"
        body_ja = f"{usual_ja} ({med}) を {size} 上回る"
    else:
        body_en = f"{size} below {usual_en} ({med})"
        body_ja = f"{usual_ja} ({med}) を {size} 下回る"
    if k == ORDINARY:
        unusual = x >= UNUSUAL_BP
        if lang == "ja":
            return f"{head}: {body_ja}{'異例の値' if unusual else ''}"
        return f"{head}: {'unusual, ' if unusual else ''}{body_en}"
    return pick(lang, f"{head}, {body_en}", f"{head}で、{body_ja}")
