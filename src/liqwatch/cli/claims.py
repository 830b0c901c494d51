"""Claim checking: ``liqwatch check`` and ``liqwatch claims extract``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from liqwatch.cli._common import (
    LangOpt,
    console,
    err_console,
    open_store,
    parse_date,
    resolve_lang,
)
from liqwatch.exceptions import ConfigError
from liqwatch.files import write_text

if TYPE_CHECKING:
    from liqwatch.claims import ClaimResult
    from liqwatch.claims.extract import Draft

claims_app = typer.Typer(
    help="Draft and check the numbers in market commentary.",
    no_args_is_help=True,
)

VERDICT_STYLES = {
    "consistent": "green",
    "wrong": "bold red",
    "ambiguous": "yellow",
    "not_checkable": "dim",
}


#: ``--date``: the day a text was written, for relative dates.
WrittenDate = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="DATE",
        help="Day the text was written (YYYY-MM-DD), for 'yesterday', 'on Tuesday', 先週 …",
    ),
]


class CheckFormat(StrEnum):
    """Output formats of ``liqwatch check``."""

    table = "table"
    json = "json"
    html = "html"


class DraftFormat(StrEnum):
    """Output formats of ``liqwatch claims extract``."""

    yaml = "yaml"
    json = "json"


def _read_text(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    if not path.is_file():
        raise ConfigError(f"text file {path} not found")
    return path.read_text(encoding="utf-8")


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` through a unique temporary file in the target folder, then move it."""
    folder = path.parent
    if not folder.is_dir():
        raise ConfigError(f"--output {path}: folder {folder} does not exist")
    write_text(path, text)


def _draft(path: Path, year: int | None, written: str | None) -> Draft:
    from liqwatch.claims.extract import extract

    return extract(_read_text(path), default_year=year, reference=parse_date(written, "--date"))


def _print_unmapped(draft: Draft, lang: str) -> None:
    if not draft.unmapped:
        return
    head = "対応付けできなかった文" if lang == "ja" else "Not mapped (left out, not guessed)"
    err_console.print(f"[yellow]{head}: {len(draft.unmapped)}[/]")
    for u in draft.unmapped:
        reason = u.reason_ja if lang == "ja" else u.reason_en
        err_console.print(f"  • {u.quote}\n    [dim]{reason}[/]", highlight=False, markup=True)


def _table(results: list[ClaimResult], lang: str) -> None:
    from rich.table import Table

    from liqwatch.claims import summary_counts
    from liqwatch.claims.render import VERDICT_LABELS
    from liqwatch.claims.text import fmt_value, fmt_value_ja

    fmt = fmt_value_ja if lang == "ja" else fmt_value
    table = Table(title="liqwatch check", header_style="bold", show_lines=True)
    for col in ("id", "kind", "series", "date", "claimed", "data", "verdict", "explanation"):
        table.add_column(
            col, overflow="fold", justify="right" if col in ("claimed", "data") else "left"
        )
    for r in results:
        table.add_row(
            (r.claim.id or "") + ("*" if r.auto else ""),
            r.kind,
            r.series,
            r.date_label,
            "—" if r.claimed_value is None else fmt(r.claimed_value, r.unit),
            "—" if r.data_value is None else fmt(r.data_value, r.unit),
            VERDICT_LABELS[lang][r.verdict],
            r.explanation(lang),
            style=VERDICT_STYLES[r.verdict],
        )
    console.print(table)
    counts = summary_counts(results)
    labels = VERDICT_LABELS[lang]
    console.print("  ".join(f"[{VERDICT_STYLES[v]}]{labels[v]}: {n}[/]" for v, n in counts.items()))
    if any(r.auto for r in results):
        note = (
            "* 印の主張はテキストから自動抽出したものです (引用文と照合してください)"
            if lang == "ja"
            else "* drafted automatically from the text (check each against its quote)"
        )
        console.print(f"[dim]{note}[/]")


