"""Fixtures of the source-client tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from pytest_httpserver import HTTPServer


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """A real httpx client (the tests' servers are local)."""
    with httpx.Client() as client:
        yield client


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    """A threaded local server shared by a test module (handlers are installed per test)."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    srv = HTTPServer(threaded=True)
    srv.start()
    yield srv
    srv.stop()
