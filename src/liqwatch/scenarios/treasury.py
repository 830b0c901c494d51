"""The Treasury's cash path: its own end-of-quarter assumptions, tax dates and debt limits.

The TGA path of a projection runs through the end-of-quarter cash balances the Treasury
assumed in its latest quarterly-refunding borrowing estimates known on the start date
(:class:`~liqwatch.scenarios.announcements.CashAssumption`), linearly between them. On top
comes the seasonal pattern of weekly TGA changes (tax receipts in mid-April, mid-June,
mid-September and mid-December, spending at the turn of the month), bridged so the path still
meets each assumption. After the last assumption the balance is held.

A debt-limit period holds the TGA down: from the day the limit binds until the announced
resolution the balance cannot rise above its level when the limit took hold (the Treasury
cannot borrow to rebuild it); after the resolution it rebuilds toward the next assumption.
When no resolution had been announced by the start date, the TGA is held for the rest of the
horizon unless a resolution date is assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from liqwatch.scenarios.announcements import Announcements, CashAssumption, DebtLimitEvent

__all__ = ["CashPath", "DebtLimitHold", "cash_path"]


@dataclass(frozen=True)
class DebtLimitHold:
    """A debt-limit period inside the horizon and how the path treats it."""

    period: DebtLimitEvent
    held_from: date
    held_until: date | None
    level_bn: float
    resolution_assumed: bool


@dataclass(frozen=True)
class CashPath:
    """The TGA path (USD bn, one value per week from the start) and what it rests on.

    Attributes
    ----------
    values
        TGA week averages, week 0 = the start.
    anchors
        The Treasury assumptions the path runs through, in date order.
    hold
        The debt-limit period holding the TGA down, if any.
    seasonal
        Whether the seasonal pattern (tax dates) is included.
    after_last
        The last assumption's quarter end; the balance is held after it (``None``: no
        assumption known for the horizon).
    user
        The path is a user's target instead of the Treasury's assumptions.
    """

    values: np.ndarray
    anchors: tuple[CashAssumption, ...] = ()
    hold: DebtLimitHold | None = None
    seasonal: bool = False
    after_last: date | None = None
    user: bool = False


def _days(dates: pd.DatetimeIndex, start: date) -> np.ndarray:
    return np.asarray((dates - pd.Timestamp(start)).days, dtype=float)


def _hold_for(ann: Announcements, start: date, end: date,
              resolution: date | None) -> tuple[DebtLimitEvent, date, date | None, bool] | None:
    for p in ann.debt_limit_periods():
        resolved = p.resolved_on
        assumed = False
        if resolved is None and resolution is not None and resolution > p.binding_from:
            resolved, assumed = resolution, True
        if p.binding_from > end or (resolved is not None and resolved <= start):
            continue
        return p, max(p.binding_from, start), resolved, assumed
    return None


def cash_path(
    start: date,
    tga0: float,
    dates: pd.DatetimeIndex,
    ann: Announcements,
    *,
    seasonal_steps: np.ndarray | None = None,
    target: float | None = None,
    target_by: date | None = None,
    debt_limit_resolved: date | None = None,
) -> CashPath:
    """The TGA path for weeks ``dates`` (``dates[0]`` is the start) from announcements ``ann``.

    Parameters
    ----------
    start, tga0
        The start week and its TGA week average (USD bn).
    dates
        Week dates, the first being ``start``.
    ann
        Announcements already restricted to those known on the start date.
    seasonal_steps
        Seasonal weekly TGA changes for weeks 1..N (``None``: no seasonal pattern).
    target, target_by
        A user's TGA level reached linearly by ``target_by``, held after it; replaces the
        Treasury's assumptions.
    debt_limit_resolved
        Assumed resolution of a debt-limit period not yet resolved on the start date.
    """
    days = _days(dates, start)
    end = pd.Timestamp(dates[-1]).date()
    if target is not None and target_by is not None:
        span = max(float((pd.Timestamp(target_by) - pd.Timestamp(start)).days), 1.0)
        values = tga0 + (target - tga0) * np.clip(days / span, 0.0, 1.0)
        return CashPath(values=np.asarray(values, float), user=True)
    future = [a for a in ann.cash_assumptions().values() if a.quarter_end > start]
    xs = [0.0] + [float((pd.Timestamp(a.quarter_end) - pd.Timestamp(start)).days)
                  for a in future]
    ys = [tga0] + [a.balance_bn for a in future]
    base = np.interp(days, xs, ys)
    held: DebtLimitHold | None = None
    hold = _hold_for(ann, start, end, debt_limit_resolved)
    if hold is not None:
        period, held_from, held_until, assumed = hold
        x0 = float((pd.Timestamp(held_from) - pd.Timestamp(start)).days)
        level = float(np.interp(x0, xs, ys))
        if held_until is None:
            inside = days >= x0
        else:
            xr = float((pd.Timestamp(held_until) - pd.Timestamp(start)).days)
            inside = (days >= x0) & (days < xr)
            # After the resolution the TGA rebuilds from its held level toward the next
            # assumption.
            at_r = min(float(np.interp(xr, xs, ys)), level)
            later = [(x, y) for x, y in zip(xs, ys, strict=True) if x > xr]
            kx = [x for x in xs if x < xr] + [xr] + [x for x, _ in later]
            ky = [y for x, y in zip(xs, ys, strict=True) if x < xr] + [at_r] + [
                y for _, y in later]
            after = days >= xr
            base = np.where(after, np.interp(days, kx, ky), base)
            xs, ys = kx, ky
        base = np.where(inside, np.minimum(base, level), base)
        held = DebtLimitHold(period=period, held_from=held_from, held_until=held_until,
                             level_bn=level, resolution_assumed=assumed)
    used = tuple(future)
    values = base
    if seasonal_steps is not None and len(seasonal_steps):
        cum = np.concatenate([[0.0], np.cumsum(seasonal_steps[: len(days) - 1])])
        knots = np.asarray(xs, float)
        at_knots = np.interp(knots, days, cum, right=cum[-1])
        values = base + cum - np.interp(days, knots, at_knots)
    values = np.maximum(values, 0.0)
    values[0] = tga0
    return CashPath(values=np.asarray(values, float), anchors=used, hold=held,
                    seasonal=seasonal_steps is not None,
                    after_last=used[-1].quarter_end if used else None)
