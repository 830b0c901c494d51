"""The ``alert_log`` and ``alert_delivery`` tables (schema migration 2).

``alert_log`` holds one row per state change of a rule instance (``rule_key``): the latest row of
a key is its current state. ``alert_delivery`` holds one row per alert and notification channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from liqwatch.exceptions import ConfigError
from liqwatch.store import Store

_Date = date  # fields named `date` shadow the type inside the dataclass

__all__ = [
    "LogRow",
    "acknowledge",
    "current_states",
    "get",
    "insert_change",
    "latest_as_of",
    "pending",
    "record_delivery",
    "snooze",
    "touch",
]

_COLUMNS = (
    "id, rule, rule_key, kind, subject, state, previous, date, as_of, value, threshold, unit, "
    "message, first_seen, last_seen, closed_on, created_at, silent, superseded, notified_at, "
    "acknowledged_at, snoozed_until, delivery_attempts, delivery_error"
)


def utcnow() -> datetime:
    """Now, UTC, without tzinfo (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class LogRow:
    """One row of ``alert_log``."""

    id: int
    rule: str
    rule_key: str
    kind: str
    subject: str
    state: str
    previous: str
    date: date | None
    as_of: _Date
    value: float | None
    threshold: float | None
    unit: str | None
    message: str
    first_seen: _Date
    last_seen: _Date
    closed_on: _Date | None
    created_at: datetime
    silent: bool
    superseded: bool
    notified_at: datetime | None
    acknowledged_at: datetime | None
    snoozed_until: datetime | None
    delivery_attempts: int
    delivery_error: str | None


def _rows(store: Store, where: str, params: Sequence[Any] = (), *, select: str = "SELECT"
          ) -> list[LogRow]:
    result = store.execute(f"{select} {_COLUMNS} FROM alert_log {where}",
                           list(params)).fetchall()
    return [LogRow(*r) for r in result]


def current_states(store: Store) -> dict[str, LogRow]:
    """The latest row of every rule instance that ever changed state."""
    rows = _rows(store, "ORDER BY rule_key, id DESC", select="SELECT DISTINCT ON (rule_key)")
    return {r.rule_key: r for r in rows}


def get(store: Store, alert_id: int) -> LogRow:
    """The row ``alert_id``; :class:`ConfigError` when there is none."""
    rows = _rows(store, "WHERE id = ?", [alert_id])
    if not rows:
        raise ConfigError(f"no alert with id {alert_id} (see `liqwatch alerts log`)")
    return rows[0]


def history(store: Store, limit: int = 100) -> list[LogRow]:
    """The latest ``limit`` state changes, newest first."""
    return _rows(store, "ORDER BY id DESC LIMIT ?", [limit])


def latest_as_of(store: Store) -> date | None:
    """The latest evaluation day recorded (None on a new log)."""
    row = store.execute("SELECT max(greatest(as_of, last_seen)) FROM alert_log").fetchone()
    return row[0] if row else None


def insert_change(store: Store, values: dict[str, Any]) -> int:
    """Record a state change; the key's previous row is closed, and its undelivered rows are
    superseded (only the latest change of a key is delivered). Returns the new id."""
    key = values["rule_key"]
    day = values["as_of"]
    store.execute(
        "UPDATE alert_log SET closed_on = ? WHERE rule_key = ? AND closed_on IS NULL",
        [day, key],
    )
    store.execute(
        "UPDATE alert_log SET superseded = true WHERE rule_key = ? AND notified_at IS NULL "
        "AND NOT silent AND NOT superseded",
        [key],
    )
    snoozed = store.execute(
        "SELECT max(snoozed_until) FROM alert_log WHERE rule_key = ?", [key]
    ).fetchone()
    cols = ["rule", "rule_key", "kind", "subject", "state", "previous", "date", "as_of",
            "value", "threshold", "unit", "message", "silent"]
    row = store.execute(
        f"INSERT INTO alert_log ({', '.join(cols)}, first_seen, last_seen, created_at, "
        "superseded, snoozed_until, delivery_attempts) "
        f"VALUES ({', '.join('?' for _ in cols)}, ?, ?, ?, false, ?, 0) RETURNING id",
        [*(values[c] for c in cols), day, day, utcnow(), snoozed[0] if snoozed else None],
    ).fetchone()
    assert row is not None
    return int(row[0])


def touch(store: Store, alert_id: int, day: date) -> None:
    """Record that the state of ``alert_id`` still held on ``day``."""
    store.execute(
        "UPDATE alert_log SET last_seen = greatest(last_seen, ?) WHERE id = ?", [day, alert_id]
    )


def pending(store: Store, now: datetime | None = None) -> list[LogRow]:
    """State changes still to deliver: not silent, superseded, acknowledged or snoozed."""
    return _rows(
        store,
        "WHERE notified_at IS NULL AND NOT silent AND NOT superseded "
        "AND acknowledged_at IS NULL AND (snoozed_until IS NULL OR snoozed_until <= ?) "
        "ORDER BY id",
        [now or utcnow()],
    )


def delivered_channels(store: Store, alert_id: int) -> set[str]:
    """Channels that already delivered ``alert_id``."""
    rows = store.execute(
        "SELECT channel FROM alert_delivery WHERE alert_id = ? AND delivered_at IS NOT NULL",
        [alert_id],
    ).fetchall()
    return {r[0] for r in rows}


def record_delivery(
    store: Store, alert_ids: Sequence[int], channel: str, attempts: int, error: str | None
) -> None:
    """Record one delivery (successful when ``error`` is None) of ``alert_ids`` on
    ``channel``."""
    now = utcnow()
    for aid in alert_ids:
        store.execute(
            """
            INSERT INTO alert_delivery VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (alert_id, channel) DO UPDATE SET
                attempts = alert_delivery.attempts + excluded.attempts,
                last_attempt_at = excluded.last_attempt_at,
                delivered_at = coalesce(alert_delivery.delivered_at, excluded.delivered_at),
                error = excluded.error
            """,
            [aid, channel, attempts, now, None if error else now, error],
        )
        store.execute(
            "UPDATE alert_log SET delivery_attempts = delivery_attempts + ?, "
            "delivery_error = ? WHERE id = ?",
            [attempts, f"{channel}: {error}" if error else None, aid],
        )


def mark_notified(store: Store, alert_id: int) -> None:
    """Every channel delivered ``alert_id``."""
    store.execute("UPDATE alert_log SET notified_at = ? WHERE id = ?", [utcnow(), alert_id])


def acknowledge(store: Store, alert_id: int) -> LogRow:
    """Acknowledge ``alert_id`` (it is no longer delivered if it was still pending)."""
    get(store, alert_id)
    store.execute(
        "UPDATE alert_log SET acknowledged_at = coalesce(acknowledged_at, ?) WHERE id = ?",
        [utcnow(), alert_id],
    )
    return get(store, alert_id)


def snooze(store: Store, alert_id: int, until: datetime) -> LogRow:
    """Hold notifications of the rule instance of ``alert_id`` until ``until`` (UTC)."""
    row = get(store, alert_id)
    store.execute(
        "UPDATE alert_log SET snoozed_until = ? WHERE rule_key = ? AND id >= ?",
        [until, row.rule_key, alert_id],
    )
    return get(store, alert_id)
