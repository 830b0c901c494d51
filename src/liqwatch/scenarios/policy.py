"""The announced balance-sheet policy history, as data, known point in time.

Each row of ``data/policy_history.csv`` is one announced setting: a runoff cap
(``treasury_cap``, ``mbs_cap``) or a purchase pace (``treasury_purchases``, ``mbs_purchases``,
``bill_purchases``) in USD bn a month over ``[start, end]`` (empty ``end`` = until further
notice), with the date it was ``announced`` and its ``source``. A month's setting is the row
announced most recently *by the as-of date* among those covering it, so a projection from a
past date knows only what had been announced then. Months no row covers have caps of zero
(principal reinvested) and no purchases.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from liqwatch.files import package_path

__all__ = ["KINDS", "PolicyRow", "monthly_policy", "policy_history"]

KINDS = ("treasury_cap", "mbs_cap", "treasury_purchases", "mbs_purchases", "bill_purchases")


@dataclass(frozen=True)
class PolicyRow:
    """One announced setting of the policy history."""

    kind: str
    start: date
    end: date | None
    value_bn_month: float
    excess_to: str | None
    announced: date
    source: str
    note: str


@lru_cache(maxsize=1)
def _rows() -> tuple[PolicyRow, ...]:
    text = package_path("scenarios/data/policy_history.csv").read_text(
        encoding="utf-8"
    )
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        rows.append(
            PolicyRow(
                kind=r["kind"],
                start=date.fromisoformat(r["start"]),
                end=date.fromisoformat(r["end"]) if r["end"] else None,
                value_bn_month=float(r["value_bn_month"]),
                excess_to=r["excess_to"] or None,
                announced=date.fromisoformat(r["announced"]),
                source=r["source"],
                note=r["note"],
            )
        )
    return tuple(rows)


def policy_history(known_by: date | None = None) -> pd.DataFrame:
    """The policy rows announced by ``known_by`` (all rows when ``None``).

    Returns
    -------
    pandas.DataFrame
        Columns ``kind, start, end, value_bn_month, excess_to, announced, source, note``.
    """
    rows = [r for r in _rows() if known_by is None or r.announced <= known_by]
    return pd.DataFrame([r.__dict__ for r in rows])


def monthly_policy(months: pd.DatetimeIndex, known_by: date | None) -> pd.DataFrame:
    """Setting of each kind in each month, as announced by ``known_by``.

    Parameters
    ----------
    months
        First days of the months wanted.
    known_by
        Only announcements made on or before this day count (``None``: all).

    Returns
    -------
    pandas.DataFrame
        Indexed by month: one column per kind in :data:`KINDS` (USD bn a month),
        ``mbs_excess_to`` (``"mbs"`` or ``"treasury"``) and ``sources`` (the rows used).
    """
    out = pd.DataFrame(0.0, index=months, columns=list(KINDS))
    out["mbs_excess_to"] = "mbs"
    out["sources"] = ""
    announced = pd.DataFrame(pd.NaT, index=months, columns=list(KINDS), dtype="datetime64[ns]")
    month_end = months + pd.offsets.MonthEnd(0)
    for row in _rows():
        if known_by is not None and row.announced > known_by:
            continue
        end = pd.Timestamp(row.end) if row.end else pd.Timestamp.max
        # A row covers a month when it is in force for at least part of it.
        covers = (month_end >= pd.Timestamp(row.start)) & (months <= end)
        prev = announced[row.kind].to_numpy()
        newer = covers & ~(prev > np.datetime64(row.announced))
        if not newer.any():
            continue
        out.loc[newer, row.kind] = row.value_bn_month
        announced.loc[newer, row.kind] = pd.Timestamp(row.announced)
        if row.kind == "mbs_cap" and row.excess_to:
            out.loc[newer, "mbs_excess_to"] = row.excess_to
    src = []
    for i in range(len(months)):
        used = {str(announced.iloc[i][k].date()) for k in KINDS if pd.notna(announced.iloc[i][k])}
        src.append(", ".join(sorted(used)))
    out["sources"] = src
    return out
