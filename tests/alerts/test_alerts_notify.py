"""Notifiers against a real local HTTP receiver (pytest-httpserver) and a real local SMTP server
(aiosmtpd, with STARTTLS and login): content, once-only delivery, retries, later delivery."""

from __future__ import annotations

import json
import logging
import socket
import ssl
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from alerts_helpers import SyntheticProvider, synthetic_row, write_config
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from liqwatch.alerts import log as alert_log
from liqwatch.alerts.config import AlertConfig, load_alert_config
from liqwatch.alerts.delivery import deliver
from liqwatch.alerts.engine import evaluate
from liqwatch.alerts.notifiers import NotifierError, build_notifiers
from liqwatch.store import Store

D1, D2 = date(2024, 3, 4), date(2024, 3, 5)
PASSWORD = "s3cret-pa55word"


def _market(cfg: AlertConfig) -> AlertConfig:
    rules = tuple(r for r in cfg.rules if r.kind == "indicator")
    return cfg.model_copy(update={"rules": rules})


def _alerting(store: Store, cfg: AlertConfig) -> None:
    p = SyntheticProvider(frames={D1: [synthetic_row("sofr_spread", "alert", 315.0, obs=D1)]})
    evaluate(store, D2, config=cfg, provider=p, persist=True)


def _webhook_config(tmp_path: Path, url: str, fmt: str) -> AlertConfig:
    path = write_config(tmp_path / "c.toml", f"""
report = "https://example.org/liqwatch/report.html"
[alerts.notifiers.console]
enabled = false
[alerts.notifiers.webhook]
url = "{url}"
format = "{fmt}"
timeout = 2
""")
    return _market(load_alert_config(path))


