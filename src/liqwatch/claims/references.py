"""The Fed's administered rates as commentary names them, read the way the indicators read them.

A *reference rate* is a rate a sentence compares with ("22 bp above the Standing Repo
Facility rate", 「ON RRP金利を5bp上回る」). Some have their own series only part of the time;
the indicators fill the rest from the target range, and so does the checker, with the same
code (:mod:`liqwatch.indicators.defs_funding`):

* ``ref:srf_min_bid`` — the Standing Repo Facility minimum bid rate: ``SRF_MIN_BID`` where
  stored, else the top of the target range (``DFEDTARU``), which it has equalled since the
  facility opened on 2021-07-28 (no such rate before);
* ``ref:on_rrp_rate`` — the ON RRP offering (award) rate: ``RRPONTSYAWARD``, else the bottom
  of the target range (+5 bp from 2021-06-17 to 2024-12-18, flat since 2024-12-19);
* ``ref:discount_rate`` — the primary credit (discount window) rate, which no stored series
  holds: the top of the target range since 2020-03-16, +50 bp from 2010-02-19, +25 bp from
  2008-12-16 (not available before).

Each observation used names the series it came from (``Obs.series_id``) and the frame says
how the value was read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from liqwatch.indicators.defs_funding import SRF_START, on_rrp_rate
from liqwatch.indicators.transforms import splice_labelled

__all__ = ["REFERENCES", "Reference", "reference"]

Inputs = Mapping[str, pd.Series]


@dataclass(frozen=True, slots=True)
class Reference:
    """A named rate built from stored series.

    Attributes
    ----------
    id
        ``ref:<name>``.
    inputs
        Series it is read from.
    en, ja
        What it is.
    how_en, how_ja
        How it is read (a note on every check that uses it).
    first_day
        The first day the rate exists (``None``: as far back as its inputs).
    build
        Inputs (values indexed by date) → ``(value, source series id)`` per date.
    """

    id: str
    inputs: tuple[str, ...]
    en: str
    ja: str
    how_en: str
    how_ja: str
    first_day: date | None
    build: Callable[[Inputs], tuple[pd.Series, pd.Series]]


def _srf(s: Inputs) -> tuple[pd.Series, pd.Series]:
    value, used = splice_labelled(s["SRF_MIN_BID"], s["DFEDTARU"], ("SRF_MIN_BID", "DFEDTARU"))
    keep = value.index >= SRF_START
    return value[keep], used[keep]


def _on_rrp(s: Inputs) -> tuple[pd.Series, pd.Series]:
    value = on_rrp_rate(s)
    own = value.index.isin(s["RRPONTSYAWARD"].dropna().index)
    return value, pd.Series(np.where(own, "RRPONTSYAWARD", "DFEDTARL"), index=value.index)


#: Spread of the primary credit rate over the top of the target range, from each day on.
_DISCOUNT_SPREAD = ((date(2008, 12, 16), 0.25), (date(2010, 2, 19), 0.50),
                    (date(2020, 3, 16), 0.0))


def _discount(s: Inputs) -> tuple[pd.Series, pd.Series]:
    top = s["DFEDTARU"].dropna()
    top = top[top.index >= pd.Timestamp(_DISCOUNT_SPREAD[0][0])]
    add = pd.Series(0.0, index=top.index)
    for day, spread in _DISCOUNT_SPREAD:
        add[top.index >= pd.Timestamp(day)] = spread
    return (top + add).astype(float), pd.Series("DFEDTARU", index=top.index)


REFERENCES: dict[str, Reference] = {
    r.id: r
    for r in (
        Reference(
            "ref:srf_min_bid", ("SRF_MIN_BID", "DFEDTARU"),
            "Standing Repo Facility minimum bid rate", "常設レポファシリティ (SRF) の最低応札金利",
            "the SRF minimum bid rate is the top of the target range (DFEDTARU) where "
            "SRF_MIN_BID is not stored, as in the indicators",
            "SRF 最低応札金利は、SRF_MIN_BID がない日は誘導目標レンジ上限 (DFEDTARU)"
            "（指標と同じ読み方）",
            SRF_START.date(), _srf,
        ),
        Reference(
            "ref:on_rrp_rate", ("RRPONTSYAWARD", "DFEDTARL"),
            "ON RRP offering rate", "ON RRP 金利 (翌日物リバースレポの提示金利)",
            "the ON RRP rate is RRPONTSYAWARD, else the bottom of the target range (+5 bp "
            "from 2021-06-17 to 2024-12-18), as in the indicators",
            "ON RRP 金利は RRPONTSYAWARD、ない日は誘導目標レンジ下限 (2021-06-17〜2024-12-18 "
            "は +5bp)（指標と同じ読み方）",
            None, _on_rrp,
        ),
        Reference(
            "ref:discount_rate", ("DFEDTARU",),
            "primary credit (discount) rate", "公定歩合 (プライマリー・クレジット金利)",
            "the discount rate is the top of the target range since 2020-03-16 (+50 bp from "
            "2010-02-19, +25 bp from 2008-12-16)",
            "公定歩合は 2020-03-16 以降は誘導目標レンジ上限 (2010-02-19 から +50bp、"
            "2008-12-16 から +25bp)",
            date(2008, 12, 16), _discount,
        ),
    )
}


def reference(ref_id: str) -> Reference | None:
    """The reference rate ``ref_id`` (``ref:srf_min_bid`` ...), or ``None``."""
    return REFERENCES.get(ref_id)
