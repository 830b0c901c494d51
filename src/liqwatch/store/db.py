"""Numbered schema migrations, for DuckDB and PostgreSQL.

Each migration is applied once, in order, inside one transaction, and recorded in
``schema_version``. Add a migration by appending to :data:`MIGRATIONS`; never edit one that has
shipped. The SQL is DuckDB's; :func:`render` turns it into PostgreSQL's (``DOUBLE`` is
``DOUBLE PRECISION`` there), and :data:`POSTGRESQL_ONLY` adds what only a shared server needs
(indexes for its row-store scans, and the change counter that dashboards poll). Both backends
therefore hold the same tables, columns and versions.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from liqwatch.exceptions import StoreError
from liqwatch.store.backend import Backend

__all__ = ["MIGRATIONS", "POSTGRESQL_ONLY", "SCHEMA_VERSION", "migrate", "render",
           "schema_version"]

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
    (
        4,
        "indexes and the change counter (PostgreSQL; nothing to do on DuckDB)",
        "",
    ),
]

#: Statements run on PostgreSQL only, by migration version.
POSTGRESQL_ONLY: dict[int, str] = {
    4: """
        CREATE INDEX observations_series_date ON observations (series_id, date, realtime_start);
        CREATE INDEX observations_ingested ON observations (ingested_at);
        CREATE INDEX fetch_log_started ON fetch_log (started_at);
        CREATE INDEX alert_log_rule_key ON alert_log (rule_key, id);
        CREATE TABLE store_revision (
            revision    BIGINT NOT NULL,
            changed_at  TIMESTAMP NOT NULL
        );
        INSERT INTO store_revision VALUES (0, now() AT TIME ZONE 'UTC');
        CREATE FUNCTION liqwatch_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            UPDATE store_revision SET revision = revision + 1,
                                      changed_at = now() AT TIME ZONE 'UTC';
            RETURN NULL;
        END
        $fn$;
        """ + "".join(
        f"""
        CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION liqwatch_bump_revision();
        """
        for table in ("series", "observations", "fetch_log", "alert_log", "alert_delivery",
                      "fetch_state", "source_flags")
    ),
}

#: The schema version this code writes.
SCHEMA_VERSION = MIGRATIONS[-1][0]

_DOUBLE = re.compile(r"\bDOUBLE\b(?!\s+PRECISION)")


def render(version: int, dialect: str) -> str:
    """The SQL of migration ``version`` for ``dialect`` (``duckdb`` or ``postgresql``)."""
    sql = next(m[2] for m in MIGRATIONS if m[0] == version)
    if dialect == "postgresql":
        sql = _DOUBLE.sub("DOUBLE PRECISION", sql) + POSTGRESQL_ONLY.get(version, "")
    return sql


def schema_version(backend: Backend) -> int:
    """The version recorded in the store (0 for a new one)."""
    row = backend.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def check_version(current: int, where: str) -> None:
    """Refuse a store written by a newer liqwatch."""
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"the store {where} has schema version {current}, newer than this liqwatch "
            f"({SCHEMA_VERSION}); upgrade liqwatch"
        )


def migrate(backend: Backend) -> int:
    """Apply the pending migrations; return the resulting schema version."""
    backend.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER NOT NULL, description VARCHAR, applied_at TIMESTAMP NOT NULL)"
    )
    current = schema_version(backend)
    check_version(current, backend.location.display)
    for version, description, _sql in MIGRATIONS:
        if version <= current:
            continue
        backend.begin()
        try:
            for statement in _statements(render(version, backend.dialect)):
                backend.execute(statement)
            backend.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [version, description, datetime.now(UTC).replace(tzinfo=None)],
            )
            backend.commit()
        except Exception as exc:
            backend.rollback()
            raise StoreError(f"migration {version} ({description}) failed: {exc}") from exc
        current = version
    return current


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (``;`` outside ``$fn$`` bodies and comments)."""
    out: list[str] = []
    buf: list[str] = []
    in_body = False
    for line in sql.splitlines():
        code = line.split("--", 1)[0] if not in_body else line
        if code.count("$fn$") % 2:
            in_body = not in_body
        buf.append(code)
        if not in_body and code.rstrip().endswith(";"):
            text = "\n".join(buf).strip().rstrip(";").strip()
            if text:
                out.append(text)
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        out.append(rest)
    return out