class Receiver:
    """Records requests; fails the first ``fail`` of them with HTTP 500."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.bodies: list[dict[str, Any]] = []
        self.calls = 0

    def __call__(self, request: Request) -> Response:
        self.calls += 1
        if self.calls <= self.fail:
            return Response("boom", status=500)
        self.bodies.append(json.loads(request.get_data()))
        return Response("ok", status=200)


def test_slack_webhook_content_and_sent_once(
    httpserver: HTTPServer, store: Store, tmp_path: Path
) -> None:
    rec = Receiver()
    httpserver.expect_request("/hooks/T000/B000/XXXX", method="POST").respond_with_handler(rec)
    cfg = _webhook_config(tmp_path, httpserver.url_for("/hooks/T000/B000/XXXX"), "slack")
    _alerting(store, cfg)
    first = deliver(store, cfg, build_notifiers(cfg))
    assert [c.channel for c in first.channels] == ["webhook"] and first.channels[0].ok
    assert len(rec.bodies) == 1
    body = rec.bodies[0]
    text = body["text"]
    assert "ALERT" in text and "315 bp" in text and "alert threshold of 25 bp" in text
    assert "2024-03-04" in text and "https://example.org/liqwatch/report.html" in text
    assert body["blocks"][0]["type"] == "header"
    # Running again (evaluate + deliver) sends nothing new.
    _alerting(store, cfg)
    second = deliver(store, cfg, build_notifiers(cfg))
    assert second.pending == 0 and second.channels == []
    assert len(rec.bodies) == 1
    row = store.execute("SELECT notified_at IS NOT NULL, delivery_attempts FROM alert_log"
                        ).fetchone()
    assert row == (True, 1)


def test_generic_json_webhook(httpserver: HTTPServer, store: Store, tmp_path: Path) -> None:
    rec = Receiver()
    httpserver.expect_request("/in", method="POST").respond_with_handler(rec)
    cfg = _webhook_config(tmp_path, httpserver.url_for("/in"), "json")
    _alerting(store, cfg)
    deliver(store, cfg, build_notifiers(cfg))
    (body,) = rec.bodies
    (alert,) = body["alerts"]
    assert {k: alert[k] for k in ("rule", "state", "date", "as_of", "value", "threshold")} == {
        "rule": "indicator-status", "state": "alert", "date": "2024-03-04",
        "as_of": "2024-03-05", "value": 315.0, "threshold": 25.0}
    assert body["report"] == "https://example.org/liqwatch/report.html"
    assert alert["message"].startswith("ALERT")


def test_failing_once_is_retried_within_the_run(
    httpserver: HTTPServer, store: Store, tmp_path: Path
) -> None:
    rec = Receiver(fail=1)
    httpserver.expect_request("/in", method="POST").respond_with_handler(rec)
    cfg = _webhook_config(tmp_path, httpserver.url_for("/in"), "json")
    _alerting(store, cfg)
    report = deliver(store, cfg, build_notifiers(cfg))
    assert report.channels[0].ok and report.channels[0].attempts == 2
    assert rec.calls == 2 and len(rec.bodies) == 1


def test_undelivered_alert_is_sent_on_the_next_run(
    httpserver: HTTPServer, store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rec = Receiver(fail=3)  # every attempt of the first run fails (3 attempts configured)
    httpserver.expect_request("/hooks/secret-token", method="POST").respond_with_handler(rec)
    cfg = _webhook_config(tmp_path, httpserver.url_for("/hooks/secret-token"), "json")
    _alerting(store, cfg)
    with caplog.at_level(logging.WARNING):
        first = deliver(store, cfg, build_notifiers(cfg))
    assert not first.channels[0].ok and first.channels[0].attempts == 3
    assert "HTTP 500" in (first.channels[0].error or "")
    assert "secret-token" not in (first.channels[0].error or "")
    assert "secret-token" not in caplog.text
    row = store.execute("SELECT notified_at, delivery_attempts, delivery_error FROM alert_log"
                        ).fetchone()
    assert row is not None and row[0] is None and row[1] == 3 and "HTTP 500" in row[2]
    # Next run: the receiver works again; the alert is delivered, once.
    _alerting(store, cfg)
    second = deliver(store, cfg, build_notifiers(cfg))
    assert second.channels[0].ok and len(rec.bodies) == 1
    assert rec.bodies[0]["alerts"][0]["value"] == 315.0
    assert deliver(store, cfg, build_notifiers(cfg)).pending == 0
    assert len(rec.bodies) == 1


def test_channel_that_delivered_is_not_repeated(
    httpserver: HTTPServer, store: Store, tmp_path: Path
) -> None:
    """Webhook works, e-mail fails (nothing listens): the retry resends only the e-mail."""
    rec = Receiver()
    httpserver.expect_request("/in", method="POST").respond_with_handler(rec)
    dead_port = _free_port()
    path = write_config(tmp_path / "c.toml", f"""
[alerts.notifiers.console]
enabled = false
[alerts.notifiers.webhook]
url = "{httpserver.url_for('/in')}"
format = "json"
[alerts.notifiers.email]
host = "127.0.0.1"
port = {dead_port}
security = "none"
from = "liqwatch@example.org"
to = ["desk@example.org"]
timeout = 2
""")
    cfg = _market(load_alert_config(path))
    _alerting(store, cfg)
    first = deliver(store, cfg, build_notifiers(cfg))
    assert {c.channel: c.ok for c in first.channels} == {"webhook": True, "email": False}
    second = deliver(store, cfg, build_notifiers(cfg))
    assert [c.channel for c in second.channels] == ["email"]
    assert len(rec.bodies) == 1


# ----------------------------------------------------------------------------- SMTP
class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


def _auth(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.login == b"monitor" and \
        data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def _server_tls(tls_cert: tuple[Path, Path]) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(*tls_cert)
    return ctx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture
def smtp_server(tls_cert: tuple[Path, Path]) -> Iterator[tuple[_Inbox, int]]:
    """A local SMTP server that requires STARTTLS and login (real aiosmtpd)."""
    port = _free_port()
    inbox = _Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=_server_tls(tls_cert),
                     require_starttls=True, authenticator=_auth, auth_required=True,
                     auth_require_tls=True)
    ctl.start()
    try:
        yield inbox, port
    finally:
        ctl.stop()


def _email_config(tmp_path: Path, port: int, cert: Path) -> AlertConfig:
    path = write_config(tmp_path / "c.toml", f"""
