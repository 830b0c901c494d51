"""Notifiers under hostile conditions, against real local servers: a webhook receiver that
trickles its answer (a raw socket server), a rule name with a line break, a bad address, the
secrets of the webhook URL under ``liqwatch -v``, passwords in clear, readable config files."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from aiosmtpd.controller import Controller
from alerts_helpers import SyntheticProvider, synthetic_row, write_config
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from liqwatch.alerts.config import AlertConfig, load_alert_config
from liqwatch.alerts.delivery import deliver
from liqwatch.alerts.engine import evaluate
from liqwatch.alerts.notifiers import NotifierError, WebhookNotifier, build_notifiers
from liqwatch.store import Store

D1, D2 = date(2024, 3, 4), date(2024, 3, 5)


class Trickler:
    """A TCP server that reads a request, then answers one byte every ``every`` seconds."""

    def __init__(self, every: float = 0.4, answer: bytes | None = None,
                 speaks_first: bool = False) -> None:
        self.every = every
        self.answer = answer or b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        self.speaks_first = speaks_first  # SMTP: the server greets before the client writes
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                if not self.speaks_first:
                    conn.recv(65536)
                for byte in self.answer:
                    if self.stop.is_set():
                        break
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break
                    time.sleep(self.every)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def trickler() -> Iterator[Trickler]:
    t = Trickler()
    yield t
    t.close()


def _alerting(store: Store, cfg: AlertConfig) -> None:
    p = SyntheticProvider(frames={D1: [synthetic_row("sofr_spread", "alert", 315.0, obs=D1)]})
    evaluate(store, D2, config=cfg, provider=p, persist=True)


def _indicator_rules(cfg: AlertConfig, name: str | None = None) -> AlertConfig:
    rules = tuple(r if name is None else r.model_copy(update={"name": name})
                  for r in cfg.rules if r.kind == "indicator")
    return cfg.model_copy(update={"rules": rules})


def test_a_trickling_receiver_cannot_hold_a_delivery(trickler: Trickler, tmp_path: Path,
                                                      store: Store) -> None:
    """The answer (40 bytes at 0.4 s each) would take 16 s; the delivery ends at its 1.5 s."""
    path = write_config(tmp_path / "c.toml", f"""
[alerts.notifiers.console]
enabled = false
[alerts.notifiers.webhook]
url = "http://127.0.0.1:{trickler.port}/hook"
format = "json"
timeout = 1.5
""")
    cfg = _indicator_rules(load_alert_config(path))
    _alerting(store, cfg)
    (notifier,) = build_notifiers(cfg)
    assert isinstance(notifier, WebhookNotifier)
    t0 = time.perf_counter()
    report = deliver(store, cfg, [notifier])  # 3 attempts configured
    took = time.perf_counter() - t0
    (channel,) = report.channels
    assert not channel.ok and "within 1.5 s" in (channel.error or "")
    assert channel.attempts == 3
    assert took < 3 * 1.5 + 2


def test_a_trickling_smtp_server_cannot_hold_a_delivery(tmp_path: Path) -> None:
    """A greeting of 60 bytes at 0.3 s each would take 18 s and never lets a single read wait
    past the per-read timeout; the whole exchange still ends at its 1.5 s."""
    trickler = Trickler(every=0.3, answer=b"220 " + b"x" * 54 + b"\r\n", speaks_first=True)
    try:
        path = write_config(tmp_path / "c.toml", f"""
[alerts.notifiers.console]
enabled = false
[alerts.notifiers.email]
host = "127.0.0.1"
port = {trickler.port}
security = "none"
from = "liqwatch@example.org"
to = ["desk@example.org"]
timeout = 1.5
""")
        (notifier,) = build_notifiers(load_alert_config(path))
        t0 = time.perf_counter()
        with pytest.raises(NotifierError, match=r"no complete exchange within 1\.5 s"):
            notifier.send(_notice())
        assert time.perf_counter() - t0 < 3.0
    finally:
        trickler.close()


def test_a_line_break_in_a_rule_name_does_not_break_the_run(
        httpserver: HTTPServer, tmp_path: Path, store: Store) -> None:
    got: list[Any] = []

    class Handler:
        def __init__(self) -> None:
            self.messages: list[bytes] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            self.messages.append(envelope.content)
            return "250 OK"

    def hook(request: Request) -> Response:
        got.append(request.get_json())
        return Response("ok")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    smtp = Handler()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(smtp, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        path = write_config(tmp_path / "c.toml", f"""
