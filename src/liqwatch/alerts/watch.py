"""Unattended monitoring: update → evaluate → notify, in a loop, one process at a time.

The store is opened for each cycle and closed while the loop sleeps, so that other commands
(``liqwatch status``, the dashboard) can read it in between. A lock file next to the store
keeps a second ``watch`` on the same store from starting. SIGTERM or SIGINT ends the loop after
the current step (a second signal interrupts at once).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TextIO

from liqwatch.alerts.config import AlertConfig
from liqwatch.alerts.delivery import DeliveryReport, deliver
from liqwatch.alerts.engine import AlertList, evaluate
from liqwatch.alerts.notifiers import Notifier
from liqwatch.exceptions import ConfigError, LiqwatchError
from liqwatch.store import Store

__all__ = ["CycleResult", "WatchLock", "WatchLockedError", "parse_duration", "run_cycle", "watch"]

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
    """An exclusive, non-blocking lock on a file (released when the process ends)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: TextIO | None = None

    def __enter__(self) -> WatchLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise WatchLockedError(
                f"another `liqwatch watch` is already running on this store (pid {holder}, "
                f"lock {self.path})"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        if self._fh is not None:
            fh, self._fh = self._fh, None
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
            fh.close()


def lock_path(db: Path) -> Path:
    """The lock file of ``watch`` on the store ``db``."""
    return db.with_name(db.name + ".watch.lock")


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

    def summary(self) -> str:
        """One line for the log."""
        parts = [self.started.strftime("%Y-%m-%d %H:%M:%S UTC")]
        if self.update_error:
            parts.append(f"update failed: {self.update_error}")
        elif self.update_exit is not None:
            parts.append(f"update exit {self.update_exit}")
        if self.events is not None:
            parts.append(f"{len(self.events.active)} active, {len(self.events.changes)} changed")
        if self.delivery is not None:
            sent = [c.channel for c in self.delivery.channels if c.ok]
            failed = [f"{c.channel} ({c.error})" for c in self.delivery.failed]
            if sent:
                parts.append("sent: " + ", ".join(sent))
            if failed:
                parts.append("failed: " + "; ".join(failed))
        if self.error:
            parts.append(f"error: {self.error}")
        return " | ".join(parts)


def run_cycle(
    db: Path,
    config: AlertConfig,
    notifiers: list[Notifier],
    *,
    update: bool = True,
    notify: bool = True,
) -> CycleResult:
    """Update (when wanted), evaluate as of the report day, deliver pending changes."""
    result = CycleResult(started=datetime.now(UTC))
    try:
        with Store(db) as store:
            if update:
                from liqwatch.update import run_update

                try:
                    report = run_update(store)
                    result.update_exit = int(getattr(report, "exit_code", 0))
                except LiqwatchError as exc:
                    result.update_error = str(exc)
            result.events = evaluate(store, config=config, persist=True)
            result.notes = list(result.events.notes)
            if notify:
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
    db: Path,
    config: AlertConfig,
    notifiers: list[Notifier],
    *,
    every: float = 3600.0,
    once: bool = False,
    update: bool = True,
    stop: threading.Event | None = None,
    on_cycle: Callable[[CycleResult], None] | None = None,
) -> int:
    """Run the loop until SIGTERM/SIGINT (or ``stop``), or once.

    Parameters
    ----------
    db
        The store file.
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
    with WatchLock(lock_path(db)), _signals(event):
        while not event.is_set():
            began = datetime.now(UTC)
            last = run_cycle(db, config, notifiers, update=update)
            if on_cycle is not None:
                on_cycle(last)
            if once:
                break
            elapsed = (datetime.now(UTC) - began).total_seconds()
            event.wait(max(every - elapsed, 0.0))
    return 2 if last is not None and last.error else 0
