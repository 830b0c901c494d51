"""Daily reserve nowcast from daily drivers, and its validation against WRESBAL.

Reserves are published weekly (``WRESBAL``, a Thursday-to-Wednesday average), but three of
their drivers are published daily: the TGA (Daily Treasury Statement, ``TGA_DTS``, next
business day), ON RRP take-up (``RRPONTSYD``, same day) and repo / SRF take-up
(``RPONTTLD_NYFED``, same day). For every day ``d`` after the last published week ``W0``::

    reserves(d) = WRESBAL(W0) - (TGA(d) - TGA_avg(W0)) - (RRP(d) - RRP_avg(W0))
                  + (SRF(d) - SRF_avg(W0)) + drift * (d - centre(W0)) / 7

where ``drift`` is the mean weekly change over the last 13 published weeks of
``reserves + TGA + ON RRP - SRF`` (the net of everything else: securities runoff, currency,
other items), ``centre(W0)`` the middle of week ``W0`` (its Sunday), and a driver not yet
published for ``d`` carries its last published value. Averaging the daily estimates over a
week gives the nowcast of the next ``WRESBAL``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.exceptions import StoreError
from liqwatch.frames import row_of
from liqwatch.jsonsafe import jsonable
from liqwatch.scenarios.identity import balance_sheet, week_average
from liqwatch.store import Store
from liqwatch.vocab import fmt_date, fmt_usd_bn, pick

__all__ = ["NowcastResult", "NowcastValidation", "nowcast", "validate_nowcast"]

DAILY = {"TGA_DTS": 1.0, "RRPONTSYD": 1000.0, "RPONTTLD_NYFED": 1000.0}
DRIFT_WEEKS = 13


@dataclass(frozen=True)
class NowcastResult:
    """Daily reserve estimates since the last H.4.1.

    Attributes
    ----------
    daily : pandas.DataFrame
        ``date, reserves_bn, tga_bn, on_rrp_bn, srf_bn, drift_bn, tga_date, on_rrp_date``
        for each business day after the anchor week up to the as-of day.
    anchor_date, anchor_reserves_bn
        The last published week (Wednesday) and its WRESBAL.
    week_estimate_bn
        Nowcast of the week average of the week in progress (the next WRESBAL).
    drift_bn_week
        Weekly drift of the items not observed daily.
    """

    as_of: date
    anchor_date: date
    anchor_reserves_bn: float
    daily: pd.DataFrame
    week_end: date
    week_estimate_bn: float
    drift_bn_week: float
    notes: list[str] = field(default_factory=list)

    @property
    def latest(self) -> tuple[date, float]:
        """(date, reserves_bn) of the last estimated business day."""
        if self.daily.empty:
            return self.anchor_date, self.anchor_reserves_bn
        row = self.daily.iloc[-1]
        return pd.Timestamp(row["date"]).date(), float(row["reserves_bn"])

    @property
    def latest_date(self) -> date:
        """The last estimated business day."""
        return self.latest[0]

    @property
    def latest_bn(self) -> float:
        """Estimated reserves on :attr:`latest_date` (USD bn)."""
        return self.latest[1]

    def headline(self, lang: str = "en") -> str:
        """One sentence: the published anchor week, the latest estimate, the week in progress."""
        d, v = self.latest
        return pick(
            lang,
            f"Reserves estimated at {fmt_usd_bn(v)} on {fmt_date(d)}, from the published "
            f"{fmt_usd_bn(self.anchor_reserves_bn)} of the H.4.1 week to "
            f"{fmt_date(self.anchor_date)} and the daily TGA, ON RRP and SRF since; the week to "
            f"{fmt_date(self.week_end)} (the next H.4.1) is nowcast at "
            f"{fmt_usd_bn(self.week_estimate_bn)}.",
            f"{fmt_date(d, 'ja')}の準備預金の推計は{fmt_usd_bn(v, 'ja')}です "
            f"({fmt_date(self.anchor_date, 'ja')}までのH.4.1の週の公表値"
            f"{fmt_usd_bn(self.anchor_reserves_bn, 'ja')}と、その後の日次の財務省一般口座・"
            f"翌日物リバースレポ・常設レポファシリティから推計)。"
            f"{fmt_date(self.week_end, 'ja')}までの週 (次回のH.4.1) の推計は"
            f"{fmt_usd_bn(self.week_estimate_bn, 'ja')}です。")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        d, v = self.latest
        return {
            "as_of": self.as_of.isoformat(),
            "anchor": {"date": self.anchor_date.isoformat(),
                       "reserves_bn": round(self.anchor_reserves_bn, 3)},
            "latest": {"date": d.isoformat(), "reserves_bn": round(v, 3)},
            "week": {"end": self.week_end.isoformat(),
                     "reserves_bn": round(self.week_estimate_bn, 3)},
            "drift_bn_week": round(self.drift_bn_week, 3),
            "headline": {"en": self.headline("en"), "ja": self.headline("ja")},
            "daily": jsonable(self.daily.to_dict("records"), digits=12),
            "notes": self.notes,
        }

    def summary(self, lang: str = "en") -> str:
        """Plain-text summary."""
        d, v = self.latest
        ja = lang == "ja"
        drift = pick(lang, "drift of items not observed daily", "日次で観測できない項目のドリフト")
        return "\n".join([
            pick(lang, f"Reserve nowcast as of {fmt_date(self.as_of)}: {fmt_usd_bn(v)} on "
                 f"{fmt_date(d)}",
                 f"{fmt_date(self.as_of, 'ja')}時点の準備預金ナウキャスト: {fmt_date(d, 'ja')}に"
                 f"{fmt_usd_bn(v, 'ja')}"),
            pick(lang, f"  last H.4.1 week {fmt_date(self.anchor_date)}: "
                 f"{fmt_usd_bn(self.anchor_reserves_bn)} (published)",
                 f"  直近のH.4.1 ({fmt_date(self.anchor_date, 'ja')}の週): "
                 f"{fmt_usd_bn(self.anchor_reserves_bn, 'ja')} (公表値)"),
            pick(lang, f"  week to {fmt_date(self.week_end)} (next WRESBAL): "
                 f"{fmt_usd_bn(self.week_estimate_bn)}",
                 f"  {fmt_date(self.week_end, 'ja')}までの週 (次回のWRESBAL): "
                 f"{fmt_usd_bn(self.week_estimate_bn, 'ja')}"),
            f"  {drift}: {self.drift_bn_week:+.1f}" + ("bn/週" if ja else "bn/week"),
        ])

    def _repr_html_(self) -> str:
        table: str = self.daily.to_html(index=False, float_format=lambda x: f"{x:,.1f}")
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"<div><h4>Reserve nowcast</h4><p>{html.escape(self.headline())}</p>{table}"
                f"<ul>{notes}</ul></div>")


@dataclass(frozen=True)
class NowcastValidation:
    """Nowcast errors against published WRESBAL, with carrying last week forward as benchmark."""

    weeks: pd.DataFrame
    start: date
    end: date

    def to_dict(self) -> dict[str, Any]:
        """``median_abs_error_bn, p90_abs_error_bn, naive_*, n, start, end``."""
        e = self.weeks["error_bn"].abs()
        n = self.weeks["naive_error_bn"].abs()
        return {
            "median_abs_error_bn": round(float(e.median()), 2),
            "p90_abs_error_bn": round(float(e.quantile(0.9)), 2),
            "naive_median_abs_error_bn": round(float(n.median()), 2),
            "naive_p90_abs_error_bn": round(float(n.quantile(0.9)), 2),
            "n": len(e),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }

    def summary(self) -> str:
        """Plain-text summary."""
        d = self.to_dict()
        return (
            f"Nowcast vs WRESBAL, {d['n']} weeks {d['start']}..{d['end']}: median abs error "
            f"{d['median_abs_error_bn']}bn, p90 {d['p90_abs_error_bn']}bn (carry forward: "
            f"{d['naive_median_abs_error_bn']} / {d['naive_p90_abs_error_bn']})"
        )


@dataclass
class _Inputs:
    bs: pd.DataFrame  # weekly, USD mn, with srf
    daily: dict[str, pd.Series]  # value and realtime_start per series, USD mn
    published: dict[str, pd.Series]


def _load(store: Store, as_of: date | None) -> _Inputs:
    bs = balance_sheet(store, as_of=as_of)
    long = store.read(list(DAILY), as_of=as_of)
    daily: dict[str, pd.Series] = {}
    published: dict[str, pd.Series] = {}
    for sid, mult in DAILY.items():
        part = long.loc[long["series_id"] == sid].set_index("date")
        daily[sid] = part["value"] * mult
        published[sid] = part["realtime_start"]
    weds = pd.DatetimeIndex(bs.index)
    srf = week_average(daily["RPONTTLD_NYFED"], weds)
    bs = bs.assign(srf=srf.fillna(0.0).to_numpy())
    return _Inputs(bs=bs, daily=daily, published=published)


def _core(
    inp: _Inputs, as_of: pd.Timestamp, bs_rows: pd.DataFrame, until: pd.Timestamp | None = None
) -> dict[str, Any]:
    """Daily estimates after the last row of ``bs_rows`` up to ``until`` (default ``as_of``),
    from daily data published by ``as_of``."""
    w0 = pd.Timestamp(bs_rows.index[-1])
    last = bs_rows.iloc[-1]
    net = (bs_rows["reserves"] + bs_rows["tga"] + bs_rows["on_rrp"] - bs_rows["srf"]).iloc[
        -(DRIFT_WEEKS + 1):
    ]
    drift = float(net.diff().mean()) if len(net) > 1 else 0.0
    days = pd.date_range(w0 + pd.Timedelta(days=1), until if until is not None else as_of)
    cols: dict[str, np.ndarray] = {}
    dates_used: dict[str, np.ndarray] = {}
    for sid in DAILY:
        s = inp.daily[sid]
        known = s.loc[(inp.published[sid] <= as_of).to_numpy() & (s.index <= as_of)]
        if known.empty:
            cols[sid] = np.full(len(days), np.nan)
            dates_used[sid] = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[ns]")
            continue
        pos = known.index.searchsorted(days, side="right") - 1
        vals = np.where(pos >= 0, known.to_numpy()[np.maximum(pos, 0)], np.nan)
        cols[sid] = vals
        dates_used[sid] = np.where(pos >= 0, known.index.to_numpy()[np.maximum(pos, 0)],
                                   np.datetime64("NaT"))
    tga = np.where(np.isnan(cols["TGA_DTS"]), last["tga"], cols["TGA_DTS"])
    rrp = np.where(np.isnan(cols["RRPONTSYD"]), last["on_rrp"], cols["RRPONTSYD"])
    srf_known = inp.daily["RPONTTLD_NYFED"]
    srf_live = not srf_known.empty and srf_known.index.max() >= w0 - pd.Timedelta(days=7)
    srf = np.where(np.isnan(cols["RPONTTLD_NYFED"]) | (not srf_live), last["srf"],
                   cols["RPONTTLD_NYFED"])
    centre = w0 - pd.Timedelta(days=3)
    elapsed = (days - centre).days.to_numpy(float) / 7.0
    res = (last["reserves"] - (tga - last["tga"]) - (rrp - last["on_rrp"])
           + (srf - last["srf"]) + drift * elapsed)
    return {"days": days, "reserves": res, "tga": tga, "rrp": rrp, "srf": srf,
            "drift": drift, "drift_part": drift * elapsed, "w0": w0,
            "tga_date": dates_used["TGA_DTS"], "rrp_date": dates_used["RRPONTSYD"]}


def nowcast(store: Store, as_of: date | None = None) -> NowcastResult:
    """Estimate reserves for every day since the last published H.4.1 week.

    Parameters
    ----------
    store
        The store (H.4.1 series, ``TGA_DTS``, ``RRPONTSYD``, ``RPONTTLD_NYFED``).
    as_of
        Use only data published by this day (default: the day the latest daily TGA
        was published, so that a store not updated for a while still gives a useful path).

    Returns
    -------
    NowcastResult
    """
    inp = _load(store, as_of)
    if as_of is None:
        pub = inp.published["TGA_DTS"]
        day = min(date.today(), pd.Timestamp(pub.max()).date()) if len(pub) else date.today()
    else:
        day = as_of
    ts = pd.Timestamp(day)
    bs_rows = inp.bs.loc[inp.bs.index < ts]
    if len(bs_rows) < 2:
        raise StoreError(f"no H.4.1 week published before {day}: cannot nowcast reserves")
    c = _core(inp, ts, bs_rows)
    # Week in progress: the Thursday-to-Wednesday week after the anchor, then later ones.
    week_end = c["w0"] + pd.Timedelta(days=7)
    while week_end < ts:
        week_end += pd.Timedelta(days=7)
    ext = _core(inp, ts, bs_rows, until=week_end)
    in_week = (ext["days"] > week_end - pd.Timedelta(days=7)) & (ext["days"] <= week_end)
    week_est = float(np.mean(ext["reserves"][in_week])) / 1e3
    days = c["days"]
    bday = days.day_of_week < 5
    frame = pd.DataFrame({
        "date": days[bday],
        "reserves_bn": c["reserves"][bday] / 1e3,
        "tga_bn": c["tga"][bday] / 1e3,
        "on_rrp_bn": c["rrp"][bday] / 1e3,
        "srf_bn": c["srf"][bday] / 1e3,
        "drift_bn": c["drift_part"][bday] / 1e3,
        "tga_date": pd.to_datetime(c["tga_date"][bday]),
        "on_rrp_date": pd.to_datetime(c["rrp_date"][bday]),
    })
    notes = ["Drivers not yet published for a day carry their last published value "
             "(TGA_DTS is published the next business day)."]
    if inp.daily["RPONTTLD_NYFED"].empty or inp.daily["RPONTTLD_NYFED"].index.max() < c["w0"]:
        notes.append("SRF / repo take-up not published for these days: held at the anchor "
                     "week's level.")
    notes.extend(_newer_h41(store, as_of, day, inp))
    return NowcastResult(
        as_of=day, anchor_date=c["w0"].date(),
        anchor_reserves_bn=float(bs_rows["reserves"].iloc[-1]) / 1e3,
        daily=frame, week_end=week_end.date(), week_estimate_bn=week_est,
        drift_bn_week=c["drift"] / 1e3, notes=notes,
    )


def _newer_h41(store: Store, as_of: date | None, day: date, inp: _Inputs) -> list[str]:
    """A note when the H.4.1 already publishes weeks after the nowcast's last day (the daily
    TGA stops earlier than the weekly data)."""
    wres = store.read(["WRESBAL"], as_of=as_of)
    if wres.empty or pd.Timestamp(wres["date"].max()).date() <= day:
        return []
    last = row_of(wres, wres["date"].idxmax())
    tga = inp.daily["TGA_DTS"]
    tga_end = f"ends on {pd.Timestamp(tga.index.max()).date()}" if len(tga) else "is missing"
    return [f"WRESBAL is published through {pd.Timestamp(last['date']).date()} "
            f"({float(last['value']) / 1e3:,.0f}bn), after this nowcast's last day {day}: the "
            f"daily TGA (TGA_DTS) {tga_end}. Update it to nowcast the days since."]


def validate_nowcast(
    store: Store, start: date = date(2022, 1, 1), end: date | None = None
) -> NowcastValidation:
    """Nowcast each published week from data available on its Wednesday.

    For each week ``W`` (WRESBAL published the next day), the nowcast uses H.4.1 data up to
    the previous week and the daily drivers published by ``W`` (so the TGA of ``W`` itself is
    carried from Tuesday). Uses the current vintage of each value with its publication date
    (``realtime_start``); revisions to these series are rare and small.
    """
    inp = _load(store, None)
    bs = inp.bs
    weeks = bs.index[(bs.index >= pd.Timestamp(start))
                     & (bs.index <= pd.Timestamp(end or date.max))]
    published = bs["reserves"].astype(float)
    rows = []
    for w in weeks:
        prior = bs.loc[bs.index < w]
        if len(prior) < DRIFT_WEEKS + 1 or (w - prior.index[-1]).days != 7:
            continue
        c = _core(inp, pd.Timestamp(w), prior)
        tga_seen = pd.to_datetime(c["tga_date"])
        if len(c["reserves"]) != 7 or tga_seen.isna().any() or (
            tga_seen.max() < w - pd.Timedelta(days=5)
        ):
            continue
        est = float(np.mean(c["reserves"])) / 1e3
        actual = float(published[w]) / 1e3
        naive = float(prior["reserves"].iloc[-1]) / 1e3
        rows.append({"date": w.date(), "nowcast_bn": est, "actual_bn": actual,
                     "error_bn": est - actual, "naive_error_bn": naive - actual})
    frame = pd.DataFrame(rows)
    if frame.empty:
        raise StoreError(f"no week between {start} and {end} could be nowcast "
                         "(needs WRESBAL and the daily TGA_DTS / RRPONTSYD)")
    return NowcastValidation(weeks=frame, start=frame["date"].iloc[0],
                             end=frame["date"].iloc[-1])
