"""Reserve nowcast and projections from the Fed balance-sheet identity.

* :func:`balance_sheet` — the H.4.1 identity on the week-average basis ("other" = residual).
* :func:`project` — weekly projection under a preset and overrides, with threshold crossings
  and a sensitivity table (:class:`ProjectionResult`).
* :func:`nowcast` — daily reserves since the last H.4.1 from the daily TGA, ON RRP and SRF.
* :func:`validate` — projections from past dates with the policy announced then, against
  what happened.
* :data:`PRESETS` — named scenarios; :func:`policy_history` — the announced policy as data.
"""

from liqwatch.scenarios.drivers import Assumptions
from liqwatch.scenarios.identity import balance_sheet, check_identity
from liqwatch.scenarios.nowcast import NowcastResult, NowcastValidation, nowcast, validate_nowcast
from liqwatch.scenarios.policy import policy_history
from liqwatch.scenarios.presets import PRESETS
from liqwatch.scenarios.projection import ProjectionResult, project
from liqwatch.scenarios.validation import ValidationResult, validate

__all__ = [
    "PRESETS",
    "Assumptions",
    "NowcastResult",
    "NowcastValidation",
    "ProjectionResult",
    "ValidationResult",
    "balance_sheet",
    "check_identity",
    "nowcast",
    "policy_history",
    "project",
    "validate",
    "validate_nowcast",
]
