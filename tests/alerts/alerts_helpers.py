"""Alert test helpers: a synthetic indicator provider and config files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from liqwatch.store import Store


def synthetic_row(ident: str, status: str, value: float, *, category: str = "funding",
                  obs: date | None = None, watch: float = 10.0, alert: float = 25.0,
                  direction: int = 1) -> dict[str, Any]:
    """One row shaped like ``liqwatch.indicators.compute`` output (synthetic values)."""
    return {
        "id": ident, "category": category, "value": value, "unit": "bp", "status": status,
        "date": obs, "thresholds": {"kind": "fixed", "watch": watch, "alert": alert,
                                    "on": "value"},
        "inputs": [], "explanation_en": f"synthetic explanation of {ident}",
        "explanation_ja": "", "reason": None if status != "no_data" else "no input",
        "direction": direction, "name_en": f"Synthetic {ident}",
    }


@dataclass
class SyntheticProvider:
    """Serves synthetic indicator frames by as-of day (named synthetic: not real data).

    ``frames[day]`` holds the rows for that day; a day without an entry reuses the latest
    earlier one. ``composite_status`` optionally gives a composite reading per day.
    """

    frames: dict[date, list[dict[str, Any]]] = field(default_factory=dict)
    composite_status: dict[date, tuple[str, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def _rows(self, as_of: date) -> list[dict[str, Any]]:
        days = [d for d in sorted(self.frames) if d <= as_of]
        return self.frames[days[-1]] if days else []

    def indicators(self, store: Store, as_of: date,
                   ids: list[str] | None = None) -> pd.DataFrame | None:
        return pd.DataFrame([r for r in self._rows(as_of) if ids is None or r["id"] in ids])

    def composite(self, store: Store, as_of: date, method: str | None) -> Any | None:
        days = [d for d in sorted(self.composite_status) if d <= as_of]
        if not days:
            return None
        status, value = self.composite_status[days[-1]]
        return _Reading(date=days[-1], method="synthetic", value=value, status=status,
                        levels={"watch": 1.0, "alert": 2.0})

    def overall(self, store: Store, as_of: date) -> Any | None:
        return None

    def indicator_history(self, store: Store, start: date, end: date) -> pd.DataFrame | None:
        rows = []
        for d in pd.bdate_range(start, end):
            for r in self._rows(d.date()):
                rows.append({"date": d, "id": r["id"], "category": r["category"],
                             "value": r["value"], "status": r["status"],
                             "obs_date": r["date"]})
        return pd.DataFrame(rows)

    def composite_history(self, store: Store, start: date, end: date,
                          method: str | None) -> pd.DataFrame | None:
        return None


@dataclass(frozen=True)
class _Reading:
    date: date
    method: str
    value: float
    status: str
    levels: dict[str, float]


def write_config(path: Path, body: str = "") -> Path:
    """A liqwatch config file with an [alerts] table (fast retries for tests).

    Lines of ``body`` before its first table header go into the ``[alerts]`` table itself.
    """
    lines = body.strip("\n").splitlines()
    cut = next((i for i, line in enumerate(lines) if line.startswith("[")), len(lines))
    head, tail = "\n".join(lines[:cut]), "\n".join(lines[cut:])
    path.write_text(
        f"[alerts]\n{head}\n[alerts.retry]\nattempts = 3\nwait_initial = 0.01\n"
        f"wait_max = 0.02\n{tail}\n",
        encoding="utf-8",
    )
    return path
