"""Choosing the confirming-event parameters without looking at the episode being scored.

The plumbing episodes (the listed ones and the squeezes found in the data) are few, so the
parameters of :class:`~liqwatch.stress.verdict.VerdictParams` that decide when an event
confirms a tight regime (how far above IORB, how far above the ceiling, how long an alert
holds) are chosen by **leave-one-episode-out**: for each plumbing episode, the grid point that
serves the *other* plumbing episodes best is chosen on training data without the held-out
episode — its window and pre-peak zone are left out, neither scored as an episode nor counted
as quiet days — and the held-out episode is then scored with that choice. The package's
parameters are the choice made with every plumbing episode in the training data.

Choice rule, on the training episodes: among grid points with at most
:data:`MAX_ALARMS_PER_YEAR` alert onsets per year and alert on at most :data:`MAX_ALERT_SHARE`
of quiet days since :data:`QUIET_FROM` (outside every known episode and its pre-peak zone),
the one warning the most training episodes at least :data:`LEAD_GOAL` business days before
their peak; ties go to the longest total lead (each capped at 40 days), then to the most
sensitive point (lower thresholds, longer hold): an early warning should use the false-alarm
budget it has. Regenerate the package data with ``python -m liqwatch.stress --db PATH
--write``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.stress.episodes import EPISODES, Episode
from liqwatch.stress.event_study import event_study, inside_zones
from liqwatch.stress.regime import IndicatorView, regime_history
from liqwatch.stress.verdict import VerdictParams, load_params, verdict_from_history

__all__ = ["GRID", "LEAD_GOAL", "MAX_ALARMS_PER_YEAR", "MAX_ALERT_SHARE", "QUIET_FROM",
           "Selection", "select_params"]

#: Candidate values of the chosen parameters.
GRID: dict[str, tuple[float, ...]] = {
    "sofr_iorb_bp": (10.0, 15.0, 20.0, 25.0, 30.0),
    "ceiling_bp": (1.0, 3.0, 5.0, 10.0),
    "hold_days": (3.0, 5.0, 10.0),
}
#: Business days before the peak a warning should come.
LEAD_GOAL = 10
MAX_ALARMS_PER_YEAR = 1.5
MAX_ALERT_SHARE = 0.03
#: Quiet days counted from here (the period of the false-alarm goals).
QUIET_FROM = date(2015, 1, 1)


@dataclass(frozen=True)
class Selection:
    """Result of the leave-one-episode-out choice.

    Attributes
    ----------
    params
        The choice with every plumbing episode known (the package's parameters).
    held_out
        One row per plumbing episode: the parameters chosen without it, its lead under the
        ``warning`` and ``strict`` definitions with them, and the regime on its first alert
        day and on its peak.
    method
        How the parameters were chosen, in words.
    """

    params: VerdictParams
    held_out: pd.DataFrame
    method: str


def _candidates(base: VerdictParams) -> list[VerdictParams]:
    keys = list(GRID)
    out = []
    for values in itertools.product(*(GRID[k] for k in keys)):
        kw: dict[str, Any] = dict(zip(keys, values, strict=True))
        kw["hold_days"] = int(kw["hold_days"])
        out.append(replace(base, **kw))
    return out


def _score(lead: dict[str, float | None], train: list[str], quiet: np.ndarray,
           alert: np.ndarray, prev: np.ndarray) -> tuple[int, float, float]:
    warned = sum(1 for e in train if (lead.get(e) or -999) >= LEAD_GOAL)
    days = int(quiet.sum())
    onsets = int((alert & ~prev & quiet).sum())
    years = days / 252.0
    fa = onsets / years if days else 0.0
    share = float((alert & quiet).sum()) / days if days else 0.0
    return warned, fa, share


def select_params(
    history: pd.DataFrame, composite: pd.DataFrame | None, found: tuple[Episode, ...],
    episodes: tuple[Episode, ...] = EPISODES, *, view: IndicatorView | None = None,
    regime: pd.DataFrame | None = None, base: VerdictParams | None = None,
) -> Selection:
    """Leave-one-episode-out choice of the confirming-event parameters (module docstring).

    Parameters
    ----------
    history
        :func:`liqwatch.indicators.history` output.
    composite
        The default composite's history (the broad channel of the verdict).
    found
        Squeezes found in the data (scored like the listed plumbing episodes).
    """
    view = view or IndicatorView(history)
    reg = regime if regime is not None else regime_history(view)
    p0 = base or load_params()
    cands = _candidates(p0)
    plumbing = [e for e in (*episodes, *found) if e.type == "plumbing"]
    names = [e.name for e in plumbing]
    days = view.days
    quiet = (days >= pd.Timestamp(QUIET_FROM)) & ~inside_zones(days, (*episodes, *found))
    runs = []
    for p in cands:
        v = verdict_from_history(history, composite, p, view=view, regime=reg)
        alert = (v["status"] == "alert").to_numpy()
        known = (v["status"] != "no_data").to_numpy()
        rows, _ = event_study(pd.Series(alert, index=days).where(known), "overall", episodes,
                              found=found)
        by = {r["episode"]: r for r in rows}
        runs.append((p, v, alert & known, by, known))

    def choose(train: list[str], quiet: np.ndarray) -> tuple[VerdictParams, dict[str, Any]]:
        best: tuple[Any, ...] | None = None
        pick: tuple[VerdictParams, dict[str, Any]] | None = None
        for p, _, alert, by, known in runs:
            prev = np.r_[False, alert[:-1]]
            lead = {e: by[e]["lead_warning"] for e in train}
            warned, fa, share = _score(lead, train, quiet & known, alert, prev)
            ok = fa <= MAX_ALARMS_PER_YEAR and share <= MAX_ALERT_SHARE
            total = sum(min(max(v, 0), 40) for v in lead.values() if v is not None)
            # within the false-alarm budget: most episodes warned, then the longest leads,
            # then the most sensitive point (an early warning uses the budget it has)
            key = (ok, warned, total, -p.sofr_iorb_bp, -p.ceiling_bp, p.hold_days,
                   -round(fa, 6))
            if best is None or key > best:
                best, pick = key, (p, by)
        assert pick is not None
        return pick

    held: list[dict[str, Any]] = []
    for e in plumbing:
        train = [n for n in names if n != e.name]
        p, by = choose(train, quiet)
        r = by[e.name]
        v = next(run[1] for run in runs if run[0] == p)
        first = r["first_warning"]
        held.append({
            "episode": e.name, "found": e.found, "peak": e.peak,
            "sofr_iorb_bp": p.sofr_iorb_bp, "ceiling_bp": p.ceiling_bp,
            "hold_days": p.hold_days, "detected": r["detected_warning"],
            "first_alert": first, "lead_warning": r["lead_warning"],
            "lead_days": r["lead_days"],
            "regime_first_alert": _regime_on(v, first),
            "regime_peak": _regime_on(v, e.peak),
        })
    final, _ = choose(names, quiet)
    method = (f"leave-one-episode-out over {len(plumbing)} plumbing episodes "
              f"({', '.join(names)}); package parameters chosen with all of them known")
    return Selection(replace(final, chosen_by=method), pd.DataFrame(held), method)


def _regime_on(v: pd.DataFrame, day: date | None) -> str | None:
    if day is None:
        return None
    part = v.loc[: pd.Timestamp(day), "regime"]
    return None if part.empty else part.iloc[-1]


def to_toml(params: VerdictParams) -> str:
    """The package data file for ``params``."""
    lines = [
        "# Confirming-event parameters of the overall status (liqwatch.stress.verdict).",
        "# sofr_iorb_bp, ceiling_bp and hold_days are chosen by liqwatch.stress.selection;",
        "# srf_bn and dispersion_bp are fixed; calendar (off: measured in docs/stress.md) and",
        "# calendar_excess_bp can be set in the config file's [stress.verdict] table.",
        "# Regenerate with",
        "#   python -m liqwatch.stress --db PATH --write",
        "[params]",
    ]
    for key, value in params.as_dict().items():
        if isinstance(value, bool):
            lines.append(f"{key} = {str(value).lower()}")
        elif isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        else:
            lines.append(f"{key} = {value!r}")
    return "\n".join(lines) + "\n"