def check_cmd(
    claims_file: Annotated[
        Path | None, typer.Argument(metavar="FILE", help="Claims file (YAML or JSON).",
                                    show_default=False)
    ] = None,
    text: Annotated[
        Path | None,
        typer.Option(
            "--text", "-t", metavar="FILE", help="Draft the claims from this text file, then check."
        ),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.table,
    lang: LangOpt = None,
    year: Annotated[
        int | None, typer.Option(metavar="YEAR",
                                 help="Year of dates written without one (with --text).")
    ] = None,
    written: WrittenDate = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Check against the data as published on this day (default: the latest data).",
        ),
    ] = None,
) -> None:
    """Check the numbers of a claims file (or of a text) against the stored data.

    Every claim gets a verdict: consistent, wrong (with the value that would be right and any
    definition that reproduces the claimed number), ambiguous (the reading used is named) or
    not_checkable (the missing data is named). Each verdict says which tolerance applied:
    the digits written (4.22% is 4.215-4.225), a hedge ("about $50bn" is ±5bn, "more than"
    is a bound) or the claims file's own. Targets, forecasts, conditionals, thresholds to
    watch and quoted estimates found in a text are listed as not checkable, never checked.
    Values are the latest published vintage, or with --as-of the values as published on
    that day (what the writer could know). With --text, give --date (the day the text was
    written): "yesterday" is then the previous business day and a date without a year the
    latest such day.

    Examples:

        liqwatch check claims.yaml

        liqwatch check --text commentary.txt --lang ja

        liqwatch check --text note.txt --date 2019-09-18 --as-of 2019-09-18

        liqwatch check claims.yaml -f json | jq '.[] | select(.verdict=="wrong")'
    """
    lang_ = resolve_lang(lang)
    from liqwatch.claims import check, load_claims

    if (claims_file is None) == (text is None):
        raise ConfigError("give a claims file or --text FILE (one of them)")
    draft = None
    if text is not None:
        draft = _draft(text, year, written)
        claims = list(draft.claims)
        n_auto = len(claims)
        err_console.print(
            f"{n_auto} claims drafted automatically from {text}"
            if lang_ == "en"
            else f"{text} から {n_auto} 件の主張を自動抽出しました"
        )
    else:
        assert claims_file is not None
        claims = load_claims(claims_file)
    with open_store(read_only=True) as store:
        results = check(store, claims, as_of=parse_date(as_of))
    if fmt == CheckFormat.json:
        rows: list[dict[str, Any]] = [r.to_dict() for r in results]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == CheckFormat.html:
        from liqwatch.claims.render import render_html_section

        sys.stdout.write(render_html_section(results, lang=lang_) + "\n")
    else:
        _table(results, lang_)
    if draft is not None:
        _print_unmapped(draft, lang_)


@claims_app.command("extract")
def extract_cmd(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE",
                       help="Plain-text commentary (English or Japanese); - reads standard input."),
    ],
    fmt: Annotated[DraftFormat, typer.Option("--format", "-f")] = DraftFormat.yaml,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the claims file here."),
    ] = None,
    year: Annotated[int | None, typer.Option(
        metavar="YEAR", help="Year of dates written without one.")] = None,
    written: WrittenDate = None,
    lang: LangOpt = None,
) -> None:
    """Draft a claims file from a commentary; sentences that cannot be mapped are listed.

    Each number gets a role: a level, a spread against a named rate (IORB, the SRF or ON RRP
    rate, the target range, the discount rate), a ratio ("9.6% of GDP"), a change, "from A
    to B", a run of days, an extremum over the window the text states, or a non-claim (a
    target, forecast, conditional, threshold or quoted estimate). A date and the series
    talked about carry to the next sentences of a paragraph. Each drafted claim quotes its
    sentence and is marked `auto: true`. Review, edit, then run `liqwatch check` on the
    file.

    Examples:

        liqwatch claims extract note.txt -o claims.yaml

        liqwatch claims extract note_ja.txt --format json

        liqwatch claims extract morning_note.txt --date 2025-11-13

    The notes on standard error are in --lang (default: the commentary's language).
    """
    draft = _draft(file, year, written)
    lang_ = draft.lang if lang is None else resolve_lang(lang)
    if fmt == DraftFormat.json:
        body = json.dumps(draft.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
    else:
        body = draft.to_yaml()
    if output is not None:
        _write_atomically(output, body)
        err_console.print(f"{len(draft.claims)} 件の主張を {output} に書き出しました"
                          if lang_ == "ja" else
                          f"{len(draft.claims)} claims written to {output}")
    else:
        sys.stdout.write(body)
    _print_unmapped(draft, lang_)


@claims_app.command("schema")
def schema_cmd(lang: LangOpt = None) -> None:
    """Print the JSON Schema of one claim (for editors and validators).

    The schema is machine-readable and the same in every language; --lang is accepted
    as on every command.

    Example:

        liqwatch claims schema > claim.schema.json
    """
    from liqwatch.claims.schema import json_schema

    resolve_lang(lang)  # a bad --lang is refused here as everywhere
    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


def register(app: typer.Typer) -> None:
    """Add ``check`` and the ``claims`` group to ``app``."""
    app.command("check")(check_cmd)
    app.add_typer(claims_app, name="claims")