report = "/srv/liqwatch/report.html"
[alerts.notifiers.console]
enabled = false
[alerts.notifiers.email]
host = "localhost"
port = {port}
security = "starttls"
username = "monitor"
from = "liqwatch@example.org"
to = ["desk@example.org", "risk@example.org"]
ca_file = "{cert}"
timeout = 5
""")
    return _market(load_alert_config(path))


def test_email_over_implicit_tls(tls_cert: tuple[Path, Path], store: Store,
                                 tmp_path: Path) -> None:
    """``security = "ssl"``: TLS from the first byte (a real aiosmtpd behind TLS), the
    certificate checked against the configured host."""
    cert = tls_cert[0]
    port = _free_port()
    inbox = _Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=_server_tls(tls_cert))
    ctl.start()
    try:
        path = write_config(tmp_path / "c.toml", f"""
[alerts.notifiers.console]
enabled = false
[alerts.notifiers.email]
host = "localhost"
port = {port}
security = "ssl"
from = "liqwatch@example.org"
to = ["desk@example.org"]
ca_file = "{cert}"
timeout = 5
""")
        cfg = _market(load_alert_config(path))
        _alerting(store, cfg)
        report = deliver(store, cfg, build_notifiers(cfg))
        assert report.channels[0].ok, report.channels[0].error
        (msg,) = inbox.messages
        assert msg["Subject"].startswith("[liqwatch] ALERT: indicator-status sofr_spread")
    finally:
        ctl.stop()


def test_email_over_starttls_with_login(
    smtp_server: tuple[_Inbox, int], tls_cert: tuple[Path, Path], store: Store,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp_server
    monkeypatch.setenv("LIQWATCH_SMTP_PASSWORD", PASSWORD)
    cfg = _email_config(tmp_path, port, tls_cert[0])
    _alerting(store, cfg)
    report = deliver(store, cfg, build_notifiers(cfg))
    assert report.channels[0].ok, report.channels[0].error
    (msg,) = inbox.messages
    assert inbox.envelopes[0] == ("liqwatch@example.org",
                                  ["desk@example.org", "risk@example.org"])
    assert msg["Subject"].startswith("[liqwatch] ALERT: indicator-status sofr_spread")
    body = msg.get_payload()[0].get_payload(decode=True).decode()
    assert "315 bp" in body and "alert threshold of 25 bp" in body
    assert "observation 2024-03-04, known 2024-03-05" in body
    assert "/srv/liqwatch/report.html" in body
    # Twice: nothing new is sent.
    _alerting(store, cfg)
    deliver(store, cfg, build_notifiers(cfg))
    assert len(inbox.messages) == 1


def test_email_wrong_password_is_recorded_without_the_password(
    smtp_server: tuple[_Inbox, int], tls_cert: tuple[Path, Path], store: Store,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    inbox, port = smtp_server
    monkeypatch.setenv("LIQWATCH_SMTP_PASSWORD", "wrong-" + PASSWORD)
    cfg = _email_config(tmp_path, port, tls_cert[0])
    _alerting(store, cfg)
    with caplog.at_level(logging.DEBUG):
        report = deliver(store, cfg, build_notifiers(cfg))
    err = report.channels[0].error or ""
    assert "SMTPAuthenticationError" in err
    assert PASSWORD not in err and PASSWORD not in caplog.text
    assert inbox.messages == []
    logged = store.execute("SELECT delivery_error FROM alert_log").fetchone()
    assert logged is not None and PASSWORD not in logged[0]
    # With the right password the pending alert goes out on the next run.
    monkeypatch.setenv("LIQWATCH_SMTP_PASSWORD", PASSWORD)
    cfg = _email_config(tmp_path, port, tls_cert[0])
    assert deliver(store, cfg, build_notifiers(cfg)).channels[0].ok
    assert len(inbox.messages) == 1


def test_email_requires_password_when_logging_in(tmp_path: Path) -> None:
    from liqwatch.exceptions import ConfigError

    cfg = _email_config(tmp_path, 2525, tmp_path / "none.pem")
    with pytest.raises(ConfigError, match="LIQWATCH_SMTP_PASSWORD"):
        build_notifiers(cfg)


def test_acknowledged_pending_alert_is_not_sent(
    httpserver: HTTPServer, store: Store, tmp_path: Path
) -> None:
    rec = Receiver()
    httpserver.expect_request("/in", method="POST").respond_with_handler(rec)
    cfg = _webhook_config(tmp_path, httpserver.url_for("/in"), "json")
    _alerting(store, cfg)
    (row,) = alert_log.pending(store)
    alert_log.acknowledge(store, row.id)
    assert deliver(store, cfg, build_notifiers(cfg)).pending == 0
    assert rec.calls == 0


def test_notifier_error_type() -> None:
    assert issubclass(NotifierError, Exception)


# ----------------------------------------------------------------------------- Japanese
def test_japanese_webhook_body_links_the_report_it_wrote(
    httpserver: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``lang = "ja"`` in the config file: the Slack body received by a real local HTTP
    receiver is Japanese (message, header, report line), and with no ``report`` link
    configured the run writes the HTML report and links that file."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    rec = Receiver()
    httpserver.expect_request("/hooks/ja", method="POST").respond_with_handler(rec)
    path = write_config(tmp_path / "c.toml", f"""
