"""What the data says for each kind of claim, under one reading.

Every function returns an :class:`Outcome` (the value in the claim's unit and the observations
used) or raises :class:`~liqwatch.claims.data.NotCheckable`. The verdict logic lives in
:mod:`liqwatch.claims.check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.claims.data import DataContext, NotCheckable, Obs, Resolved
from liqwatch.claims.references import REFERENCES
from liqwatch.claims.units import UnitError, convert, family

__all__ = [
    "Outcome",
    "change",
    "correlation",
    "indicator_spread",
    "level",
    "ratio",
    "spread",
    "stat",
    "streak",
]


@dataclass(frozen=True)
class Outcome:
    """The data's value for a claim under one reading.

    Attributes
    ----------
    value
        In the claim's unit.
    obs
        Observations used (for long windows: the first, last and extreme ones).
    notes
        Short notes (en, ja) on how the data was read.
    extra
        Kind-specific facts (``at`` of a max/min, ``run`` of a streak, ``n`` of a correlation).
    """

    value: float
    obs: tuple[Obs, ...]
    notes: tuple[tuple[str, str], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def _to(value: float, source: str, target: str, series_id: str) -> float:
    try:
        return convert(value, source, target)
    except UnitError:
        raise NotCheckable(
            f"{series_id} is in {source}, which cannot be expressed in {target}",
            f"{series_id} の単位 {source} は {target} に換算できません",
        ) from None


def level(
    ctx: DataContext,
    series_id: str,
    day: date,
    unit: str,
    window: tuple[date, date] | None = None,
    claimed: float | None = None,
) -> Outcome:
    """The series on ``day`` (or, with ``window``, on the day of the window closest to
    ``claimed``)."""
    if window is not None and claimed is not None:
        frame = ctx.window(series_id, window[0], window[1], whole=False)
        vals = frame["value"].to_numpy(float) * _to(1.0, ctx.unit(series_id), unit, series_id)
        best = int(np.argmin(np.abs(vals - claimed)))
        ts = frame.index[best]
        ob = ctx.obs(series_id, ts)
        lo, hi = float(vals.min()), float(vals.max())
        fuzzy = (
            f"fuzzy date {window[0]}..{window[1]}: range {lo:,.4g} to {hi:,.4g}, "
            f"closest day {ts.date()} used",
            f"期間 {window[0]}〜{window[1]} の範囲は {lo:,.4g}〜{hi:,.4g}、"
            f"最も近い {ts.date()} を使用",
        )
        return Outcome(float(vals[best]), (ob,), (fuzzy,), {"range": (lo, hi)})
    ob, note = ctx.point(series_id, day)
    notes = (note,) if note else ()
    return Outcome(_to(ob.value, ob.unit, unit, series_id), (ob,), notes)


def resolved_level(
    ctx: DataContext,
    res: Resolved,
    day: date,
    unit: str,
    window: tuple[date, date] | None = None,
    claimed: float | None = None,
) -> Outcome:
    """:func:`level` on the series a resolved name reads on ``day`` (splices honoured)."""
    out = level(ctx, ctx.series_on(res, day), day, unit, window, claimed)
    return Outcome(out.value, out.obs, out.notes + _splice_notes(ctx, (res,), day), out.extra)


def _splice_notes(
    ctx: DataContext,
    names: tuple[Resolved, ...],
    day: date,
) -> tuple[tuple[str, str], ...]:
    out = []
    for r in names:
        sid = ctx.series_on(r, day)
        if sid != r.series:
            out.append(
                (
                    f"{sid} used for {r.series} before {r.splice[1] if r.splice else ''}",
                    f"{r.splice[1] if r.splice else ''} より前は {r.series} の代わりに "
                    f"{sid} を使用",
                )
            )
    return tuple(out)


def change(
    ctx: DataContext, series: Resolved | str, start: date, end: date, unit: str, mode: str
) -> Outcome:
    """Change from ``start`` to ``end``: ``absolute`` in ``unit`` or ``percent``."""
    if isinstance(series, str):
        a, _ = ctx.point(series, start)
        b, _ = ctx.point(series, end)
    else:
        a, _ = ctx.point(ctx.series_on(series, start), start)
        b, _ = ctx.point(ctx.series_on(series, end), end)
    series_id = b.series_id
    if mode == "percent":
        if a.value == 0:
            raise NotCheckable(
                f"{series_id} is zero on {a.date}: no percent change",
                f"{a.date} の {series_id} がゼロで変化率を計算できません",
            )
        pct = (b.value / a.value - 1.0) * 100.0
        return Outcome(_to(pct, "percent", unit, series_id), (a, b))
    diff = _to(b.value - _to(a.value, a.unit, b.unit, series_id), b.unit, unit, series_id)
    return Outcome(diff, (a, b), _splice_notes(ctx, (series,), start)
                   if not isinstance(series, str) else ())


def _values(ctx: DataContext, res: Resolved | str, start: date, end: date) -> pd.DataFrame:
    """Observations from start to end with a ``series_id`` column (splices honoured)."""
    pieces = [(res, start, end)] if isinstance(res, str) else ctx.spliced(res, start, end)
    parts = []
    for sid, a, b in pieces:
        frame = ctx.window(sid, a, b).copy()
        frame["series_id"] = sid
        frame["value"] = frame["value"] * _to(1.0, ctx.unit(sid), ctx.unit(pieces[-1][0]), sid)
        parts.append(frame)
    return pd.concat(parts).sort_index()


def stat(
    ctx: DataContext, res: Resolved | str, start: date | None, end: date, unit: str, how: str
) -> Outcome:
    """Mean, max or min over a period (max/min with their date); ``start=None``: from the
    first observation."""
    if start is None:
        first_sid = res if isinstance(res, str) else (res.splice[0] if res.splice else
                                                      res.series)
        start = ctx.span(first_sid)[0]
    frame = _values(ctx, res, start, end)
    base = ctx.unit(str(frame["series_id"].iloc[-1]))
    vals = frame["value"]
    first = ctx.obs(str(frame["series_id"].iloc[0]), frame.index[0])
    last = ctx.obs(str(frame["series_id"].iloc[-1]), frame.index[-1])
    n = len(vals)
    if how == "mean":
        value = float(vals.mean())
        return Outcome(
            _to(value, base, unit, "series"),
            (first, last),
            (
                (
                    f"mean of {n} observations {frame.index[0].date()}..{frame.index[-1].date()}",
                    f"{frame.index[0].date()}〜{frame.index[-1].date()} の {n} 個の観測値の平均",
                ),
            ),
            {"n": n},
        )
    arr = vals.to_numpy(float)
    k = int(np.argmax(arr) if how == "max" else np.argmin(arr))
    ts, sid = frame.index[k], str(frame["series_id"].iloc[k])
    return Outcome(
        _to(float(arr[k]), base, unit, sid), (ctx.obs(sid, ts),), (), {"at": ts.date(), "n": n}
    )


def _aligned(
    ctx: DataContext, a: Resolved | str, b: Resolved | str, start: date, end: date
) -> tuple[pd.Series, pd.Series, str]:
    """Both series on the dates of ``a`` (``b`` carried forward), ``b`` in ``a``'s unit."""
    fa = _values(ctx, a, start, end)
    try:  # a few days before, to carry b's last value into the window
        fb = _values(ctx, b, start - timedelta(days=10), end)
    except NotCheckable:
        fb = _values(ctx, b, start, end)
    ua = ctx.unit(str(fa["series_id"].iloc[-1]))
    ub = ctx.unit(str(fb["series_id"].iloc[-1]))
    try:
        fb_vals = fb["value"].map(lambda v: convert(float(v), ub, ua))
    except UnitError:
        raise NotCheckable(
            f"{ub} and {ua} are not comparable", f"{ub} と {ua} は比較できません"
        ) from None
    sb = fb_vals.reindex(fa.index.union(fb.index)).sort_index().ffill().reindex(fa.index)
    return fa["value"], sb, ua


