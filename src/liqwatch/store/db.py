"""DuckDB connection and numbered schema migrations.

Each migration is applied once, in order, inside one transaction, and recorded in
``schema_version``. Add a migration by appending to :data:`MIGRATIONS`; never edit one that has
shipped.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from liqwatch.exceptions import StoreError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "connect", "migrate"]

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "series, observations with vintages, fetch log",
        """
        CREATE TABLE series (
            series_id   VARCHAR PRIMARY KEY,
            source      VARCHAR NOT NULL,
            source_id   VARCHAR,
            unit        VARCHAR,
            frequency   VARCHAR,
            title       VARCHAR,
            origin      VARCHAR NOT NULL,      -- 'catalog' or 'user'
            provenance  VARCHAR,               -- JSON: where the data came from
            created_at  TIMESTAMP NOT NULL,
            updated_at  TIMESTAMP NOT NULL
        );
        CREATE TABLE observations (
            series_id      VARCHAR NOT NULL,
            date           DATE NOT NULL,
            value          DOUBLE NOT NULL,
            realtime_start DATE NOT NULL,      -- first day this value was the published one
            realtime_end   DATE NOT NULL,      -- last day (9999-12-31 while current)
            ingested_at    TIMESTAMP NOT NULL,
            vintage_kind   VARCHAR NOT NULL    -- 'source', 'schedule' or 'observed'
        );
        CREATE TABLE fetch_log (
            run_id       VARCHAR NOT NULL,
            series_id    VARCHAR,
            source       VARCHAR NOT NULL,
            started_at   TIMESTAMP NOT NULL,
            finished_at  TIMESTAMP,
            rows_new     INTEGER,
            rows_revised INTEGER,
            error        VARCHAR
        );
        """,
    ),
    (
        2,
        "alerts: alert_log (state changes, acknowledgement, snooze), alert_delivery",
        """
        CREATE SEQUENCE alert_log_id START 1;
        CREATE TABLE alert_log (
            id                INTEGER PRIMARY KEY DEFAULT nextval('alert_log_id'),
            rule              VARCHAR NOT NULL,   -- rule name from the alert configuration
            rule_key          VARCHAR NOT NULL,   -- rule instance: '<rule>:<subject>'
            kind              VARCHAR NOT NULL,   -- indicator, composite, combination, ...
            subject           VARCHAR NOT NULL,   -- indicator id, series id, source, ...
            state             VARCHAR NOT NULL,   -- 'watch', 'alert' or 'normal' (resolved)
            previous          VARCHAR NOT NULL,   -- the state this change left
            date              DATE,               -- observation date of the data behind it
            as_of             DATE NOT NULL,      -- evaluation day the change was seen
            value             DOUBLE,
            threshold         DOUBLE,
            unit              VARCHAR,
            message           VARCHAR NOT NULL,
            first_seen        DATE NOT NULL,      -- first evaluation day in this state
            last_seen         DATE NOT NULL,      -- last evaluation day in this state
            closed_on         DATE,               -- evaluation day a later change replaced it
            created_at        TIMESTAMP NOT NULL,
            silent            BOOLEAN NOT NULL,   -- the rule does not notify this change
            superseded        BOOLEAN NOT NULL,   -- replaced before it was delivered
            notified_at       TIMESTAMP,          -- delivered on every channel
            acknowledged_at   TIMESTAMP,
            snoozed_until     TIMESTAMP,          -- no notification for the rule instance
            delivery_attempts INTEGER NOT NULL,
            delivery_error    VARCHAR             -- last error, per channel
        );
        CREATE TABLE alert_delivery (
            alert_id        INTEGER NOT NULL,
            channel         VARCHAR NOT NULL,     -- console, webhook, email
            attempts        INTEGER NOT NULL,
            last_attempt_at TIMESTAMP NOT NULL,
            delivered_at    TIMESTAMP,
            error           VARCHAR,
            PRIMARY KEY (alert_id, channel)
        );
        """,
    ),
    (
        3,
        "update state per series and source revision flags",
        """
        CREATE TABLE fetch_state (
            series_id        VARCHAR PRIMARY KEY,
            source           VARCHAR NOT NULL,
            last_success_at  TIMESTAMP NOT NULL, -- UTC, end of the last successful fetch
            last_date        DATE,               -- latest observation date the source returned
            last_run_id      VARCHAR NOT NULL,
            detail           VARCHAR             -- JSON: source metadata (units, last_updated)
        );
        CREATE TABLE source_flags (
            series_id   VARCHAR NOT NULL,
            date        DATE NOT NULL,
            flag        VARCHAR NOT NULL,        -- e.g. the NY Fed revisionIndicator
            first_seen  TIMESTAMP NOT NULL,
            PRIMARY KEY (series_id, date, flag)
        );
        """,
    ),
]

#: The schema version this code writes.
SCHEMA_VERSION = MIGRATIONS[-1][0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the pending migrations; return the resulting schema version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER NOT NULL, description VARCHAR, applied_at TIMESTAMP NOT NULL)"
    )
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    current = int(row[0]) if row else 0
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"the store has schema version {current}, newer than this liqwatch "
            f"({SCHEMA_VERSION}); upgrade liqwatch"
        )
    for version, description, sql in MIGRATIONS:
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, now())", [version, description]
            )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"migration {version} ({description}) failed: {exc}") from exc
        current = version
    return current


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date.

    Parameters
    ----------
    path
        DuckDB file, or ``":memory:"``.
    read_only
        Open without write access (several readers may then share the file). The file must
        exist and be migrated.
    """
    target = str(path)
    if target != ":memory:":
        p = Path(target)
        if read_only and not p.exists():
            raise StoreError(f"no store at {p}: run `liqwatch import` or `liqwatch update` first")
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(target, read_only=read_only)
    except duckdb.Error as exc:
        hint = ("; another process (e.g. `liqwatch watch` or `liqwatch update`) is writing to "
                "it: try again when it has finished") if "lock" in str(exc).lower() else ""
        raise StoreError(f"cannot open the store {target}: {exc}{hint}") from exc
    if not read_only:
        migrate(con)
    return con
