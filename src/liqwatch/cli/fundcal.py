"""``liqwatch calendar``: the coming funding-pressure days, so that a desk can plan."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Annotated, Any

import typer

from liqwatch.cli._common import (
    Lang,
    TableFormat,
    emit,
    err_console,
    exit_with,
    open_store,
    parse_date,
)
from liqwatch.exceptions import ConfigError, SourceError
from liqwatch.frames import row_of
from liqwatch.fundcal import FundingCalendar

#: Days listed when ``--to`` is not given.
DEFAULT_SPAN_DAYS = 45


def calendar_records(start: date, end: date, lang: str, *, every: bool = False,
                     store: Any | None = None, cal: FundingCalendar | None = None
                     ) -> list[dict[str, Any]]:
    """The funding-calendar days from ``start`` to ``end`` as plain records.

    With a store, each day carries the usual SOFR − IORB on its kind of day (the median of
    its last occurrences, :func:`liqwatch.indicators.turns.usual_by_kind`); ``cal`` adds
    events from data (auction settlements) to the rule-dated ones.
    """
    from liqwatch.fundcal import events_between, kind

    usual = None
    if store is not None:
        from liqwatch.indicators.turns import corridor_prints, usual_by_kind

        prints = corridor_prints(store, "sofr_iorb_bp")
        usual = usual_by_kind(prints) if len(prints) else None
    rows = []
    for tags in events_between(start, end, pressure_only=not every, calendar=cal):
        principal = kind(tags.principal)
        amount = sum(e.amount_bn or 0.0 for e in tags.events if e.amount_bn is not None)
        row: dict[str, Any] = {
            "date": tags.day,
            "weekday": "月火水木金土日"[tags.day.weekday()] if lang == "ja"
            else tags.day.strftime("%a"),
            "events": ", ".join(tags.names(lang)) if lang == "en" else "、".join(
                tags.names(lang)),
            "kinds": list(tags.kinds), "principal": tags.principal,
            "why": principal.note(lang),
            "settling_bn": round(amount, 1) if amount else None,
            "usual_sofr_iorb_bp": None, "usual_n": None,
        }
        if usual is not None and tags.principal in usual.index:
            base = row_of(usual, tags.principal)
            typical = float(base["typical"])
            row["usual_sofr_iorb_bp"] = None if math.isnan(typical) else round(typical, 1)
            row["usual_n"] = int(base["n"])
        rows.append(row)
    return rows


def calendar(
    start: Annotated[str | None, typer.Option(
        "--from", metavar="DATE", help="First day (default: today).")] = None,
    end: Annotated[str | None, typer.Option(
        "--to", metavar="DATE", help=f"Last day (default: {DEFAULT_SPAN_DAYS} days after "
        "--from).")] = None,
    every: Annotated[bool, typer.Option(
        "--all", help="Also list the calmer days (first business day of a month).")] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Language.")] = Lang.en,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    offline: Annotated[bool, typer.Option(
        "--no-store", help="No store read (no usual SOFR − IORB).")] = False,
    auctions: Annotated[bool, typer.Option(
        "--auctions", help="Add Treasury auction settlements from FiscalData (needs "
        "internet; LIQWATCH_FISCALDATA_URL).")] = False,
) -> None:
    """The coming funding-pressure days: month-, quarter- and year-ends, tax dates, coupon
    and auction settlements, GSE cash days, the year-end turn.

    Each day says why it matters and, from the store, the usual SOFR − IORB on that kind of
    day (the median of its last occurrences: 12 month-ends, 8 quarter-ends, ...).

    Examples:

        liqwatch calendar

        liqwatch calendar --from 2026-12-01 --to 2027-01-31 --lang ja

        liqwatch calendar --from 2026-01-01 --to 2026-12-31 --all --format json
    """
    lo = parse_date(start, "--from") or date.today()
    hi = parse_date(end, "--to") or lo + timedelta(days=DEFAULT_SPAN_DAYS)
    if hi < lo:
        raise ConfigError(f"--to {hi} is before --from {lo}")
    cal, partial = None, False
    if auctions:
        try:
            cal = fetch_auction_calendar(lo, hi)
        except SourceError as exc:
            partial = True
            err_console.print(f"FiscalData auctions unavailable ({exc}); the rule-dated "
                              "coupon settlements (15th, month-end) stand in.")
    if offline:
        rows = calendar_records(lo, hi, lang.value, every=every, cal=cal)
    else:
        with open_store(read_only=True) as store:
            rows = calendar_records(lo, hi, lang.value, every=every, store=store, cal=cal)
    ja = lang == Lang.ja
    if fmt == TableFormat.table and not rows:
        err_console.print("該当する日はありません" if ja else "No funding-calendar day in "
                          f"{lo} to {hi}.")
        return
    columns = ["date", "weekday", "events", "usual_sofr_iorb_bp", "settling_bn", "why"]
    if fmt != TableFormat.table:
        columns = ["date", "weekday", "principal", "kinds", "events", "usual_sofr_iorb_bp",
                   "usual_n", "settling_bn", "why"]
    title = (f"資金繰りの注意日 {lo} 〜 {hi}" if ja else f"Funding-pressure days {lo} to {hi}")
    emit(rows, fmt.value, columns=columns, title=title, optional=["why", "settling_bn",
                                                                  "weekday"])
    if partial:
        exit_with(3)


def fetch_auction_calendar(start: date, end: date) -> FundingCalendar:
    """The funding calendar with the coupon auctions settling from ``start`` to ``end``,
    fetched from FiscalData (base URL from ``LIQWATCH_FISCALDATA_URL``)."""
    import httpx

    from liqwatch.fundcal.auctions import auction_calendar
    from liqwatch.sources import source_settings
    from liqwatch.sources.clients import USER_AGENT
    from liqwatch.sources.fiscaldata import FiscalDataClient

    with httpx.Client(headers={"User-Agent": USER_AGENT}) as http:
        client = FiscalDataClient(http, source_settings("fiscaldata"))
        rows = client.auctions(start, end)
    return auction_calendar(rows)


def register(app: typer.Typer) -> None:
    """Add ``calendar`` to ``app``."""
    app.command("calendar")(calendar)
