"""Stress episodes: package data (``data/episodes.toml``) used by the backtest and the analogs."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from liqwatch.files import package_path

__all__ = ["EPISODES", "Episode", "inside_episodes", "load_episodes"]


@dataclass(frozen=True, slots=True)
class Episode:
    """One stress episode.

    Attributes
    ----------
    name
        Short label, e.g. ``"Sep 2019"``.
    title
        What happened.
    title_ja
        The same in Japanese (falls back to ``title`` when empty).
    type
        ``"plumbing"`` (money-market plumbing only) or ``"broad"`` (system-wide stress).
    start, peak, end
        Window of the episode and its day of maximum stress.
    note
        Why the dates were chosen.
    """

    name: str
    title: str
    type: str
    start: date
    peak: date
    end: date
    note: str = ""
    title_ja: str = ""

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` ("en" or "ja"); English when no Japanese title is given."""
        return self.title_ja if lang == "ja" and self.title_ja else self.title

    def as_dict(self) -> dict[str, object]:
        """Plain mapping (dates kept as :class:`datetime.date`)."""
        return {
            "name": self.name, "title": self.title, "type": self.type, "start": self.start,
            "peak": self.peak, "end": self.end, "note": self.note,
            "title_ja": self.title_ja,
        }


@cache
def load_episodes() -> tuple[Episode, ...]:
    """Read the episodes from the package data, checking their dates.

    Returns
    -------
    tuple of Episode
        Sorted by start date.
    """
    text = package_path("stress/data/episodes.toml").read_text("utf-8")
    raw = tomllib.loads(text)["episode"]
    out = []
    for row in raw:
        ep = Episode(**row)
        if ep.type not in ("plumbing", "broad"):
            raise ValueError(f"episode {ep.name!r}: type must be plumbing or broad")
        if not ep.start <= ep.peak <= ep.end:
            raise ValueError(f"episode {ep.name!r}: need start <= peak <= end")
        out.append(ep)
    return tuple(sorted(out, key=lambda e: e.start))


EPISODES: tuple[Episode, ...] = load_episodes()


def inside_episodes(
    dates: pd.DatetimeIndex, episodes: tuple[Episode, ...] = EPISODES
) -> np.ndarray:
    """Boolean mask: which ``dates`` fall inside an episode window (start to end)."""
    mask = np.zeros(len(dates), dtype=bool)
    for ep in episodes:
        mask |= (dates >= pd.Timestamp(ep.start)) & (dates <= pd.Timestamp(ep.end))
    return mask
