"""The ``liqwatch`` command line: a thin shell over the Python API.

Exit codes: 0 ok, 1 user error (bad argument, unknown series), 2 data or source error,
3 partial success.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from rich.markup import escape

from liqwatch import redaction
from liqwatch.cli import alerts as alerts_cli
from liqwatch.cli import claims, core, fundcal, indicators, scenarios, stress, verdict
from liqwatch.cli import report as report_cli
from liqwatch.cli import store as store_cli
from liqwatch.cli import update as update_cli
from liqwatch.cli._common import err_console, state
from liqwatch.cli._help import hide_flag_types, reflow_help
from liqwatch.exceptions import LiqwatchError
from liqwatch.validation import visible

app = typer.Typer(
    name="liqwatch",
    help=(
        "Monitor US-dollar funding liquidity stress from official data, point in time.\n\n"
        "Start with `liqwatch import ../shared/data/raw` (offline) or `liqwatch update`, then "
        "`liqwatch status`."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from liqwatch import __version__

        typer.echo(f"liqwatch {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="FILE|URL",
            help="The store: a DuckDB file, or postgresql://user@host/dbname for a shared "
            "one (default: $LIQWATCH_DB or a file in the user data folder).",
            envvar="LIQWATCH_DB",
            show_envvar=False,
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", metavar="", help="Log progress.")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="en|ja",
                     help="Language of every command: en or ja (default: $LIQWATCH_LANG or "
                     "the config file's lang, else en)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", metavar="", is_eager=True, callback=_print_version,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    state.db = db
    state.lang = lang
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    redaction.install()  # every record of every logger passes the secret filter


core.register(app)
verdict.register(app)
indicators.register(app)
fundcal.register(app)
scenarios.register(app)
alerts_cli.register(app)
update_cli.register(app)
claims.register(app)
stress.register(app)
report_cli.register(app)
store_cli.register(app)

# Commands are listed in --help by panel, in the order a new user meets them.
_PANELS = {
    "Data": ["demo", "status", "series", "catalog", "import", "update", "store"],
    "Signals": ["verdict", "indicators", "calendar", "stress", "analogs", "backtest"],
    "Reserves": ["nowcast", "scenario"],
    "Monitoring": ["alerts", "watch"],
    "Output": ["report", "serve", "export", "check", "claims"],
}


def _arrange_help() -> None:
    order = [name for names in _PANELS.values() for name in names]
    rank = {name: i for i, name in enumerate(order)}
    panel = {name: title for title, names in _PANELS.items() for name in names}
    for command in app.registered_commands:
        if command.name in panel:
            command.rich_help_panel = panel[command.name]
    for group in app.registered_groups:
        if group.name in panel:
            group.rich_help_panel = panel[group.name]
    app.registered_commands.sort(key=lambda c: rank.get(c.name or "", len(rank)))
    app.registered_groups.sort(key=lambda g: rank.get(g.name or "", len(rank)))


_arrange_help()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``liqwatch`` console script."""
    reflow_help(app)
    hide_flag_types()
    args = sys.argv[1:] if argv is None else argv
    if not args:  # `liqwatch` alone: the help, and no error
        args = ["--help"]
    try:
        rv = app(args=args, standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("Aborted.")
        sys.exit(130)
    except typer.TyperException as exc:
        # Usage errors (bad option, bad value): exit code 1, as every user error.
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"[red]error:[/] {escape(str(exc))}")
        sys.exit(1)
    except LiqwatchError as exc:
        err_console.print(f"[red]error:[/] {escape(visible(str(exc)))}", markup=True,
                          highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        # A file the user named cannot be read or written (a folder, no permission, ...).
        where = f"{exc.filename}: " if exc.filename else ""
        err_console.print(f"[red]error:[/] {escape(where + (exc.strerror or str(exc)))}")
        sys.exit(1)
    except Exception as exc:  # a bug: say so in one line; the traceback with --verbose
        if logging.getLogger().isEnabledFor(logging.INFO):
            raise
        err_console.print(f"[red]internal error:[/] {escape(type(exc).__name__)}: "
                          f"{escape(str(exc))} (run again with --verbose for the traceback "
                          "and report it)")
        sys.exit(2)
    sys.exit(rv if isinstance(rv, int) else 0)
