"""Deliver pending state changes on every channel, with retries, and record the outcome.

A change is pending until every configured channel has delivered it. A channel that fails
after its retries (or on an unexpected error, which fails that channel alone) is recorded
(``alert_delivery``, ``alert_log.delivery_error``) and tried again on the next run; a channel
that already delivered a change never sends it again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from liqwatch.alerts import log as alert_log
from liqwatch.alerts.config import AlertConfig, RetrySettings
from liqwatch.alerts.notifiers import Notice, Notifier, NotifierError
from liqwatch.redaction import redact
from liqwatch.store import Store

__all__ = ["ChannelResult", "DeliveryReport", "deliver", "report_for"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChannelResult:
    """Outcome of one channel in one run."""

    channel: str
    alert_ids: tuple[int, ...]
    attempts: int
    error: str | None

    @property
    def ok(self) -> bool:
        """Delivered."""
        return self.error is None


@dataclass
class DeliveryReport:
    """What a delivery run did."""

    pending: int = 0
    channels: list[ChannelResult] = field(default_factory=list)
    notified: list[int] = field(default_factory=list)

    @property
    def failed(self) -> list[ChannelResult]:
        """Channels that failed after their retries."""
        return [c for c in self.channels if not c.ok]


def send_with_retry(
    notifier: Notifier, notice: Notice, retry: RetrySettings
) -> tuple[int, str | None]:
    """Send with exponential backoff; return (attempts, last error or None)."""
    attempts = 0
    try:
        for attempt in Retrying(
            stop=stop_after_attempt(retry.attempts),
            wait=wait_exponential(multiplier=retry.wait_initial, max=retry.wait_max),
            retry=retry_if_exception_type(NotifierError),
            reraise=True,
        ):
            with attempt:
                attempts += 1
                notifier.send(notice)
    except NotifierError as exc:
        log.warning("alerts: %s failed after %d attempts: %s", notifier.channel, attempts, exc)
        return attempts, str(exc)
    except Exception as exc:  # one bad message fails its channel alone, never the run
        error = redact(f"{type(exc).__name__}: {exc}")[:300]
        log.warning("alerts: %s failed: %s", notifier.channel, error)
        return attempts, error
    return attempts, None


def report_for(store: Store, config: AlertConfig) -> str:
    """The report a notification links: the configured ``report`` link as it is, else the
    HTML report of ``store``, written now (in the configured language) to
    :func:`~liqwatch.alerts.config.default_report_path`, so that the link opens the page
    the alert is about. Empty when it cannot be written (the reason is logged)."""
    if config.report:
        return config.report
    from liqwatch.alerts.config import default_report_path
    from liqwatch.report import write_report

    path = default_report_path()
    try:
        return str(write_report(store, path, lang=config.lang).resolve())
    except Exception as exc:  # the alerts go out all the same, saying there is no report
        log.warning("alerts: the report %s could not be written: %s: %s", path,
                    type(exc).__name__, exc)
        return ""


def deliver(
    store: Store, config: AlertConfig, notifiers: Sequence[Notifier]
) -> DeliveryReport:
    """Send every pending change on every channel that has not delivered it yet.

    Parameters
    ----------
    store
        A writable store (deliveries are recorded).
    config
        Retry settings and the report link.
    notifiers
        The channels (see :func:`~liqwatch.alerts.notifiers.build_notifiers`).

    Returns
    -------
    DeliveryReport
        Per channel: the changes sent, the attempts and the error, if any.
    """
    rows = alert_log.pending(store)
    report = DeliveryReport(pending=len(rows))
    if not rows or not notifiers:
        return report
    done = {r.id: alert_log.delivered_channels(store, r.id) for r in rows}
    link: str | None = None
    for notifier in notifiers:
        todo = tuple(r for r in rows if notifier.channel not in done[r.id])
        if not todo:
            continue
        if link is None:
            link = report_for(store, config)
        notice = Notice(alerts=todo, report=link, lang=config.lang)
        attempts, error = send_with_retry(notifier, notice, config.retry)
        ids = tuple(r.id for r in todo)
        with store.transaction():
            alert_log.record_delivery(store, ids, notifier.channel, attempts, error)
        report.channels.append(ChannelResult(notifier.channel, ids, attempts, error))
        if error is None:
            for aid in ids:
                done[aid].add(notifier.channel)
    wanted = {n.channel for n in notifiers}
    with store.transaction():
        for r in rows:
            if wanted <= done[r.id]:
                alert_log.mark_notified(store, r.id)
                report.notified.append(r.id)
    return report
