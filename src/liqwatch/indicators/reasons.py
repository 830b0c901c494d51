"""Why an indicator has no reading on a day, in English and Japanese."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from liqwatch import catalog
from liqwatch.indicators.evaluate import Evaluation
from liqwatch.indicators.freshness import series_max_age
from liqwatch.indicators.inputs import SeriesVintages

__all__ = ["FREQ_TOLERANCE", "tolerance", "why_missing"]

#: Calendar days an input observation may lag the indicator's date and still count as used.
FREQ_TOLERANCE = {"daily": 7, "weekly": 10, "monthly": 70, "quarterly": 200}


def tolerance(series_id: str) -> int:
    """Days an observation of ``series_id`` stays relevant (by its catalogued frequency)."""
    if catalog.is_known(series_id):
        return FREQ_TOLERANCE[catalog.get(series_id).frequency.value]
    return 7


def _input_notes(ev: Evaluation, as_of: pd.Timestamp, limit: float,
                 inputs: Mapping[str, SeriesVintages]) -> tuple[list[str], list[str], bool]:
    en: list[str] = []
    ja: list[str] = []
    missing = False
    optional = set(ev.spec.fallbacks) | set(ev.spec.fallbacks.values())
    for sid in ev.spec.inputs:
        sv = inputs[sid]
        if sv.empty:
            opt = sid in optional
            en.append(f"{sid}{' (optional)' if opt else ''}: not in the store")
            ja.append(f"{sid}{' (任意)' if opt else ''}: ストアにありません")
            missing = missing or not opt
            continue
        last = sv.latest_known(as_of)
        if last is None:
            first_pub = sv.first["realtime_start"].min().date()
            en.append(f"{sid}: nothing published yet (first on {first_pub})")
            ja.append(f"{sid}: まだ公表されていません (初回公表 {first_pub})")
            continue
        own = ev.thresholds.max_age_days or ev.spec.max_age_days or series_max_age(sid)
        age = (as_of - last).days
        if age <= min(limit, own):
            continue
        end = sv.first.index.max()
        old_en = f"{age} days old, limit {own}"
        old_ja = f"{age} 日前、上限 {own} 日"
        if last == end:
            ended = catalog.get(sid).ended if catalog.is_known(sid) else None
            extra_en = f", discontinued {ended}" if ended else ""
            extra_ja = f"、{ended} に廃止" if ended else ""
            en.append(f"{sid}: the series ends on {end.date()} in the store ({old_en}"
                      f"{extra_en})")
            ja.append(f"{sid}: 保存データは {end.date()} で終わっています ({old_ja}{extra_ja})")
        else:
            en.append(f"{sid}: latest observation {last.date()} ({old_en})")
            ja.append(f"{sid}: 最新の観測は {last.date()} ({old_ja})")
    return en, ja, missing


def why_missing(ev: Evaluation, i: int,
                inputs: Mapping[str, SeriesVintages]) -> tuple[str, str]:
    """Reason (English, Japanese) why ``ev`` has no reading on its ``i``-th day."""
    as_of = ev.grid[i]
    day = as_of.date()
    th = ev.thresholds
    if ev.row[i] >= 0 and not np.isnan(ev.value[i]):
        return (f"fewer than {th.min_history} observations of history for the {th.kind} "
                "threshold",
                f"統計的な閾値 ({th.kind}) に必要な {th.min_history} 件の履歴がまだありません")
    limit = float(ev.max_age[i]) if not np.isnan(ev.max_age[i]) else np.inf
    en, ja, missing = _input_notes(ev, as_of, limit, inputs)
    if ev.stale[i]:
        obs = pd.Timestamp(ev.obs_date[i]).date()
        days = int(limit)
        head_en = (f"the latest value (for {obs}) is more than {days} days old on {day}, "
                   "too old to show as a current reading")
        head_ja = (f"最新の値 ({obs} 分) が {day} 時点で {days} 日を超えて古く、"
                   "現在の値として表示できません")
    else:
        head_en = f"no value can be computed from data published by {day}"
        head_ja = f"{day} までに公表されたデータでは値を計算できません"
    text_en = head_en + (" (" + "; ".join(en) + ")." if en else ".")
    text_ja = head_ja + (" (" + "、".join(ja) + ")。" if ja else "。")
    if missing:
        text_en += " Load the missing series with `liqwatch update` or `liqwatch import`."
        text_ja += "不足している系列を `liqwatch update` または `liqwatch import` で取り込んで"\
            "ください。"
    return text_en, text_ja