[liqwatch]
lang = "ja"
[alerts.notifiers.console]
enabled = false
[alerts.notifiers.webhook]
url = "{httpserver.url_for('/hooks/ja')}"
format = "slack"
timeout = 5
""")
    monkeypatch.setenv("LIQWATCH_CONFIG", str(path))
    cfg = _market(load_alert_config())
    assert cfg.lang == "ja" and cfg.report == ""
    _alerting(store, cfg)
    report = deliver(store, cfg, build_notifiers(cfg))
    assert report.channels[0].ok, report.channels[0].error
    (body,) = rec.bodies
    text = body["text"]
    assert "警戒" in text and "+315bp" in text and "警戒の閾値 +25bp を上回りました" in text
    assert "観測日 2024-03-04、判明 2024-03-05" in text
    assert "ALERT" not in text and "threshold" not in text
    assert body["blocks"][0]["text"]["text"].startswith("警戒: indicator-status sofr_spread")
    written = tmp_path / "data" / "liqwatch" / "report.html"
    assert f"レポート: {written}" in text
    html = written.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="ja"' in html


def test_japanese_email_subject_and_body(
    smtp_server: tuple[_Inbox, int], tls_cert: tuple[Path, Path], store: Store,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp_server
    monkeypatch.setenv("LIQWATCH_SMTP_PASSWORD", PASSWORD)
    cfg = _email_config(tmp_path, port, tls_cert[0]).model_copy(update={"lang": "ja"})
    _alerting(store, cfg)
    report = deliver(store, cfg, build_notifiers(cfg))
    assert report.channels[0].ok, report.channels[0].error
    (msg,) = inbox.messages
    from email.header import decode_header, make_header

    subject = str(make_header(decode_header(msg["Subject"])))
    assert subject.startswith("[liqwatch] 警戒: indicator-status sofr_spread")
    body = msg.get_payload()[0].get_payload(decode=True).decode()
    assert "警戒の閾値 +25bp を上回りました" in body
    assert "レポート: /srv/liqwatch/report.html" in body
    assert "liqwatch alerts ack ID" in body and "確認済み" in body


def test_alert_goes_out_when_the_report_cannot_be_written(
    httpserver: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No report link configured and the data folder unwritable (a file stands where the
    folder should be): the alert is delivered and says no report was written, rather than
    linking a file that does not exist."""
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    rec = Receiver()
    httpserver.expect_request("/in", method="POST").respond_with_handler(rec)
    cfg = _webhook_config(tmp_path, httpserver.url_for("/in"), "json").model_copy(
        update={"report": ""})
    _alerting(store, cfg)
    report = deliver(store, cfg, build_notifiers(cfg))
    assert report.channels[0].ok
    (body,) = rec.bodies
    assert body["report"] == "" and "Report: could not be written" in body["text"]
