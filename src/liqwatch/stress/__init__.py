"""The verdict layer: the overall status (reserve regime × funding stress), the composite
stress index (three real-time methods), the backtest against the published indices, and crisis
analogs.

>>> from liqwatch.stress import overall_status, composite, backtest, analogs  # doctest: +SKIP
>>> overall_status(store).reason_en  # doctest: +SKIP
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
from liqwatch.stress.regime import REGIMES, regime_history
from liqwatch.stress.verdict import (
    OverallStatus,
    VerdictParams,
    overall_status,
    verdict_history,
)

__all__ = [
    "DEFAULT_METHOD",
    "EPISODES",
    "METHODS",
    "REGIMES",
    "AnalogResult",
    "BacktestResult",
    "Episode",
    "Levels",
    "OverallStatus",
    "StressPanel",
    "StressReading",
    "VerdictParams",
    "analogs",
    "backtest",
    "composite",
    "from_history",
    "history_from_panel",
    "load_levels",
    "overall_status",
    "regime_history",
    "stress_history",
    "verdict_history",
]
