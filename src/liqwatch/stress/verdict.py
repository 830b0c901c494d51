"""The overall status: reserve regime × funding-stress status, one object for every surface.

Desks read dollar funding on two axes, and so does the verdict:

1. **Regime** (:mod:`liqwatch.stress.regime`): abundant / ample / tight / scarce, slow-moving.
2. **Funding-stress status** (:class:`~liqwatch.vocab.Status`), in two stages:

   - ``watch`` while the regime is ``tight`` or ``scarce`` (stage ``regime``);
   - ``alert`` when a **confirming event** arrives inside such a regime (stage ``confirmed``):
     a SOFR print :attr:`VerdictParams.sofr_iorb_bp` or more above IORB, a print
     :attr:`VerdictParams.ceiling_bp` or more above the ceiling (the SRF rate), Standing Repo
     Facility take-up of :attr:`VerdictParams.srf_bn` or more, a SOFR 99th−1st percentile
     spread of :attr:`VerdictParams.dispersion_bp` or more, or the term-funding premium at
     its alert level. The regime must already be tight on the day before the event became
     known (an event does not confirm the regime it created), and the alert holds for
     :attr:`VerdictParams.hold_days` business days after the last confirming event;
   - an event outside a tight regime is a ``watch`` (stage ``signal``).

   Two channels do not need the regime: **discount-window** borrowing at its alert level (a
   run on banks) and a **broad crisis** in the cross-market composite (the default CISS
   method: its aggregate level, two gauges of one market, or gauges of two markets at their
   alert levels — funding gauges excluded, they are judged here). Either sets ``alert`` (the
   composite at ``watch`` sets ``watch``).

A single exhausted buffer (ON RRP near zero) can move the regime, never the alert: it is a
quantity flag, and an alert needs a confirming event, a run or a broad crisis.

:func:`overall_status` is the one call for the CLI, the report, the dashboard, the API and the
alerts; :func:`verdict_history` gives every business day in one vectorised pass.
"""

from __future__ import annotations

import html
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.exceptions import IndicatorError
from liqwatch.files import package_path
from liqwatch.stress import _html
from liqwatch.stress.regime import (
    FLAGS,
    IOR_START,
    IndicatorView,
    flag_records,
    regime_history,
    regime_label,
)
from liqwatch.vocab import Status, category_label, fmt_bp, fmt_date, fmt_usd_bn, pick

__all__ = [
    "EVENT_KINDS",
    "OverallStatus",
    "VerdictParams",
    "load_params",
    "overall_status",
    "regime_frame",
    "verdict_from_history",
    "verdict_history",
]

#: The Standing Repo Facility opened: take-up before it was a discretionary operation.
SRF_START = pd.Timestamp("2021-07-28")

#: Confirming events (the one furthest beyond its threshold is named when several arrive).
EVENT_KINDS: tuple[str, ...] = ("sofr_ceiling", "sofr_iorb", "srf", "dispersion",
                                "term_funding")
#: Confirming events read against the funding calendar when ``VerdictParams.calendar``.
_TURN_AWARE_EVENTS = ("sofr_iorb_bp", "sofr_ceiling_bp", "sofr_dispersion_bp")
_REGIME_CODE = {"abundant": 0, "ample": 1, "tight": 2, "scarce": 3}
Day = date


@dataclass(frozen=True, slots=True)
class VerdictParams:
    """Parameters of the confirming events (package data ``data/verdict.toml``).

    ``sofr_iorb_bp``, ``ceiling_bp`` and ``hold_days`` are chosen without looking at the
    episode being scored (leave-one-episode-out, :mod:`liqwatch.stress.selection`);
    ``srf_bn`` and ``dispersion_bp`` are fixed.

    ``calendar`` makes the SOFR spreads turn-aware: a SOFR − IORB, SOFR − ceiling or
    dispersion print on a funding-calendar event day (month-end, tax date, settlement, ...)
    confirms only when it is also ``calendar_excess_bp`` or more above the usual print on
    that kind of day (:mod:`liqwatch.indicators.turns`).
    """

    sofr_iorb_bp: float = 20.0
    ceiling_bp: float = 1.0
    hold_days: int = 10
    srf_bn: float = 1.0
    dispersion_bp: float = 100.0
    chosen_by: str = ""
    calendar: bool = False
    calendar_excess_bp: float = 10.0

    def as_dict(self) -> dict[str, Any]:
        """Plain mapping."""
        return asdict(self)