def spread(
    ctx: DataContext,
    a: Resolved,
    b: Resolved,
    unit: str,
    day: date | None,
    start: date | None,
    end: date | None,
) -> Outcome:
    """``a`` − ``b`` on a day, or averaged over a period."""
    if day is not None:
        oa, na = ctx.point(ctx.series_on(a, day), day)
        ob, nb = ctx.point(ctx.series_on(b, day), day)
        try:
            vb = convert(ob.value, ob.unit, oa.unit)
        except UnitError:
            raise NotCheckable(
                f"{ob.unit} and {oa.unit} are not comparable",
                f"{ob.unit} と {oa.unit} は比較できません",
            ) from None
        notes = tuple(n for n in (na, nb) if n) + _splice_notes(ctx, (a, b), day)
        return Outcome(_to(oa.value - vb, oa.unit, unit, oa.series_id), (oa, ob), notes)
    assert start is not None and end is not None
    sa, sb, ua = _aligned(ctx, a, b, start, end)
    diff = (sa - sb).dropna()
    if diff.empty:
        raise NotCheckable("no common dates", "共通の日付がありません")
    first = ctx.obs(ctx.series_on(a, diff.index[0].date()), diff.index[0])
    return Outcome(
        _to(float(diff.mean()), ua, unit, a.series),
        (first,),
        ((f"average of {len(diff)} daily spreads", f"{len(diff)} 日分のスプレッドの平均"),),
        {"n": len(diff)},
    )


