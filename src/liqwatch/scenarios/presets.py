"""Named scenarios: each a set of assumptions, overridable field by field."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.scenarios.drivers import Assumptions
from liqwatch.scenarios.identity import balance_sheet
from liqwatch.scenarios.policy import monthly_policy
from liqwatch.store import Store

__all__ = ["PRESETS", "preset_assumptions"]

#: Preset names and what they assume.
PRESETS: dict[str, str] = {
    "current-policy": (
        "Announced policy as of the start date; other drivers estimated from recent data, "
        "TGA flat."
    ),
    "qt-slowdown": "Runoff slowed to 50bn a month: Treasury cap 35bn + MBS cap 15bn.",
    "tga-rebuild": "TGA rebuilt to 850bn within 8 weeks; policy as announced.",
    "qt-end-bill-purchases": (
        "Runoff ended (caps 0, MBS paydowns reinvested) and bill purchases of 40bn a month."
    ),
    "2019-replay": (
        "Drivers as in 2019 from the start date: the 2019 runoff caps, bill purchases and "
        "weekly TGA changes, and 2019 currency growth."
    ),
}

REPLAY_YEAR = 2019


def preset_assumptions(name: str, store: Store, start: date) -> Assumptions:
    """Assumptions of preset ``name`` for a projection starting at week ``start``."""
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    if name == "current-policy":
        return Assumptions()
    if name == "qt-slowdown":
        return Assumptions(treasury_cap=35.0, mbs_cap=15.0)
    if name == "tga-rebuild":
        return Assumptions(tga_target=850.0, tga_by=start + timedelta(weeks=8))
    if name == "qt-end-bill-purchases":
        return Assumptions(treasury_cap=0.0, mbs_cap=0.0, purchases=40.0)
    return _replay(store, REPLAY_YEAR)


def _replay(store: Store, year: int) -> Assumptions:
    months = pd.date_range(f"{year}-01-01", f"{year}-12-01", freq="MS")
    policy = monthly_policy(months, date(year, 12, 31)).reset_index(drop=True)
    bs = balance_sheet(store, start=date(year - 1, 12, 20))
    bs = bs.loc[(bs.index >= pd.Timestamp(f"{year - 1}-12-26"))
                & (bs.index <= pd.Timestamp(f"{year}-12-31"))]
    if len(bs) < 50:
        raise ConfigError(f"the {year}-replay preset needs H.4.1 data for {year} in the store")
    tga = (bs["tga"] / 1e3).diff().dropna().to_numpy(float)
    cur = bs["currency"].to_numpy(float)
    years = (bs.index - bs.index[0]).days.to_numpy(float) / 365.25
    growth = float(np.expm1(np.polyfit(years, np.log(cur), 1)[0]) * 100.0)
    return Assumptions(
        monthly_override=policy, tga_changes=tuple(tga), currency_growth_pct=growth,
        rrp_floor=None,
    )
