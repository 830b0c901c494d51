"""Replay: which alerts would have fired on which days, point in time, without sending.

Each business day from ``start`` to ``end`` is an evaluation day: the rules see only data
published by then (the New York Fed's rate for day D is published on D+1, so an event's
``as_of`` is usually the business day after its observation ``date``). Hysteresis runs over a
warm-up period before ``start`` so that the first days start from the right state. Only the
market rules (``indicator``, ``composite``, ``combination``) are replayed: staleness and source
failures describe the live installation, not history.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from liqwatch.alerts.config import AlertConfig, RuleSpec, load_alert_config
from liqwatch.alerts.engine import AlertEvent, AlertList, make_event, transition
from liqwatch.alerts.inputs import DefaultProvider, Provider
from liqwatch.alerts.message import describe
from liqwatch.alerts.rules import (
    Condition,
    combination_condition,
    composite_condition,
    indicator_conditions,
)
from liqwatch.calendar import BDAY, business_days
from liqwatch.exceptions import ConfigError
from liqwatch.frames import records
from liqwatch.store import Store

__all__ = ["REPLAY_KINDS", "replay"]

#: Rule kinds a replay evaluates.
REPLAY_KINDS = ("indicator", "composite", "combination")


@dataclass(frozen=True)
class _Reading:
    """A composite reading rebuilt from a ``stress_history`` row."""

    date: date | None
    method: str
    value: float | None
    status: str
    levels: dict[str, float] | None = None


class _Days:
    """Per-day inputs from the vectorised histories, with ``compute`` on change days."""

    def __init__(self, store: Store, provider: Provider, rules: list[RuleSpec],
                 start: date, end: date, notes: list[str]) -> None:
        self.store, self.provider, self.notes = store, provider, notes
        self._full: dict[tuple[date, str | None], pd.DataFrame | None] = {}
        kinds = {r.kind for r in rules}
        self.ind: dict[date, pd.DataFrame] | None = None
        if kinds & {"indicator", "combination"}:
            hist = provider.indicator_history(store, start, end)
            if hist is None:
                notes.append("indicator rules skipped: the indicator history could not be computed")
            else:
                # `date` is the as-of day in a history frame, `obs_date` the observation.
                hist = hist.assign(_as_of=pd.to_datetime(hist["date"]).dt.date)
                if "obs_date" in hist:
                    hist = hist.assign(date=hist["obs_date"])
                groups = hist.groupby("_as_of", sort=True)
                self.ind = {d: g for d, g in groups if isinstance(d, date)}
        self.comp: dict[date, dict[str, Any]] | None = None
        comp_rules = [r for r in rules if r.kind == "composite"]
        if comp_rules:
            ch = provider.composite_history(store, start, end, comp_rules[0].method)
            if ch is None:
                notes.append("composite rule skipped: the composite history could not be computed")
            else:
                ch = ch.assign(date=pd.to_datetime(ch["date"]).dt.date)
                self.comp = {r["date"]: r for r in records(ch)}

    def full(self, day: date, ident: str | None = None) -> pd.DataFrame | None:
        """``compute(store, day)`` for one indicator or all, cached (used on change days)."""
        key = (day, ident)
        if key not in self._full:
            ids = [ident] if ident is not None else None
            self._full[key] = self.provider.indicators(self.store, day, ids)
        return self._full[key]

    def conditions(self, rule: RuleSpec, day: date) -> Iterator[Condition]:
        if rule.kind in ("indicator", "combination") and self.ind is not None:
            frame = self.ind.get(day)
            if frame is None:
                return
            if rule.kind == "indicator":
                yield from indicator_conditions(rule, frame)
            else:
                yield combination_condition(rule, frame)
        elif rule.kind == "composite" and self.comp is not None and day in self.comp:
            r = self.comp[day]
            yield composite_condition(rule, _Reading(
                date=day, method=str(r.get("method") or rule.method or "default"),
                value=r.get("value"), status=str(r.get("status")),
            ))

    def detailed(self, rule: RuleSpec, cond: Condition, day: date) -> Condition:
        """The condition recomputed with ``compute``/``composite`` (observation date,
        thresholds, explanation); falls back to ``cond``."""
        if rule.kind == "composite":
            reading = self.provider.composite(self.store, day, rule.method)
            return composite_condition(rule, reading) if reading is not None else cond
        frame = self.full(day, None if rule.kind == "combination" else cond.subject)
        if frame is None or frame.empty:
            return cond
        if rule.kind == "combination":
            return combination_condition(rule, frame)
        rows = frame[frame["id"] == cond.subject]
        found = indicator_conditions(rule, rows) if not rows.empty else []
        return found[0] if found else cond


def parse_range(text: str) -> tuple[date, date]:
    """``START:END`` (ISO dates) → (start, end)."""
    try:
        a, b = text.split(":", 1)
        start, end = date.fromisoformat(a.strip()), date.fromisoformat(b.strip())
    except ValueError:
        raise ConfigError(
            f"--replay: {text!r} is not START:END (e.g. 2019-08-01:2019-10-31)"
        ) from None
    if end < start:
        raise ConfigError(f"--replay: the end {end} is before the start {start}")
    return start, end


def replay(
    store: Store,
    start: date,
    end: date,
    *,
    config: AlertConfig | None = None,
    provider: Provider | None = None,
    warmup: int = 30,
) -> AlertList:
    """List, point in time, the alerts that would have fired between ``start`` and ``end``.

    Nothing is recorded and nothing is sent.

    Parameters
    ----------
    store
        The store (read-only is fine).
    start, end
        First and last evaluation day (inclusive).
    config
        Rules (default: the configured ones; only the market rules are replayed).
    provider
        Source of indicator and composite histories (default: ``liqwatch.indicators`` and
        ``liqwatch.stress``).
    warmup
        Business days evaluated before ``start`` to settle the hysteresis state.

    Returns
    -------
    AlertList
        State changes on the evaluation days (``as_of``), each with the observation ``date``
        of its data; rule instances already active on ``start`` come first with
        ``changed=False``.

    Examples
    --------
    >>> events = replay(store, date(2019, 8, 1), date(2019, 10, 31))  # doctest: +SKIP
    >>> [(e.date, e.as_of, e.subject, e.state) for e in events.changes]  # doctest: +SKIP
    """
    cfg = config or load_alert_config()
    src = provider or DefaultProvider()
    rules = [r for r in cfg.active_rules if r.kind in REPLAY_KINDS]
    notes: list[str] = []
    first = (pd.Timestamp(start) - warmup * BDAY).date()
    days = [d.date() for d in business_days(first, end)]
    inputs = _Days(store, src, rules, first, end, notes)
    state: dict[str, str] = {}
    seen: dict[str, date] = {}
    last: dict[str, tuple[RuleSpec, Condition, date]] = {}
    events: list[AlertEvent] = []
    opened = False
    for day in days:
        if day >= start and not opened:
            opened = True
            events.extend(_carried(state, last, inputs))
        for rule in rules:
            for cond in inputs.conditions(rule, day):
                previous = state.get(cond.key, "normal")
                new = transition(cond, rule, previous, seen.get(cond.key), day)
                if cond.level in ("watch", "alert"):
                    seen[cond.key] = day
                last[cond.key] = (rule, cond, day)
                state[cond.key] = new
                if new == previous or day < start:
                    continue
                rich = inputs.detailed(rule, cond, day)
                events.append(make_event(rich, new, previous, day, None, True,
                                         describe(rich, new, previous, day),
                                         rule.notifies(new, previous)))
    notes.extend(n for n in getattr(src, "notes", []) if n not in notes)
    notes.append("replay evaluates the market rules only (indicators, composite, "
                 "combination); dates: `date` = observation, `as_of` = the day it was known")
    return AlertList(events, end, notes)


def _carried(state: dict[str, str], last: dict[str, tuple[RuleSpec, Condition, date]],
             inputs: _Days) -> list[AlertEvent]:
    """Rule instances already active when the reported window opens."""
    out = []
    for key, st in sorted(state.items()):
        if st == "normal" or key not in last:
            continue
        rule, cond, day = last[key]
        rich = inputs.detailed(rule, cond, day)
        msg = "already active when the replay starts: " + describe(rich, st, "normal", day)
        out.append(make_event(rich, st, st, day, None, False, msg))
    return out