def indicator_spread(
    ctx: DataContext,
    ind_id: str,
    sign: float,
    names: tuple[Resolved, Resolved],
    unit: str,
    day: date | None,
    start: date | None,
    end: date | None,
) -> Outcome:
    """A spread the indicator engine computes (``sign`` −1 when the claim subtracts the other
    way), on a day or averaged over a period. A reference rate is not read before it existed
    (the SRF minimum bid rate before 2021-07-28)."""
    sid = f"indicator:{ind_id}"
    first = min(d for d in (day, start) if d is not None)
    for r in names:
        ref = REFERENCES.get(r.series)
        if ref is not None and ref.first_day is not None and first < ref.first_day:
            raise NotCheckable(
                f"there is no {ref.en} before {ref.first_day}",
                f"{ref.first_day} より前には{ref.ja}がありません",
            )
    if day is not None:
        ob, note = ctx.point(sid, day)
        notes = (note,) if note else ()
        inputs = []  # the two rates behind the indicator's value, for provenance
        for r in names:
            try:
                inputs.append(ctx.point(ctx.series_on(r, ob.date), ob.date)[0])
            except NotCheckable:
                continue
        return Outcome(sign * _to(ob.value, ob.unit, unit, sid), (ob, *inputs), notes)
    assert start is not None and end is not None
    frame = ctx.window(sid, start, end)
    vals = frame["value"].to_numpy(float) * sign
    n = len(vals)
    return Outcome(
        _to(float(vals.mean()), ctx.unit(sid), unit, sid),
        (ctx.obs(sid, frame.index[0]), ctx.obs(sid, frame.index[-1])),
        ((f"average of {n} daily values", f"{n} 日分の平均"),),
        {"n": n},
    )


def streak(
    ctx: DataContext,
    a: Resolved,
    day: date,
    direction: str,
    threshold: float | None,
    threshold_unit: str | None,
    b: Resolved | None,
    inclusive: bool = False,
    calendar_days: bool = False,
) -> Outcome:
    """Length of the run of days ``a`` stayed above/below a level or ``b``, ending on or
    before ``day``."""
    start = date(day.year - 3, day.month, 1)
    sid = ctx.series_on(a, day)
    start = max(start, ctx.span(sid)[0])
    if b is not None:
        start = max(start, ctx.span(ctx.series_on(b, day))[0])
    if b is not None:
        va, vb, _ = _aligned(ctx, sid, b, start, day)
    else:
        va = _values(ctx, sid, start, day)["value"]
        assert threshold is not None
        thr = (
            threshold
            if threshold_unit is None
            else _to(threshold, threshold_unit, ctx.unit(sid), sid)
        )
        vb = pd.Series(thr, index=va.index)
    cond = (
        (va >= vb if inclusive else va > vb)
        if direction == "above"
        else (va <= vb if inclusive else va < vb)
    )
    cond = cond[va.notna() & vb.notna()]
    if cond.empty:
        raise NotCheckable(f"{sid} has no data up to {day}", f"{day} までの {sid} がありません")
    true_idx = np.flatnonzero(cond.to_numpy())
    if len(true_idx) == 0:
        return Outcome(
            0.0,
            (ctx.obs(sid, cond.index[-1]),),
            (
                (
                    f"{sid} was never {direction} the level in the three years to {day}",
                    f"{day} までの 3 年間、{sid} が一度も条件を満たしていません",
                ),
            ),
            {"run": None},
        )
    end_i = int(true_idx[-1])
    start_i = end_i
    arr = cond.to_numpy()
    while start_i > 0 and arr[start_i - 1]:
        start_i -= 1
    t0, t1 = cond.index[start_i], cond.index[end_i]
    n = (t1 - t0).days + 1 if calendar_days else end_i - start_i + 1
    obs = (ctx.obs(sid, t0), ctx.obs(sid, t1))
    return Outcome(
        float(n),
        obs,
        ((f"run from {t0.date()} to {t1.date()}", f"{t0.date()}〜{t1.date()} の連続期間"),),
        {"run": (t0.date(), t1.date())},
    )


