"""Notification channels: console, webhook (Slack-compatible or generic JSON), e-mail (SMTP).

A notifier sends one :class:`Notice` (the pending state changes of one run) and raises
:class:`NotifierError` when it cannot; :mod:`liqwatch.alerts.delivery` retries and records.
Secrets (the SMTP password, the webhook URL's path and query) never appear in errors or logs:
they are registered with :mod:`liqwatch.redaction` when a notifier is built, so that every
logger — httpx's request log included — masks them. A webhook delivery ends within its
``timeout`` in total, however slowly the receiver answers; a rule name with a line break
cannot break (or inject into) an e-mail header.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from typing import Any, Protocol
from urllib.parse import urlsplit

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from liqwatch.alerts.config import AlertConfig, EmailSettings, WebhookSettings
from liqwatch.alerts.log import LogRow
from liqwatch.alerts.message import fmt_number, fmt_number_ja, state_label
from liqwatch.exceptions import ConfigError, LiqwatchError
from liqwatch.hosts import is_loopback
from liqwatch.redaction import redact, register_secret, register_url
from liqwatch.validation import visible

__all__ = [
    "ConsoleNotifier",
    "EmailNotifier",
    "Notice",
    "Notifier",
    "NotifierError",
    "WebhookNotifier",
    "build_notifiers",
    "mrkdwn",
]

_STYLE = {"alert": "bold red", "watch": "yellow", "normal": "green"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

log = logging.getLogger(__name__)


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters as single spaces (for a
    header or a title)."""
    return _CONTROL.sub(" ", text).strip()


class NotifierError(LiqwatchError):
    """A notification channel failed (the message never contains a secret)."""


@dataclass(frozen=True)
class Notice:
    """What one run notifies: its state changes, where the report is, and the language of
    the wording around the messages (``en`` or ``ja``; the messages themselves were
    written in the configured language when the changes were recorded).

    ``report`` is empty when no report could be written; the body then says so.
    """

    alerts: tuple[LogRow, ...]
    report: str
    lang: str = "en"

    @property
    def subject(self) -> str:
        """Short summary: the worst change and how many more."""
        order = {"alert": 0, "watch": 1, "normal": 2}
        first = sorted(self.alerts, key=lambda a: (order.get(a.state, 3), a.id))[0]
        what = state_label(first.state, self.lang)
        n = len(self.alerts) - 1
        more = (f" (ほか {n} 件)" if self.lang == "ja" else f" (+{n} more)") if n else ""
        return f"{what}: {first.rule} {first.subject}{more}"

    @property
    def report_line(self) -> str:
        """``Report: PATH`` / ``レポート: PATH`` (or that none was written)."""
        if self.lang == "ja":
            return f"レポート: {self.report}" if self.report else "レポート: 作成できませんでした"
        return f"Report: {self.report}" if self.report else "Report: could not be written"

    def text(self) -> str:
        """Plain-text body: one paragraph per change, then the report link."""
        lines = [f"[{a.id}] {a.message}" for a in self.alerts]
        lines += ["", self.report_line,
                  "確認済みにするには `liqwatch alerts ack ID`、通知を止めるには "
                  "`liqwatch alerts snooze ID --for 24h`。" if self.lang == "ja" else
                  "Acknowledge with `liqwatch alerts ack ID`; snooze with "
                  "`liqwatch alerts snooze ID --for 24h`."]
        return "\n".join(lines)

    def records(self) -> list[dict[str, Any]]:
        """JSON-ready objects, one per change."""
        return [_record(a) for a in self.alerts]


def _record(a: LogRow) -> dict[str, Any]:
    def iso(d: date | None) -> str | None:
        return d.isoformat() if d is not None else None

    return {
        "id": a.id, "rule": a.rule, "key": a.rule_key, "kind": a.kind, "subject": a.subject,
        "state": a.state, "previous": a.previous, "date": iso(a.date), "as_of": iso(a.as_of),
        "value": a.value, "threshold": a.threshold, "unit": a.unit, "message": a.message,
    }


class Notifier(Protocol):
    """A notification channel."""

    channel: str

    def send(self, notice: Notice) -> None:
        """Deliver ``notice``; raise :class:`NotifierError` on failure."""


