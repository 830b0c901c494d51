"""The ``store`` command group: info, copy, migrate."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.text import Text

from liqwatch.cli._common import (
    LangOpt,
    TableJson,
    console,
    db_location,
    emit,
    err_console,
    resolve_lang,
    settings,
)

store_app = typer.Typer(
    name="store",
    help="Where the data live: show a store, copy it between DuckDB and PostgreSQL, upgrade "
    "its schema.",
    no_args_is_help=True,
)

_LOCATION = ("a DuckDB file (e.g. ~/liqwatch.duckdb) or a PostgreSQL URL "
             "(postgresql://user@host:5432/dbname)")


@store_app.command("info")
def info(
    fmt: Annotated[TableJson, typer.Option("--format", "-f", metavar="FORMAT",
                                           help="table or json.")] = TableJson.table,
    lang: LangOpt = None,
) -> None:
    """Show the store named by --db: backend, schema version and rows per table.

    Examples:

        liqwatch store info

        liqwatch --db postgresql://liqwatch@db.internal/liqwatch store info
    """
    from liqwatch.store import SCHEMA_VERSION, Store
    from liqwatch.store.copy import table_counts
    from liqwatch.store.db import schema_version

    lang_ = resolve_lang(lang)
    location = db_location()
    with Store(location, read_only=True, lock_timeout=settings().lock_timeout) as store:
        version = schema_version(store.backend)
        counts = table_counts(store)
    rows: list[dict[str, Any]] = [{"table": t, "rows": n} for t, n in counts.items()]
    if fmt is TableJson.json:
        emit([{"store": location.display, "backend": location.backend,
               "schema_version": version, "tables": counts}], "json")
        return
    if lang_ == "ja":
        console.print(Text(f"{location.display} ({location.backend})、スキーマ版 {version}"
                           + ("" if version == SCHEMA_VERSION
                              else f" (この liqwatch の版は {SCHEMA_VERSION})")))
    else:
        console.print(Text(f"{location.display} ({location.backend}), schema version {version}"
                           + ("" if version == SCHEMA_VERSION
                              else f" (this liqwatch writes {SCHEMA_VERSION})")))
    emit(rows, "table", columns=["table", "rows"], lang=lang_)


@store_app.command("copy")
def copy(
    src: Annotated[str, typer.Argument(metavar="SRC", help=f"The store to copy: {_LOCATION}.")],
    dst: Annotated[str, typer.Argument(metavar="DST", help=f"Where to copy it: {_LOCATION}. "
                                       "Created if missing; must be empty unless --replace.")],
    replace: Annotated[bool, typer.Option("--replace", metavar="",
                                          help="Overwrite what DST holds.")] = False,
    lang: LangOpt = None,
) -> None:
    """Copy a whole store to another backend, losslessly: every vintage, the fetch log and
    update state, the alert log with its acknowledgements and deliveries.

    The copy is one transaction on DST (an interrupted copy leaves DST as it was) and the row
    counts are checked afterwards. SRC is only read.

    Examples:

        liqwatch store copy liqwatch.duckdb postgresql://liqwatch@db/liqwatch

        liqwatch store copy postgresql://liqwatch@db/liqwatch backup.duckdb
    """
    from liqwatch.store import Store, parse_location
    from liqwatch.store.copy import copy_store

    lang_ = resolve_lang(lang)
    source, target = parse_location(src), parse_location(dst)
    if source == target:
        raise typer.BadParameter("SRC and DST are the same store")
    if source.is_memory:
        raise typer.BadParameter("SRC :memory: is empty: name a file or a server")
    timeout = settings().lock_timeout
    with (Store(source, read_only=True, lock_timeout=timeout) as a,
          Store(target, lock_timeout=timeout) as b,
          err_console.status(f"Copying {source.display} to {target.display}…")):
        report = copy_store(a, b, replace=replace)
    obs = report.rows.get("observations", 0)
    console.print(Text(f"{source.display} から {target.display} へ {report.total:,} 行 "
                       f"(観測値のヴィンテージ {obs:,} 行) をコピーしました" if lang_ == "ja" else
                       f"copied {report.total:,} rows ({obs:,} observation vintages) from "
                       f"{source.display} to {target.display}"))
    emit([{"table": t, "rows": n} for t, n in report.rows.items()], "table",
         columns=["table", "rows"], lang=lang_)


@store_app.command("migrate")
def migrate(lang: LangOpt = None) -> None:
    """Bring the schema of the store named by --db up to this liqwatch's version.

    Any writing command does this too; run it to upgrade a shared PostgreSQL store before
    read-only users (dashboards, analysts) reach it.

    Examples:

        liqwatch --db postgresql://liqwatch@db.internal/liqwatch store migrate
    """
    from liqwatch.store import Store
    from liqwatch.store.db import schema_version

    lang_ = resolve_lang(lang)
    location = db_location()
    with Store(location, lock_timeout=settings().lock_timeout) as store:
        version = schema_version(store.backend)
    console.print(Text(f"{location.display}: スキーマ版 {version}" if lang_ == "ja"
                       else f"{location.display}: schema version {version}"))


def register(app: typer.Typer) -> None:
    """Add the ``store`` group to ``app``."""
    app.add_typer(store_app, name="store")
