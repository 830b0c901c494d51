"""Helpers for the source-client tests: fast retry settings and the fixture payloads."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from liqwatch.sources import RetryPolicy, SourceSettings

PAYLOADS = Path(__file__).resolve().parent.parent / "fixtures" / "sources"

#: Tiny waits so that retry tests stay fast (the policy is configurable for this).
FAST_RETRY = RetryPolicy(attempts=3, initial=0.01, maximum=0.05, jitter=0.01,
                         retry_after_cap=5.0)


def payload(name: str) -> str:
    """Text of a hand-made fixture payload (constructed in the documented shape)."""
    return (PAYLOADS / name).read_text(encoding="utf-8")


def fast(server: HTTPServer, path: str = "", **extra: str) -> SourceSettings:
    """Settings pointing at the local server with no pacing and tiny backoff."""
    return SourceSettings(base_url=server.url_for(path).rstrip("/"), min_interval=0.0,
                          timeout=2.0, retry=FAST_RETRY, extra_urls=extra)
