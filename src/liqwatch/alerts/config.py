"""Alert configuration: rules, notifiers and retry settings, from TOML.

The defaults ship in ``liqwatch/alerts/defaults.toml``. The ``[alerts]`` table of the liqwatch
config file (``$LIQWATCH_CONFIG`` or ``<user config dir>/liqwatch/config.toml``) overrides them:
a rule with the name of a default rule replaces it, ``enabled = false`` switches a rule off,
notifier and retry tables are merged key by key. Secrets come from the environment only:
``LIQWATCH_SMTP_PASSWORD``; the webhook URL (which often embeds a token) may also come from
``LIQWATCH_WEBHOOK_URL``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from liqwatch.exceptions import ConfigError
from liqwatch.files import package_path

__all__ = [
    "AlertConfig",
    "ConsoleSettings",
    "EmailSettings",
    "RetrySettings",
    "RuleSpec",
    "WebhookSettings",
    "default_report_path",
    "load_alert_config",
]

Kind = Literal["overall", "indicator", "composite", "combination", "stale", "source_failure"]
State = Literal["normal", "watch", "alert"]
KINDS: tuple[str, ...] = ("overall", "indicator", "composite", "combination", "stale",
                          "source_failure")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RuleSpec(_Model):
    """One rule of the configuration.

    Attributes
    ----------
    name
        Unique name (appears in every message and in ``alert_log.rule``).
    kind
        ``overall`` (the overall status every surface shows), ``indicator`` (status of each
        indicator), ``composite`` (the stress index),
        ``combination`` (several categories at alert together), ``stale`` (series overdue by
        their publication schedule), ``source_failure`` (consecutive failed updates).
    enabled
        False switches the rule off.
    notify
        States whose entry is notified (``normal`` = resolution). A resolution is notified
        only when the state it leaves was itself notified (see :meth:`notifies`): with
        ``notify = ["alert", "normal"]`` watch entries and exits are recorded silently.
    ids, categories
        ``indicator``: restrict to these indicators / categories (empty = all).
    method
        ``composite``: the composite method (None = the default method).
    min_categories
        ``combination``: categories needed at the same time.
    series
        ``stale``: series to check (empty = every stored catalogued series not discontinued).
    group
        ``stale``: one rule instance per ``source`` (value: series overdue) or per ``series``
        (value: days overdue).
    level
        ``stale`` and ``source_failure``: the state the rule raises.
    min_consecutive
        ``source_failure``: consecutive failing update runs needed.
    hold_no_data_days
        ``indicator``/``composite``: days an active state survives missing data.
    resolve_after_days
        ``indicator``/``composite``/``combination``: an active state resolves only once its
        level has stayed below watch for more than this many calendar days (0: at once). A
        reading that dips below watch for a day and comes back is then not two notifications.
    """

    name: str
    kind: Kind
    enabled: bool = True
    notify: tuple[State, ...] = ("watch", "alert", "normal")
    ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    method: str | None = None
    min_categories: int = Field(default=3, ge=1)
    series: tuple[str, ...] = ()
    group: Literal["source", "series"] = "source"
    level: Literal["watch", "alert"] = "alert"
    min_consecutive: int = Field(default=3, ge=1)
    hold_no_data_days: int = Field(default=10, ge=0)
    resolve_after_days: int = Field(default=0, ge=0)

    def notifies(self, new: str, previous: str) -> bool:
        """Whether a change from ``previous`` to ``new`` sends a notification.

        Examples
        --------
        >>> r = RuleSpec(name="x", kind="indicator", notify=("alert", "normal"))
        >>> r.notifies("alert", "normal"), r.notifies("normal", "watch")
        (True, False)
        """
        if new not in self.notify:
            return False
        return new != "normal" or previous in self.notify

    @field_validator("method")
    @classmethod
    def _empty_method(cls, value: str | None) -> str | None:
        return value or None


class ConsoleSettings(_Model):
    """Console notifier (standard output)."""

    enabled: bool = True


class WebhookSettings(_Model):
    """Webhook notifier: ``slack`` (``{"text": ..., "blocks": [...]}``) or generic ``json``."""

    enabled: bool = True
    url: SecretStr | None = None
    format: Literal["slack", "json"] = "slack"
    timeout: float = Field(default=10.0, gt=0)


class EmailSettings(_Model):
    """E-mail notifier over SMTP (password from ``LIQWATCH_SMTP_PASSWORD``)."""

    enabled: bool = True
    host: str
    port: int = Field(default=587, gt=0, lt=65536)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    sender: str = Field(alias="from")
    to: tuple[str, ...] = Field(min_length=1)
    timeout: float = Field(default=20.0, gt=0)
    ca_file: Path | None = None
    subject_prefix: str = "[liqwatch]"


class RetrySettings(_Model):
    """Retries of a failing notifier within one run (exponential backoff)."""

    attempts: int = Field(default=4, ge=1)
    wait_initial: float = Field(default=2.0, ge=0)
    wait_max: float = Field(default=60.0, ge=0)


class Notifiers(_Model):
    """The configured notification channels."""

    console: ConsoleSettings = ConsoleSettings()
    webhook: WebhookSettings | None = None
    email: EmailSettings | None = None


class AlertConfig(_Model):
    """The whole alert configuration (see :func:`load_alert_config`).

    ``lang`` is the language of messages and of webhook and e-mail bodies: ``[alerts] lang``,
    else the config file's ``lang`` (or ``LIQWATCH_LANG``), else English. ``report`` is the
    link every message carries; when empty, a notifying run writes the HTML report to
    :func:`default_report_path` first and links that file.
    """

    report: str = ""
    lang: Literal["en", "ja"] = "en"
    rules: tuple[RuleSpec, ...] = ()
    notifiers: Notifiers = Notifiers()
    retry: RetrySettings = RetrySettings()

    def rule(self, name: str) -> RuleSpec:
        """Return the rule called ``name``."""
        for r in self.rules:
            if r.name == name:
                return r
        raise ConfigError(f"no alert rule named {name!r}")

    @property
    def active_rules(self) -> tuple[RuleSpec, ...]:
        """The enabled rules."""
        return tuple(r for r in self.rules if r.enabled)

    def report_link(self) -> str:
        """Where messages point the reader: the configured link, or the report a notifying
        run writes (:func:`default_report_path`) when it exists; empty before the first."""
        if self.report:
            return self.report
        path = default_report_path()
        return str(path) if path.is_file() else ""


def default_report_path() -> Path:
    """The report a notifying run writes when no ``report`` link is configured."""
    return Path(platformdirs.user_data_dir("liqwatch")) / "report.html"


def _defaults() -> dict[str, Any]:
    text = package_path("alerts/defaults.toml").read_text("utf-8")
    return tomllib.loads(text)


def _user_table(path: Path | None) -> dict[str, Any]:
    from liqwatch.config import load_settings, read_config_file

    if path is None:
        return dict(load_settings().alerts)
    if not path.is_file():
        raise ConfigError(f"alert configuration file {path} does not exist")
    raw = read_config_file(path)
    # A dedicated rules file may hold the alert tables at its top level.
    table = raw.get("alerts", raw)
    if not isinstance(table, dict):
        raise ConfigError(f"config file {path}: [alerts] must be a table")
    return dict(table)


def merge(defaults: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """Merge a user ``[alerts]`` table into the defaults (rules replaced by name)."""
    out = dict(defaults)
    rules = {r["name"]: dict(r) for r in defaults.get("rules", [])}
    if not isinstance(user.get("rules", []), list):
        raise ConfigError("[alerts] rules must be an array of tables ([[alerts.rules]])")
    for table in ("notifiers", "retry"):
        if not isinstance(user.get(table, {}), dict):
            raise ConfigError(f"[alerts] {table} must be a table ([alerts.{table}])")
    for r in user.get("rules", []):
        if not isinstance(r, dict) or "name" not in r:
            raise ConfigError("every [[alerts.rules]] entry needs a name")
        base = rules.get(r["name"], {})
        # `enabled = false` alone switches a default rule off; anything else replaces it.
        rules[r["name"]] = {**base, **r} if set(r) <= {"name", "enabled"} else dict(r)
    out["rules"] = list(rules.values())
    for table in ("notifiers", "retry"):
        merged = dict(defaults.get(table, {}))
        for key, value in user.get(table, {}).items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
        out[table] = merged
    for key, value in user.items():
        if key not in ("rules", "notifiers", "retry"):
            out[key] = value
    return out


def load_alert_config(path: Path | str | None = None) -> AlertConfig:
    """Load the alert configuration.

    Parameters
    ----------
    path
        A TOML file with an ``[alerts]`` table (or the alert tables at its top level). Default:
        the liqwatch config file, when it exists.

    Returns
    -------
    AlertConfig
        Defaults merged with the user's settings and the secrets from the environment.

    Raises
    ------
    ConfigError
        When the file is not valid TOML or a setting is invalid (the message names it).
    """
    data = merge(_defaults(), _user_table(Path(path).expanduser() if path else None))
    notifiers = dict(data.get("notifiers", {}))
    env_url = os.environ.get("LIQWATCH_WEBHOOK_URL")
    if env_url:
        notifiers["webhook"] = {**notifiers.get("webhook", {}), "url": env_url}
    password = os.environ.get("LIQWATCH_SMTP_PASSWORD")
    if password and "email" in notifiers:
        notifiers["email"] = {**notifiers["email"], "password": password}
    data["notifiers"] = notifiers
    if "lang" not in data:
        from liqwatch.config import load_settings

        data["lang"] = load_settings().lang
    names = [r.get("name") for r in data.get("rules", [])]
    if len(names) != len(set(names)):
        raise ConfigError(f"alert rule names must be unique: {names}")
    try:
        config = AlertConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid alert configuration: {problems}") from None
    from liqwatch.redaction import register_secret, register_url

    n = config.notifiers
    if n.webhook is not None and n.webhook.url is not None:
        register_url(n.webhook.url.get_secret_value())
    if n.email is not None and n.email.password is not None:
        register_secret(n.email.password.get_secret_value())
    return config
