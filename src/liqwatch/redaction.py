"""Secrets never reach a log line, an error message or a ``repr``.

Every secret liqwatch holds is registered here when it is read: API keys
(:func:`register_secret`), the path and query of a webhook URL, which carry its token
(:func:`register_url`), the SMTP password, the dashboard token. :func:`redact` replaces each
of them by ``***``, and hides ``api_key=``/``token=``-style query values of any URL.

:class:`RedactingFilter` applies :func:`redact` to a log record (its message, arguments and
traceback). It sits on the loggers that print URLs (``httpx``, ``httpcore``, ``liqwatch``,
``uvicorn``) from import on, and :func:`install` adds it to every handler of the root logger,
so that the records of every logger — a library's included — pass through it before they are
written (the CLI calls it once logging is configured).

>>> register_url("https://hooks.example.org/services/T0/B0/s3cr3tpath?token=abc123")
>>> redact("POST https://hooks.example.org/services/T0/B0/s3cr3tpath?token=abc123 200")
'POST https://hooks.example.org/*** 200'
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import parse_qsl, urlsplit

__all__ = ["RedactingFilter", "install", "redact", "register_secret", "register_url"]

_SECRET_PARAM = re.compile(
    r"(?i)((?:api[_-]?key|apikey|token|access_token|key|password|secret|sig|signature)=)"
    r"([^&\s\"'<>]+)"
)
_SECRETS: set[str] = set()
_URLS: dict[str, str] = {}
_LOCK = threading.Lock()
#: Shortest string registered as a secret (shorter ones would mask ordinary words).
MIN_SECRET = 4
#: Shortest part of a registered URL masked on its own.
MIN_URL_PART = 8


def register_secret(secret: str | None) -> None:
    """Remember ``secret`` so that :func:`redact` hides it wherever it appears."""
    if secret and len(secret) >= MIN_SECRET:
        with _LOCK:
            _SECRETS.add(secret)


def register_url(url: str | None) -> None:
    """Remember the secret parts of ``url``: the URL itself, as given and as httpx writes it
    (shown as ``scheme://host/***``), its user info, and its path, query, path segments and
    query values of :data:`MIN_URL_PART` characters or more (the forms a URL takes once it is
    encoded or split; shorter parts such as ``/hook`` are ordinary words)."""
    if not url:
        return
    parts = urlsplit(url)
    shown = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/***"
    forms = {url}
    try:
        import httpx

        forms.add(str(httpx.URL(url)))
    except (ImportError, ValueError):
        pass
    with _LOCK:
        for form in forms:
            if len(form) > len(shown):
                _URLS[form] = shown
    if "@" in parts.netloc:
        register_secret(parts.netloc.rsplit("@", 1)[0])
    path = parts.path.lstrip("/")
    pieces = [path + (f"?{parts.query}" if parts.query else ""), path, parts.query,
              *parts.path.split("/"), *(v for _k, v in parse_qsl(parts.query))]
    for piece in pieces:
        if len(piece) >= MIN_URL_PART:
            register_secret(piece)


def redact(text: str) -> str:
    """``text`` with every registered secret and ``key=``-style query value as ``***``."""
    with _LOCK:
        urls = sorted(_URLS.items(), key=lambda kv: len(kv[0]), reverse=True)
        secrets = sorted(_SECRETS, key=len, reverse=True)  # a whole path before its segments
    out = text
    for url, shown in urls:
        if url in out:
            out = out.replace(url, shown)
    for secret in secrets:
        if secret in out:
            out = out.replace(secret, "***")
    return _SECRET_PARAM.sub(r"\1***", out)


class RedactingFilter(logging.Filter):
    """Redacts secrets from a record's message and traceback (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = RedactingFilter()


def install() -> None:
    """Put the filter on every handler of the root logger (call after configuring logging)."""
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


for _name in ("httpx", "httpcore", "liqwatch", "uvicorn", "uvicorn.error"):
    logging.getLogger(_name).addFilter(_FILTER)
