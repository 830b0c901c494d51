"""Composite stress index (three real-time methods), backtest against the published indices,
and crisis analogs.

>>> from liqwatch.stress import composite, stress_history, backtest, analogs  # doctest: +SKIP
>>> composite(store).summary()  # doctest: +SKIP
"""

from __future__ import annotations

from liqwatch.stress.composite import (
    DEFAULT_METHOD,
    StressReading,
    composite,
    history_from_panel,
    stress_history,
)
from liqwatch.stress.crisis_analogs import AnalogResult, analogs
from liqwatch.stress.episodes import EPISODES, Episode
from liqwatch.stress.event_study import BacktestResult, backtest
from liqwatch.stress.levels import Levels, load_levels
from liqwatch.stress.methods import METHODS
from liqwatch.stress.panel import StressPanel, from_history

__all__ = [
    "DEFAULT_METHOD",
    "EPISODES",
    "METHODS",
    "AnalogResult",
    "BacktestResult",
    "Episode",
    "Levels",
    "StressPanel",
    "StressReading",
    "analogs",
    "backtest",
    "composite",
    "from_history",
    "history_from_panel",
    "load_levels",
    "stress_history",
]
