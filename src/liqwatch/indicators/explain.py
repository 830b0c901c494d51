"""Explanations in English and Japanese: what the reading is, how it is judged, what to do."""

from __future__ import annotations

import math
from datetime import date

from liqwatch import catalog
from liqwatch.catalog import Frequency
from liqwatch.indicators.spec import IndicatorSpec, Thresholds
from liqwatch.vocab import fmt_value as format_value

__all__ = ["explain", "in_force", "why"]

_STATUS_EN = {"normal": "normal", "watch": "WATCH", "alert": "ALERT"}
_STATUS_JA = {"normal": "平常の範囲です", "watch": "注意水準にあります",
              "alert": "警戒水準にあります"}


def _levels_text(th: Thresholds, spec: IndicatorSpec, lang: str) -> str:
    ja = lang == "ja"
    up = spec.direction > 0
    if th.kind == "fixed":
        if th.on != "value":  # a signal in its own unit (days, pp, USD change)
            w, a = f"{th.watch:g}", f"{th.alert:g}"
        else:
            w, a = format_value(th.watch, spec.unit, lang), format_value(th.alert, spec.unit, lang)
        on = (spec.signal_ja if ja else spec.signal_en) if th.on != "value" else None
        if ja:
            cmp = "以上" if up else "以下"
            head = f"{on}が" if on else ""
            return f"{head}注意 {w}{cmp}、警戒 {a}{cmp}"
        cmp = "at or above" if up else "at or below"
        head = f"{on}: " if on else ""
        return f"{head}watch {cmp} {w}, alert {cmp} {a}"
    what = (spec.signal_ja if ja else spec.signal_en) if th.on != "value" else None
    if th.kind == "zscore":
        span = f"{th.window_years:g}" if th.window_years else ""
        if ja:
            base = f"{what}の" if what else ""
            return f"{base}過去{span}年の z スコアで注意 {th.watch:+g}、警戒 {th.alert:+g}"
        base = f"{what}, " if what else ""
        return f"{base}z-score against {span} years: watch {th.watch:+g}, alert {th.alert:+g}"
    if ja:
        base = f"{what}の" if what else ""
        return f"{base}過去分布のパーセンタイル順位で注意 {th.watch:g}、警戒 {th.alert:g}"
    base = f"{what}, " if what else ""
    return f"{base}percentile rank in its history: watch {th.watch:g}, alert {th.alert:g}"


def _score_text(th: Thresholds, score: float, lang: str) -> str:
    if th.kind == "fixed" or math.isnan(score):
        return ""
    if th.kind == "zscore":
        return f"z = {score:+.1f}; " if lang != "ja" else f"z = {score:+.1f}、"
    return (f"percentile {score:.0f}; " if lang != "ja"
            else f"パーセンタイル {score:.0f}、")


def _quarterly(spec: IndicatorSpec) -> bool:
    first = spec.inputs[0] if spec.inputs else ""
    return catalog.is_known(first) and catalog.get(first).frequency is Frequency.QUARTERLY


def _period(day: date | None, spec: IndicatorSpec, lang: str) -> str:
    """The observation date, or its quarter for quarterly indicators (``2022Q4``)."""
    if day is None:
        return "?"
    if _quarterly(spec):  # quarterly observations, dated the first day of the quarter
        q = (day.month - 1) // 3 + 1
        return f"{day.year}年第{q}四半期" if lang == "ja" else f"{day.year}Q{q}"
    return day.isoformat()


