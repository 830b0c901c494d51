"""``liqwatch calendar``: the coming funding-pressure days, so that a desk can plan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from liqwatch.fundcal import FundingCalendar

#: Days listed when ``--to`` is not given.
DEFAULT_SPAN_DAYS = 45


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
    from liqwatch.indicators.pressure_days import pressure_days

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
        rows = pressure_days(lo, hi, lang.value, every=every, calendar=cal)
    else:
        with open_store(read_only=True) as store:
            rows = pressure_days(lo, hi, lang.value, every=every, store=store,
                                    calendar=cal)
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
