"""Weekly reserve projections with threshold crossings, stated assumptions and sensitivity.

:func:`project` starts from the latest H.4.1 week published on the as-of date (week 0, a
published actual) and projects the weeks after it. The :class:`ProjectionResult` carries
everything a report, dashboard or API renders: the start week and its published reserves, the
path with an ``actual`` / ``projected`` flag (and, for a past start, what was published
later), the crossings of each threshold with a band of dates where the denominator is
uncertain, and the assumptions stated on the run day in English and Japanese.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.jsonsafe import jsonable
from liqwatch.scenarios.announcements import Announcements, packaged_announcements
from liqwatch.scenarios.drivers import Resolved, resolve, start_state
from liqwatch.scenarios.engine import Drivers, StartState, first_crossing, simulate, week_dates
from liqwatch.scenarios.identity import balance_sheet
from liqwatch.scenarios.presets import PRESETS, preset_assumptions
from liqwatch.scenarios.scale import BANK_ASSETS, BankAssets, Scale, load_bank_assets, load_scale
from liqwatch.scenarios.wording import Statement, Text, statements, threshold_name
from liqwatch.store import Store
from liqwatch.vocab import fmt_date, fmt_pct, fmt_usd_bn, pick

__all__ = ["DEFAULT_LEVELS", "DEFAULT_RATIOS", "Crossing", "ProjectionResult", "project",
           "run_path"]

#: Absolute thresholds (USD bn) and ratio thresholds (% of commercial-bank assets).
DEFAULT_LEVELS = {"2.5T": 2500.0, "3.0T": 3000.0}
DEFAULT_RATIOS = {"12% of bank assets": 12.0, "13% of bank assets": 13.0}

# Sensitivity candidates: (name, unit, step).
_SHOCKS = (
    ("treasury_cap", "bn/month", 10.0),
    ("mbs_paydown", "bn/month", 5.0),
    ("purchases", "bn/month", 20.0),
    ("tga_target", "bn", 150.0),
    ("rrp_floor", "bn", 50.0),
    ("currency_growth_pct", "%/yr", 2.0),
    ("other_trend", "bn/week", 1.0),
)
_HISTORY_WEEKS = 105


@dataclass(frozen=True)
class Crossing:
    """When projected reserves first fall below a threshold.

    Attributes
    ----------
    label
        ``"3.0T"``, ``"12% of bank assets"``, or a user level's label.
    kind
        ``level`` (USD bn) or ``ratio`` (% of commercial-bank assets).
    threshold
        The level in USD bn, or the ratio in percent.
    first_week
        First projected week below (``None``: not within the horizon). For a ratio with an
        uncertain denominator, the week on the middle of its range.
    earliest, latest
        The band of first weeks across the denominator's range (equal to ``first_week`` when
        the denominator is known); ``latest`` ``None`` when part of the range never crosses.
    already_below
        Reserves are below it in the start week.
    uncertain
        The denominator is a range (ratio thresholds without a current H.8 level).
    """

    label: str
    kind: str
    threshold: float
    first_week: date | None
    earliest: date | None
    latest: date | None
    already_below: bool
    uncertain: bool = False

    def name(self, lang: str = "en") -> str:
        """The threshold's name: ``3.0T`` / ``3兆ドル``, ``12% of bank assets`` /
        ``銀行総資産の12%``."""
        return threshold_name(self.label, lang)

    def text(self, lang: str = "en") -> str:
        """``3.0T: already below in the start week`` / a date / a band of dates."""
        name = self.name(lang)
        if self.already_below and (not self.uncertain or self.latest == self.earliest):
            return pick(lang, f"{name}: already below in the start week",
                        f"{name}: 開始週にすでに下回っています")
        if self.earliest is None:
            return pick(lang, f"{name}: not within the horizon", f"{name}: 期間内には下回りません")
        if self.uncertain and self.latest != self.earliest:
            if self.latest is None:
                return pick(lang,
                            f"{name}: from the week of {fmt_date(self.earliest)}, or not within "
                            "the horizon (bank assets are a range)",
                            f"{name}: {fmt_date(self.earliest, 'ja')}の週以降、または期間内には"
                            "下回らない (銀行総資産は幅で仮定)")
            return pick(lang,
                        f"{name}: between the weeks of {fmt_date(self.earliest)} and "
                        f"{fmt_date(self.latest)} (bank assets are a range)",
                        f"{name}: {fmt_date(self.earliest, 'ja')}の週から"
                        f"{fmt_date(self.latest, 'ja')}の週の間 (銀行総資産は幅で仮定)")
        return pick(lang, f"{name}: week of {fmt_date(self.earliest)}",
                    f"{name}: {fmt_date(self.earliest, 'ja')}の週")


def run_path(s0: StartState, d: Drivers, weeks: int, bank: BankAssets,
             gdp: Scale) -> pd.DataFrame:
    """The projected path as a DataFrame (USD bn; see :class:`ProjectionResult`)."""
    p = simulate(s0, d, weeks)
    dates = week_dates(s0.date, weeks)
    low, high, mid = bank.low(dates), bank.high(dates), bank.central(dates)
    gdp_lvl = gdp.at(dates)
    reserves = p["reserves"]
    return pd.DataFrame({
        "week": np.arange(weeks + 1),
        "date": dates,
        "status": ["actual"] + ["projected"] * weeks,
        "reserves_bn": reserves,
        "tga_bn": p["tga"],
        "on_rrp_bn": p["on_rrp"],
        "foreign_rrp_bn": p["foreign_rrp"],
        "currency_bn": p["currency"],
        "other_bn": p["other"],
        "soma_bn": p["treasuries"] + p["mbs"],
        "treasuries_bn": p["treasuries"],
        "mbs_bn": p["mbs"],
        "lending_bn": p["lending"],
        "srf_bn": p["repo"],
        "total_assets_bn": p["total_assets"],
        "bank_assets_bn": mid,
        "bank_assets_low_bn": low,
        "bank_assets_high_bn": high,
        "reserves_to_bank_assets_pct": reserves / mid * 100.0,
        "reserves_to_bank_assets_low_pct": reserves / high * 100.0,
        "reserves_to_bank_assets_high_pct": reserves / low * 100.0,
        "reserves_to_gdp_pct": reserves / gdp_lvl * 100.0,
    })


def thresholds_of(path: pd.DataFrame, levels: dict[str, float],
                  uncertain: bool) -> tuple[Crossing, ...]:
    """The crossings of 2.5T, 3.0T, 12% and 13% of bank assets and the user ``levels``."""
    dates = pd.DatetimeIndex(path["date"])
    res = path["reserves_bn"].to_numpy()
    out = []
    for label, lvl in {**DEFAULT_LEVELS, **levels}.items():
        w = first_crossing(dates, res, lvl)
        out.append(Crossing(label, "level", lvl, w, w, w, bool(res[0] < lvl)))
    for label, pct in DEFAULT_RATIOS.items():
        mid = path["reserves_to_bank_assets_pct"].to_numpy()
        if np.isnan(mid).all():
            out.append(Crossing(label, "ratio", pct, None, None, None, False, uncertain))
            continue
        lo = path["reserves_to_bank_assets_low_pct"].to_numpy()
        hi = path["reserves_to_bank_assets_high_pct"].to_numpy()
        out.append(Crossing(label, "ratio", pct, first_crossing(dates, mid, pct),
                            first_crossing(dates, lo, pct), first_crossing(dates, hi, pct),
                            bool(lo[0] < pct), uncertain))
    return tuple(out)


class ProjectionResult:
    """A reserve projection: the weekly path, threshold crossings, assumptions, sensitivity.

    Attributes
    ----------
    preset, weeks
        The scenario and horizon.
    as_of
        The day asked (``None``: the latest data); ``known_by`` the day whose data and
        announcements were used.
    start
        Week 0: the latest H.4.1 week published on ``known_by`` (:class:`StartState`).
    start_week, start_reserves_bn
        Its date and published reserve balances (``WRESBAL``, USD bn).
    path : pandas.DataFrame
        ``week, date, status, reserves_bn, tga_bn, on_rrp_bn, foreign_rrp_bn, currency_bn,
        other_bn, soma_bn, treasuries_bn, mbs_bn, lending_bn, srf_bn, total_assets_bn,
        bank_assets_bn (+ _low_bn, _high_bn), reserves_to_bank_assets_pct (+ _low_pct,
        _high_pct), reserves_to_gdp_pct, published_bn``. ``status`` is ``actual`` for week 0
        and ``projected`` after; ``published_bn`` is the reserves published later (a past
        start only; never used by the projection).
    thresholds : tuple of Crossing
        Each threshold's first week below, with a band where bank assets are a range.
    crossings : dict
        Label -> first week below (back-compatible view of ``thresholds``; for a ratio with
        an uncertain denominator, the earliest week of its band).
    statements : tuple of Statement
        The assumptions stated on the run day (English and Japanese).
    bank_assets : BankAssets
        The denominator of the 12% / 13% thresholds.
    last_known_ratio : tuple or None
        ``(date, percent)``: reserves over bank assets on the last H.8 week published.
    history : pandas.DataFrame
        Published weeks before the start (``date, reserves_bn, tga_bn, on_rrp_bn,
        reserves_to_bank_assets_pct``; the ratio only where H.8 was published), two years.
    notes : list of str
        Basis and denominator notes (English).
    """

    def __init__(
        self, *, preset: str, as_of: date | None, known_by: date, start: StartState,
        weeks: int, resolved: Resolved, path: pd.DataFrame, thresholds: tuple[Crossing, ...],
        statements: tuple[Statement, ...], notes: list[str], bank: BankAssets, gdp: Scale,
        levels: dict[str, float], history: pd.DataFrame,
        last_known_ratio: tuple[date, float] | None,
    ) -> None:
        self.preset = preset
        self.as_of = as_of
        self.known_by = known_by
        self.start = start
        self.weeks = weeks
        self.resolved = resolved
        self.path = path
        self.thresholds = thresholds
        self.statements = statements
        self.notes = notes
        self.bank_assets = bank
        self._gdp = gdp
        self._levels = levels
        self.history = history
        self.last_known_ratio = last_known_ratio

    @property
    def start_week(self) -> date:
        """The start week (the latest published H.4.1 week on the as-of day)."""
        return self.start.date

    @property
    def start_reserves_bn(self) -> float:
        """Reserve balances published for the start week (USD bn)."""
        return self.start.reserves

    @property
    def end(self) -> tuple[date, float]:
        """(last week, projected reserves in USD bn)."""
        row = self.path.iloc[-1]
        return pd.Timestamp(row["date"]).date(), float(row["reserves_bn"])

    @property
    def crossings(self) -> dict[str, date | None]:
        """Threshold label -> first week below (see the class docstring)."""
        return {c.label: c.earliest if c.uncertain else c.first_week for c in self.thresholds}

    @property
    def levels(self) -> dict[str, float]:
        """User threshold levels (label -> USD bn), besides 2.5T, 3.0T, 12% and 13%."""
        return dict(self._levels)

    @property
    def assumptions(self) -> dict[str, dict[str, Any]]:
        """Each assumption's value (first week for policy arrays) and origin."""
        r = self.resolved
        return {k: {"value": r.values.get(k), "origin": v} for k, v in r.origin.items()}

    def assumptions_text(self, lang: str = "en") -> list[str]:
        """The stated assumptions in ``lang``."""
        return [s.text.get(lang) for s in self.statements]

    def headline(self, lang: str = "en") -> str:
        """One sentence: the start week and its published value, the end, the crossings."""
        end_d, end_v = self.end
        ja = lang == "ja"
        start = fmt_date(self.start_week, lang)
        head = pick(
            lang,
            f"From the week of {start} (published reserves {fmt_usd_bn(self.start_reserves_bn)}),"
            f" the '{self.preset}' projection reaches {fmt_usd_bn(end_v)} in the week of "
            f"{fmt_date(end_d)}",
            f"{start}の週 (公表値: 準備預金{fmt_usd_bn(self.start_reserves_bn, 'ja')}) から、"
            f"「{self.preset}」の予測では{fmt_date(end_d, 'ja')}の週に"
            f"{fmt_usd_bn(end_v, 'ja')}となります")
        levels = [c for c in self.thresholds if c.kind == "level"]
        parts = [c.text(lang) for c in levels]
        sep = "。" if ja else "; "
        text = head + (sep if ja else "; ") + sep.join(parts)
        if self.bank_assets.uncertain and self.last_known_ratio is not None:
            d, pct = self.last_known_ratio
            text += pick(lang,
                         f"; the last known ratio to bank assets is {fmt_pct(pct, 1)} "
                         f"({fmt_date(d)}, last H.8 week)",
                         f"。銀行総資産比の最後の実績は{fmt_pct(pct, 1)} ({fmt_date(d, 'ja')}、"
                         "H.8の最終週)")
        return text + ("。" if ja else ".")

    @cached_property
    def sensitivity(self) -> pd.DataFrame:
        """End-of-horizon reserves over a 5 x 5 grid of the two most influential assumptions.

        Influence is the spread of end reserves between one step up and one step down of each
        assumption (steps: runoff and purchases 10-20bn a month, MBS paydowns 5bn a month, TGA
        150bn, ON RRP floor 50bn, currency growth 2 points, other 1bn a week).

        Returns
        -------
        pandas.DataFrame
            Columns ``<assumption 1>, <assumption 2>, reserves_end_bn, min_reserves_bn``
            (assumptions at their absolute values), ``attrs["influence"]`` per assumption.
        """
        base = self.resolved.drivers
        s0 = self.start
        influence: dict[str, float] = {}
        for name, _unit, step in _SHOCKS:
            if name == "rrp_floor" and s0.on_rrp <= 1.0:
                continue
            up = self._end(_shock(base, s0, name, step))
            down = self._end(_shock(base, s0, name, -step))
            influence[name] = abs(up - down)
        top = sorted(influence, key=lambda n: -influence[n])[:2]
        steps = {n: s for n, _u, s in _SHOCKS}
        rows = []
        for i in _offsets(base, s0, top[0], steps[top[0]]):
            d1 = _shock(base, s0, top[0], i * steps[top[0]])
            for j in _offsets(base, s0, top[1], steps[top[1]]):
                d2 = _shock(d1, s0, top[1], j * steps[top[1]])
                res = simulate(s0, d2, self.weeks)["reserves"]
                rows.append({
                    top[0]: _level(base, s0, top[0], i * steps[top[0]]),
                    top[1]: _level(base, s0, top[1], j * steps[top[1]]),
                    "reserves_end_bn": float(res[-1]),
                    "min_reserves_bn": float(res.min()),
                })
        frame = pd.DataFrame(rows)
        frame.attrs["influence"] = influence
        frame.attrs["axes"] = top
        return frame

    def sensitivity_grid(self) -> pd.DataFrame:
        """:attr:`sensitivity` pivoted: rows assumption 1, columns assumption 2."""
        s = self.sensitivity
        a1, a2 = s.attrs["axes"]
        return s.pivot(index=a1, columns=a2, values="reserves_end_bn")

    def _end(self, d: Drivers) -> float:
        return float(simulate(self.start, d, self.weeks)["reserves"][-1])

    def to_dict(self, *, sensitivity: bool = True) -> dict[str, Any]:
        """JSON-ready dict (see docs/scenarios.md for the shape)."""
        out: dict[str, Any] = {
            "preset": self.preset,
            "start": self.start_week.isoformat(),
            "start_reserves_bn": round(self.start_reserves_bn, 3),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "known_by": self.known_by.isoformat(),
            "weeks": self.weeks,
            "path": jsonable(self.path.to_dict("records"), digits=12),
            "crossings": {k: v.isoformat() if v else None for k, v in self.crossings.items()},
            "thresholds": [jsonable(c.__dict__) | {"text": {"en": c.text("en"),
                                                           "ja": c.text("ja")}}
                           for c in self.thresholds],
            "assumptions": jsonable(self.assumptions, digits=12),
            "statements": [{"key": s.key, "en": s.text.en, "ja": s.text.ja}
                           for s in self.statements],
            "headline": {"en": self.headline("en"), "ja": self.headline("ja")},
            "bank_assets": jsonable({**self.bank_assets.__dict__,
                                     "uncertain": self.bank_assets.uncertain,
                                     "last_known_ratio": self.last_known_ratio}),
            "notes": self.notes,
        }
        if sensitivity:
            s = self.sensitivity
            out["sensitivity"] = {
                "axes": list(s.attrs["axes"]),
                "influence_bn": {k: round(v, 1) for k, v in s.attrs["influence"].items()},
                "rows": jsonable(s.to_dict("records"), digits=12),
            }
        return out

    def summary(self, lang: str = "en") -> str:
        """A plain-text summary: headline, crossings, stated assumptions, notes."""
        p = self.path
        ja = lang == "ja"
        lines = [self.headline(lang), pick(lang, "  first week below:", "  下回る時期:")]
        lines += [f"    {c.text(lang)}" for c in self.thresholds]
        lines.append(pick(lang, f"  minimum {fmt_usd_bn(float(p['reserves_bn'].min()))}",
                          f"  最低 {fmt_usd_bn(float(p['reserves_bn'].min()), 'ja')}"))
        lines.append(pick(lang, "  assumptions (stated on the run day):", "  前提 (実行日時点):"))
        lines += [f"    - {t}" for t in self.assumptions_text(lang)]
        if not ja:
            lines += [f"  note: {n}" for i, n in enumerate(self.notes) if i != 1]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(f"<li>{html.escape(c.text())}</li>" for c in self.thresholds)
        head = self.path.iloc[[0, len(self.path) // 2, -1]][
            ["date", "status", "reserves_bn", "tga_bn", "on_rrp_bn", "soma_bn",
             "reserves_to_bank_assets_pct"]
        ].to_html(index=False, float_format=lambda x: f"{x:,.1f}")
        said = "".join(f"<li>{html.escape(t)}</li>" for t in self.assumptions_text())
        return (
            f"<div><h4>Reserve projection: {html.escape(self.preset)}</h4>"
            f"<p>{html.escape(self.headline())}</p>{head}<h5>Thresholds</h5><ul>{rows}</ul>"
            f"<h5>Assumptions</h5><ul>{said}</ul></div>"
        )

    def __repr__(self) -> str:
        return (f"ProjectionResult(preset={self.preset!r}, start={self.start.date}, "
                f"weeks={self.weeks}, end_reserves_bn={self.path['reserves_bn'].iloc[-1]:.0f})")


def _ramp(weeks: int, delta: float) -> np.ndarray:
    k = np.arange(weeks + 1, dtype=float)
    return np.asarray(delta * np.clip(k / 8.0, 0.0, 1.0), float)


def _shock(d: Drivers, s0: StartState, name: str, delta: float) -> Drivers:
    if name == "treasury_cap":
        return replace(d, treasury_runoff=np.maximum(d.treasury_runoff + delta, 0.0))
    if name == "mbs_paydown":
        return replace(d, mbs_paydown=max(d.mbs_paydown + delta, 0.0))
    if name == "purchases":
        return replace(d, treasury_purchases=np.maximum(d.treasury_purchases + delta, 0.0))
    if name == "tga_target":
        shifted = np.maximum(d.tga + _ramp(len(d.tga) - 1, delta), 0.0)
        shifted[0] = s0.tga
        return replace(d, tga=shifted)
    if name == "rrp_floor":
        return replace(d, rrp_floor=max(d.rrp_floor + delta, 0.0))
    if name == "currency_growth_pct":
        return replace(d, currency_growth_pct=d.currency_growth_pct + delta)
    if name == "other_trend":
        return replace(d, other_trend=d.other_trend + delta)
    raise ConfigError(f"unknown sensitivity assumption {name!r}")


def _offsets(d: Drivers, s0: StartState, name: str, step: float) -> list[int]:
    """Five grid steps around the base, shifted up where the value cannot go below zero."""
    if name in ("currency_growth_pct", "other_trend"):
        return [-2, -1, 0, 1, 2]
    base = _level(d, s0, name, 0.0)
    low = -min(2, int(np.floor(base / step + 1e-9)))
    return list(range(low, low + 5))


def _level(d: Drivers, s0: StartState, name: str, delta: float) -> float:
    base = {
        "treasury_cap": float(d.treasury_runoff[0]) if len(d.treasury_runoff) else 0.0,
        "mbs_paydown": d.mbs_paydown,
        "purchases": float(d.treasury_purchases[0]) if len(d.treasury_purchases) else 0.0,
        "tga_target": float(d.tga[-1]),
        "rrp_floor": d.rrp_floor,
        "currency_growth_pct": d.currency_growth_pct,
        "other_trend": d.other_trend,
    }[name]
    return float(max(base + delta, 0.0) if name not in ("currency_growth_pct", "other_trend")
                 else base + delta)


def project(
    store: Store,
    preset: str = "current-policy",
    weeks: int = 52,
    as_of: date | None = None,
    *,
    levels: dict[str, float] | None = None,
    announcements: Announcements | None = None,
    **overrides: Any,
) -> ProjectionResult:
    """Project reserves week by week under a preset and overrides.

    Parameters
    ----------
    store
        The store (H.4.1 series, TGA, ON RRP, bank assets, GDP).
    preset
        One of :data:`PRESETS`.
    weeks
        Horizon in weeks (1..520).
    as_of
        Start from the data published by this day, with the announcements made by then
        (default: the latest data and every announcement).
    levels
        Extra thresholds, label -> USD bn (e.g. ``{"2.8T": 2800}``).
    announcements
        The dated announcements to use (default: the packaged ones); only those made by the
        as-of day count.
    **overrides
        Fields of :class:`~liqwatch.scenarios.drivers.Assumptions`, e.g.
        ``treasury_cap=0, purchases=40, tga_target=850, tga_by=date(2026, 3, 1)``.

    Returns
    -------
    ProjectionResult

    Examples
    --------
    >>> res = project(store, "tga-rebuild", weeks=26)          # doctest: +SKIP
    >>> res.headline("ja")                                      # doctest: +SKIP
    >>> res.crossings["3.0T"]                                   # doctest: +SKIP
    """
    if not 1 <= weeks <= 520:
        raise ConfigError(f"weeks must be between 1 and 520, got {weeks}")
    if preset not in PRESETS:
        raise ConfigError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    bs = balance_sheet(store, as_of=as_of)
    s0 = start_state(bs)
    known_by = as_of or max(date.today(), s0.date)
    ann = (announcements or packaged_announcements()).known_by(known_by)
    base, preset_text = preset_assumptions(preset, store, s0, known_by, ann)
    a = base.updated(**overrides)
    from_preset = frozenset(f.name for f in fields(base) if getattr(base, f.name) is not None
                            and overrides.get(f.name) is None)
    resolved = resolve(bs, a, weeks, known_by, store=store, ann=ann, as_of=as_of,
                       preset=preset, preset_fields=from_preset)
    bank = load_bank_assets(store, as_of, s0.date, level=a.bank_assets_bn,
                            growth_pct=a.bank_assets_growth_pct)
    gdp = load_scale(store, "GDP", as_of, s0.date, trend_years=5)
    path = run_path(s0, resolved.drivers, weeks, bank, gdp)
    path["published_bn"] = _published_later(store, path, as_of)
    user_levels = dict(levels or {})
    notes = [
        "Basis: H.4.1 week averages (Thursday-Wednesday, as WRESBAL); total assets enter at "
        "their Wednesday level, the difference is part of 'other'.",
        bank.describe(s0.date),
        gdp.describe(s0.date),
    ]
    est = str(bs["estimated"].iloc[-1])
    if est:
        notes.append(f"Start week {s0.date}: {est} not published on the week-average basis "
                     "(estimated; see docs/scenarios.md).")
    said = statements(s0, resolved, week_dates(s0.date, weeks), known_by, ann, preset_text)
    said = (*said, Statement("bank_assets", Text(bank.describe(s0.date, "en"),
                                                 bank.describe(s0.date, "ja"))))
    return ProjectionResult(
        preset=preset, as_of=as_of, known_by=known_by, start=s0, weeks=weeks,
        resolved=resolved, path=path,
        thresholds=thresholds_of(path, user_levels, bank.uncertain), statements=said,
        notes=notes, bank=bank, gdp=gdp, levels=user_levels,
        history=_history(store, bs, as_of), last_known_ratio=_last_ratio(bs, bank),
    )


def _published_later(store: Store, path: pd.DataFrame, as_of: date | None) -> np.ndarray:
    """Reserves published after a past start for the projected weeks (NaN elsewhere)."""
    out = np.full(len(path), np.nan)
    if as_of is None or len(path) < 2:
        return out
    first, last = pd.Timestamp(path["date"].iloc[1]), pd.Timestamp(path["date"].iloc[-1])
    frame = store.read(["WRESBAL"], start=first.date(), end=last.date())
    if frame.empty:
        return out
    s = frame.set_index("date")["value"] / 1e3
    out[1:] = s.reindex(pd.DatetimeIndex(path["date"].iloc[1:])).to_numpy(float)
    return out


def _history(store: Store, bs: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    tail = bs.iloc[-_HISTORY_WEEKS:]
    dates = pd.DatetimeIndex(tail.index)
    reserves = tail["reserves"].to_numpy(float) / 1e3
    h8 = store.read([BANK_ASSETS], start=dates[0].date(), end=dates[-1].date(), as_of=as_of)
    assets = (h8.set_index("date")["value"].reindex(dates).to_numpy(float) if not h8.empty
              else np.full(len(dates), np.nan))
    return pd.DataFrame({
        "date": dates, "reserves_bn": reserves, "tga_bn": tail["tga"].to_numpy(float) / 1e3,
        "on_rrp_bn": tail["on_rrp"].to_numpy(float) / 1e3,
        "reserves_to_bank_assets_pct": reserves / assets * 100.0,
    })


def _last_ratio(bs: pd.DataFrame, bank: BankAssets) -> tuple[date, float] | None:
    if bank.last_date is None or bank.last_value is None or bank.kind == "user":
        return None
    at = bs["reserves"].loc[:pd.Timestamp(bank.last_date)]
    if at.empty:
        return None
    return bank.last_date, float(at.iloc[-1]) / 1e3 / bank.last_value * 100.0
