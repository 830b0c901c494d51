"""Fixtures of the source-client tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """A real httpx client (the tests' servers are local)."""
    with httpx.Client() as client:
        yield client
