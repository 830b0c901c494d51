"""Latest reading of every stored series, with staleness against its publication schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from liqwatch import catalog
from liqwatch.frames import row_of
from liqwatch.store import Store

__all__ = ["STATES", "series_status", "summary", "summary_line"]

#: States of a stored series: ``live`` (current by its schedule), ``stale`` (its next
#: observation is overdue), ``discontinued`` (its publisher stopped it: never stale),
#: ``missing`` (catalogued, not in the store).
STATES: tuple[str, ...] = ("live", "stale", "discontinued", "missing")


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
        ``ended`` is the date of a series known to be discontinued; such a series is never
        stale. ``state`` is one of :data:`STATES`; ``due`` the day the next observation is
        due (None for a discontinued series); ``why_en``/``why_ja`` the state's reason in a
        few words (``next observation due 2026-08-25, 2 days' grace``).
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
            stale = spec.ended is None and spec.is_stale(obs_date, today)
            due = spec.next_due(obs_date) if spec.ended is None else None
            state = "discontinued" if spec.ended else ("stale" if stale else "live")
            rows.append({
                "series_id": sid, "date": obs_date, "value": float(last["value"]),
                "unit": unit, "source": spec.source, "stale": stale,
                "published": pd.Timestamp(last["realtime_start"]).date(),
                "ingested_at": pd.Timestamp(last["ingested_at"]).to_pydatetime(),
                "description": spec.en, "description_ja": spec.ja, "ended": spec.ended,
                "state": state, "due": due,
                "why_en": _why(state, due, spec.ended, spec.release.grace_days, today, "en"),
                "why_ja": _why(state, due, spec.ended, spec.release.grace_days, today, "ja"),
            })
        else:
            rows.append({
                "series_id": sid, "date": None, "value": None, "unit": unit,
                "source": spec.source, "stale": spec.ended is None, "published": None,
                "ingested_at": None, "description": spec.en, "description_ja": spec.ja,
                "ended": spec.ended, "state": "missing", "due": None,
                "why_en": "catalogued, not loaded", "why_ja": "カタログにあり、未取得",
            })
    return pd.DataFrame(rows, columns=[
        "series_id", "date", "value", "unit", "source", "stale", "published", "ingested_at",
        "description", "description_ja", "ended", "state", "due", "why_en", "why_ja",
    ])


def _why(state: str, due: date | None, ended: date | None, grace: int, today: date,
         lang: str) -> str:
    """``next observation due 2026-08-25``, ``… was due 2026-08-21 (+3 days' grace)``,
    ``discontinued on 2021-07-28``."""
    ja = lang == "ja"
    if state == "discontinued":
        return f"{ended} に公表終了" if ja else f"discontinued on {ended}"
    if due is None:
        return ""
    if state == "stale":
        return (f"次回分は {due} 公表予定 (猶予 {grace} 日) で未着" if ja else
                f"next observation was due {due} (+{grace} days' grace)")
    if today > due:  # late, within the grace period
        return (f"次回分は {due} 公表予定、猶予 {grace} 日以内" if ja else
                f"next observation due {due}, within its {grace} days' grace")
    return f"次回分は {due} 公表予定" if ja else f"next observation due {due}"


def summary(frame: pd.DataFrame) -> dict[str, int]:
    """How many series of a :func:`series_status` frame are in each state.

    Returns
    -------
    dict
        ``{"total": n, "live": n, "stale": n, "discontinued": n, "missing": n}``.
    """
    counts = dict.fromkeys(STATES, 0)
    if not frame.empty:
        for state, n in frame["state"].value_counts().items():
            counts[str(state)] = int(n)
    return {"total": len(frame), **counts}


def summary_line(counts: dict[str, int], lang: str = "en") -> str:
    """``101 series: 80 live, 12 stale, 9 discontinued`` / ``101 系列: 更新中 80、…``."""
    from liqwatch.glossary import term

    parts = [(s, counts.get(s, 0)) for s in STATES if s != "missing" or counts.get(s)]
    if lang == "ja":
        missing = "未取得"
        body = "、".join(f"{missing if s == 'missing' else term(s, 'ja')} {n}" for s, n in parts)
        return f"{counts.get('total', 0)} 系列: {body}"
    body = ", ".join(f"{n} {'not loaded' if s == 'missing' else s}" for s, n in parts)
    return f"{counts.get('total', 0)} series: {body}"