def ratio(
    ctx: DataContext, a: Resolved, b: Resolved, day: date, unit: str, known_at_date: bool = True
) -> Outcome:
    """``a`` on ``day`` divided by ``b`` as known on ``day`` (its latest observation published
    by then), or, with ``known_at_date=False``, ``b`` for the period containing ``day``."""
    oa, note = ctx.point(ctx.series_on(a, day), day)
    sid_b = ctx.series_on(b, day)
    frame_b = ctx.frame(sid_b)
    if known_at_date:
        known = day if ctx.as_of is None else min(day, ctx.as_of)
        pub = ctx.store.read([sid_b], end=day, as_of=known)
        if pub.empty:
            raise NotCheckable(
                f"no {sid_b} observation had been published by {day}",
                f"{day} までに公表された {sid_b} がありません",
            )
        ts = pd.Timestamp(pub["date"].iloc[-1])
        if ts not in frame_b.index:
            raise NotCheckable(
                f"{sid_b} {ts.date()} is no longer stored", f"{sid_b} {ts.date()} がありません"
            )
        ob = ctx.obs(sid_b, ts)
        notes = [
            (
                f"{sid_b} for {ts.date()}, the latest published by {day}",
                f"{day} 時点で公表済みの最新 {sid_b} ({ts.date()})",
            )
        ]
    else:
        ob, _nb = ctx.point(sid_b, day)
        notes = [(f"{sid_b} for the period containing {day}", f"{day} を含む期間の {sid_b}")]
    try:
        va = convert(oa.value, oa.unit, ob.unit)
    except UnitError:
        va = oa.value
    if ob.value == 0:
        raise NotCheckable(f"{sid_b} is zero", f"{sid_b} がゼロです")
    r = va / ob.value
    value = r * 100.0 if unit in ("percent",) else (r * 10_000.0 if unit == "bp" else r)
    if note:
        notes.insert(0, note)
    return Outcome(value, (oa, ob), tuple(notes))


def correlation(
    ctx: DataContext, a: Resolved, b: Resolved, start: date, end: date, basis: str
) -> Outcome:
    """Correlation over a window on common dates: ``returns`` (daily log returns),
    ``changes`` (first differences) or ``levels``."""
    fa = _values(ctx, a, start, end)["value"]
    fb = _values(ctx, b, start, end)["value"]
    both = pd.concat([fa.rename("a"), fb.rename("b")], axis=1, join="inner").dropna()
    if basis == "returns":
        if (both <= 0).any().any():
            raise NotCheckable(
                "log returns need positive values", "対数リターンには正の値が必要です"
            )
        data = pd.DataFrame(np.log(both), index=both.index, columns=both.columns).diff().dropna()
    elif basis == "changes":
        data = both.diff().dropna()
    else:
        data = both
    if len(data) < 10:
        raise NotCheckable(
            f"only {len(data)} common observations from {start} to {end}",
            f"{start}〜{end} の共通観測値が {len(data)} 個しかありません",
        )
    r = float(data["a"].corr(data["b"]))
    sa, sb = a.series, b.series
    obs = (
        ctx.obs(ctx.series_on(a, both.index[0].date()), both.index[0]),
        ctx.obs(ctx.series_on(b, both.index[-1].date()), both.index[-1]),
    )
    label = {"returns": "daily log returns", "changes": "daily changes", "levels": "levels"}[basis]
    label_ja = {"returns": "日次対数リターン", "changes": "日次変化幅", "levels": "水準"}[basis]
    return Outcome(
        r,
        obs,
        (
            (
                f"{label} of {sa} and {sb}, {len(data)} common days",
                f"{sa} と {sb} の{label_ja}、共通 {len(data)} 日",
            ),
        ),
        {"n": len(data)},
    )


def unit_family(unit: str) -> str:
    """Family of a unit (re-exported for the checker)."""
    return family(unit)