class ConsoleNotifier:
    """Prints notices to standard output (or the given Rich console)."""

    channel = "console"

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(highlight=False)

    def send(self, notice: Notice) -> None:
        self.console.print(f"[bold]liqwatch[/] {escape(visible(notice.subject))}")
        for a in notice.alerts:
            message = escape(visible(a.message))
            self.console.print(f"  [{_STYLE.get(a.state, '')}]\\[{a.id}] {message}[/]",
                               soft_wrap=True)
        self.console.print(Text(f"  {notice.report_line}"), soft_wrap=True)


def mrkdwn(text: str) -> str:
    """``text`` as literal Slack ``mrkdwn``: ``&``, ``<`` and ``>`` escaped as Slack asks, so
    that no ``<!channel>`` mention or ``<url|label>`` link can come from the data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def redact_url(url: str) -> str:
    """``scheme://host[:port]/…``: webhook paths and queries often carry tokens."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/…"


class WebhookNotifier:
    """POSTs a Slack-compatible (``{"text", "blocks"}``) or generic JSON payload."""

    channel = "webhook"

    def __init__(self, settings: WebhookSettings) -> None:
        if settings.url is None:
            raise ConfigError(
                "the webhook notifier needs a URL: [alerts.notifiers.webhook] url, or "
                "LIQWATCH_WEBHOOK_URL"
            )
        self.url = settings.url.get_secret_value()
        register_url(self.url)
        self.format = settings.format
        self.timeout = settings.timeout

    def __repr__(self) -> str:
        return f"WebhookNotifier({redact_url(self.url)!r}, format={self.format!r})"

    def payload(self, notice: Notice) -> dict[str, Any]:
        """The JSON body for ``notice``."""
        if self.format == "json":
            return {"source": "liqwatch", "lang": notice.lang, "summary": notice.subject,
                    "report": notice.report, "alerts": notice.records(), "text": notice.text()}
        ja = notice.lang == "ja"
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text",
                                        "text": one_line(notice.subject)[:150]}}
        ]
        shown = notice.alerts[:45]
        for a in shown:
            value = fmt_number_ja(a.value, a.unit) if ja else fmt_number(a.value, a.unit)
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": (
                f"*[{a.id}] {state_label(a.state, notice.lang)}* "
                f"`{mrkdwn(a.rule)}` {mrkdwn(a.subject)} — {value}\n"
                f"{mrkdwn(a.message)}")[:2900]}})
        if len(notice.alerts) > len(shown):
            rest = len(notice.alerts) - len(shown)
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
                f"ほか {rest} 件" if ja else f"and {rest} more")}]})
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": mrkdwn(notice.report_line)}]})
        return {"text": mrkdwn(f"liqwatch {notice.subject}\n{notice.text()}"),
                "blocks": blocks}

    def send(self, notice: Notice) -> None:
        """POST the payload; the whole exchange ends within ``timeout`` seconds (each read
        waits at most that long too, so a receiver that trickles its answer is cut off)."""
        import httpx

        where = redact_url(self.url)
        body = self.payload(notice)
        client = httpx.Client(timeout=self.timeout, follow_redirects=False)
        outcome: dict[str, Any] = {}

        def post() -> None:
            try:
                outcome["status"] = client.post(self.url, json=body).status_code
            except httpx.HTTPError as exc:
                outcome["error"] = type(exc).__name__
            except Exception as exc:  # reported by the caller, never raised in this thread
                outcome["error"] = f"{type(exc).__name__}: {redact(str(exc))[:200]}"

        finished = run_within(self.timeout, post, client.close, "liqwatch-webhook")
        client.close()
        if not finished:
            raise NotifierError(f"webhook {where}: no complete answer within "
                                f"{self.timeout:g} s")
        if "error" in outcome:
            raise NotifierError(f"webhook {where}: {outcome['error']}")
        if outcome["status"] >= 300:
            raise NotifierError(f"webhook {where}: HTTP {outcome['status']}")


