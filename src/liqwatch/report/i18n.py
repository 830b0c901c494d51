"""Labels and number/date formats of the report in English and Japanese."""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

__all__ = ["LANGS", "Lang", "check_lang", "fmt_bp", "fmt_date", "fmt_pct", "fmt_usd_bn", "label"]

Lang = Literal["en", "ja"]
LANGS: tuple[Lang, ...] = ("en", "ja")

_LABELS: dict[str, tuple[str, str]] = {
    # page
    "title": ("US-dollar funding liquidity report", "米ドル資金流動性レポート"),
    "as_of": ("As of", "基準日"),
    "generated": ("Generated", "作成"),
    "data_through": ("latest data", "最新データ"),
    "contents": ("Contents", "目次"),
    "not_available": ("Not available yet", "準備中"),
    "no_data": ("No data", "データなし"),
    "source_note": ("Sources", "出所"),
    "language": ("Language", "言語"),
    "download": ("Download this report (HTML)", "このレポートをダウンロード (HTML)"),
    "api_docs": ("API", "API"),
    "date_picker": ("As-of date", "基準日"),
    "latest": ("Latest", "最新"),
    "week": ("1W", "1週"),
    "week_back": ("One week earlier", "1 週間前"),
    "week_ahead": ("One week later", "1 週間後"),
    # sections
    "summary": ("Summary", "概要"),
    "funding": ("Funding markets", "短期資金市場"),
    "reserves": ("Reserves and plumbing", "準備預金と資金の流れ"),
    "risk_appetite": ("Risk appetite", "リスク選好"),
    "oil": ("Oil", "原油"),
    "credit": ("Credit", "信用"),
    "offshore": ("Offshore dollar", "オフショア・ドル"),
    "composite": ("Composite stress index", "総合ストレス指数"),
    "analogs": ("Crisis analogs", "過去の危機との類似度"),
    "scenarios": ("Reserve scenarios", "準備預金シナリオ"),
    "claims": ("Numbers checked", "数値の検証"),
    "provenance": ("Provenance", "データの出所"),
    # statuses
    "status_normal": ("Normal", "平常"),
    "status_watch": ("Watch", "注意"),
    "status_alert": ("Alert", "警戒"),
    "status_no_data": ("No data", "データなし"),
    "overall": ("Overall status", "総合判定"),
    "composite_value": ("Composite index", "総合指数"),
    "combination": ("Categories", "カテゴリー別"),
    "flagged": ("flagged", "該当指標"),
    "none_flagged": ("nothing flagged", "該当なし"),
    "key_numbers": ("Key numbers", "主要指標"),
    # provenance table
    "series": ("Series", "系列"),
    "description": ("Description", "内容"),
    "source": ("Source", "出所"),
    "last_obs": ("Last observation", "最終観測日"),
    "last_value": ("Last value", "最終値"),
    "published": ("Published", "公表日"),
    "fetched": ("Fetched", "取得日時"),
    "used_here": ("Used in this report", "本レポートで使用"),
    "other_series": ("Other stored series", "その他の保存系列"),
    "user_series": ("user file", "ユーザー提供"),
    # category names
    "cat_funding": ("Funding", "資金調達"),
    "cat_reserves": ("Reserves", "準備預金"),
    "cat_risk_appetite": ("Risk appetite", "リスク選好"),
    "cat_oil": ("Oil", "原油"),
    "cat_credit": ("Credit", "信用"),
    "cat_offshore": ("Offshore dollar", "オフショア・ドル"),
    # tables
    "episode": ("Episode", "エピソード"),
    "similarity": ("Similarity", "類似度"),
    "matching": ("Matching signals", "一致するシグナル"),
    "differing": ("Differing signals", "異なるシグナル"),
    "preset": ("Scenario", "シナリオ"),
    "crossing": ("Crosses", "到達時期"),
    "never": ("not within horizon", "期間内に到達せず"),
    "indicator": ("Indicator", "指標"),
    "value": ("Value", "値"),
    "status": ("Status", "判定"),
    "date": ("Date", "日付"),
}


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is ``en`` or ``ja``; raise ``ConfigError`` otherwise."""
    from liqwatch.exceptions import ConfigError

    if lang == "en":
        return "en"
    if lang == "ja":
        return "ja"
    raise ConfigError(f"language {lang!r} is not supported (use en or ja)")


def label(key: str, lang: Lang) -> str:
    """Return the label ``key`` in ``lang`` (the key itself when unknown)."""
    pair = _LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "ja" else pair[0]


def labels(lang: Lang) -> dict[str, str]:
    """All labels in ``lang`` (for templates)."""
    return {k: (v[1] if lang == "ja" else v[0]) for k, v in _LABELS.items()}


def fmt_date(day: date | None, lang: Lang) -> str:
    """``17 Sep 2019`` / ``2019年9月17日``; an em dash for None."""
    if day is None:
        return "—"
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%b')} {day.year}"


def _bad(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_pct(x: float | None, digits: int = 2) -> str:
    """``5.25%``."""
    return "—" if _bad(x) else f"{x:.{digits}f}%"


def fmt_bp(x: float | None, *, sign: bool = True) -> str:
    """``+12 bp`` (x in basis points)."""
    if x is None or _bad(x):
        return "—"
    return f"{x:+.0f} bp" if sign else f"{x:.0f} bp"


def fmt_usd_bn(x: float | None, lang: Lang) -> str:
    """Dollar amounts given in billions: ``$3.21tn`` / ``3.21兆ドル``, ``$50bn`` / ``500億ドル``."""
    if x is None or _bad(x):
        return "—"
    neg = "-" if x < 0 else ""
    a = abs(x)
    if lang == "ja":
        if a >= 1000:
            return f"{neg}{a / 1000:,.2f}兆ドル"
        return f"{neg}{a * 10:,.0f}億ドル"
    if a >= 1000:
        return f"{neg}${a / 1000:,.2f}tn"
    return f"{neg}${a:,.1f}bn" if a < 100 else f"{neg}${a:,.0f}bn"


def fmt_num(x: float | None, digits: int = 2) -> str:
    """A plain number with thousands separators."""
    if x is None or _bad(x):
        return "—"
    return f"{x:,.{digits}f}"
