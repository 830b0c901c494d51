"""Lending programmes with announced ends, and the rest of the Fed's other assets.

"Other assets" are total assets less securities held outright and repo: lending (discount
window, programmes such as the BTFP), swap lines, unamortized premiums and the rest. Two
named drivers come out of them:

* **Programme lending** (:func:`program_runoff`): a programme in the announcements with an
  end of new lending runs off as its loans mature: the balance at the start is held until
  new lending ends, then falls linearly to zero at the last possible maturity (the end of
  new lending plus the longest loan term). The balance is the programme's own H.4.1 line
  when the store has it; otherwise it is estimated as other assets above the level they
  were trending to before the programme opened (the estimate is said so).
* **The rest** is held at its start level by default: it moves with one-off facility
  wind-downs (2020-22) and slow premium amortization, which a trend would extrapolate
  wrongly (tested on the validation windows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from liqwatch.scenarios.announcements import Announcements, LendingProgram
from liqwatch.store import Store

__all__ = ["ProgramRunoff", "other_assets", "program_runoff"]

_TREND_WEEKS = 52


@dataclass(frozen=True)
class ProgramRunoff:
    """A programme's balance at the start and its run-off path (USD bn)."""

    program: LendingProgram
    balance_bn: float
    estimated: bool
    path: np.ndarray

    @property
    def ends(self) -> date:
        """The day the balance reaches zero."""
        return self.program.last_maturity


def other_assets(bs: pd.DataFrame) -> pd.Series:
    """Total assets less Treasuries, MBS and repo (USD bn); NaN before ``WSHOMCB`` exists."""
    bn = bs[["total_assets", "treasuries", "mbs", "repo"]] / 1e3
    return bn["total_assets"] - bn["treasuries"] - bn["mbs"] - bn["repo"].fillna(0.0)


def _slope(s: pd.Series) -> float:
    s = s.dropna()
    if len(s) < 8:
        return 0.0
    x = (s.index - s.index[0]).days.to_numpy(float) / 7.0
    return float(np.polyfit(x, s.to_numpy(float), 1)[0])


def _pre_program(oa: pd.Series, opened: date) -> pd.Series:
    before = oa.loc[oa.index < pd.Timestamp(opened)].dropna()
    return before.iloc[-_TREND_WEEKS:]


def program_runoff(
    store: Store,
    bs: pd.DataFrame,
    ann: Announcements,
    dates: pd.DatetimeIndex,
    as_of: date | None,
    balance_bn: float | None = None,
) -> list[ProgramRunoff]:
    """Programmes with loans outstanding at the start (``dates[0]``) and their run-off.

    ``balance_bn`` (a user's figure) replaces the balance of the single active programme.
    """
    start = pd.Timestamp(dates[0]).date()
    out = []
    oa = other_assets(bs)
    for p in ann.programs():
        if not p.opened <= start < p.last_maturity:
            continue
        estimated = False
        if balance_bn is not None:
            b0 = float(balance_bn)
        else:
            own = store.read([p.series_id], end=start, as_of=as_of)
            if not own.empty:
                b0 = float(own["value"].iloc[-1]) / 1e3
            else:
                pre = _pre_program(oa, p.opened)
                if pre.empty or pd.isna(oa.iloc[-1]):
                    continue
                weeks = (pd.Timestamp(start) - pre.index[-1]).days / 7.0
                trend_level = float(pre.iloc[-1]) + _slope(pre) * weeks
                b0 = max(float(oa.iloc[-1]) - trend_level, 0.0)
                estimated = True
        days = np.asarray((dates - pd.Timestamp(start)).days, float)
        hold_until = float((pd.Timestamp(max(p.new_loans_until, start))
                            - pd.Timestamp(start)).days)
        zero_at = float((pd.Timestamp(p.last_maturity) - pd.Timestamp(start)).days)
        frac = np.clip((zero_at - days) / max(zero_at - hold_until, 1.0), 0.0, 1.0)
        out.append(ProgramRunoff(program=p, balance_bn=b0, estimated=estimated,
                                 path=np.asarray(b0 * frac, float)))
    return out
