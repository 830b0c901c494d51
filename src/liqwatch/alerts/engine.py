"""The alert engine: rules → hysteresis → de-duplicated state changes in ``alert_log``."""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from liqwatch.alerts import log as alert_log
from liqwatch.alerts.config import AlertConfig, RuleSpec, load_alert_config
from liqwatch.alerts.inputs import DefaultProvider, Provider, gather
from liqwatch.alerts.message import describe
from liqwatch.alerts.rules import Condition, conditions, step
from liqwatch.asof import resolve_as_of
from liqwatch.exceptions import ConfigError
from liqwatch.store import Store

_Date = date  # fields named `date` shadow the type inside the dataclass

__all__ = ["AlertEvent", "AlertList", "evaluate"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertEvent:
    """The state of one rule instance after an evaluation.

    Attributes
    ----------
    rule, key, kind, subject
        Rule name, instance key (``<rule>:<subject>``), kind and subject.
    state, previous
        ``watch``, ``alert`` or ``normal`` (resolved), and the state before.
    changed
        True when this evaluation changed the state (a notification is due).
    date
        Observation date of the data behind the value.
    as_of
        Evaluation day: the data were published by then (data for day D is known on D+1 for
        the New York Fed rates).
    value, threshold, unit
        The number, the threshold of ``state`` (the watch threshold for a resolution).
    message
        What happened, in one paragraph.
    id
        ``alert_log`` id of the current state (None when not persisted).
    basis
        What the threshold applies to when it is not the value, with its reading
        (``percentile rank 100``, ``z-score of the 4-week change -1.8``); None: the value.
    level, direction, basis_ja
        The rule instance's level on the day (``normal``, ``watch``, ``alert``,
        ``no_data``: differs from ``state`` while hysteresis holds a state), +1 when a higher
        value is worse (-1: lower), and ``basis`` in Japanese.
    notifies
        True for a change the rule notifies (see
        :meth:`~liqwatch.alerts.config.RuleSpec.notifies`); False for a change recorded
        silently (by default an indicator entering or leaving watch) and for an unchanged state.
    """

    rule: str
    key: str
    kind: str
    subject: str
    state: str
    previous: str
    changed: bool
    date: date | None
    as_of: _Date
    value: float | None
    threshold: float | None
    unit: str | None
    message: str
    id: int | None = None
    first_seen: _Date | None = None
    acknowledged: bool = False
    snoozed_until: datetime | None = None
    notified_at: datetime | None = None
    delivery_error: str | None = None
    basis: str | None = None
    notifies: bool = False
    level: str | None = None
    direction: int = 1
    basis_ja: str | None = None

    def why(self, lang: str = "en") -> str:
        """The short reason of the state (see :func:`liqwatch.alerts.message.why`)."""
        from liqwatch.alerts.message import why

        return why(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (the JSON shape of ``liqwatch alerts --format json``)."""
        return asdict(self)


class AlertList(list[AlertEvent]):
    """A list of :class:`AlertEvent` with the evaluation day and notes on skipped rules."""

    def __init__(self, events: list[AlertEvent], as_of: date, notes: list[str]) -> None:
        super().__init__(events)
        self.as_of = as_of
        self.notes = notes

    @property
    def changes(self) -> list[AlertEvent]:
        """Events whose state changed in this evaluation."""
        return [e for e in self if e.changed]

    @property
    def active(self) -> list[AlertEvent]:
        """Events at watch or alert."""
        return [e for e in self if e.state != "normal"]


def today_utc() -> date:
    """Today's date, UTC."""
    return datetime.now(UTC).date()


def make_event(cond: Condition, state: str, previous: str, as_of: date,
               row: alert_log.LogRow | None, changed: bool, message: str,
               notifies: bool = False) -> AlertEvent:
    return AlertEvent(
        rule=cond.rule, key=cond.key, kind=cond.kind, subject=cond.subject, state=state,
        previous=previous, changed=changed, date=cond.date, as_of=as_of, value=cond.value,
        threshold=cond.threshold(state), unit=cond.unit, message=message,
        id=row.id if row else None, first_seen=row.first_seen if row else as_of,
        acknowledged=bool(row and row.acknowledged_at), snoozed_until=row.snoozed_until
        if row else None, notified_at=row.notified_at if row else None,
        delivery_error=row.delivery_error if row else None, basis=cond.basis,
        notifies=changed and notifies, level=cond.level, direction=cond.direction,
        basis_ja=cond.basis_ja,
    )


def transition(cond: Condition, rule: RuleSpec, previous: str,
               last_seen: date | None, as_of: date) -> str:
    """New state of ``cond``'s rule instance, given its ``previous`` state (hysteresis, and
    the end of the ``no_data`` hold period), and ``last_seen``, the last day its level was at
    watch or worse: an active state resolves only once the level has stayed below watch for
    more than ``rule.resolve_after_days``."""
    new = step(previous, cond.level)
    if (cond.level == "no_data" and new != "normal" and last_seen is not None
            and (as_of - last_seen).days > rule.hold_no_data_days):
        return "normal"
    if (cond.level == "normal" and previous != "normal" and last_seen is not None
            and (as_of - last_seen).days <= rule.resolve_after_days):
        return previous
    return new


def evaluate(
    store: Store,
    as_of: date | None = None,
    *,
    config: AlertConfig | None = None,
    provider: Provider | None = None,
    persist: bool | None = None,
) -> AlertList:
    """Evaluate the alert rules as of a day.

    Parameters
    ----------
    store
        The store (writable when ``persist``).
    as_of
        Evaluation day (default: the report day, :func:`liqwatch.asof.resolve_as_of`): only
        data published by then are used. Staleness rules judge against today.
    config
        Rules and settings (default: :func:`~liqwatch.alerts.config.load_alert_config`).
    provider
        Source of indicator and composite readings (default: ``liqwatch.indicators`` and
        ``liqwatch.stress``).
    persist
        Record state changes in ``alert_log`` (default: when ``as_of`` is None and the store
        is writable; a read-only store still shows the recorded states). The
        states recorded there drive the hysteresis and the de-duplication: a change is
        recorded, and notified, once.

    Returns
    -------
    AlertList
        One :class:`AlertEvent` per rule instance at watch or alert, or whose state changed;
        ``.notes`` says which rules could not be evaluated.

    Raises
    ------
    ConfigError
        When persisting an evaluation day earlier than one already recorded (use
        :func:`~liqwatch.alerts.replay` for the past).
    """
    cfg = config or load_alert_config()
    day = as_of or resolve_as_of(store).day
    save = (as_of is None and not store.read_only) if persist is None else persist
    src = provider or DefaultProvider()
    rules = {r.name: r for r in cfg.active_rules}
    if save:
        latest = alert_log.latest_as_of(store)
        if latest is not None and day < latest:
            raise ConfigError(
                f"the alert log already holds evaluations up to {latest}; evaluating {day} "
                "would rewrite its history (use `liqwatch alerts --replay` for past dates)"
            )
    inputs = gather(store, day, cfg.active_rules, src,
                    today=today_utc() if as_of is None else None)
    conds, notes = conditions(cfg.active_rules, inputs)
    notes = [*getattr(src, "notes", []), *notes]
    known = alert_log.current_states(store) if (save or as_of is None) else {}
    events: list[AlertEvent] = []
    ctx: AbstractContextManager[Any] = store.transaction() if save else nullcontext()
    with ctx:
        for cond in conds:
            row = known.get(cond.key)
            previous = row.state if row else "normal"
            new = transition(cond, rules[cond.rule], previous, row.last_seen if row else None,
                             day)
            changed = new != previous
            loud = rules[cond.rule].notifies(new, previous)
            if changed:
                message = describe(cond, new, previous, day, cfg.lang)
                if save:
                    aid = alert_log.insert_change(store, {
                        "rule": cond.rule, "rule_key": cond.key, "kind": cond.kind,
                        "subject": cond.subject, "state": new, "previous": previous,
                        "date": cond.date, "as_of": day, "value": cond.value,
                        "threshold": cond.threshold(new), "unit": cond.unit,
                        "message": message, "silent": not loud,
                    })
                    row = alert_log.get(store, aid)
                else:
                    row = None
                events.append(make_event(cond, new, previous, day, row, True, message, loud))
            elif new != "normal":
                if save and row is not None and cond.level in ("watch", "alert"):
                    alert_log.touch(store, row.id, day)
                before = row.previous if row else "normal"
                message = describe(cond, new, before, day, cfg.lang)
                events.append(make_event(cond, new, before, day, row, False, message))
        if save:
            _close_orphans(store, known, conds, day)
    order = {"alert": 0, "watch": 1, "normal": 2}
    events.sort(key=lambda e: (order.get(e.state, 3), e.rule, e.subject))
    for note in notes:
        log.info("alerts: %s", note)
    return AlertList(events, day, notes)


def _close_orphans(store: Store, known: dict[str, alert_log.LogRow], conds: list[Condition],
                   day: date) -> None:
    """Silently resolve active instances of evaluated rules that no longer exist (a series
    dropped from a rule, a regrouped rule)."""
    evaluated = {c.rule for c in conds}
    present = {c.key for c in conds}
    for key, row in known.items():
        if row.state == "normal" or key in present or row.rule not in evaluated:
            continue
        alert_log.insert_change(store, {
            "rule": row.rule, "rule_key": key, "kind": row.kind, "subject": row.subject,
            "state": "normal", "previous": row.state, "date": None, "as_of": day,
            "value": None, "threshold": None, "unit": row.unit,
            "message": f"CLOSED {key}: the rule no longer evaluates it (as of {day}).",
            "silent": True,
        })
