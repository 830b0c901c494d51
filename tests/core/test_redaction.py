"""The redaction filter on real loggers: a library's logger, a message's arguments, a
traceback, and the handler installed on the root logger."""

from __future__ import annotations

import io
import logging

from liqwatch.redaction import install, redact, register_secret, register_url

URL = "https://hooks.example.org/services/T0/B0PATHSECRET/abcdefghij?token=tok123456"


def test_urls_keys_and_query_values_are_masked() -> None:
    register_url(URL)
    register_secret("sk-0123456789")
    text = redact(f"POST {URL} failed; key sk-0123456789; other?api_key=zzz&x=1")
    assert text == ("POST https://hooks.example.org/*** failed; key ***; "
                    "other?api_key=***&x=1")


def test_every_logger_through_the_root_handler_is_masked() -> None:
    register_url(URL)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    old = root.level
    root.setLevel(logging.INFO)
    try:
        install()
        other = logging.getLogger("some.library")  # no filter of its own
        other.info("request %s %s", "POST", URL)
        try:
            raise RuntimeError(f"cannot reach {URL}")
        except RuntimeError:
            other.exception("delivery failed")
    finally:
        root.removeHandler(handler)
        root.setLevel(old)
    printed = stream.getvalue()
    assert "some.library request POST https://hooks.example.org/***" in printed
    assert "RuntimeError: cannot reach https://hooks.example.org/***" in printed
    for secret in ("B0PATHSECRET", "abcdefghij", "tok123456"):
        assert secret not in printed
