"""Alerts: rules as TOML configuration, an engine with hysteresis and de-duplication persisted
in the store's ``alert_log``, notifiers (console, webhook, e-mail), point-in-time replay and an
unattended watch loop.

Examples
--------
>>> from liqwatch.alerts import evaluate, replay  # doctest: +SKIP
>>> events = evaluate(store)                      # as of today, recorded in alert_log
>>> [e.message for e in events.changes]
>>> replay(store, date(2019, 8, 1), date(2019, 10, 31)).changes
"""

from __future__ import annotations

from liqwatch.alerts.config import AlertConfig, RuleSpec, load_alert_config
from liqwatch.alerts.delivery import DeliveryReport, deliver
from liqwatch.alerts.engine import AlertEvent, AlertList, evaluate
from liqwatch.alerts.notifiers import (
    ConsoleNotifier,
    EmailNotifier,
    NotifierError,
    WebhookNotifier,
    build_notifiers,
)
from liqwatch.alerts.replay import replay
from liqwatch.alerts.rules import Condition, Inputs, step

__all__ = [
    "AlertConfig",
    "AlertEvent",
    "AlertList",
    "Condition",
    "ConsoleNotifier",
    "DeliveryReport",
    "EmailNotifier",
    "Inputs",
    "NotifierError",
    "RuleSpec",
    "WebhookNotifier",
    "build_notifiers",
    "deliver",
    "evaluate",
    "load_alert_config",
    "replay",
    "step",
]