@cache
def _package_params() -> VerdictParams:
    text = package_path("stress/data/verdict.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    return VerdictParams(**raw["params"])


def _config_params() -> dict[str, Any]:
    from liqwatch.config import load_settings

    table = load_settings().stress.verdict
    return {k: v for k, v in table.model_dump().items() if v is not None}


def load_params() -> VerdictParams:
    """The package's verdict parameters, with the config file's ``[stress.verdict]``
    settings (``calendar``, ``calendar_excess_bp``) applied."""
    base = _package_params()
    over = _config_params()
    return replace(base, **over) if over else base


# --------------------------------------------------------------------------- events

def _events(view: IndicatorView, p: VerdictParams) -> pd.DataFrame:
    """Per as-of day: value of each confirming event that became known that day (NaN: none)."""
    def on_new(ind: str, ok: pd.Series) -> pd.Series:
        v = view.value(ind)
        if p.calendar and ind in _TURN_AWARE_EVENTS:
            # on an event day, the print must also stand out from the usual one that day
            # (a day without a baseline yet is judged on the print alone)
            usual = view.turn_event(ind) & (view.turn_excess(ind) < p.calendar_excess_bp)
            ok = ok & ~usual
        return v.where(view.new_print(ind) & ok.fillna(False))

    days = view.days
    srf_obs = view.obs_date("srf_usage_bn")
    return pd.DataFrame({
        "sofr_ceiling": on_new("sofr_ceiling_bp", view.value("sofr_ceiling_bp") >= p.ceiling_bp),
        "sofr_iorb": on_new("sofr_iorb_bp", view.value("sofr_iorb_bp") >= p.sofr_iorb_bp),
        "srf": on_new("srf_usage_bn", (view.value("srf_usage_bn") >= p.srf_bn)
                      & (srf_obs >= SRF_START)),
        "dispersion": on_new("sofr_dispersion_bp",
                             view.value("sofr_dispersion_bp") >= p.dispersion_bp),
        "term_funding": on_new("term_funding_bp", view.status("term_funding_bp") == "alert"),
    }, index=days)


def _threshold(kind: str, p: VerdictParams) -> float:
    """The level an event of ``kind`` is measured against (for naming the salient one)."""
    if kind == "term_funding":
        from liqwatch.indicators import REGISTRY

        return float(REGISTRY["term_funding_bp"].thresholds.alert)
    return {"sofr_ceiling": p.ceiling_bp, "sofr_iorb": p.sofr_iorb_bp, "srf": p.srf_bn,
            "dispersion": p.dispersion_bp}[kind]


def _last_position(mask: np.ndarray) -> np.ndarray:
    """For each position, the latest position at or before it where ``mask`` is true (-1)."""
    pos = np.where(mask, np.arange(len(mask)), -1)
    return np.maximum.accumulate(pos) if len(pos) else pos


# --------------------------------------------------------------------------- history

def verdict_from_history(
    history: pd.DataFrame,
    composite: pd.DataFrame | None = None,
    params: VerdictParams | None = None,
    *,
    view: IndicatorView | None = None,
    regime: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The verdict on every as-of day of an indicator history.

    Parameters
    ----------
    history
        :func:`liqwatch.indicators.history` output.
    composite
        The default composite's history (:func:`liqwatch.stress.stress_history` columns
        ``date, value, status, trigger, segment, markets``), or None to leave the broad
        channel out.
    params
        Confirming-event parameters (default: the package's).
    view, regime
        Precomputed :class:`IndicatorView` / :func:`regime_history` of ``history`` (they do
        not depend on ``params``).

    Returns
    -------
    pandas.DataFrame
        Indexed by as-of day: ``status`` (normal/watch/alert/no_data), ``set_by``
        (regime, event, discount_window, composite or None), ``stage`` (none, regime,
        confirmed, signal), ``regime``, ``since``, ``status_since``, ``event_kind``,
        ``event_value``, ``event_obs_date``, ``event_known``, ``composite_status``,
        ``composite_trigger``, ``composite_value``, ``composite_segment``,
        ``composite_markets``, ``discount_window_bn``, plus the regime's flag columns.
    """
    p = params or load_params()
    view = view or IndicatorView(history)
    reg = regime if regime is not None else regime_history(view)
    days = view.days
    n = len(days)
    code = reg["regime"].map(_REGIME_CODE).fillna(-1).to_numpy(dtype=int)
    prev = np.r_[code[:1], code[:-1]] if n else code
    ev = _events(view, p)
    ev_any = ev.notna().any(axis=1).to_numpy()
    gated = ev_any & (prev >= 2)
    last_gate = _last_position(gated)
    last_any = _last_position(ev_any)
    idx = np.arange(n)
    confirmed = (last_gate >= 0) & (idx - last_gate < p.hold_days) & (code >= 2)
    signal = (last_any >= 0) & (idx - last_any < p.hold_days) & ~confirmed

    dw = view.value("discount_window_bn")
    run = (view.status("discount_window_bn") == "alert").to_numpy()
    comp = (composite.set_index("date") if composite is not None
            else pd.DataFrame(columns=["value", "status", "trigger", "segment", "markets"]))
    comp = comp.reindex(days)
    c_status = comp["status"].fillna("no_data").to_numpy(dtype=object)
    broad_alert = c_status == "alert"
    broad_watch = c_status == "watch"

    alert = confirmed | run | broad_alert
    watch = ~alert & ((code >= 2) | signal | broad_watch)
    known = (code >= 0) | (c_status != "no_data")
    status = np.where(alert, "alert", np.where(watch, "watch",
                                               np.where(known, "normal", "no_data")))
    set_by = np.full(n, None, dtype=object)
    for cond, label in reversed(((confirmed, "event"), (run, "discount_window"),
                                 (broad_alert, "composite"), (signal, "event"),
                                 (code >= 2, "regime"), (broad_watch, "composite"))):
        set_by[cond] = label
    set_by[status == "normal"] = None
    set_by[status == "no_data"] = None
    stage = np.where(confirmed, "confirmed", np.where(code >= 2, "regime",
                                                      np.where(signal, "signal", "none")))

    # the event named: the last confirming one when confirmed, else the last one (a signal)
    pos = np.where(confirmed, last_gate, np.where(signal, last_any, -1))
    ev_vals = ev.to_numpy(dtype=float)
    kinds = np.full(n, None, dtype=object)
    values = np.full(n, np.nan)
    obs = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    known_day = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    has = pos >= 0
    if has.any():
        rows = ev_vals[pos[has]]
        # the event furthest beyond its threshold that day
        limits = np.array([_threshold(k, p) for k in EVENT_KINDS])
        excess = np.where(np.isfinite(rows), rows / limits, -np.inf)
        first = np.argmax(excess, axis=1)
        kinds[has] = np.array(EVENT_KINDS, dtype=object)[first]
        values[has] = rows[np.arange(len(first)), first]
        ind_for = {"sofr_ceiling": "sofr_ceiling_bp", "sofr_iorb": "sofr_iorb_bp",
                   "srf": "srf_usage_bn", "dispersion": "sofr_dispersion_bp",
                   "term_funding": "term_funding_bp"}
        where = np.flatnonzero(has)
        at = pos[has]
        all_days = days.to_numpy(dtype="datetime64[ns]")
        known_day[where] = all_days[at]
        for k, ind in ind_for.items():
            sel = kinds[where] == k
            if sel.any():
                obs[where[sel]] = view.obs_date(ind).to_numpy(dtype="datetime64[ns]")[at[sel]]
    run_obs = view.obs_date("discount_window_bn").to_numpy(dtype="datetime64[ns]")

    out = pd.DataFrame({
        "status": status, "set_by": set_by, "stage": stage,
        "regime": reg["regime"].to_numpy(dtype=object), "since": reg["since"].to_numpy(),
        "event_kind": kinds, "event_value": values, "event_obs_date": obs,
        "event_known": known_day,
        "composite_status": c_status, "composite_trigger": comp["trigger"].to_numpy(),
        "composite_value": pd.to_numeric(comp["value"], errors="coerce").to_numpy(),
        "composite_segment": comp["segment"].to_numpy(),
        "composite_markets": comp["markets"].to_numpy(),
        "discount_window_bn": dw.to_numpy(), "discount_window_obs": run_obs,
    }, index=days)
    out["status_since"] = _run_start(out["status"].to_numpy(dtype=object), days)
    flag_cols = [c for c in reg.columns if c not in ("regime", "since")]
    out = out.join(reg[flag_cols])
    out.attrs["params"] = p
    return out


def _run_start(values: np.ndarray, days: pd.DatetimeIndex) -> np.ndarray:
    change = np.r_[True, values[1:] != values[:-1]] if len(values) else np.array([], bool)
    start = pd.Series(np.where(change, days.to_numpy(), np.datetime64("NaT")), index=days)
    out: np.ndarray = start.ffill().to_numpy()
    return out


def verdict_history(
    store: Any, start: date | None = None, end: date | None = None,
    params: VerdictParams | None = None,
) -> pd.DataFrame:
    """The verdict on every business day (vectorised, memoised per store state).

    Parameters
    ----------
    store
        A :class:`liqwatch.store.Store`.
    start, end
        Bounds of the rows returned (the computation always covers every day: the regime
        and the composite look back).
    params
        Confirming-event parameters (default: the package's).

    Returns
    -------
    pandas.DataFrame
        See :func:`verdict_from_history`; the index is named ``date``.

    Examples
    --------
    >>> verdict_history(store, start=date(2019, 9, 1), end=date(2019, 9, 30))  # doctest: +SKIP
    """
    from liqwatch.stress.cache import memoised

    p = params or load_params()
    frame = memoised(store, ("verdict", p), lambda: _build(store, p))
    if start is not None:
        frame = frame.loc[pd.Timestamp(start):]
    if end is not None:
        frame = frame.loc[: pd.Timestamp(end)]
    return frame


def regime_frame(store: Any) -> tuple[IndicatorView, pd.DataFrame]:
    """The indicator view and :func:`regime_history` of ``store`` (memoised)."""
    from liqwatch.stress.cache import indicator_history, memoised

    view = memoised(store, "indicator_view", lambda: IndicatorView(indicator_history(store)))
    return view, memoised(store, "regime", lambda: regime_history(view))


def _build(store: Any, params: VerdictParams) -> pd.DataFrame:
    from liqwatch.stress.cache import indicator_history
    from liqwatch.stress.composite import stress_history

    hist = indicator_history(store)
    view, reg = regime_frame(store)
    try:
        comp: pd.DataFrame | None = stress_history(store)
    except IndicatorError:  # no composite input at all: the regime alone speaks
        comp = None
    out = verdict_from_history(hist, comp, params, view=view, regime=reg)
    out.index.name = "date"
    return out


# --------------------------------------------------------------------------- one day

def _ts_date(x: Any) -> date | None:
    return None if x is None or pd.isna(x) else pd.Timestamp(x).date()


def _event_text(kind: str, value: float, obs: date | None, lang: str) -> str:
    day = fmt_date(obs, lang)
    bp = fmt_bp(value, sign=False, lang=lang)
    if kind == "sofr_ceiling":
        srf = obs is not None and obs >= SRF_START.date()
        ceiling_en = "the SRF rate" if srf else "the top of the target range"
        ceiling_ja = "SRF 金利" if srf else "誘導目標レンジ上限"
        return pick(lang, f"SOFR {bp} above {ceiling_en} on {day}",
                    f"{day}に SOFR が {ceiling_ja}を {bp} 上回る")
    if kind == "sofr_iorb":
        return pick(lang, f"SOFR {bp} above IORB on {day}",
                    f"{day}に SOFR が IORB を {bp} 上回る")
    if kind == "srf":
        usd = fmt_usd_bn(value, lang)
        return pick(lang, f"Standing Repo Facility take-up {usd} on {day}",
                    f"{day}に常設レポファシリティの利用 {usd}")
    if kind == "dispersion":
        return pick(lang, f"SOFR 99th−1st percentile spread {bp} on {day}",
                    f"{day}に SOFR の 99−1 パーセンタイル差が {bp}")
    return pick(lang, f"term funding premium {bp} on {day}",
                f"{day}にターム資金プレミアムが {bp}")


@dataclass(frozen=True)
class OverallStatus:
    """The overall status on one day: what every surface shows.

    Attributes
    ----------
    date
        The as-of day (None when nothing is known).
    status
        ``normal`` / ``watch`` / ``alert`` / ``no_data``.
    regime, since
        The reserve regime and the first day of it.
    status_since
        First day of the current status.
    set_by
        What set the status: ``regime`` (watch: tight or scarce regime), ``event`` (a
        confirming event; a watch when outside a tight regime), ``discount_window`` (a run),
        ``composite`` (the cross-market composite) or None (normal).
    stage
        The funding-stress stage: ``none``, ``regime``, ``confirmed`` or ``signal``.
    event
        The confirming event named in the reason (kind, value, unit, obs_date, known), or
        None.
    flags
        The regime's flags: id, kind, name, set (None: not applicable), value, unit,
        threshold, threshold_value, source.
    composite
        The cross-market composite that day: date, value, status, trigger, segment, markets.
    reason_en, reason_ja
        One sentence.
    """

    date: Day | None
    status: Status
    regime: str | None
    since: Day | None
    status_since: Day | None
    set_by: str | None
    stage: str
    reason_en: str
    reason_ja: str
    event: dict[str, Any] | None = None
    flags: tuple[dict[str, Any], ...] = ()
    flags_ja: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    n_flags: int = 0
    n_available: int = 0
    composite: dict[str, Any] = field(default_factory=dict)
    discount_window_bn: float | None = None
    params: dict[str, Any] = field(default_factory=dict, repr=False)

    def reason(self, lang: str = "en") -> str:
        """The reason in ``lang``."""
        return pick(lang, self.reason_en, self.reason_ja)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-friendly mapping (dates as ISO strings); flag texts in ``lang``."""
        def iso(d: Day | None) -> str | None:
            return d.isoformat() if d is not None else None

        event = None
        if self.event is not None:
            event = dict(self.event, obs_date=iso(self.event.get("obs_date")),
                         known=iso(self.event.get("known")))
        flags = self.flags_ja if lang == "ja" and self.flags_ja else self.flags
        return {
            "date": iso(self.date), "status": str(self.status), "regime": self.regime,
            "since": iso(self.since), "status_since": iso(self.status_since),
            "set_by": self.set_by, "stage": self.stage,
            "reason": self.reason(lang), "reason_en": self.reason_en,
            "reason_ja": self.reason_ja, "event": event,
            "flags": [dict(f) for f in flags], "n_flags": self.n_flags,
            "n_available": self.n_available,
            "composite": dict(self.composite, date=iso(self.composite.get("date"))),
            "discount_window_bn": self.discount_window_bn,
            "params": self.params,
        }

    def summary(self, lang: str = "en") -> str:
        """The reason, then the flags."""
        lines = [f"{Status.of(self.status).label(lang)} — {self.reason(lang)}"]
        flags = self.flags_ja if lang == "ja" and self.flags_ja else self.flags
        for f in flags:
            mark = "—" if f["set"] is None else ("●" if f["set"] else "○")
            lines.append(f"  {mark} {f['name']}: {f['value_text']} ({f['threshold']})")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        head = (f"<p>{_html.badge(str(self.status))} {html.escape(self.reason_en)}</p>")
        return head + _html.table([dict(f) for f in self.flags],
                                  ["name", "set", "value_text", "threshold", "source"])


def _reason(row: Mapping[Any, Any], lang: str, hold: int, day: pd.Timestamp) -> str:
    regime = row["regime"]
    since = _ts_date(row["since"])
    if regime is None:
        head = pick(lang, "Reserve regime unknown (no data)", "準備預金の局面は不明 (データなし)")
    elif day < pd.Timestamp(IOR_START):
        head = pick(lang, f"Scarce regime since {fmt_date(since, lang)} (no interest on "
                    "reserves before 9 Oct 2008: reserves scarce by design)",
                    f"{fmt_date(since, lang)}以降「不足」局面 (2008年10月9日以前は付利がなく、"
                    "準備預金は制度上不足)")
    else:
        label = regime_label(regime, lang)
        n, m = int(row["n_flags"]), int(row["n_available"])
        head = pick(lang, f"{label.capitalize()} regime since {fmt_date(since, lang)} "
                    f"({n} of {m} flags)",
                    f"{fmt_date(since, lang)}以降「{label}」局面 ({m} 項目中 {n} 項目)")
    status = str(row["status"])
    label = Status.of(status).label(lang)
    set_by = row["set_by"]
    kind = row["event_kind"]
    ev = (_event_text(str(kind), float(row["event_value"]), _ts_date(row["event_obs_date"]),
                      lang) if isinstance(kind, str) else "")
    if set_by == "event" and status == "alert":
        tail = ev
    elif set_by == "event" and regime in ("tight", "scarce"):
        tail = pick(lang, f"{ev}, the event that tightened the regime (an alert needs another)",
                    f"{ev} (局面を逼迫に変えたイベント。警戒には次のイベントが必要)")
    elif set_by == "event":
        tail = pick(lang, f"{ev}, outside a tight regime", f"{ev} (逼迫局面の外)")
    elif set_by == "discount_window":
        usd = fmt_usd_bn(float(row["discount_window_bn"]), lang)
        week = fmt_date(_ts_date(row["discount_window_obs"]), lang)
        tail = pick(lang, f"discount-window borrowing {usd} (week to {week})",
                    f"連銀貸出 {usd} ({week}までの週)")
    elif set_by == "composite":
        tail = pick(lang, "broad market stress in the cross-market composite",
                    "市場横断の総合指数に広範なストレス")
        trig = row["composite_trigger"]
        level = pick(lang, "alert" if status == "alert" else "watch",
                     "警戒" if status == "alert" else "注意")
        if trig == "segment" and isinstance(row["composite_segment"], str):
            seg = category_label(row["composite_segment"], lang)
            tail += pick(lang, f": two {seg} gauges at their {level} levels",
                         f" ({seg}の 2 指標が{level}水準)")
        elif trig == "breadth" and isinstance(row["composite_markets"], str):
            names = [category_label(m, lang) for m in row["composite_markets"].split(",") if m]
            tail += pick(lang, f": {' and '.join(names)} gauges at their {level} levels",
                         f" ({'・'.join(names)}の指標が{level}水準)")
        elif trig == "aggregate":
            tail += pick(lang, f": the index at its {level} level", f" (指数が{level}水準)")
    elif set_by == "regime":
        tail = pick(lang, f"no confirming event in the last {hold} business days",
                    f"直近 {hold} 営業日に確認イベントなし")
    else:
        tail = ""
    sep = pick(lang, "; ", "。")
    colon = pick(lang, ": ", ": ")
    body = f"{label.lower() if lang == 'en' else label}{colon}{tail}" if tail else (
        label.lower() if lang == "en" else label)
    return f"{head}{sep}{body}"


def _status_from_row(day: pd.Timestamp, row: pd.Series, params: VerdictParams
                     ) -> OverallStatus:
    kind = row["event_kind"]
    event = None
    if isinstance(kind, str):
        obs = _ts_date(row["event_obs_date"])
        unit = "usd_bn" if kind == "srf" else "bp"
        event = {"kind": kind, "value": float(row["event_value"]), "unit": unit,
                 "obs_date": obs, "known": _ts_date(row["event_known"]),
                 "text_en": _event_text(kind, float(row["event_value"]), obs, "en"),
                 "text_ja": _event_text(kind, float(row["event_value"]), obs, "ja")}
    record = row.to_dict()
    cval = row["composite_value"]
    dw = row["discount_window_bn"]
    return OverallStatus(
        date=day.date(), status=Status.of(row["status"]), regime=row["regime"],
        since=_ts_date(row["since"]), status_since=_ts_date(row["status_since"]),
        set_by=row["set_by"], stage=str(row["stage"]),
        reason_en=_reason(record, "en", params.hold_days, day),
        reason_ja=_reason(record, "ja", params.hold_days, day),
        event=event,
        flags=tuple(flag_records(record, "en")), flags_ja=tuple(flag_records(record, "ja")),
        n_flags=int(row["n_flags"]), n_available=int(row["n_available"]),
        composite={"date": day.date() if row["composite_status"] != "no_data" else None,
                   "value": None if pd.isna(cval) else float(cval),
                   "status": str(row["composite_status"]),
                   "trigger": row["composite_trigger"] if isinstance(
                       row["composite_trigger"], str) else None,
                   "segment": row["composite_segment"] if isinstance(
                       row["composite_segment"], str) else None,
                   "markets": [m for m in str(row["composite_markets"] or "").split(",")
                               if m and m != "nan"]},
        discount_window_bn=None if pd.isna(dw) else float(dw),
        params=params.as_dict(),
    )


def status_from_history(frame: pd.DataFrame, as_of: date | None = None,
                        params: VerdictParams | None = None) -> OverallStatus:
    """The overall status on ``as_of`` from a :func:`verdict_history` frame.

    The day is the last one up to ``as_of`` (default: the frame's end) whose status is known.
    """
    p = params or frame.attrs.get("params") or load_params()
    part = frame if as_of is None else frame.loc[: pd.Timestamp(as_of)]
    part = part[part["status"] != "no_data"]
    if part.empty:
        return OverallStatus(None, Status.no_data, None, None, None, None, "none",
                             "No data to judge the regime or funding stress",
                             "局面と資金ストレスを判定するデータがありません",
                             params=p.as_dict())
    return _status_from_row(pd.Timestamp(part.index[-1]), part.iloc[-1], p)


def overall_status(store: Any, as_of: date | None = None) -> OverallStatus:
    """The overall status as of a day — the one call every surface makes.

    Parameters
    ----------
    store
        A :class:`liqwatch.store.Store`.
    as_of
        Use only data published by this day (default: everything stored). The status is
        that of the last business day up to ``as_of`` on which anything is known; its
        ``date`` says which.

    Examples
    --------
    >>> s = overall_status(store, date(2025, 10, 31))  # doctest: +SKIP
    >>> s.status, s.regime, s.reason_en  # doctest: +SKIP
    """
    return status_from_history(verdict_history(store), as_of)


def flag_names(lang: str = "en") -> dict[str, str]:
    """Flag id -> name in ``lang``."""
    return {f.id: f.name(lang) for f in FLAGS}
