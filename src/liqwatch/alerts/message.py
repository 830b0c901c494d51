"""Wording of alert messages: what happened, the number, the threshold, the dates."""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

from liqwatch.alerts.rules import Condition

if TYPE_CHECKING:
    from liqwatch.alerts.engine import AlertEvent

__all__ = ["describe", "fmt_number", "fmt_number_ja", "state_label", "why"]

_UNITS = {"percent": "%", "pct": "%", "pct_chg": "%", "usd_bn": "USD bn", "usd_tn": "USD tn",
          "usd_mn": "USD mn", "usd": "USD", "corr": "", "index": "", "count": ""}


def fmt_number(value: float | None, unit: str | None = None, digits: int = 4) -> str:
    """A number for people: ``5.25%``, ``82 bp``, ``1,394,122 USD millions``."""
    if value is None or math.isnan(value):
        return "n/a"
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.{digits}g}"
    if not unit:
        return text
    symbol = _UNITS.get(unit, unit)
    if not symbol:
        return text
    return f"{text}%" if symbol == "%" else f"{text} {symbol}"


#: Units of the rules' own counts, in Japanese.
_COUNT_UNITS_JA = {"series overdue": "系列が遅延", "days overdue": "日の遅延",
                   "categories": "カテゴリー", "consecutive failed updates": "回連続で更新失敗"}


def fmt_number_ja(value: float | None, unit: str | None = None) -> str:
    """A number for people, in Japanese: ``82bp``, ``2.94兆ドル``, ``5.25%``, ``3日の遅延``."""
    from liqwatch.vocab import fmt_value

    if value is None or math.isnan(value):
        return "データなし"
    if unit in _COUNT_UNITS_JA:
        return f"{value:g}{_COUNT_UNITS_JA[unit]}"
    if unit in ("bp", "percent", "pct", "pct_chg", "pp", "usd_tn", "usd_bn", "usd_mn", "usd",
                "corr", "months", "days", "count", "index", "ratio"):
        return fmt_value(value, unit, "ja")
    return fmt_number(value, unit)


def state_label(state: str, lang: str = "en", *, resolved: bool = True) -> str:
    """``ALERT`` / ``警戒``; ``normal`` is ``RESOLVED`` / ``解消`` (or ``normal`` / ``平常``
    with ``resolved=False``)."""
    if lang == "ja":
        names = {"alert": "警戒", "watch": "注意", "normal": "解消" if resolved else "平常",
                 "no_data": "データなし"}
        return names.get(state, state)
    if state == "normal":
        return "RESOLVED" if resolved else "normal"
    return state.upper()


def _dates(obs: date | None, as_of: date) -> str:
    if obs is None or obs == as_of:
        return f"as of {as_of}"
    return f"observation {obs}, known {as_of}"