class EmailNotifier:
    """Sends a plain-text e-mail over SMTP (STARTTLS, implicit TLS or plain), with login."""

    channel = "email"

    def __init__(self, settings: EmailSettings) -> None:
        if settings.username and settings.password is None:
            raise ConfigError(
                f"the e-mail notifier logs in as {settings.username!r} but "
                "LIQWATCH_SMTP_PASSWORD is not set"
            )
        self.settings = settings
        if settings.password is not None:
            register_secret(settings.password.get_secret_value())
        if settings.security == "none" and settings.username and not is_loopback(settings.host):
            log.warning("e-mail notifier: security = \"none\" sends the password of %s to "
                        "%s:%d in clear text; use starttls or ssl", settings.username,
                        settings.host, settings.port)

    def __repr__(self) -> str:
        s = self.settings
        return f"EmailNotifier({s.host}:{s.port}, security={s.security!r}, to={list(s.to)})"

    def message(self, notice: Notice) -> EmailMessage:
        """The e-mail for ``notice``."""
        msg = EmailMessage()
        msg["Subject"] = one_line(f"{self.settings.subject_prefix} {notice.subject}")
        msg["From"] = self.settings.sender
        msg["To"] = ", ".join(self.settings.to)
        msg.set_content(notice.text())
        msg.add_attachment(json.dumps(notice.records(), indent=2, ensure_ascii=False).encode(),
                           maintype="application", subtype="json", filename="alerts.json")
        return msg

    def _scrub(self, text: str) -> str:
        secret = self.settings.password.get_secret_value() if self.settings.password else ""
        return text.replace(secret, "***") if secret else text

    def send(self, notice: Notice) -> None:
        """Send the message; the whole SMTP exchange ends within ``timeout`` seconds (a server
        that trickles its replies is cut off, its connection closed)."""
        s = self.settings
        where = f"SMTP {s.host}:{s.port}"
        message = self.message(notice)
        session: dict[str, smtplib.SMTP] = {}
        failure: list[str] = []

        def exchange() -> None:
            try:
                self._exchange(message, session)
            except (smtplib.SMTPException, OSError, ValueError) as exc:
                failure.append(f"{type(exc).__name__}: {exc}")
            except Exception as exc:  # reported by the caller, never raised in this thread
                failure.append(f"{type(exc).__name__}: {str(exc)[:200]}")

        def abort() -> None:
            # Shut the socket down (a close would wait for the blocked read): the read then
            # ends, and the exchange's own thread closes the client.
            sock = getattr(session.get("smtp"), "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        if not run_within(s.timeout, exchange, abort, "liqwatch-smtp"):
            raise NotifierError(f"{where}: no complete exchange within {s.timeout:g} s")
        if failure:
            raise NotifierError(redact(self._scrub(f"{where}: {failure[0]}")))

    def _exchange(self, message: EmailMessage, session: dict[str, smtplib.SMTP]) -> None:
        s = self.settings
        context = ssl.create_default_context(cafile=str(s.ca_file) if s.ca_file else None)
        smtp: smtplib.SMTP
        if s.security == "ssl":
            smtp = _SSLSession(context=context, timeout=s.timeout)
        else:
            smtp = _Session(timeout=s.timeout)
        session["smtp"] = smtp  # closed from outside when the deadline passes
        with smtp:
            smtp.connect(s.host, s.port)
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.username and s.password is not None:
                smtp.login(s.username, s.password.get_secret_value())
            smtp.send_message(message)


class _Session(smtplib.SMTP):
    """An SMTP client made before it connects, so that another thread can close it; it keeps
    the host it connects to as the name TLS checks (smtplib keeps it only for a host given to
    the constructor, which connects at once)."""

    def connect(self, host: str = "localhost", port: int = 0,
                source_address: Any = None) -> tuple[int, bytes]:
        self._host = host
        return super().connect(host, port, source_address)


class _SSLSession(_Session, smtplib.SMTP_SSL):
    """:class:`_Session` over implicit TLS."""


def run_within(seconds: float, work: Callable[[], None], abort: Callable[[], None],
               name: str) -> bool:
    """Run ``work`` in a daemon thread for at most ``seconds``.

    Returns
    -------
    bool
        True when it finished in time; otherwise ``abort`` (which closes the connection the
        work is blocked on, ending it) has been called and the result is False.
    """
    worker = threading.Thread(target=work, name=name, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        abort()
        return False
    return True




def build_notifiers(config: AlertConfig, console: Console | None = None) -> list[Notifier]:
    """The enabled notifiers of ``config`` (console first)."""
    out: list[Notifier] = []
    n = config.notifiers
    if n.console.enabled:
        out.append(ConsoleNotifier(console))
    if n.webhook is not None and n.webhook.enabled:
        out.append(WebhookNotifier(n.webhook))
    if n.email is not None and n.email.enabled:
        out.append(EmailNotifier(n.email))
    return out


def channels(notifiers: Sequence[Notifier]) -> list[str]:
    """Channel names of ``notifiers``."""
    return [n.channel for n in notifiers]
