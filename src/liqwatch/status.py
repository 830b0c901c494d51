"""Latest reading of every stored series, with staleness against its publication schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from liqwatch import catalog
from liqwatch.frames import row_of
from liqwatch.store import Store

__all__ = ["series_status"]


def series_status(
    store: Store, today: date | None = None, *, include_missing: bool = False
) -> pd.DataFrame:
    """Return one row per series: its latest value and whether it is stale.

    Parameters
    ----------
    store
        The store.
    today
        The day staleness is judged on (default: today, UTC).
    include_missing
        Also list catalogued series that have no data in the store.

    Returns
    -------
    pandas.DataFrame
        Columns ``series_id, date, value, unit, source, stale, published, ingested_at,
        description, description_ja, ended``. ``stale`` is True when the next observation
        should have been published (schedule plus grace period) but is not in the store;
        ``ended`` is the date of a series known to be discontinued.
    """
    today = today or datetime.now(UTC).date()
    latest = store.latest().set_index("series_id")
    info = store.series_info().set_index("series_id")
    cat = catalog.catalog()
    ids = list(dict.fromkeys([*(i for i in cat if i in latest.index or include_missing),
                              *latest.index]))
    rows = []
    for raw_id in ids:
        sid = str(raw_id)
        spec = cat.get(sid) or catalog.user_series(sid)
        unit = spec.unit_label
        stored_unit = info.at[sid, "unit"] if sid not in cat and sid in info.index else None
        if isinstance(stored_unit, str):
            unit = catalog.UNIT_LABELS.get(stored_unit, stored_unit)
        if sid in latest.index:
            last = row_of(latest, sid)
            obs_date = pd.Timestamp(last["date"]).date()
            stale = spec.is_stale(obs_date, today)
            rows.append({
                "series_id": sid, "date": obs_date, "value": float(last["value"]),
                "unit": unit, "source": spec.source, "stale": stale,
                "published": pd.Timestamp(last["realtime_start"]).date(),
                "ingested_at": pd.Timestamp(last["ingested_at"]).to_pydatetime(),
                "description": spec.en, "description_ja": spec.ja, "ended": spec.ended,
            })
        else:
            rows.append({
                "series_id": sid, "date": None, "value": None, "unit": unit,
                "source": spec.source, "stale": True, "published": None, "ingested_at": None,
                "description": spec.en, "description_ja": spec.ja, "ended": spec.ended,
            })
    return pd.DataFrame(rows, columns=[
        "series_id", "date", "value", "unit", "source", "stale", "published", "ingested_at",
        "description", "description_ja", "ended",
    ])