def describe(cond: Condition, state: str, previous: str, as_of: date,
             lang: str = "en") -> str:
    """One-paragraph message for the change of ``cond``'s rule instance to ``state``, in
    ``lang`` (``en`` or ``ja``).

    Examples
    --------
    >>> from typing import TYPE_CHECKING

from liqwatch.alerts.rules import Condition

if TYPE_CHECKING:
    from liqwatch.alerts.engine import AlertEvent
    >>> c = Condition("indicator-status", "indicator", "sofr_iorb", "alert", 315.0,
    ...               {"watch": 10.0, "alert": 25.0}, date(2019, 9, 17), "bp",
    ...               "sofr_iorb (funding)")
    >>> describe(c, "alert", "normal", date(2019, 9, 18))  # doctest: +NORMALIZE_WHITESPACE
    'ALERT sofr_iorb (funding): 315 bp, above the alert threshold of 25 bp (observation
    2019-09-17, known 2019-09-18).'
    >>> describe(c, "alert", "normal", date(2019, 9, 18), "ja").split(" (観測日")[0]
    '警戒 sofr_iorb (funding): +315bp、警戒の閾値 +25bp を上回りました'
    """
    if lang == "ja":
        return _describe_ja(cond, state, previous, as_of)
    label = cond.label or cond.subject
    number = fmt_number(cond.value, cond.unit)
    for thr_value in cond.thresholds.values():
        # 2.99972 tn must not read "3 USD tn, below the watch threshold of 3 USD tn".
        if (thr_value is not None and cond.value is not None and cond.value != thr_value
                and number == fmt_number(thr_value, cond.unit)):
            number = fmt_number(cond.value, cond.unit, digits=7)
    up, down = ("above", "below") if cond.direction >= 0 else ("below", "above")
    when = _dates(cond.date, as_of) if cond.kind in ("indicator", "composite",
                                                     "combination") else f"as of {as_of}"
    if state == "normal":
        head = f"RESOLVED {label} (was {previous})"
        if cond.level == "no_data":
            body = "no data to judge it any more"
        else:
            thr = cond.threshold("watch")
            if thr is not None and cond.basis:
                body = f"{number}; {cond.basis}, back within the watch threshold {thr:g}"
            elif thr is not None:
                body = (f"{number}, back {down} the watch threshold of "
                        f"{fmt_number(thr, cond.unit)}")
            else:
                body = number
    else:
        head = state.upper() + (f" (was {previous})" if previous != "normal" else "")
        head = f"{head} {label}"
        thr = cond.threshold(state)
        body = number
        watch_thr = cond.threshold("watch")
        if cond.level == "normal" and watch_thr is not None and cond.kind != "combination":
            # Held by ``resolve_after_days``: say that the reading is already back.
            body = (f"{number}, back {down} the watch threshold of "
                    f"{fmt_number(watch_thr, cond.unit)}; the {state} ends if it stays there")
        elif cond.kind in ("indicator", "composite") and thr is not None and cond.basis:
            body = f"{number}; {cond.basis}, past the {state} threshold {thr:g}"
        elif cond.kind in ("indicator", "composite") and thr is not None:
            body = f"{number}, {up} the {state} threshold of {fmt_number(thr, cond.unit)}"
        elif cond.kind == "combination":
            at = "alert" if state == "alert" else "watch or worse"
            body = (f"{cond.value:g} categories at {at} (threshold {thr:g})"
                    if cond.value is not None and thr is not None else number)
        elif cond.kind == "stale":
            body = f"not updated, {number}"
            if cond.unit == "series overdue":
                body = f"{number} by the publication schedule plus grace"
        elif cond.kind == "source_failure":
            body = (f"{cond.value:g} consecutive failed updates (threshold {thr:g})"
                    if cond.value is not None and thr is not None else number)
    text = f"{head}: {body} ({when})."
    if cond.detail:
        text += f" {cond.detail.rstrip('.')}."
    return text


def _dates_ja(obs: date | None, as_of: date) -> str:
    if obs is None or obs == as_of:
        return f"{as_of} 時点"
    return f"観測日 {obs}、判明 {as_of}"


