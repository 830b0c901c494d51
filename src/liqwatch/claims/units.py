"""Units of claimed numbers: names, conversion, and parsing of amounts written in text.

A claim states its value in one unit (``percent``, ``bp``, ``USD billions``, ``億ドル`` ...);
the data is converted into that unit before comparing. Units belong to families (rates,
US-dollar amounts, index points, counts); only units of the same family convert.

Examples
--------
>>> convert(1_394_122, "USD millions", "USD trillions")
1.394122
>>> parse_amount("2兆5500億ドル").value, parse_amount("2兆5500億ドル").unit
(25500.0, '億ドル')
>>> parse_amount("25bp").unit
'bp'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from liqwatch.exceptions import ConfigError

__all__ = [
    "UNITS",
    "Amount",
    "UnitError",
    "catalog_unit",
    "convert",
    "decimal_half_unit",
    "family",
    "normalize_unit",
    "parse_amount",
]


class UnitError(ConfigError):
    """A unit is unknown, or two units cannot be converted into each other."""


@dataclass(frozen=True, slots=True)
class _Unit:
    family: str
    scale: float  # in the family's base unit (percent for rates, USD for amounts)
    ja: str


#: Canonical unit names, their family and size.
UNITS: dict[str, _Unit] = {
    "percent": _Unit("rate", 1.0, "%"),
    "bp": _Unit("rate", 0.01, "bp"),
    "USD": _Unit("usd", 1.0, "ドル"),
    "USD thousands": _Unit("usd", 1e3, "千ドル"),
    "USD millions": _Unit("usd", 1e6, "百万ドル"),
    "USD billions": _Unit("usd", 1e9, "十億ドル"),
    "USD trillions": _Unit("usd", 1e12, "兆ドル"),
    "万ドル": _Unit("usd", 1e4, "万ドル"),
    "億ドル": _Unit("usd", 1e8, "億ドル"),
    "兆ドル": _Unit("usd", 1e12, "兆ドル"),
    "index": _Unit("index", 1.0, "ポイント"),
    "number": _Unit("number", 1.0, ""),
    "days": _Unit("days", 1.0, "営業日"),
}

_ALIASES: dict[str, str] = {
    "%": "percent",
    "％": "percent",
    "pct": "percent",
    "per cent": "percent",
    "percentage points": "percent",
    "pp": "percent",
    "ppt": "percent",
    "%pt": "percent",
    "%ポイント": "percent",
    "パーセント": "percent",
    "bps": "bp",
    "basis points": "bp",
    "basis point": "bp",
    "ベーシスポイント": "bp",
    "$": "USD",
    "usd": "USD",
    "dollars": "USD",
    "ドル": "USD",
    "usd_mn": "USD millions",
    "usd mn": "USD millions",
    "usd million": "USD millions",
    "mn": "USD millions",
    "million": "USD millions",
    "millions": "USD millions",
    "百万ドル": "USD millions",
    "usd_bn": "USD billions",
    "usd bn": "USD billions",
    "usd billion": "USD billions",
    "bn": "USD billions",
    "billion": "USD billions",
    "billions": "USD billions",
    "十億ドル": "USD billions",
    "usd_tn": "USD trillions",
    "usd tn": "USD trillions",
    "usd trillion": "USD trillions",
    "tn": "USD trillions",
    "trillion": "USD trillions",
    "trillions": "USD trillions",
    "億": "億ドル",
    "兆": "兆ドル",
    "万": "万ドル",
    "points": "index",
    "pts": "index",
    "pt": "index",
    "ポイント": "index",
    "business days": "days",
    "day": "days",
    "営業日": "days",
    "日": "days",
    "ratio": "number",
    "coefficient": "number",
}

_CATALOG_UNITS = {
    "usd_tn": "USD trillions",
    "pct": "percent",
    "pct_chg": "percent",
    "corr": "number",
    "count": "number",
    "months": "number",
    "percent": "percent",
    "bp": "bp",
    "usd_mn": "USD millions",
    "usd_bn": "USD billions",
    "usd": "USD",
    "index": "index",
    "number": "number",
}


def normalize_unit(text: str) -> str:
    """Return the canonical name of a unit written as ``text``.

    Raises
    ------
    UnitError
        When the unit is not understood.
    """
    raw = text.strip()
    if raw in UNITS:
        return raw
    low = re.sub(r"\s+", " ", raw.lower())
    for key in (low, low.removeprefix("usd ").strip(), low.replace("us$", "usd")):
        if key in _ALIASES:
            return _ALIASES[key]
        for name in UNITS:
            if key == name.lower():
                return name
    raise UnitError(
        f"unit {text!r} is not understood (use one of: {', '.join(UNITS)}; "
        "aliases such as %, bps, bn, 億ドル are accepted)"
    )


def family(unit: str) -> str:
    """Family of a canonical unit (``rate``, ``usd``, ``index``, ``number``, ``days``)."""
    return UNITS[normalize_unit(unit)].family


def catalog_unit(code: str) -> str:
    """Canonical unit of a catalog unit code (``usd_mn`` -> ``USD millions``)."""
    return _CATALOG_UNITS.get(code, code if code in UNITS else "number")


def convert(value: float, source: str, target: str) -> float:
    """Convert ``value`` from unit ``source`` into unit ``target``.

    Index points and plain numbers convert into each other (both are unit-less).

    Raises
    ------
    UnitError
        When the units belong to different families.
    """
    a, b = UNITS[normalize_unit(source)], UNITS[normalize_unit(target)]
    fam = {a.family, b.family}
    if a.family != b.family and fam != {"index", "number"}:
        raise UnitError(f"cannot express {source} in {target}")
    return value * a.scale / b.scale


def decimal_half_unit(value: float | str) -> float:
    """Half a unit of the last significant place of ``value`` as written.

    ``1.4`` gives 0.05, ``5.25`` gives 0.005, ``2500`` gives 50 (trailing zeros of an integer
    are read as rounding), ``6`` gives 0.5.
    """
    text = value if isinstance(value, str) else repr(float(value))
    text = text.replace(",", "").strip()
    try:
        dec = Decimal(text)
    except InvalidOperation:
        return 0.0
    if text.endswith(".0") and not isinstance(value, str):
        dec = Decimal(int(dec))
    _sign, digits, exponent = dec.as_tuple()
    if not isinstance(exponent, int):
        return 0.0
    if exponent < 0:
        return 0.5 * 10.0**exponent
    # integers from 100 up: trailing zeros are read as rounding (2500 -> 50); 10 -> 0.5
    if abs(dec) < 100:
        return 0.5
    trailing = len(digits) - len("".join(str(d) for d in digits).rstrip("0"))
    if trailing == len(digits):  # zero
        return 0.5
    return 0.5 * 10.0 ** (exponent + trailing)


@dataclass(frozen=True, slots=True)
class Amount:
    """A number with its unit as written in a text.

    Attributes
    ----------
    value
        The number in ``unit``.
    unit
        Canonical unit name, or ``None`` when the text had no unit.
    half_unit
        Half a unit of the last stated digit (the rounding tolerance), in ``unit``.
    text
        The matched text.
    start, end
        Position of the match in the searched string (0 when parsed alone).
    """

    value: float
    unit: str | None
    half_unit: float
    text: str
    start: int = 0
    end: int = 0


_NUM = r"[-−–+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−–+]?\d+(?:\.\d+)?"
_EN_SCALE = (r"trillions?|trln|trn|tln|tn|tril|T|billions?|bln|bn|bil|B|millions?|mln|mn|mm|"
             r"mil|m|M|thousand|k|K")
_EN_RATE = r"%|％|percent(?:age points?)?|per cent|pp|ppts?|bps|bp|basis points?"
_JA_RATE = r"%ポイント|％ポイント|%|％|ベーシスポイント|bp|ポイント"
# Japanese amounts: optional 兆 part followed by an optional 億 / 万 part, then ドル.
_JA_AMOUNT = re.compile(
    rf"(?P<cho>{_NUM})\s*兆\s*(?:(?P<oku>{_NUM})\s*億)?\s*(?:米)?ドル"
    rf"|(?P<oku3>{_NUM})\s*億\s*(?P<man3>{_NUM})\s*万\s*(?:米)?ドル"
    rf"|(?P<oku2>{_NUM})\s*億\s*(?:米)?ドル"
    rf"|(?P<man>{_NUM})\s*万\s*(?:米)?ドル"
    rf"|(?P<mil>{_NUM})\s*百万\s*(?:米)?ドル"
    rf"|(?P<dol>{_NUM})\s*(?:米)?ドル"
)
_EN_AMOUNT = re.compile(
    rf"(?:US)?[$＄]\s*(?P<v1>{_NUM})\s*(?P<s1>(?:{_EN_SCALE})\b)?"
    rf"|(?P<v2>{_NUM})\s*(?P<s2>trillions?|billions?|millions?)\s+(?:of\s+)?(?:US\s+)?dollars\b"
    rf"|(?P<v3>{_NUM})\s*(?P<s3>(?:trillions?|billions?|millions?|trln|trn|tn|bln|bn|mln|mn)\b)"
    rf"|(?P<v4>{_NUM})\s*(?P<r4>{_EN_RATE}|{_JA_RATE})"
)
_SCALE_UNIT = {
    "t": "USD trillions",
    "tn": "USD trillions",
    "tril": "USD trillions",
    "trn": "USD trillions",
    "trln": "USD trillions",
    "tln": "USD trillions",
    "bln": "USD billions",
    "mln": "USD millions",
    "mm": "USD millions",
    "trillion": "USD trillions",
    "trillions": "USD trillions",
    "b": "USD billions",
    "bn": "USD billions",
    "bil": "USD billions",
    "billion": "USD billions",
    "billions": "USD billions",
    "m": "USD millions",
    "mn": "USD millions",
    "mil": "USD millions",
    "million": "USD millions",
    "millions": "USD millions",
    "k": "USD thousands",
    "thousand": "USD thousands",
}


def _num(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-").replace("–", "-"))


def _rate_unit(text: str) -> str:
    t = text.lower()
    if t in {"bp", "bps"} or t.startswith("basis") or t == "ベーシスポイント":
        return "bp"
    if t == "ポイント":
        return "index"
    return "percent"


def find_amounts(text: str) -> list[Amount]:
    """Every number with a unit in ``text`` (English and Japanese forms), in order."""
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []

    def add(a: Amount) -> None:
        if any(a.start < e and s < a.end for s, e in taken):
            return
        taken.append((a.start, a.end))
        found.append(a)

    for m in _JA_AMOUNT.finditer(text):
        g = m.groupdict()
        if g["cho"] is not None:
            cho = _num(g["cho"])
            if g["oku"] is not None:
                value = cho * 10_000 + _num(g["oku"])
                add(Amount(value, "億ドル", decimal_half_unit(g["oku"]), m.group(0), *m.span()))
            else:
                add(Amount(cho, "兆ドル", decimal_half_unit(g["cho"]), m.group(0), *m.span()))
        elif g["oku3"] is not None:  # 503億5000万ドル
            value = _num(g["oku3"]) + _num(g["man3"]) / 10_000
            add(Amount(value, "億ドル", decimal_half_unit(g["man3"]) / 10_000, m.group(0),
                       *m.span()))
        elif g["oku2"] is not None:
            add(
                Amount(
                    _num(g["oku2"]), "億ドル", decimal_half_unit(g["oku2"]), m.group(0), *m.span()
                )
            )
        elif g["man"] is not None:
            add(
                Amount(_num(g["man"]), "万ドル", decimal_half_unit(g["man"]), m.group(0), *m.span())
            )
        elif g["mil"] is not None:
            add(
                Amount(
                    _num(g["mil"]),
                    "USD millions",
                    decimal_half_unit(g["mil"]),
                    m.group(0),
                    *m.span(),
                )
            )
        else:
            add(Amount(_num(g["dol"]), "USD", decimal_half_unit(g["dol"]), m.group(0), *m.span()))
    for m in _EN_AMOUNT.finditer(text):
        g = m.groupdict()
        if g["v1"] is not None:
            scale = (g["s1"] or "").lower()
            unit = _SCALE_UNIT.get(scale, "USD")
            num = g["v1"]
        elif g["v2"] is not None:
            unit, num = _SCALE_UNIT[g["s2"].lower()], g["v2"]
        elif g["v3"] is not None:
            unit, num = _SCALE_UNIT[g["s3"].lower()], g["v3"]
        else:
            unit, num = _rate_unit(g["r4"]), g["v4"]
        add(Amount(_num(num), unit, decimal_half_unit(num), m.group(0).strip(), *m.span()))
    found.sort(key=lambda a: a.start)
    return found


def parse_amount(text: str) -> Amount:
    """Parse one amount such as ``"$1.8T"``, ``"6bn"``, ``"2.55兆ドル"``, ``"25bp"``, ``"5.25%"``.

    A bare number is returned with ``unit=None``.

    Raises
    ------
    UnitError
        When ``text`` holds no number.
    """
    hits = find_amounts(text)
    if hits:
        return hits[0]
    m = re.search(_NUM, text)
    if m is None:
        raise UnitError(f"no number in {text!r}")
    return Amount(_num(m.group(0)), None, decimal_half_unit(m.group(0)), m.group(0), *m.span())
