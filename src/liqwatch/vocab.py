"""The project's shared vocabulary: statuses, categories, languages and how numbers are written.

Every surface (CLI, report, dashboard, API, alerts, claim checker) takes these from here, so a
status sorts the same way, a category has one name and ``$2.85tn`` / ``2.85兆ドル`` is written
the same way everywhere.

>>> worst(["normal", "alert", "no_data"])
<Status.alert: 'alert'>
>>> fmt_value(2855.0, "usd_bn", "en"), fmt_value(2855.0, "usd_bn", "ja")
('$2.85tn', '2.85兆ドル')
>>> fmt_value(0.0, "usd_bn", "en"), fmt_value(0.0, "usd_bn", "ja")
('$0bn', '0ドル')
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Literal

__all__ = [
    "CATEGORIES",
    "LANGS",
    "Lang",
    "Status",
    "category_label",
    "check_lang",
    "fmt_bp",
    "fmt_date",
    "fmt_pct",
    "fmt_usd_bn",
    "fmt_value",
    "pick",
    "worst",
]


class Status(StrEnum):
    """A reading's status, ordered from "nothing to say" to the worst.

    ``no_data < normal < watch < alert``; :attr:`rank` gives the order and comparisons use it
    (``Status.watch > Status.normal``). Values compare equal to their plain strings.
    """

    no_data = "no_data"
    normal = "normal"
    watch = "watch"
    alert = "alert"

    @property
    def rank(self) -> int:
        """-1 for ``no_data``, 0 normal, 1 watch, 2 alert."""
        return _RANK[self.value]

    def label(self, lang: str = "en") -> str:
        """``Alert`` / ``警戒`` and so on."""
        return _STATUS_LABELS[self.value][1 if lang == "ja" else 0]

    @classmethod
    def of(cls, value: object) -> Status:
        """The status named by ``value``; anything unknown (None, NaN, "") is ``no_data``."""
        if isinstance(value, Status):
            return value
        try:
            return cls(str(value))
        except ValueError:
            return cls.no_data

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank < Status.of(other).rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank <= Status.of(other).rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank > Status.of(other).rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank >= Status.of(other).rank

    __hash__ = str.__hash__


_RANK = {"no_data": -1, "normal": 0, "watch": 1, "alert": 2}
_STATUS_LABELS = {"no_data": ("No data", "データなし"), "normal": ("Normal", "平常"),
                  "watch": ("Watch", "注意"), "alert": ("Alert", "警戒")}


def worst(statuses: Iterable[object]) -> Status:
    """The worst of ``statuses`` (``no_data`` when there is nothing else)."""
    return max((Status.of(s) for s in statuses), key=lambda s: s.rank, default=Status.no_data)


#: The indicator categories, in display order.
CATEGORIES: tuple[str, ...] = ("funding", "reserves", "risk_appetite", "oil", "credit",
                               "offshore")

def category_label(category: str, lang: str = "en") -> str:
    """A category's name in a sentence: ``risk appetite`` / ``リスク選好`` (unknown: as given).

    The names are the glossary's (:mod:`liqwatch.glossary`): ``funding`` is 短期資金市場 on
    every surface.
    """
    from liqwatch.glossary import TERMS

    if category not in CATEGORIES:
        return category
    en, ja = TERMS[category]
    return ja if lang == "ja" else en


#: A language of explanations, reports and messages.
Lang = Literal["en", "ja"]
LANGS: tuple[Lang, ...] = ("en", "ja")


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is ``en`` or ``ja``; raise ``ConfigError`` otherwise."""
    from liqwatch.exceptions import ConfigError

    if lang == "en":
        return "en"
    if lang == "ja":
        return "ja"
    raise ConfigError(f"language {lang!r} is not supported (use en or ja)")


def pick(lang: str, en: str, ja: str) -> str:
    """The text of ``lang``."""
    return ja if lang == "ja" else en


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_date(day: date | None, lang: str = "en") -> str:
    """``17 Sep 2019`` / ``2019年9月17日``; an em dash for None."""
    if day is None:
        return "—"
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%b')} {day.year}"


def fmt_pct(x: float | None, digits: int = 2) -> str:
    """``5.25%``."""
    return "—" if x is None or _missing(x) else f"{x:.{digits}f}%"


def fmt_bp(x: float | None, *, sign: bool = True, lang: str = "en") -> str:
    """``+12 bp`` / ``+12bp`` (``x`` in basis points)."""
    if x is None or _missing(x):
        return "—"
    text = f"{x:+.0f}" if sign else f"{x:.0f}"
    if text in ("+0", "-0"):
        text = "0"
    return f"{text}bp" if lang == "ja" else f"{text} bp"


def fmt_usd_bn(x: float | None, lang: str = "en") -> str:
    """An amount given in USD billions: ``$2.85tn`` / ``2.85兆ドル``, ``$50.4bn`` / ``504億ドル``.

    Zero is ``$0bn`` / ``0ドル``; amounts under $1bn keep two decimals in English and are
    written in 億ドル in Japanese (``$0.35bn`` / ``3.5億ドル``).
    """
    if x is None or _missing(x):
        return "—"
    if x == 0:
        return "0ドル" if lang == "ja" else "$0bn"
    neg = "-" if x < 0 else ""
    a = abs(x)
    if lang == "ja":
        if a >= 1000:
            return f"{neg}{a / 1000:,.2f}兆ドル"
        oku = a * 10
        return f"{neg}{oku:,.1f}億ドル" if oku < 10 else f"{neg}{oku:,.0f}億ドル"
    if a >= 1000:
        return f"{neg}${a / 1000:,.2f}tn"
    if a < 1:
        return f"{neg}${a:,.2f}bn"
    return f"{neg}${a:,.1f}bn" if a < 100 else f"{neg}${a:,.0f}bn"


def fmt_value(value: float | None, unit: str, lang: str = "en") -> str:
    """A reading in its unit, written for people in ``lang``.

    Units: ``bp``, ``pct`` (a level in percent), ``pct_chg`` (a change in percent), ``pp``
    (percentage points), ``usd_tn``, ``usd_bn``, ``usd_mn``, ``usd``, ``corr``, ``months``,
    ``days``, ``count``, ``index``, ``ratio``; anything else is a plain number with the unit
    after it.
    """
    if value is None or _missing(value):
        return "—"
    ja = lang == "ja"
    v = float(value)
    if unit == "bp":
        return fmt_bp(v, lang=lang)
    if unit in ("pct", "percent", "%"):
        return f"{v:.2f}%"
    if unit == "pct_chg":
        return f"{v:+.1f}%"
    if unit == "pp":
        return f"{v:+.2f}pt" if ja else f"{v:+.2f} pp"
    if unit == "usd_tn":
        return fmt_usd_bn(v * 1000.0, lang)
    if unit == "usd_bn":
        return fmt_usd_bn(v, lang)
    if unit == "usd_mn":
        return fmt_usd_bn(v / 1000.0, lang)
    if unit == "usd":
        sign = "-" if v < 0 else ""
        return f"{sign}{abs(v):,.2f}ドル" if ja else f"{sign}${abs(v):,.2f}"
    if unit == "corr":
        return f"{v:+.2f}"
    if unit == "months":
        return f"{v:.0f}か月" if ja else f"{v:.0f} months"
    if unit == "days":
        return f"{v:.0f}日" if ja else f"{v:.0f} days"
    if unit == "count":
        return f"{v:.0f}回" if ja else f"{v:.0f}"
    if unit in ("index", "ratio", "number", ""):
        return f"{v:,.2f}"
    return f"{v:,.2f} {unit}"
