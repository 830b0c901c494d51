"""Unattended monitoring: update → evaluate → notify, in a loop, one process at a time.

The store is opened for each step of a cycle (update, then evaluate and notify) and closed
while the loop sleeps, so that other commands (``liqwatch status``, the dashboard) can read it
in between. One ``watch`` runs per store: a lock file beside a DuckDB file, a session advisory
lock on a PostgreSQL server (so two machines sharing it cannot both watch); a second one
refuses to start and names the first. SIGTERM or SIGINT ends the loop after the current step
(a second signal interrupts at once).
"""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from liqwatch.alerts.config import AlertConfig
from liqwatch.alerts.delivery import DeliveryReport, deliver
from liqwatch.alerts.engine import AlertList, evaluate
from liqwatch.alerts.notifiers import Notifier
from liqwatch.exceptions import ConfigError, LiqwatchError, StoreLockedError
from liqwatch.store import DEFAULT_LOCK_TIMEOUT, Store, StoreLocation, parse_location
from liqwatch.store.locks import FileLock, lock_path, process_lock

__all__ = ["CycleResult", "WatchLock", "WatchLockedError", "lock_path", "parse_duration",
           "run_cycle", "watch"]

log = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``text``: ``90``, ``30s``, ``15m``, ``1h``, ``1h30m``, ``1d``, ``0.5s``.

    Examples
    --------
    >>> parse_duration("1h30m"), parse_duration("45")
    (5400.0, 45.0)
    """
    raw = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        return float(raw)
    parts = re.findall(r"(\d+(?:\.\d+)?)([smhd])", raw)
    if not parts or "".join(n + u for n, u in parts) != raw:
        raise ConfigError(f"{text!r} is not a duration (e.g. 30s, 15m, 1h, 1h30m, 1d)")
    seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ConfigError(f"the duration {text!r} must be positive")
    return seconds


class WatchLockedError(ConfigError):
    """Another ``liqwatch watch`` holds the lock of this store."""


class WatchLock:
    """The lock that lets one ``watch`` run per store.

    Parameters
    ----------
    target
        The store (a lock file beside a DuckDB file, an advisory lock on PostgreSQL), or the
        path of a lock file.
    """

    def __init__(self, target: Path | StoreLocation) -> None:
        self._lock: Any = (FileLock(target) if isinstance(target, Path)
                           else process_lock(target, "watch"))

    def __enter__(self) -> WatchLock:
        try:
            self._lock.__enter__()
        except StoreLockedError as exc:
            raise WatchLockedError(
                f"another `liqwatch watch` is already running on this store: {exc.holder} "
                f"(lock on {exc.where}); stop it first, or watch another store"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.__exit__(None, None, None)

    def alive(self) -> bool:
        """Still held (false once a PostgreSQL lock's connection was lost)."""
        return isinstance(self._lock, FileLock) or bool(self._lock.alive())


@dataclass
class CycleResult:
    """One pass of the loop."""

    started: datetime
    update_exit: int | None = None
    update_error: str | None = None
    events: AlertList | None = None
    delivery: DeliveryReport | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self, lang: str = "en") -> str:
        """One line for the log (in ``lang``)."""
        ja = lang == "ja"
        parts = [self.started.strftime("%Y-%m-%d %H:%M:%S UTC")]
        if self.update_error:
            parts.append(f"{'更新失敗' if ja else 'update failed'}: {self.update_error}")
        elif self.update_exit is not None:
            parts.append(f"{'更新の終了コード' if ja else 'update exit'} {self.update_exit}")
        if self.events is not None:
            n_active, n_changed = len(self.events.active), len(self.events.changes)
            parts.append(f"継続中 {n_active} 件、変化 {n_changed} 件" if ja else
                         f"{n_active} active, {n_changed} changed")
        if self.delivery is not None:
            sent = [c.channel for c in self.delivery.channels if c.ok]
            failed = [f"{c.channel} ({c.error})" for c in self.delivery.failed]
            if sent:
                parts.append(("送信: " if ja else "sent: ") + ", ".join(sent))
            if failed:
                parts.append(("失敗: " if ja else "failed: ") + "; ".join(failed))
        if self.error:
            parts.append(f"{'エラー' if ja else 'error'}: {self.error}")
        return " | ".join(parts)


def run_cycle(
    db: Path | str | StoreLocation,
    config: AlertConfig,
    notifiers: list[Notifier],
    *,
    update: bool = True,
    notify: bool = True,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> CycleResult:
    """Update (when wanted), evaluate as of the report day, deliver pending changes.

    Each step opens the store for itself and closes it after, so that between steps (and
    while ``update`` waits on the sources) other processes can use a DuckDB file.
    """
    result = CycleResult(started=datetime.now(UTC))
    location = parse_location(db)
    try:
        if update:
            from liqwatch.update import run_update

            with Store(location, lock_timeout=lock_timeout) as store:
                try:
                    report = run_update(store)
                    result.update_exit = int(getattr(report, "exit_code", 0))
                except LiqwatchError as exc:
                    result.update_error = str(exc)
        with Store(location, lock_timeout=lock_timeout) as store:
            result.events = evaluate(store, config=config, persist=True)
            result.notes = list(result.events.notes)
            if notify:
                store.release()  # deliveries wait on the network: reopen to record them
                result.delivery = deliver(store, config, notifiers)
    except LiqwatchError as exc:
        result.error = str(exc)
    except Exception as exc:  # a monitor keeps running; the error is reported each cycle
        log.exception("watch: cycle failed")
        result.error = f"{type(exc).__name__}: {exc}"
    return result


@contextlib.contextmanager
def _signals(stop: threading.Event) -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.info("watch: signal %d received, stopping after this step", signum)
        stop.set()

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def watch(
    db: Path | str | StoreLocation,
    config: AlertConfig,
    notifiers: list[Notifier],
    *,
    every: float = 3600.0,
    once: bool = False,
    update: bool = True,
    stop: threading.Event | None = None,
    on_cycle: Callable[[CycleResult], None] | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> int:
    """Run the loop until SIGTERM/SIGINT (or ``stop``), or once.

    Parameters
    ----------
    db
        The store: a DuckDB file or a PostgreSQL URL.
    config, notifiers
        Alert configuration and channels.
    every
        Seconds between the starts of two cycles.
    once
        One cycle, then return (for cron and systemd timers).
    update
        Fetch new data first (when ``liqwatch.update`` is installed).
    stop
        An event that ends the loop (set by the signal handlers).
    on_cycle
        Called with each :class:`CycleResult`.
    lock_timeout
        Seconds a step waits for a DuckDB file another process holds.

    Returns
    -------
    int
        Exit code: 0, or 2 when the last cycle failed.

    Raises
    ------
    WatchLockedError
        When another ``watch`` runs on the same store.
    """
    event = stop or threading.Event()
    last: CycleResult | None = None
    location = parse_location(db)
    lock = WatchLock(location)
    with lock, _signals(event):
        while not event.is_set():
            began = datetime.now(UTC)
            if not lock.alive():  # the server dropped the lock's connection: take it again
                lock.__exit__()
                lock.__enter__()
            last = run_cycle(location, config, notifiers, update=update,
                             lock_timeout=lock_timeout)
            if on_cycle is not None:
                on_cycle(last)
            if once:
                break
            elapsed = (datetime.now(UTC) - began).total_seconds()
            event.wait(max(every - elapsed, 0.0))
    return 2 if last is not None and last.error else 0