def explain(
    spec: IndicatorSpec,
    th: Thresholds,
    status: str,
    value: float,
    obs_date: date | None,
    score: float,
    as_of: date,
    reason: str | None = None,
    lang: str = "en",
) -> str:
    """One paragraph a person can act on, in ``lang`` (``en`` or ``ja``)."""
    ja = lang == "ja"
    name = spec.name(lang)
    if status == "no_data":
        if ja:
            return f"{name}は {as_of.isoformat()} 時点で判定できません。理由: {reason}"
        return f"{name}: no reading as of {as_of.isoformat()}. Reason: {reason}"
    v = format_value(value, spec.unit, lang)
    d = _period(obs_date, spec, lang)
    inactive = th.active_from is not None and obs_date is not None and obs_date < th.active_from
    levels = _levels_text(th, spec, lang)
    sc = _score_text(th, score, lang)
    if ja:
        when = f"{d}" if "四半期" in d else f"{d} 時点"
        text = f"{name}は {when}で {v}と、{_STATUS_JA[status]}（{sc}{levels}）。"
        if inactive and th.active_from:
            text += f"閾値は {th.active_from.isoformat()} 以降に適用されます。"
        elif status in ("watch", "alert"):
            text += spec.stress_ja
        return text
    on = "in" if "Q" in d else "on"
    text = f"{name}: {v} {on} {d}, {_STATUS_EN[status]} ({sc}{levels})."
    if inactive and th.active_from:
        text += f" Thresholds apply from {th.active_from.isoformat()}."
    elif status in ("watch", "alert"):
        text += " " + spec.stress_en
    return text


def in_force(th: Thresholds, obs_date: date | None) -> bool:
    """False when the reading is older than its rule (``th.active_from``): the status then
    does not apply (the SRF before 2021-07-28, the reserves band before 2022)."""
    return th.active_from is None or obs_date is None or obs_date >= th.active_from


def _month(day: date, lang: str) -> str:
    return f"{day.year}年{day.month}月" if lang == "ja" else f"{day:%Y-%m}"


def why(spec: IndicatorSpec, th: Thresholds, status: str, obs_date: date | None,
        score: float, lang: str = "en", reason: str | None = None,
        signal_value: float | None = None) -> str:
    """The reason of a status in a few words, for a table's "why" column.

    The rule and its thresholds with their unit (``watch ≥ +10 bp, alert ≥ +25 bp``; a
    statistical rule with the reading's rank or z-score), ``not in force before 2021-07``
    for a reading older than its rule, or why there is no reading. A signal judged in its own
    unit (a count of days) is given with its reading (``signal_value``).

    >>> from liqwatch.indicators import REGISTRY
    >>> spec = REGISTRY["srf_usage_bn"]
    >>> why(spec, spec.thresholds, "normal", date(2020, 3, 17), float("nan"))
    'not in force before 2021-07 (the rule starts 2021-07-28)'
    >>> spec = REGISTRY["sofr_iorb_bp"]
    >>> why(spec, spec.thresholds, "alert", date(2019, 9, 17), float("nan"))
    'watch ≥ 0 bp, alert ≥ +10 bp'
    """
    ja = lang == "ja"
    if status == "no_data":
        return reason or ("データなし" if ja else "no data")
    if not in_force(th, obs_date) and th.active_from is not None:
        start = th.active_from
        if ja:
            return f"{_month(start, 'ja')}より前は適用外 (規則の開始 {start.isoformat()})"
        return f"not in force before {_month(start, 'en')} (the rule starts {start.isoformat()})"
    op = "≥" if spec.direction > 0 else "≤"
    if th.kind == "fixed":
        if th.on != "value":
            signal = (spec.signal_ja if ja else spec.signal_en) or th.on
            got = "" if signal_value is None or math.isnan(signal_value) \
                else f" = {signal_value:g}"
            return (f"{signal}{got}: 注意 {op} {th.watch:g}、警戒 {op} {th.alert:g}" if ja else
                    f"{signal}{got}: watch {op} {th.watch:g}, alert {op} {th.alert:g}")
        w = format_value(th.watch, spec.unit, lang)
        a = format_value(th.alert, spec.unit, lang)
        return f"注意 {op} {w}、警戒 {op} {a}" if ja else f"watch {op} {w}, alert {op} {a}"
    if th.kind == "zscore":
        got = "" if math.isnan(score) else f" (z {score:+.1f})"
        return (f"zスコア: 注意 {op} {th.watch:+g}、警戒 {op} {th.alert:+g}{got}" if ja else
                f"z-score: watch {op} {th.watch:+g}, alert {op} {th.alert:+g}{got}")
    got = "" if math.isnan(score) else f" ({score:.0f})"
    return (f"パーセンタイル: 注意 {op} {th.watch:g}、警戒 {op} {th.alert:g}{got}" if ja else
            f"percentile: watch {op} {th.watch:g}, alert {op} {th.alert:g}{got}")
