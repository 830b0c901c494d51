"""Plumbing squeezes found in the data, beyond the package's episode list.

A squeeze day is a SOFR print more than :data:`SQUEEZE_BP` above IORB — more than the whole
width of the target range above the rate on reserves. Squeeze days closer than
:data:`GAP_DAYS` business days apart form one squeeze; its peak is the print furthest above
IORB and its window runs from the first squeeze print to :data:`GAP_DAYS` business days after
the last (the aftermath). Squeeze days inside a listed episode belong to it.

The backtest scores the squeezes found this way like the listed plumbing episodes, so that an
early warning of a squeeze the list does not name counts as a warning, not as a false alarm —
and a miss counts as a miss.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from liqwatch.calendar import holiday_array
from liqwatch.stress.episodes import EPISODES, Episode, inside_episodes

__all__ = ["GAP_DAYS", "SQUEEZE_BP", "find_squeezes"]

#: A squeeze print: SOFR at least this many bp above IORB (the target range is 25 bp wide).
SQUEEZE_BP = 25.0
#: Squeeze days at most this many business days apart belong to one squeeze.
GAP_DAYS = 10


def find_squeezes(prints: pd.Series, episodes: tuple[Episode, ...] = EPISODES
                  ) -> tuple[Episode, ...]:
    """Squeezes in ``prints`` (SOFR − IORB in bp by observation date) outside ``episodes``.

    Returns
    -------
    tuple of Episode
        ``type="plumbing"``, ``found=True``; ``start`` is the first squeeze print, ``peak``
        the largest, ``end`` :data:`GAP_DAYS` business days after the last.
    """
    s = prints.dropna()
    days = s[s > SQUEEZE_BP]
    days = days[~inside_episodes(pd.DatetimeIndex(days.index), episodes)]
    if days.empty:
        return ()
    idx = pd.DatetimeIndex(days.index)
    d = idx.to_numpy().astype("datetime64[D]")
    gaps: np.ndarray | list[int] = (
        np.busday_count(d[:-1], d[1:], holidays=holiday_array()) if len(d) > 1 else [])
    group = np.r_[0, np.cumsum(np.asarray(gaps) > GAP_DAYS)]
    out = []
    for g in np.unique(group):
        part = days[group == g]
        peak = pd.Timestamp(part.idxmax())
        top = float(part.max())
        last = np.datetime64(pd.Timestamp(part.index[-1]).date(), "D")
        end = pd.Timestamp(np.busday_offset(last, GAP_DAYS, holidays=holiday_array())).date()
        out.append(Episode(
            name=f"{peak.strftime('%b %Y')} (found)",
            title=f"Repo squeeze: SOFR {top:.0f} bp above IORB",
            title_ja=f"レポ逼迫: SOFR が IORB を {top:.0f}bp 上回る",
            type="plumbing", start=pd.Timestamp(part.index[0]).date(), peak=peak.date(),
            end=end,
            note=f"Found in the data: SOFR more than {SQUEEZE_BP:.0f} bp above IORB on "
                 f"{len(part)} day(s).",
            found=True,
        ))
    return tuple(out)
