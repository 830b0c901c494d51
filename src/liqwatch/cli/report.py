"""Commands that present the data: report, serve, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from liqwatch.cli._common import (
    LangOpt,
    console,
    db_location,
    err_console,
    open_store,
    parse_date,
    report_day,
    resolve_lang,
    settings,
)
from liqwatch.exceptions import ConfigError


def report(
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE",
        help="Use only data published by this day (YYYY-MM-DD; default: the latest day on "
        "which most indicators are current).")
    ] = None,
    lang: LangOpt = None,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE",
                                      help="HTML file to write.")] = Path("report.html"),
    claims: Annotated[Path | None, typer.Option(
        metavar="FILE", help="A claims file to check; adds the 'numbers checked' section.")
    ] = None,
) -> None:
    """Write the self-contained HTML report (charts included, works offline).

    A section whose data the store lacks says what is missing instead.

    Examples:

        liqwatch report --out report.html

        liqwatch report --as-of 2019-09-18 --lang ja --out sep2019_ja.html

        liqwatch report --claims note_claims.yaml --out checked.html
    """
    from liqwatch.report import write_report

    lang_ = resolve_lang(lang)
    if claims is not None and not claims.is_file():
        raise ConfigError(f"--claims: {claims} is not a file")
    with open_store(read_only=True) as store:
        if not store.known_ids():
            err_console.print("[yellow]The store is empty:[/] the report will have no data. "
                              "Load some with [bold]liqwatch import ../shared/data/raw[/].")
        day = report_day(store, as_of, lang=lang_).day
        path = write_report(store, out, as_of=day, lang=lang_, claims=claims)
    size = path.stat().st_size / 1e6
    console.print(f"レポートを [bold]{path.resolve()}[/] に書き出しました ({size:.1f} MB)"
                  if lang_ == "ja" else
                  f"Report written to [bold]{path.resolve()}[/] ({size:.1f} MB)")


def serve(
    host: Annotated[str, typer.Option(metavar="ADDRESS",
                                      help="Address to bind (loopback by default).")] =
        "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port.", min=1, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option(
        metavar="TOKEN", help="Bearer token clients must send (16 characters or more); "
        "required off loopback.", envvar="LIQWATCH_TOKEN", show_default=False)] = None,
    generate_token: Annotated[bool, typer.Option(
        "--generate-token", help="Make a random token and print it once.")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", metavar="NAME", help="A Host name the server answers to, besides "
        "the loopback names (repeat; '.example.org' for a domain and its subdomains).",
        show_default=False)] = None,
    secure_cookie: Annotated[bool, typer.Option(
        "--secure-cookie", help="Mark the session cookie Secure even when the server does "
        "not see HTTPS (a TLS proxy on another machine).")] = False,
    tls_cert: Annotated[Path | None, typer.Option(
        "--tls-cert", metavar="PEM", help="Serve HTTPS with this certificate (with "
        "--tls-key).", show_default=False)] = None,
    tls_key: Annotated[Path | None, typer.Option(
        "--tls-key", metavar="PEM", help="The certificate's private key.",
        show_default=False)] = None,
    lang: LangOpt = None,
) -> None:
    """Serve the dashboard and the read-only JSON API (OpenAPI docs at /docs).

    Binding to anything but loopback requires --token (or --generate-token); clients then
    send 'Authorization: Bearer <token>' (the browser signs in once at the login form and
    gets a session cookie). The server answers only to the Host names it knows: the
    loopback names, --host, and each --allowed-host. Put a TLS reverse proxy in front of
    it off loopback (docs/deploy.md).

    Examples:

        liqwatch serve

        liqwatch serve --port 8080

        liqwatch serve --host 0.0.0.0 --generate-token --allowed-host dash.lan
    """
    from liqwatch.web import check_tls, is_loopback
    from liqwatch.web import serve as run
    from liqwatch.web_auth import check_token
    from liqwatch.web_auth import generate_token as new_token

    lang_ = resolve_lang(lang)
    location = db_location()
    if generate_token:
        if token:
            raise ConfigError("--generate-token: a token is already given (--token or "
                              "LIQWATCH_TOKEN)")
        token = new_token()
    check_token(token)
    check_tls(tls_cert, tls_key)
    if not is_loopback(host) and not token:
        raise ConfigError(f"refusing to serve on {host} without --token: a non-loopback "
                          "address exposes the dashboard to the network")
    _check_port_free(host, port)
    shown = f"[{host}]" if ":" in host else host
    scheme = "https" if tls_cert else "http"
    if lang_ == "ja":
        console.print(f"liqwatch ダッシュボード: [bold]{scheme}://{shown}:{port}/[/] "
                      f"(API ドキュメント: {scheme}://{shown}:{port}/docs) — ストア "
                      f"{location}。Ctrl-C で停止。")
    else:
        console.print(f"liqwatch dashboard on [bold]{scheme}://{shown}:{port}/[/] "
                      f"(API docs: {scheme}://{shown}:{port}/docs) — store {location}. "
                      "Ctrl-C stops.")
    if generate_token:
        console.print(f"トークン (表示は一度だけ): [bold]{token}[/]" if lang_ == "ja" else
                      f"Token (shown once): [bold]{token}[/]", soft_wrap=True)
    run(location, host=host, port=port, token=token, lock_timeout=settings().lock_timeout,
        allowed_hosts=allowed_host or (), secure_cookie=secure_cookie, tls_cert=tls_cert,
        tls_key=tls_key, lang=lang_)


def _check_port_free(host: str, port: int) -> None:
    """Fail with one clear line (before announcing the URL) when ``host:port`` cannot be bound."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError(f"--host {host}: not an address this machine has ({exc.strerror})"
                          ) from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            sock.bind(addr)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc} (another "
                              "server running? choose another --port)") from None