[alerts.notifiers.console]
enabled = false
[alerts.notifiers.webhook]
url = "{httpserver.url_for('/hook')}"
format = "slack"
[alerts.notifiers.email]
host = "127.0.0.1"
port = {port}
security = "none"
from = "monitor@example.org"
to = ["desk@example.org"]
""")
        cfg = _indicator_rules(load_alert_config(path), name="bad\r\nBcc: evil@example.org")
        _alerting(store, cfg)
        report = deliver(store, cfg, build_notifiers(cfg))
    finally:
        controller.stop()
    assert [c.ok for c in report.channels] == [True, True]
    (raw,) = smtp.messages
    mail = message_from_bytes(raw)
    assert mail["Bcc"] is None and "evil@example.org" not in mail["To"]
    assert "bad Bcc: evil@example.org" in mail["Subject"]
    assert "\n" not in got[0]["blocks"][0]["text"]["text"]


def test_one_bad_message_fails_its_channel_alone(httpserver: HTTPServer, tmp_path: Path,
                                                 store: Store) -> None:
    """An address with a line break makes the e-mail unsendable: that channel fails (and
    stays pending), the webhook still delivers."""
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    path = write_config(tmp_path / "c.toml", f"""
[alerts.notifiers.console]
enabled = false
[alerts.notifiers.webhook]
url = "{httpserver.url_for('/hook')}"
[alerts.notifiers.email]
host = "127.0.0.1"
port = 9
security = "none"
from = "monitor@example.org"
to = ["desk@example.org\\r\\nBcc: evil@example.org"]
""")
    cfg = _indicator_rules(load_alert_config(path))
    _alerting(store, cfg)
    report = deliver(store, cfg, build_notifiers(cfg))
    webhook, email = report.channels
    assert webhook.ok and not email.ok
    assert report.notified == []  # still pending for the e-mail channel


def test_webhook_secrets_are_not_in_verbose_output(httpserver: HTTPServer,
                                                    tmp_path: Path) -> None:
    """``liqwatch -v alerts --notify`` as a process: neither the URL's path secret nor its
    query token appears in anything it prints (httpx logs every request it makes)."""
    db = tmp_path / "s.duckdb"
    with Store(db) as store:  # SOFR stopped in January 2024 (synthetic): a stale-data alert
        dates = pd.bdate_range("2024-01-02", "2024-01-31")
        store.write(pd.DataFrame({"series_id": "SOFR", "date": dates, "value": 5.31}))
    secret_path, secret_query = "B0PATHSECRET/xoxb9876543210", "q7u3r7y5e6c7r8e9t"
    httpserver.expect_request(f"/services/T0/{secret_path}",
                              method="POST").respond_with_data("ok")
    url = httpserver.url_for(f"/services/T0/{secret_path}") + f"?token={secret_query}"
    config = write_config(tmp_path / "config.toml", f"""
[alerts.notifiers.webhook]
url = "{url}"
""")
    config.chmod(0o600)
    env = {**os.environ, "LIQWATCH_CONFIG": str(config)}
    env.pop("LIQWATCH_WEBHOOK_URL", None)
    done = subprocess.run([sys.executable, "-m", "liqwatch", "--db", str(db), "-v", "alerts",
                           "--notify"], capture_output=True, text=True, timeout=120, env=env)
    printed = done.stdout + done.stderr
    assert done.returncode == 0, printed
    assert len(httpserver.log) == 1  # delivered
    assert "HTTP Request: POST" in printed  # httpx's request log was on
    for secret in (secret_path, "B0PATHSECRET", "xoxb9876543210", secret_query):
        assert printed.count(secret) == 0, secret


def test_a_readable_config_file_with_a_secret_warns(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write_config(tmp_path / "c.toml", """
[alerts.notifiers.webhook]
url = "https://hooks.example.org/services/T0/B0/XXXXXXXXXXXX"
""")
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        load_alert_config(path)
    assert "other users can read it" in caplog.text and "webhook url" in caplog.text
    assert "XXXXXXXXXXXX" not in caplog.text
    caplog.clear()
    path.chmod(0o600)
    with caplog.at_level(logging.WARNING):
        load_alert_config(path)
    assert "other users can read it" not in caplog.text


def test_a_password_over_a_plain_connection_warns(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIQWATCH_SMTP_PASSWORD", "pa55word-in-clear")
    path = write_config(tmp_path / "c.toml", """
[alerts.notifiers.email]
host = "smtp.example.org"
port = 25
security = "none"
username = "monitor"
from = "monitor@example.org"
to = ["desk@example.org"]
""")
    with caplog.at_level(logging.WARNING):
        build_notifiers(load_alert_config(path))
    assert "in clear text" in caplog.text and "smtp.example.org" in caplog.text
    assert "pa55word-in-clear" not in caplog.text


def test_notifier_error_names_no_secret(trickler: Trickler) -> None:
    from liqwatch.alerts.config import WebhookSettings

    url = f"http://127.0.0.1:{trickler.port}/hooks/SECRETSECRET?token=tok-tok-tok"
    notifier = WebhookNotifier(WebhookSettings.model_validate({"url": url, "timeout": 0.5}))
    with pytest.raises(NotifierError) as info:
        notifier.send(_notice())
    assert "SECRETSECRET" not in str(info.value) and "tok-tok-tok" not in str(info.value)


def _notice() -> Any:
    from liqwatch.alerts.log import LogRow
    from liqwatch.alerts.notifiers import Notice

    fields = dict.fromkeys(LogRow.__dataclass_fields__)
    fields |= {"id": 1, "rule": "r", "rule_key": "r:x", "kind": "indicator", "subject": "x",
               "state": "alert", "previous": "normal", "message": "m", "date": D1,
               "as_of": D2, "value": 1.0, "threshold": 0.5, "unit": "bp"}
    return Notice(alerts=(LogRow(**fields),), report="r")
