"""The "numbers checked" section of the HTML report (an escaped, self-contained fragment)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from liqwatch.claims.check import VERDICTS, ClaimResult, ja_date, summary_counts
from liqwatch.claims.text import fmt_number, fmt_value, fmt_value_ja

__all__ = ["VERDICT_LABELS", "render_html_section"]

#: Verdict names shown to readers.
VERDICT_LABELS = {
    "en": {
        "consistent": "consistent",
        "wrong": "wrong",
        "ambiguous": "ambiguous",
        "not_checkable": "not checkable",
    },
    "ja": {
        "consistent": "整合",
        "wrong": "誤り",
        "ambiguous": "解釈次第",
        "not_checkable": "検証不能",
    },
}
#: Claim kinds in Japanese (the table's claim column).
KIND_LABELS_JA = {
    "level": "水準", "change": "変化", "mean": "平均", "max": "最高", "min": "最低",
    "spread": "スプレッド", "streak": "連続日数", "ratio": "比率", "correlation": "相関",
    "non_claim": "事実でない数値",
}
_COLOURS = {
    "consistent": "#1a7f37",
    "wrong": "#cf222e",
    "ambiguous": "#9a6700",
    "not_checkable": "#6e7781",
}
_TEXT = {
    "en": {
        "title": "Numbers checked",
        "claim": "Claim",
        "data": "Data",
        "verdict": "Verdict",
        "why": "Explanation",
        "sources": "Data used",
        "auto": "drafted automatically",
        "none": "No claims were checked.",
        "claimed": "claimed",
        "note": "Checked against the latest published data (latest vintage); "
        "'published' is the first day the value was public.",
    },
    "ja": {
        "title": "数値の検証",
        "claim": "主張",
        "data": "データ",
        "verdict": "判定",
        "why": "説明",
        "sources": "使用データ",
        "auto": "自動抽出",
        "none": "検証した主張はありません。",
        "claimed": "主張",
        "note": "最新の公表値 (最新ビンテージ) で検証。「公表」はその値が公表された最初の日。",
    },
}

_STYLE = """
<style>
.lw-claims table{border-collapse:collapse;width:100%;font-size:0.9em}
.lw-claims th,.lw-claims td{border-bottom:1px solid #d0d7de;padding:4px 6px;text-align:left;
vertical-align:top}
.lw-claims .lw-verdict{font-weight:600;white-space:nowrap}
.lw-claims .lw-quote{font-style:italic;color:#444}
.lw-claims .lw-src{font-size:0.85em;color:#57606a}
.lw-claims .lw-auto{font-size:0.8em;color:#6e7781}
.lw-claims .lw-summary span{margin-right:1em}
</style>
"""


def _sources(r: ClaimResult, lang: str) -> str:
    items = []
    for o in r.observations:
        pub = o.realtime_start.isoformat() if o.realtime_start else "?"
        word = "公表" if lang == "ja" else "published"
        items.append(
            f"{escape(o.series_id)} {escape(o.date.isoformat())} = "
            f"{escape(fmt_number(o.value, 7))} "
            f"{escape(o.unit)} ({word} {escape(pub)}; {escape(o.source)})"
        )
    if r.missing_en:
        items.append(escape(r.missing_ja if lang == "ja" and r.missing_ja else r.missing_en))
    for en, ja in r.notes:
        items.append(escape(ja if lang == "ja" else en))
    return "<br>".join(items)


def render_html_section(results: Sequence[ClaimResult], lang: str = "en") -> str:
    """Render check results as the report's "numbers checked" section.

    Parameters
    ----------
    results
        From :func:`liqwatch.claims.check`.
    lang
        ``en`` or ``ja``.

    Returns
    -------
    str
        An HTML fragment (``<section class="lw-claims">``); every text from claims or data is
        escaped.
    """
    lang = "ja" if lang == "ja" else "en"
    t = _TEXT[lang]
    labels = VERDICT_LABELS[lang]
    fmt = fmt_value_ja if lang == "ja" else fmt_value
    parts = [_STYLE, f'<section class="lw-claims" lang="{lang}">', f"<h2>{escape(t['title'])}</h2>"]
    if not results:
        parts += [f"<p>{escape(t['none'])}</p>", "</section>"]
        return "\n".join(parts)
    counts = summary_counts(results)
    parts.append(
        '<p class="lw-summary">'
        + "".join(
            f'<span style="color:{_COLOURS[v]}">{escape(labels[v])}: {counts[v]}</span>'
            for v in VERDICTS
        )
        + "</p>"
    )
    parts.append(f'<p class="lw-src">{escape(t["note"])}</p>')
    parts.append(
        "<table><thead><tr>"
        f"<th>#</th><th>{escape(t['claim'])}</th><th>{escape(t['data'])}</th>"
        f"<th>{escape(t['verdict'])}</th><th>{escape(t['why'])}</th>"
        f"<th>{escape(t['sources'])}</th></tr></thead><tbody>"
    )
    for i, r in enumerate(results, start=1):
        data = "—" if r.data_value is None else fmt(r.data_value, r.unit)
        claimed = "—" if r.claimed_value is None else fmt(r.claimed_value, r.unit)
        date_label = ja_date(r.date_label) if lang == "ja" else r.date_label
        kind = KIND_LABELS_JA.get(r.kind, r.kind) if lang == "ja" else r.kind
        auto = f'<div class="lw-auto">{escape(t["auto"])}</div>' if r.auto else ""
        quote = f'<div class="lw-quote">“{escape(r.quote)}”</div>' if r.quote else ""
        parts.append(
            f'<tr class="lw-{escape(r.verdict)}"><td>{i}</td>'
            f"<td>{quote}<div>{escape(kind)} · {escape(r.series)} · {escape(date_label)} · "
            f"{escape(t['claimed'])} {escape(claimed)}</div>{auto}</td>"
            f"<td>{escape(data)}</td>"
            f'<td class="lw-verdict" style="color:{_COLOURS[r.verdict]}">'
            f"{escape(labels[r.verdict])}</td>"
            f"<td>{escape(r.explanation(lang))}</td>"
            f'<td class="lw-src">{_sources(r, lang)}</td></tr>'
        )
    parts += ["</tbody></table>", "</section>"]
    return "\n".join(parts)
