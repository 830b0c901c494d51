"""The server's in-memory copy: refreshed when the store changes, kept while a writer holds
the file, shared by request threads."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from liqwatch.store import Store, parse_location
from liqwatch.store.snapshot import LiveSnapshot

from .test_backends import _hold


def _write(location: str, day: str) -> None:
    with Store(location) as s:
        s.write(pd.DataFrame({"series_id": "SOFR", "date": [day], "value": [1.0]}))


def test_refreshed_when_the_store_changes(location: str) -> None:
    _write(location, "2025-01-01")
    live = LiveSnapshot(parse_location(location), check_every=3600)
    try:
        with live.use() as (store, generation):
            assert store.row_count() == 1 and generation == 1
        assert live.refresh() is False  # nothing changed: the copy is kept
        _write(location, "2025-01-02")
        with live.use() as (store, generation):  # not checked again yet
            assert store.row_count() == 1
        assert live.refresh() is True
        with live.use() as (store, generation):
            assert store.row_count() == 2 and generation == 2
    finally:
        live.close()


def test_checked_in_the_background(location: str) -> None:
    _write(location, "2025-01-01")
    live = LiveSnapshot(parse_location(location), check_every=0.05)
    try:
        live.current()
        _write(location, "2025-01-02")
        deadline = time.monotonic() + 20
        seen = 0
        while time.monotonic() < deadline and seen != 2:
            with live.use() as (store, _):
                seen = store.row_count()
            time.sleep(0.05)
        assert seen == 2
    finally:
        live.close()


def test_the_old_copy_is_served_while_a_writer_holds_the_file(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    _write(str(path), "2025-01-01")
    live = LiveSnapshot(parse_location(str(path)), check_every=3600, lock_timeout=0.3)
    try:
        live.current()
        _write(str(path), "2025-01-02")
        with _hold(path, 30) as proc:
            assert live.refresh() is False
            assert live.last_error is not None and f"pid {proc.pid}" in live.last_error
            with live.use() as (store, _):
                assert store.row_count() == 1  # the last committed state it could read
            proc.kill()
        assert live.refresh() is True
        assert live.last_error is None
    finally:
        live.close()


def test_the_server_renders_a_page_once_per_copy(tmp_path: Path) -> None:
    import asyncio

    from liqwatch.web_service import Service

    path = tmp_path / "served.duckdb"
    _write(str(path), "2025-01-01")
    service = Service(parse_location(str(path)), check_every=3600)
    calls: list[int] = []

    def build(store: Store) -> tuple[str, str]:
        calls.append(1)
        return f"{store.row_count()} rows", "csp"

    def page() -> str:
        return asyncio.run(service.computed(("p",), build, service.pages))[0]

    try:
        assert page() == "1 rows"
        assert page() == "1 rows" and len(calls) == 1
        _write(str(path), "2025-01-02")
        assert service._live.refresh()
        assert page() == "2 rows" and len(calls) == 2  # a new copy
    finally:
        service.close()


def test_a_store_still_changing_is_reloaded_once_it_settles(tmp_path: Path) -> None:
    path = str(tmp_path / "settle.duckdb")
    _write(path, "2025-01-01")
    live = LiveSnapshot(parse_location(path), check_every=3600)
    try:
        live.current()
        _write(path, "2025-01-02")
        assert live.refresh(settled=True) is False  # changed since the copy: wait and see
        _write(path, "2025-01-03")
        assert live.refresh(settled=True) is False  # still changing
        assert live.refresh(settled=True) is True  # unchanged since the last check
        with live.use() as (store, _):
            assert store.row_count() == 3
        live.max_age = 0  # a copy this old is replaced even while the store changes
        _write(path, "2025-01-06")
        assert live.refresh(settled=True) is True
    finally:
        live.close()
