"""Weekly reserve projections with threshold crossings and a sensitivity table."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.scenarios.drivers import Resolved, resolve, start_state
from liqwatch.scenarios.engine import Drivers, StartState, first_crossing, simulate, week_dates
from liqwatch.scenarios.identity import balance_sheet
from liqwatch.scenarios.presets import PRESETS, preset_assumptions
from liqwatch.scenarios.scale import BANK_ASSETS, Scale, load_scale
from liqwatch.store import Store

__all__ = ["DEFAULT_LEVELS", "ProjectionResult", "project", "run_path"]

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


def run_path(
    s0: StartState, d: Drivers, weeks: int, bank: Scale, gdp: Scale
) -> pd.DataFrame:
    """The projected path as a DataFrame (USD bn; see :class:`ProjectionResult`)."""
    p = simulate(s0, d, weeks)
    dates = week_dates(s0.date, weeks)
    bank_lvl = bank.at(dates)
    gdp_lvl = gdp.at(dates)
    return pd.DataFrame({
        "week": np.arange(weeks + 1),
        "date": dates,
        "reserves_bn": p["reserves"],
        "tga_bn": p["tga"],
        "on_rrp_bn": p["on_rrp"],
        "foreign_rrp_bn": p["foreign_rrp"],
        "currency_bn": p["currency"],
        "other_bn": p["other"],
        "soma_bn": p["treasuries"] + p["mbs"],
        "treasuries_bn": p["treasuries"],
        "mbs_bn": p["mbs"],
        "srf_bn": p["repo"],
        "total_assets_bn": p["total_assets"],
        "bank_assets_bn": bank_lvl,
        "reserves_to_bank_assets_pct": p["reserves"] / bank_lvl * 100.0,
        "reserves_to_gdp_pct": p["reserves"] / gdp_lvl * 100.0,
    })


def crossings_of(path: pd.DataFrame, levels: dict[str, float]) -> dict[str, date | None]:
    """First date each threshold is crossed (reserves below it; week 0 counts)."""
    dates = pd.DatetimeIndex(path["date"])
    out: dict[str, date | None] = {}
    for label, lvl in DEFAULT_LEVELS.items():
        out[label] = first_crossing(dates, path["reserves_bn"].to_numpy(), lvl)
    for label, pct in DEFAULT_RATIOS.items():
        ratio = path["reserves_to_bank_assets_pct"].to_numpy()
        out[label] = None if np.isnan(ratio).all() else first_crossing(dates, ratio, pct)
    for label, lvl in levels.items():
        out[label] = first_crossing(dates, path["reserves_bn"].to_numpy(), lvl)
    return out


class ProjectionResult:
    """A reserve projection: the weekly path, threshold crossings and sensitivity.

    Attributes
    ----------
    path : pandas.DataFrame
        ``week, date, reserves_bn, tga_bn, on_rrp_bn, foreign_rrp_bn, currency_bn, other_bn,
        soma_bn, treasuries_bn, mbs_bn, srf_bn, total_assets_bn, bank_assets_bn,
        reserves_to_bank_assets_pct, reserves_to_gdp_pct`` (week 0 = last published week).
    crossings : dict
        Threshold label -> first date reserves are below it (``None``: not in the horizon).
    assumptions : dict
        Assumption -> ``{"value": ..., "origin": ...}``.
    notes : list of str
        Assumptions behind the ratios and the identity basis.
    history : pandas.DataFrame
        The published weeks before the start (``date, reserves_bn, tga_bn, on_rrp_bn,
        reserves_to_bank_assets_pct``), up to two years, for charts.
    """

    def __init__(
        self, *, preset: str, as_of: date | None, start: StartState, weeks: int,
        resolved: Resolved, path: pd.DataFrame, crossings: dict[str, date | None],
        notes: list[str], bank: Scale, gdp: Scale, levels: dict[str, float],
        history: pd.DataFrame | None = None,
    ) -> None:
        self.preset = preset
        self.as_of = as_of
        self.start = start
        self.weeks = weeks
        self.resolved = resolved
        self.path = path
        self.crossings = crossings
        self.notes = notes
        self._bank = bank
        self._gdp = gdp
        self._levels = levels
        self.history = history if history is not None else pd.DataFrame()

    @property
    def levels(self) -> dict[str, float]:
        """User threshold levels (label -> USD bn), besides 2.5T, 3.0T, 12% and 13%."""
        return dict(self._levels)

    @property
    def assumptions(self) -> dict[str, dict[str, Any]]:
        """Each assumption's value (first week for policy arrays) and origin."""
        r = self.resolved
        return {k: {"value": r.values.get(k), "origin": v} for k, v in r.origin.items()}

    @cached_property
    def sensitivity(self) -> pd.DataFrame:
        """End-of-horizon reserves over a 5 x 5 grid of the two most influential assumptions.

        Influence is the spread of end reserves between one step up and one step down of each
        assumption (steps: caps and purchases 10-20bn a month, MBS paydowns 5bn a month, TGA
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
            up = self._end(_shock(base, s0, name, step, self.weeks))
            down = self._end(_shock(base, s0, name, -step, self.weeks))
            influence[name] = abs(up - down)
        top = sorted(influence, key=lambda n: -influence[n])[:2]
        steps = {n: s for n, _u, s in _SHOCKS}
        rows = []
        for i in _offsets(base, s0, top[0], steps[top[0]]):
            d1 = _shock(base, s0, top[0], i * steps[top[0]], self.weeks)
            for j in _offsets(base, s0, top[1], steps[top[1]]):
                d2 = _shock(d1, s0, top[1], j * steps[top[1]], self.weeks)
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
        """JSON-ready dict: ``preset, start, as_of, path, crossings, assumptions, notes``."""
        from liqwatch.jsonsafe import plain_records

        out: dict[str, Any] = {
            "preset": self.preset,
            "start": self.start.date.isoformat(),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "weeks": self.weeks,
            "path": plain_records(self.path.to_dict("records")),
            "crossings": {k: v.isoformat() if v else None for k, v in self.crossings.items()},
            "assumptions": plain_records([self.assumptions])[0],
            "notes": self.notes,
        }
        if sensitivity:
            s = self.sensitivity
            out["sensitivity"] = {
                "axes": list(s.attrs["axes"]),
                "influence_bn": {k: round(v, 1) for k, v in s.attrs["influence"].items()},
                "rows": plain_records(s.to_dict("records")),
            }
        return out

    def summary(self) -> str:
        """A plain-text summary: start, end, crossings, main assumptions."""
        p = self.path
        end = p.iloc[-1]
        lines = [
            f"Reserve projection '{self.preset}' from {self.start.date} for {self.weeks} weeks",
            f"  reserves {self.start.reserves:,.0f}bn -> {end['reserves_bn']:,.0f}bn on "
            f"{pd.Timestamp(end['date']).date()} (min {p['reserves_bn'].min():,.0f}bn)",
            f"  reserves / bank assets {p['reserves_to_bank_assets_pct'].iloc[0]:.1f}% -> "
            f"{end['reserves_to_bank_assets_pct']:.1f}%",
            "  first week below:",
        ]
        for label, d in self.crossings.items():
            when = "not within the horizon" if d is None else (
                f"{d} (already below at the start)" if d == self.start.date else str(d)
            )
            lines.append(f"    {label:<22} {when}")
        lines.append("  assumptions:")
        for k, v in self.assumptions.items():
            lines.append(f"    {k:<22} {_fmt(v['value'])}  ({v['origin']})")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v) if v else '—')}</td></tr>"
            for k, v in self.crossings.items()
        )
        head = self.path.iloc[[0, len(self.path) // 2, -1]][
            ["date", "reserves_bn", "tga_bn", "on_rrp_bn", "soma_bn",
             "reserves_to_bank_assets_pct"]
        ].to_html(index=False, float_format=lambda x: f"{x:,.1f}")
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (
            f"<div><h4>Reserve projection: {html.escape(self.preset)} from {self.start.date}"
            f"</h4>{head}<table><tr><th>threshold</th><th>first week below</th></tr>{rows}"
            f"</table><ul>{notes}</ul></div>"
        )

    def __repr__(self) -> str:
        return (f"ProjectionResult(preset={self.preset!r}, start={self.start.date}, "
                f"weeks={self.weeks}, end_reserves_bn={self.path['reserves_bn'].iloc[-1]:.0f})")


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}"
    return "—" if v is None else str(v)


def _shock(d: Drivers, s0: StartState, name: str, delta: float, weeks: int) -> Drivers:
    if name == "treasury_cap":
        return replace(d, treasury_cap=np.maximum(d.treasury_cap + delta, 0.0))
    if name == "mbs_paydown":
        return replace(d, mbs_paydown=max(d.mbs_paydown + delta, 0.0))
    if name == "purchases":
        return replace(d, treasury_purchases=np.maximum(d.treasury_purchases + delta, 0.0))
    if name == "tga_target":
        if d.tga_changes is not None:
            extra = np.zeros(len(d.tga_changes))
            extra[: min(8, len(extra))] = delta / max(min(8, len(extra)), 1)
            return replace(d, tga_changes=d.tga_changes + extra)
        target = (d.tga_target if d.tga_target is not None else s0.tga) + delta
        by = d.tga_by or (pd.Timestamp(s0.date) + pd.Timedelta(weeks=8)).date()
        return replace(d, tga_target=max(target, 0.0), tga_by=by)
    if name == "rrp_floor":
        half = d.rrp_half_life_weeks or 8.0
        return replace(d, rrp_floor=max(d.rrp_floor + delta, 0.0), rrp_half_life_weeks=half)
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
        "treasury_cap": float(d.treasury_cap[0]) if len(d.treasury_cap) else 0.0,
        "mbs_paydown": d.mbs_paydown,
        "purchases": float(d.treasury_purchases[0]) if len(d.treasury_purchases) else 0.0,
        "tga_target": d.tga_target if d.tga_target is not None else s0.tga,
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
        Start from the data published by this day, with the policy announced by then
        (default: current data and every announcement in the policy history).
    levels
        Extra thresholds, label -> USD bn (e.g. ``{"2.8T": 2800}``).
    **overrides
        Fields of :class:`~liqwatch.scenarios.drivers.Assumptions`, e.g.
        ``treasury_cap=0, purchases=40, tga_target=850, tga_by=date(2026, 3, 1)``.

    Returns
    -------
    ProjectionResult

    Examples
    --------
    >>> res = project(store, "tga-rebuild", weeks=26)          # doctest: +SKIP
    >>> res.path[["date", "reserves_bn"]].tail(1)               # doctest: +SKIP
    >>> res.crossings["3.0T"]                                   # doctest: +SKIP
    """
    if not 1 <= weeks <= 520:
        raise ConfigError(f"weeks must be between 1 and 520, got {weeks}")
    if preset not in PRESETS:
        raise ConfigError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    bs = balance_sheet(store, as_of=as_of)
    s0 = start_state(bs)
    known_by = as_of or date.today()
    a = preset_assumptions(preset, store, s0.date).updated(**overrides)
    resolved = resolve(bs, a, weeks, known_by)
    bank = load_scale(store, BANK_ASSETS, as_of, s0.date, trend_years=10,
                      level=a.bank_assets_bn, growth_pct=a.bank_assets_growth_pct)
    gdp = load_scale(store, "GDP", as_of, s0.date, trend_years=5)
    path = run_path(s0, resolved.drivers, weeks, bank, gdp)
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
    return ProjectionResult(
        preset=preset, as_of=as_of, start=s0, weeks=weeks, resolved=resolved, path=path,
        crossings=crossings_of(path, user_levels), notes=notes, bank=bank, gdp=gdp,
        levels=user_levels, history=_history(bs, bank),
    )


def _history(bs: pd.DataFrame, bank: Scale) -> pd.DataFrame:
    tail = bs.iloc[-105:]
    dates = pd.DatetimeIndex(tail.index)
    reserves = tail["reserves"].to_numpy(float) / 1e3
    return pd.DataFrame({
        "date": dates, "reserves_bn": reserves, "tga_bn": tail["tga"].to_numpy(float) / 1e3,
        "on_rrp_bn": tail["on_rrp"].to_numpy(float) / 1e3,
        "reserves_to_bank_assets_pct": reserves / bank.at(dates) * 100.0,
    })