def _describe_ja(cond: Condition, state: str, previous: str, as_of: date) -> str:
    """:func:`describe` in Japanese (the same facts, in the same order)."""
    label = cond.label_ja or cond.label or cond.subject
    number = fmt_number_ja(cond.value, cond.unit)
    up = "上回りました" if cond.direction >= 0 else "下回りました"
    back = "下回る水準" if cond.direction >= 0 else "上回る水準"
    when = (_dates_ja(cond.date, as_of) if cond.kind in ("indicator", "composite",
                                                         "combination") else f"{as_of} 時点")
    basis = cond.basis_ja or cond.basis
    was = f" (前回: {state_label(previous, 'ja', resolved=False)})"
    if state == "normal":
        head = f"解消 {label}{was}"
        thr = cond.threshold("watch")
        if cond.level == "no_data":
            body = "判定できるデータがなくなりました"
        elif thr is not None and basis:
            body = f"{number}。{basis}、注意の閾値 {thr:g} の内側に戻りました"
        elif thr is not None:
            body = f"{number}、注意の閾値 {fmt_number_ja(thr, cond.unit)} を{back}に戻りました"
        else:
            body = number
    else:
        name = state_label(state, "ja")
        head = f"{name}{was if previous != 'normal' else ''} {label}"
        thr = cond.threshold(state)
        watch_thr = cond.threshold("watch")
        body = number
        if cond.level == "normal" and watch_thr is not None and cond.kind != "combination":
            body = (f"{number}、注意の閾値 {fmt_number_ja(watch_thr, cond.unit)} を"
                    f"{back}に戻っています。このまま続けば{name}は解消します")
        elif cond.kind in ("indicator", "composite") and thr is not None and basis:
            body = f"{number}。{basis}、{name}の閾値 {thr:g} を超えました"
        elif cond.kind in ("indicator", "composite") and thr is not None:
            body = f"{number}、{name}の閾値 {fmt_number_ja(thr, cond.unit)} を{up}"
        elif cond.kind == "combination":
            at = "警戒" if state == "alert" else "注意以上"
            body = (f"{at}のカテゴリーが {cond.value:g} (閾値 {thr:g})"
                    if cond.value is not None and thr is not None else number)
        elif cond.kind == "stale":
            body = (f"公表予定と猶予期間を過ぎて {number}" if cond.unit == "series overdue"
                    else f"更新なし、{number}")
        elif cond.kind == "source_failure":
            body = (f"{cond.value:g} 回連続で更新に失敗 (閾値 {thr:g})"
                    if cond.value is not None and thr is not None else number)
    detail = cond.detail_ja  # never the English detail in a Japanese message
    if cond.kind == "overall" and detail:  # the overall status has a reason, not a number
        body, detail = detail.rstrip("。."), None
    text = f"{head}: {body} ({when})。"
    if detail:
        text += f" {detail.rstrip('。.')}。"
    return text


def why(event: AlertEvent, lang: str = "en") -> str:
    """The reason of an alert's state in a few words, for a table's "why" column: the rule,
    the threshold of its state with its unit (or what it is judged on), and whether
    hysteresis holds the state although the reading is back.

    >>> from liqwatch.alerts.engine import AlertEvent
    >>> e = AlertEvent("indicator-status", "indicator-status:sofr_iorb_bp", "indicator",
    ...                "sofr_iorb_bp", "alert", "alert", False, None, date(2019, 9, 20), 4.0,
    ...                25.0, "bp", "", level="watch")
    >>> print(why(e))  # doctest: +NORMALIZE_WHITESPACE
    indicator-status: alert ≥ +25 bp; held by hysteresis (reading at watch;
    the alert ends below watch)
    """
    ja = lang == "ja"
    num = fmt_number_ja if ja else _fmt_signed
    parts: list[str] = [event.rule]
    thr = event.threshold
    name = state_label(event.state, lang, resolved=False) if ja else event.state
    basis = (event.basis_ja or event.basis) if ja else event.basis
    op = ("≥" if event.direction >= 0 else "≤")
    if thr is not None and event.state != "normal":
        if basis:
            parts.append(f"{basis}: {name} {op} {thr:g}" if ja else
                         f"{name} {op} {thr:g} on {basis}")
        elif event.kind in ("indicator", "composite"):
            parts.append(f"{name} {op} {num(thr, event.unit)}")
        elif event.kind == "combination":
            parts.append(f"{thr:g} カテゴリー以上" if ja else f"{thr:g}+ categories")
        elif event.kind == "stale":
            parts.append("公表予定+猶予を超過" if ja else "past its schedule plus grace")
    level = event.level
    if event.state in ("watch", "alert") and level in ("normal", "watch") and level != event.state:
        lvl = state_label(level, lang, resolved=False) if ja else level
        parts.append(f"ヒステリシスにより継続 (水準は{lvl}、注意未満で{name}は解消)" if ja else
                     f"held by hysteresis (reading at {lvl}; the {name} ends below watch)")
    elif level == "no_data" and event.state != "normal":
        parts.append("データなし: 状態を維持" if ja else "no data: state kept")
    head, rest = parts[0], parts[1:]
    return f"{head}: " + ("。".join(rest) if ja else "; ".join(rest)) if rest else head


def _fmt_signed(value: float | None, unit: str | None = None) -> str:
    """:func:`fmt_number`, with a sign on basis points (a spread's threshold)."""
    if unit == "bp" and value is not None and not math.isnan(value):
        return f"{value:+g} bp"
    return fmt_number(value, unit)
