"""Labels and number/date formats of the report in English and Japanese."""

from __future__ import annotations

import math

from liqwatch.glossary import TERMS
from liqwatch.vocab import (
    CATEGORIES,
    LANGS,
    Lang,
    category_label,
    check_lang,
    fmt_bp,
    fmt_date,
    fmt_pct,
    fmt_usd_bn,
)

__all__ = ["LANGS", "Lang", "check_lang", "fmt_bp", "fmt_date", "fmt_pct", "fmt_usd_bn", "label"]


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
    "reserves": ("Reserves and plumbing", "準備預金と資金の流れ"),
    "composite": ("Composite stress index", "総合ストレス指数"),
    "analogs": ("Crisis analogs", "過去の危機との類似度"),
    "scenarios": ("Reserve scenarios", "準備預金シナリオ"),
    "claims": ("Numbers checked", "数値の検証"),
    "provenance": ("Provenance", "データの出所"),
    "overall": ("Overall status", "総合判定"),
    "regime": ("Reserve regime", "準備預金の局面"),
    "since": ("since", "開始"),
    "regime_flag": ("Regime flag", "局面の判定項目"),
    "threshold": ("Threshold", "閾値"),
    "threshold_source": ("Where the threshold comes from", "閾値の根拠"),
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
    # category names: the glossary's (liqwatch.glossary), capitalised in English
    **{f"cat_{c}": (category_label(c, "en").capitalize(), category_label(c, "ja"))
       for c in CATEGORIES},
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



def _titled(term: str) -> tuple[str, str]:
    en, ja = TERMS[term]
    return en[:1].upper() + en[1:], ja


# Section titles of the other categories and the status names are the glossary's terms.
_LABELS.update({
    "funding": _titled("funding_markets"),
    **{c: _titled(c) for c in ("risk_appetite", "oil", "credit", "offshore")},
    **{f"status_{st}": _titled(st) for st in ("normal", "watch", "alert", "no_data")},
})


def label(key: str, lang: Lang) -> str:
    """Return the label ``key`` in ``lang`` (the key itself when unknown)."""
    pair = _LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "ja" else pair[0]


def labels(lang: Lang) -> dict[str, str]:
    """All labels in ``lang`` (for templates)."""
    return {k: (v[1] if lang == "ja" else v[0]) for k, v in _LABELS.items()}


def fmt_num(x: float | None, digits: int = 2) -> str:
    """A plain number with thousands separators."""
    if x is None or math.isnan(x):
        return "—"
    return f"{x:,.{digits}f}"
