"""Pure rule evaluation: inputs as of one day → one :class:`Condition` per rule instance.

Nothing here reads the store or the clock; :mod:`liqwatch.alerts.inputs` gathers the inputs,
:mod:`liqwatch.alerts.engine` applies hysteresis and persistence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pandas as pd

from liqwatch.alerts.config import RuleSpec
from liqwatch.stress.verdict import OverallStatus

__all__ = ["LEVELS", "Condition", "Inputs", "conditions", "step"]

Level = Literal["normal", "watch", "alert", "no_data"]
#: Order of severity.
LEVELS: dict[str, int] = {"normal": 0, "watch": 1, "alert": 2}


@dataclass(frozen=True)
class Condition:
    """What one rule instance sees on one evaluation day.

    Attributes
    ----------
    rule, kind, subject
        The rule's name and kind, and what it is about (indicator id, series id, source...).
    level
        ``normal``, ``watch``, ``alert``, or ``no_data`` (nothing to judge on that day).
    value
        The number behind the level (indicator value, index, categories, days overdue...).
    thresholds
        ``{"watch": x, "alert": y}`` where the rule has them.
    date
        Observation date of the data behind the value.
    unit, label
        Unit of the value and a human name of the subject.
    detail
        One sentence of context (explanation, the failing series...).
    direction
        +1 when a higher value means more stress, -1 when lower does.
    basis
        What the thresholds apply to when it is not the value itself, with its reading
        (``percentile rank 100``, ``z-score of the 13-week change -0.4``); None: the value.
    """

    rule: str
    kind: str
    subject: str
    level: Level
    value: float | None = None
    thresholds: Mapping[str, float | None] = field(default_factory=dict)
    date: date | None = None
    unit: str | None = None
    label: str | None = None
    detail: str | None = None
    direction: int = 1
    basis: str | None = None

    @property
    def key(self) -> str:
        """Rule instance key, ``<rule>:<subject>``."""
        return f"{self.rule}:{self.subject}"

    def threshold(self, state: str) -> float | None:
        """The threshold of ``state`` (the watch threshold for ``normal``: the level to fall
        below)."""
        return self.thresholds.get("watch" if state == "normal" else state)


@dataclass(frozen=True)
class Inputs:
    """Everything the rules read, as of one day.

    Attributes
    ----------
    as_of
        The evaluation day: only data published by that day.
    indicators
        Rows of ``liqwatch.indicators.compute`` (None: indicators unavailable).
    composite
        A ``StressReading``-like object (``date, method, value, status, levels``) or None.
    overall
        The day's overall status (:class:`liqwatch.stress.verdict.OverallStatus`) or None.
    staleness
        ``series_id, source, date, due, days_overdue, stale, grace_days`` per series (None: not
        evaluated).
    fetch_runs
        ``run_id, source, started_at, failed, error, series`` per update run and source, in
        time order (None: not evaluated).
    """

    as_of: date
    indicators: pd.DataFrame | None = None
    composite: Any | None = None
    overall: OverallStatus | None = None
    staleness: pd.DataFrame | None = None
    fetch_runs: pd.DataFrame | None = None


def step(previous: str, level: str) -> str:
    """Next state of a rule instance (hysteresis).

    A rule instance enters ``watch`` or ``alert`` when its level reaches it and leaves
    ``alert`` only when the level falls below ``watch``: an instance at ``alert`` whose level
    drops to ``watch`` stays at ``alert``. ``no_data`` keeps the previous state.

    Examples
    --------
    >>> step("normal", "alert"), step("alert", "watch"), step("alert", "normal")
    ('alert', 'alert', 'normal')
    """
    if level == "no_data":
        return previous
    if level == "watch" and previous == "alert":
        return "alert"
    return level


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _day(value: Any) -> date | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    day: date = pd.Timestamp(value).date()
    return day


def _thresholds(raw: Any) -> dict[str, float | None]:
    if not isinstance(raw, Mapping):
        return {}
    return {str(k): _num(v) for k, v in raw.items() if str(k) in ("watch", "alert")}


def _status(raw: Any) -> Level:
    text = str(raw) if raw is not None else "no_data"
    return text if text in ("normal", "watch", "alert") else "no_data"  # type: ignore[return-value]


def indicator_conditions(rule: RuleSpec, frame: pd.DataFrame) -> list[Condition]:
    """One condition per indicator row of ``compute()`` (filtered by the rule's ids and
    categories)."""
    rows = frame
    if rule.ids:
        rows = rows[rows["id"].isin(rule.ids)]
    if rule.categories:
        rows = rows[rows["category"].isin(rule.categories)]
    out = []
    for r in rows.to_dict("records"):
        status = _status(r.get("status"))
        out.append(Condition(
            rule=rule.name, kind=rule.kind, subject=str(r["id"]), level=status,
            value=_num(r.get("value")), thresholds=_thresholds(r.get("thresholds")),
            date=_day(r.get("date")), unit=_text(r.get("unit")),
            label=_label(r), basis=_basis(r),
            detail=_text(r.get("explanation_en")) if status != "no_data" else
            _text(r.get("reason")),
            direction=-1 if _num(r.get("direction")) == -1 else 1,
        ))
    return out


def _label(row: Mapping[Any, Any]) -> str:
    name = _text(row.get("name_en"))
    ident = f"{row['id']}, {row.get('category')}"
    return f"{name} [{ident}]" if name else f"{row['id']} ({row.get('category')})"


def _basis(row: Mapping[Any, Any]) -> str | None:
    """What an indicator's thresholds are judged on, with its reading, when not the value
    itself: ``percentile rank 100``, ``z-score of the 4-week change -0.7``, ``business days
    with SOFR above the ceiling in the last 10: 2``."""
    raw = row.get("thresholds")
    if not isinstance(raw, Mapping):
        return None
    kind = str(raw.get("kind") or "fixed")
    on = str(raw.get("on") or "value")
    if kind == "fixed" and on == "value":
        return None
    from liqwatch.indicators import REGISTRY

    spec = REGISTRY.get(str(row.get("id")))
    signal = (spec.signal_en if spec is not None else None) or on
    if kind == "fixed":
        details = row.get("details")
        reading = _num(details.get(on)) if isinstance(details, Mapping) else None
        return f"{signal}: {reading:g}" if reading is not None else signal
    measure = "z-score" if kind == "zscore" else "percentile rank"
    what = f"{measure} of the {signal}" if on != "value" else measure
    score = _num(row.get("score"))
    if score is None:
        return what
    return f"{what} {score:+.1f}" if kind == "zscore" else f"{what} {score:.0f}"


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def overall_condition(rule: RuleSpec, overall: OverallStatus, day: date) -> Condition:
    """The condition of the overall status: the headline the report and dashboard show."""
    return Condition(
        rule=rule.name, kind=rule.kind, subject="overall", level=_status(str(overall.status)),
        date=day, label="overall status", detail=overall.reason_en,
    )


def composite_condition(rule: RuleSpec, reading: Any) -> Condition:
    """The condition of the composite stress index (``StressReading``-like ``reading``)."""
    method = str(getattr(reading, "method", None) or rule.method or "default")
    levels = getattr(reading, "levels", None) or {}
    return Condition(
        rule=rule.name, kind=rule.kind, subject=method,
        level=_status(getattr(reading, "status", None)),
        value=_num(getattr(reading, "value", None)), thresholds=_thresholds(levels),
        date=_day(getattr(reading, "date", None)), unit="index",
        label=f"composite stress index ({method})",
        detail=_contributions(getattr(reading, "contributions", None)),
    )


def _contributions(raw: Any) -> str | None:
    if not isinstance(raw, Mapping) or not raw:
        return None
    parts = sorted(((str(k), _num(v)) for k, v in raw.items()), key=lambda kv: -(kv[1] or 0.0))
    return "largest contributions: " + ", ".join(
        f"{k} {v:+.2f}" for k, v in parts[:3] if v is not None
    )


def combination_condition(rule: RuleSpec, frame: pd.DataFrame) -> Condition:
    """Categories at alert (and at watch or worse) on the same day.

    Level ``alert`` when at least ``min_categories`` categories have an indicator at alert,
    ``watch`` when that many are at watch or worse.
    """
    by_cat: dict[str, int] = {}
    for r in frame.to_dict("records"):
        rank = LEVELS.get(_status(r.get("status")), -1)
        cat = str(r.get("category"))
        by_cat[cat] = max(by_cat.get(cat, -1), rank)
    at_alert = sorted(c for c, v in by_cat.items() if v >= 2)
    at_watch = sorted(c for c, v in by_cat.items() if v >= 1)
    need = rule.min_categories
    dates = [d for d in (_day(x) for x in frame.get("date", [])) if d is not None]
    if not by_cat or all(v < 0 for v in by_cat.values()):
        level: Level = "no_data"
    elif len(at_alert) >= need:
        level = "alert"
    elif len(at_watch) >= need:
        level = "watch"
    else:
        level = "normal"
    value = float(len(at_alert) if level != "watch" else len(at_watch))
    return Condition(
        rule=rule.name, kind=rule.kind, subject="categories", level=level, value=value,
        thresholds={"watch": float(need), "alert": float(need)},
        date=max(dates) if dates else None, unit="categories",
        label="indicator categories under stress",
        detail=f"at alert: {', '.join(at_alert) or 'none'}; "
        f"at watch or worse: {', '.join(at_watch) or 'none'}",
    )


def stale_conditions(rule: RuleSpec, staleness: pd.DataFrame) -> list[Condition]:
    """Overdue series: one condition per source (``group = "source"``, the default) or per
    series. The value is the number of overdue series (per source) or the days overdue."""
    rows = staleness
    if rule.series:
        rows = rows[rows["series_id"].isin(rule.series)]
    if rule.group == "series":
        return [_stale_one(rule, r) for r in rows.to_dict("records")]
    out = []
    for source, grp in rows.groupby("source", sort=True):
        late = grp[grp["stale"].astype(bool)].sort_values("days_overdue", ascending=False)
        level: Level = rule.level if len(late) else "normal"
        detail = None
        if len(late):
            worst = late.iloc[0]
            names = ", ".join(str(x) for x in late["series_id"].head(8))
            more = f" and {len(late) - 8} more" if len(late) > 8 else ""
            detail = (f"overdue: {names}{more}; worst {worst['series_id']}, last observation "
                      f"{_day(worst['date'])}, {float(worst['days_overdue']):g} days past its "
                      f"due date {_day(worst['due'])} (grace {int(worst['grace_days'])} days)")
        out.append(Condition(
            rule=rule.name, kind=rule.kind, subject=str(source), level=level,
            value=float(len(late)), thresholds={rule.level: 1.0, "watch": 1.0},
            date=_day(late["date"].min()) if len(late) else _day(grp["date"].max()),
            unit="series overdue", label=f"source {source}", detail=detail,
        ))
    return out


def _stale_one(rule: RuleSpec, r: Mapping[Any, Any]) -> Condition:
    grace = float(r.get("grace_days") or 0)
    return Condition(
        rule=rule.name, kind=rule.kind, subject=str(r["series_id"]),
        level=rule.level if bool(r["stale"]) else "normal",
        value=_num(r.get("days_overdue")), thresholds={rule.level: grace, "watch": grace},
        date=_day(r.get("date")), unit="days overdue", label=f"series {r['series_id']}",
        detail=f"last observation {_day(r.get('date'))}, next one was due "
        f"{_day(r.get('due'))} (grace {grace:g} days)",
    )


def source_conditions(rule: RuleSpec, runs: pd.DataFrame) -> list[Condition]:
    """One condition per source: consecutive failing update runs, latest first."""
    out: list[Condition] = []
    if runs.empty:
        return out
    for source, grp in runs.sort_values("started_at").groupby("source", sort=True):
        failed = list(grp["failed"].astype(bool))
        streak = 0
        for f in reversed(failed):
            if not f:
                break
            streak += 1
        last = grp.iloc[-1]
        level: Level = rule.level if streak >= rule.min_consecutive else "normal"
        detail = None
        if streak:
            detail = f"last error: {last.get('error')}"
            if last.get("series"):
                detail += f" (series {last.get('series')})"
        out.append(Condition(
            rule=rule.name, kind=rule.kind, subject=str(source), level=level,
            value=float(streak),
            thresholds={rule.level: float(rule.min_consecutive),
                        "watch": float(rule.min_consecutive)},
            date=_day(last["started_at"]), unit="consecutive failed updates",
            label=f"source {source}", detail=detail,
        ))
    return out


def conditions(rules: Iterable[RuleSpec], inputs: Inputs) -> tuple[list[Condition], list[str]]:
    """Evaluate ``rules`` on ``inputs``.

    Returns
    -------
    (list of Condition, list of str)
        The conditions, and notes on rules that could not be evaluated (missing inputs).
    """
    out: list[Condition] = []
    notes: list[str] = []
    for rule in rules:
        if not rule.enabled:
            continue
        if rule.kind == "overall":
            if inputs.overall is None:
                notes.append(f"{rule.name}: the overall status is unavailable")
                continue
            out.append(overall_condition(rule, inputs.overall, inputs.as_of))
        elif rule.kind in ("indicator", "combination"):
            if inputs.indicators is None:
                notes.append(f"{rule.name}: indicators unavailable")
                continue
            if rule.kind == "indicator":
                out.extend(indicator_conditions(rule, inputs.indicators))
            else:
                out.append(combination_condition(rule, inputs.indicators))
        elif rule.kind == "composite":
            if inputs.composite is None:
                notes.append(f"{rule.name}: the composite index (liqwatch.stress) is unavailable")
                continue
            out.append(composite_condition(rule, inputs.composite))
        elif rule.kind == "stale":
            if inputs.staleness is not None:
                out.extend(stale_conditions(rule, inputs.staleness))
        elif rule.kind == "source_failure" and inputs.fetch_runs is not None:
            out.extend(source_conditions(rule, inputs.fetch_runs))
    return out, notes


def kinds_needed(rules: Sequence[RuleSpec]) -> set[str]:
    """Kinds of the enabled ``rules``."""
    return {r.kind for r in rules if r.enabled}
