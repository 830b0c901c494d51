"""The announced FOMC balance-sheet policy, month by month, known point in time.

Each row of ``data/policy_history.csv`` is one announced setting: a runoff cap
(``treasury_cap``, ``mbs_cap``) or a purchase pace (``treasury_purchases``, ``mbs_purchases``,
``bill_purchases``) in USD bn a month over ``[start, end]`` (empty ``end`` = until further
notice), with the date it was ``announced`` and its ``source``. A month's setting is the row
announced most recently *by the as-of date* among those covering it, so a projection from a
past date knows only what had been announced then. Months no row covers have caps of zero
(principal reinvested) and no purchases.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from liqwatch.scenarios.announcements import (
    POLICY_KINDS,
    Announcements,
    PolicyRow,
    packaged_announcements,
)

__all__ = ["KINDS", "PolicyRow", "monthly_policy", "policy_history"]

KINDS = POLICY_KINDS


def policy_history(known_by: date | None = None,
                   announcements: Announcements | None = None) -> pd.DataFrame:
    """The policy rows announced by ``known_by`` (all rows when ``None``).

    Returns
    -------
    pandas.DataFrame
        Columns ``kind, start, end, value_bn_month, excess_to, announced, source, note,
        shortfall``.
    """
    ann = (announcements or packaged_announcements()).known_by(known_by)
    return pd.DataFrame([r.__dict__ for r in ann.policy])


def monthly_policy(months: pd.DatetimeIndex, known_by: date | None,
                   announcements: Announcements | None = None) -> pd.DataFrame:
    """Setting of each kind in each month, as announced by ``known_by``.

    Parameters
    ----------
    months
        First days of the months wanted.
    known_by
        Only announcements made on or before this day count (``None``: all).
    announcements
        The announcements to use (default: the packaged ones).

    Returns
    -------
    pandas.DataFrame
        Indexed by month: one column per kind in :data:`KINDS` (USD bn a month),
        ``mbs_excess_to`` (``"mbs"`` or ``"treasury"``), ``bills_fill_shortfall`` (bills are
        redeemed when coupon maturities fall short of the Treasury cap) and ``sources``
        (announcement dates of the rows used).
    """
    ann = (announcements or packaged_announcements()).known_by(known_by)
    starts = months.to_numpy(dtype="datetime64[D]")
    ends = (months + pd.offsets.MonthEnd(0)).to_numpy(dtype="datetime64[D]")
    n = len(months)
    values = {k: np.zeros(n) for k in KINDS}
    announced = {k: np.full(n, np.datetime64("NaT", "D")) for k in KINDS}
    excess_to = np.full(n, "mbs", dtype=object)
    bills = np.zeros(n, dtype=bool)
    for row in ann.policy:
        end = np.datetime64(row.end, "D") if row.end else np.datetime64("9999-12-31", "D")
        # A row covers a month when it is in force for at least part of it.
        covers = (ends >= np.datetime64(row.start, "D")) & (starts <= end)
        prev = announced[row.kind]
        newer = covers & ~(prev > np.datetime64(row.announced, "D"))
        if not newer.any():
            continue
        values[row.kind][newer] = row.value_bn_month
        prev[newer] = np.datetime64(row.announced, "D")
        if row.kind == "mbs_cap" and row.excess_to:
            excess_to[newer] = row.excess_to
        if row.kind == "treasury_cap":
            bills[newer] = row.shortfall == "bills"
    out = pd.DataFrame({k: values[k] for k in KINDS}, index=months)
    out["mbs_excess_to"] = excess_to
    out["bills_fill_shortfall"] = bills
    out["sources"] = [
        ", ".join(sorted({str(announced[k][i]) for k in KINDS
                          if not np.isnat(announced[k][i])}))
        for i in range(n)
    ]
    return out


def rows_in_force(day: date, known_by: date | None,
                  announcements: Announcements | None = None) -> dict[str, PolicyRow]:
    """Kind -> the row in force on ``day`` as announced by ``known_by`` (kinds with none left
    out); used to name the announcement behind each setting."""
    ann = (announcements or packaged_announcements()).known_by(known_by)
    out: dict[str, PolicyRow] = {}
    for row in sorted(ann.policy, key=lambda r: r.announced):
        if row.start <= day and (row.end is None or day <= row.end):
            out[row.kind] = row
    return out
