"""What the funding calendar does to the overall status: false onsets and leads, with and
without it, scored by the backtest's own machinery.

For each variant — the calendar off (the package's verdict) and on with an excess of
``excess_bp`` over the usual print on the kind of day — the overall status is computed on
every business day with the package's parameters and scored like ``liqwatch backtest``:
alert onsets per year on quiet days of the test period (2015 on) under both definitions, the
share of quiet days in alert, and the warning lead of every plumbing episode. The leads are
also scored **held out**: for each plumbing episode, the confirming-event parameters are
chosen without it (:func:`liqwatch.stress.selection.select_params`, with the variant's
calendar setting) and the episode is scored with that choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from liqwatch.stress.episodes import EPISODES
from liqwatch.stress.event_study import BacktestInputs, backtest_inputs, event_study
from liqwatch.stress.selection import select_params
from liqwatch.stress.verdict import VerdictParams, load_params, verdict_from_history

__all__ = ["DEFAULT_EXCESS", "CalendarEffect", "calendar_effect", "effect_from_inputs"]

#: Excess levels (bp over the usual print on the kind of day) compared by default.
DEFAULT_EXCESS: tuple[float, ...] = (5.0, 10.0, 15.0)


@dataclass(frozen=True)
class CalendarEffect:
    """The comparison table.

    Attributes
    ----------
    table
        One row per variant: ``variant``, ``calendar``, ``excess_bp``,
        ``onsets_strict``/``onsets_warning`` (alert onsets per year on quiet test days),
        ``alert_share_warning``, then per plumbing episode ``lead:<name>`` (warning lead
        with the package's parameters) and ``held_out:<name>`` (warning lead with
        parameters chosen without it).
    episodes
        The plumbing episodes, in column order.
    """

    table: pd.DataFrame
    episodes: tuple[str, ...]

    def to_markdown(self) -> str:
        """The table as Markdown (one row per variant)."""
        head = ["variant", "onsets / yr, strict", "onsets / yr, warning",
                "quiet days in alert"]
        head += [f"{e}: lead (held out)" for e in self.episodes]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in self.table.to_dict("records"):
            cells = [str(r["variant"]), f"{r['onsets_strict']:.2f}",
                     f"{r['onsets_warning']:.2f}", f"{100 * r['alert_share_warning']:.1f}%"]
            for e in self.episodes:
                cells.append(f"{_lead(r[f'lead:{e}'])} ({_lead(r[f'held_out:{e}'])})")
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly mapping (missing values as None)."""
        from liqwatch.jsonsafe import jsonable

        rows = jsonable(self.table.to_dict("records"))
        return {"episodes": list(self.episodes), "rows": rows}


def _lead(x: Any) -> str:
    return "no" if x is None or pd.isna(x) else f"{int(x):+d}"


def _variant(inp: BacktestInputs, p: VerdictParams, plumbing: list[str]) -> dict[str, Any]:
    v = verdict_from_history(inp.history, inp.composite, p, view=inp.view, regime=inp.regime)
    overall = (v["status"] == "alert").where(v["status"] != "no_data")
    rows, fa = event_study(overall, "overall", EPISODES, found=inp.found)
    by = {r["episode"]: r for r in rows}
    test = {r["definition"]: r for r in fa if r["period"] == "test"}
    sel = select_params(inp.history, inp.composite, inp.found, view=inp.view,
                        regime=inp.regime, base=p)
    held = sel.held_out.set_index("episode")["lead_warning"].to_dict()
    out: dict[str, Any] = {
        "variant": (f"calendar on, excess ≥ {p.calendar_excess_bp:g} bp" if p.calendar
                    else "calendar off"),
        "calendar": p.calendar, "excess_bp": p.calendar_excess_bp if p.calendar else None,
        "onsets_strict": test["strict"]["false_alarms_per_year"],
        "onsets_warning": test["warning"]["false_alarms_per_year"],
        "alert_share_warning": test["warning"]["alert_share"],
    }
    for e in plumbing:
        out[f"lead:{e}"] = by[e]["lead_warning"]
        out[f"held_out:{e}"] = held.get(e)
    return out


def effect_from_inputs(inp: BacktestInputs, excess_bp: Sequence[float] = DEFAULT_EXCESS,
                       base: VerdictParams | None = None) -> CalendarEffect:
    """:func:`calendar_effect` on precomputed backtest inputs."""
    p0 = replace(base or load_params(), calendar=False)
    plumbing = [e.name for e in (*EPISODES, *inp.found) if e.type == "plumbing"]
    rows = [_variant(inp, p0, plumbing)]
    rows += [_variant(inp, replace(p0, calendar=True, calendar_excess_bp=float(x)), plumbing)
             for x in excess_bp]
    return CalendarEffect(pd.DataFrame(rows), tuple(plumbing))


def calendar_effect(store: Any, excess_bp: Sequence[float] = DEFAULT_EXCESS) -> CalendarEffect:
    """False onsets and plumbing leads of the overall status with and without the calendar.

    Parameters
    ----------
    store
        A :class:`liqwatch.store.Store`.
    excess_bp
        The excess levels to compare with the calendar off.

    Examples
    --------
    >>> print(calendar_effect(store).to_markdown())  # doctest: +SKIP
    """
    return effect_from_inputs(backtest_inputs(store), excess_bp)