def export(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="File to write.")],
    what: Annotated[str, typer.Option(metavar="indicators|stress|series",
                                      help="What to export.")] = "series",
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="parquet|csv|json",
                                     help="File format.")] = "parquet",
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", help="Values as published on this day.")] = None,
    series_ids: Annotated[list[str] | None, typer.Option(
        "--series", metavar="ID", help="Only these series or indicators (repeatable).")
    ] = None,
    start: Annotated[str | None, typer.Option(metavar="DATE", help="First date.")] = None,
    end: Annotated[str | None, typer.Option(metavar="DATE", help="Last date.")] = None,
    lang: LangOpt = None,
) -> None:
    """Export indicators, the composite index or series to Parquet, CSV or JSON.

    Examples:

        liqwatch export --series SOFR --series IORB -f csv -o rates.csv

        liqwatch export --what indicators --as-of 2019-09-18 -f json -o i.json

        liqwatch export --what stress --format parquet --out stress.parquet
    """
    from liqwatch.report.export import FORMATS, WHATS
    from liqwatch.report.export import export as run

    lang_ = resolve_lang(lang)
    if what not in WHATS:
        raise ConfigError(f"--what {what!r}: choose one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise ConfigError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    with open_store(read_only=True) as store:
        day = report_day(store, as_of, lang=lang_).day
        result = run(store, what, fmt, out, as_of=day if as_of else None,
                     ids=series_ids or None, start=parse_date(start, "--start"),
                     end=parse_date(end, "--end") or (day if what != "series" else None))
    console.print(f"{result.rows:,} 行 ({', '.join(result.columns)}) を [bold]{result.path}[/]"
                  " に書き出しました" if lang_ == "ja" else
                  f"Wrote {result.rows:,} rows ({', '.join(result.columns)}) to "
                  f"[bold]{result.path}[/]")


def register(app: typer.Typer) -> None:
    """Add report, serve and export to ``app``."""
    app.command("report")(report)
    app.command("serve")(serve)
    app.command("export")(export)
