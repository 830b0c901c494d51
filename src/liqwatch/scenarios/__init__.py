"""Reserve nowcast and projections from the Fed balance-sheet identity.

* :func:`balance_sheet` — the H.4.1 identity on the week-average basis ("other" = residual).
* :func:`project` — weekly projection from the latest published week under a preset and
  overrides, with threshold crossings, the assumptions stated in English and Japanese, and a
  sensitivity table (:class:`ProjectionResult`).
* :func:`nowcast` — daily reserves since the last H.4.1 from the daily TGA, ON RRP and SRF.
* :func:`validate` — projections from past dates with the data and announcements of then,
  against what happened.
* :data:`PRESETS` — named scenarios; :func:`policy_history` — the FOMC policy as data;
  :func:`packaged_announcements` — every dated announcement used (FOMC settings, Treasury
  cash-balance assumptions, debt-limit periods, lending programmes).
"""

from liqwatch.scenarios.announcements import (
    Announcements,
    CashAssumption,
    DebtLimitEvent,
    LendingProgram,
    PolicyRow,
    packaged_announcements,
)
from liqwatch.scenarios.drivers import Assumptions
from liqwatch.scenarios.identity import balance_sheet, check_identity
from liqwatch.scenarios.nowcast import NowcastResult, NowcastValidation, nowcast, validate_nowcast
from liqwatch.scenarios.policy import policy_history
from liqwatch.scenarios.presets import PRESETS
from liqwatch.scenarios.projection import Crossing, ProjectionResult, project
from liqwatch.scenarios.validation import ValidationResult, validate
from liqwatch.scenarios.wording import Statement, Text

__all__ = [
    "PRESETS",
    "Announcements",
    "Assumptions",
    "CashAssumption",
    "Crossing",
    "DebtLimitEvent",
    "LendingProgram",
    "NowcastResult",
    "NowcastValidation",
    "PolicyRow",
    "ProjectionResult",
    "Statement",
    "Text",
    "ValidationResult",
    "balance_sheet",
    "check_identity",
    "nowcast",
    "packaged_announcements",
    "policy_history",
    "project",
    "validate",
    "validate_nowcast",
]
