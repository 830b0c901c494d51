"""The project's term list in English and Japanese: one name per concept on every surface.

The CLI (table headers, titles, summaries), the report and the dashboard take their words
for the market's institutions, the table columns and the data states from here, so that
"funding" or "reserves" is translated one way everywhere. The Japanese terms are the ones
used by the Bank of Japan and the financial press (準備預金, 翌日物リバースレポ, 常設レポ
ファシリティ, 財務省一般口座).

>>> term("on_rrp", "ja"), term("srf", "ja"), term("tga", "ja")
('翌日物リバースレポ (ON RRP)', '常設レポファシリティ (SRF)', '財務省一般口座 (TGA)')
>>> term("stale", "en"), term("no such key", "ja")
('stale', 'no such key')
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["TERMS", "header", "term", "terms"]

#: ``key: (English, Japanese)``.
TERMS: dict[str, tuple[str, str]] = {
    # institutions and instruments
    "reserves": ("reserves", "準備預金"),
    "reserve_balances": ("reserve balances", "準備預金残高"),
    "on_rrp": ("ON RRP", "翌日物リバースレポ (ON RRP)"),
    "srf": ("Standing Repo Facility (SRF)", "常設レポファシリティ (SRF)"),
    "srf_short": ("SRF", "常設レポファシリティ"),
    "tga": ("Treasury General Account (TGA)", "財務省一般口座 (TGA)"),
    "tga_short": ("TGA", "財務省一般口座"),
    "iorb": ("interest on reserve balances (IORB)", "準備預金付利 (IORB)"),
    "effr": ("effective federal funds rate (EFFR)", "実効FF金利 (EFFR)"),
    "sofr": ("SOFR", "SOFR (担保付翌日物調達金利)"),
    "funding": ("funding", "短期資金市場"),
    "funding_markets": ("funding markets", "短期資金市場"),
    "risk_appetite": ("risk appetite", "リスク選好"),
    "oil": ("oil", "原油"),
    "credit": ("credit", "信用"),
    "offshore": ("offshore dollar", "オフショア・ドル"),
    "bank_assets": ("bank assets", "銀行総資産"),
    "scarcity_band": ("scarcity band", "準備預金の希少域"),
    # statuses and data states
    "normal": ("normal", "平常"),
    "watch": ("watch", "注意"),
    "alert": ("alert", "警戒"),
    "no_data": ("no data", "データなし"),
    "live": ("live", "更新中"),
    "stale": ("stale", "更新遅れ"),
    "discontinued": ("discontinued", "公表終了"),
    "not_in_force": ("not in force before", "適用開始前"),
    "held": ("held by hysteresis", "ヒステリシスにより継続"),
    "assumption": ("assumption", "前提"),
    "yes": ("yes", "はい"),
    "no": ("no", "いいえ"),
    # table columns
    "series_id": ("series", "系列"),
    "date": ("date", "日付"),
    "value": ("value", "値"),
    "unit": ("unit", "単位"),
    "source": ("source", "出所"),
    "published": ("published", "公表日"),
    "ended": ("ended", "終了日"),
    "state": ("state", "状態"),
    "status": ("status", "判定"),
    "why": ("why", "理由"),
    "rule": ("rule", "ルール"),
    "subject": ("subject", "対象"),
    "as_of": ("as of", "基準日"),
    "threshold": ("threshold", "閾値"),
    "message": ("message", "メッセージ"),
    "previous": ("previous", "前回"),
    "notify": ("notify", "通知"),
    "category": ("category", "カテゴリー"),
    "indicator": ("indicator", "指標"),
    "note": ("note", "注記"),
    "frequency": ("frequency", "頻度"),
    "release": ("release", "公表"),
    "description": ("description", "内容"),
    "realtime_start": ("published from", "公表開始"),
    "realtime_end": ("published until", "公表終了"),
    "episode": ("episode", "エピソード"),
    "peak": ("peak", "ピーク"),
    "similarity": ("similarity", "類似度"),
    "n_signals": ("signals", "シグナル数"),
    "decided_by": ("decided by", "決め手"),
    "differing": ("differing", "相違点"),
    "contribution": ("contribution", "寄与"),
    "sub_index": ("sub-index", "サブ指数"),
    "flag": ("flag", "判定項目"),
    "set": ("set", "該当"),
    "method": ("method", "手法"),
    "trigger": ("trigger", "決め手"),
    "name": ("name", "名称"),
    "kind": ("kind", "種類"),
    "enabled": ("enabled", "有効"),
    "level": ("level", "水準"),
    "id": ("id", "ID"),
    "latest": ("latest", "最新観測日"),
    "new": ("new", "新規"),
    "revised": ("revised", "改訂"),
    "last_date": ("last date", "最終観測日"),
    "reason": ("reason", "理由"),
    "table": ("table", "テーブル"),
    "window": ("window", "検証期間"),
    "variant": ("variant", "前提"),
    "start": ("start", "開始"),
    "end": ("end", "終了"),
    "timing": ("timing", "到達時期の誤差"),
    # backtest, alert log and rules columns
    "definition": ("definition", "定義"),
    "false_alarms_per_year": ("false alarms per year", "年間誤警報"),
    "alert_share": ("alert share", "警戒の割合"),
    "years": ("years", "年数"),
    "first_alert": ("first alert", "最初の警戒"),
    "lead_warning": ("lead (warning)", "先行 (早期警戒)"),
    "lead_days": ("lead (days)", "先行日数"),
    "regime_first_alert": ("regime at first alert", "最初の警戒時の局面"),
    "hold_days": ("hold days", "継続日数"),
    "ceiling_bp": ("ceiling (bp)", "上限 (bp)"),
    "n_weeks": ("weeks", "週数"),
    "rule_key": ("rule instance", "ルールの対象"),
    "notified_at": ("notified at", "通知日時"),
    "acknowledged_at": ("acknowledged at", "確認日時"),
    "snoozed_until": ("snoozed until", "通知停止の期限"),
    "delivery_attempts": ("delivery attempts", "送信試行"),
    "delivery_error": ("delivery error", "送信エラー"),
    "min_categories": ("min categories", "最少カテゴリー数"),
    "min_consecutive": ("min consecutive", "最少連続回数"),
    "hold_no_data_days": ("hold without data (days)", "データなしで維持 (日)"),
    "resolve_after_days": ("resolve after (days)", "解消までの日数"),
    "stale_count": ("stale", "更新遅れ"),
    # funding calendar columns
    "weekday": ("weekday", "曜日"),
    "events": ("events", "イベント"),
    "usual_sofr_iorb_bp": ("usual SOFR − IORB (bp)", "通常の SOFR − IORB (bp)"),
    "settling_bn": ("settling (USD bn)", "決済額 (10億ドル)"),
    "rows": ("rows", "行数"),
    "series": ("series", "系列"),
    # summaries
    "series_count": ("series", "系列"),
    "report": ("Report", "レポート"),
    "overall": ("Overall", "総合判定"),
    "regime": ("Reserve regime", "準備預金の局面"),
    "what_matters": ("What matters", "注目すべき指標"),
}


def term(key: str, lang: str = "en") -> str:
    """The term ``key`` in ``lang`` (the key itself when it is not in the list)."""
    pair = TERMS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "ja" else pair[0]


def header(key: str, lang: str = "en") -> str:
    """A table column's header: the key itself in English (machine-readable, as in JSON and
    CSV), the glossary's term in Japanese."""
    return term(key, lang) if lang == "ja" else key


def terms(keys: Iterable[str], lang: str = "en") -> dict[str, str]:
    """``{key: term}`` for ``keys`` in ``lang``."""
    return {k: term(k, lang) for k in keys}
