"""Numbers and units written for people, in English and natural Japanese."""

from __future__ import annotations

import math

from liqwatch.claims.units import UNITS, convert

__all__ = ["fmt_number", "fmt_value", "fmt_value_ja"]


def fmt_number(value: float, digits: int = 4) -> str:
    """``value`` with about ``digits`` significant digits and thousands separators."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    a = abs(value)
    if a >= 10 ** (digits - 1) or a == 0:
        return f"{value:,.0f}"
    places = max(0, digits - 1 - math.floor(math.log10(a)))
    text = f"{value:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


_EN_SUFFIX = {"percent": "%", "bp": " bp", "days": " business days", "number": "", "index": ""}


def fmt_value(value: float, unit: str) -> str:
    """English: ``5.25%``, ``282 bp``, ``1.394 USD trillions``, ``2,554 USD billions``."""
    if unit == "days" and value == 1:
        return "1 business day"
    if unit in _EN_SUFFIX:
        return fmt_number(value) + _EN_SUFFIX[unit]
    if unit in ("万ドル", "億ドル", "兆ドル"):
        usd = convert(value, unit, "USD")
        a = abs(usd)
        big = ("USD trillions" if a >= 1e12 else "USD billions" if a >= 1e9 else
               "USD millions" if a >= 1e6 else "USD")
        return f"{fmt_number(value)}{unit} ({fmt_value(convert(usd, 'USD', big), big)})"
    return f"{fmt_number(value)} {unit}"


def fmt_value_ja(value: float, unit: str) -> str:
    """Japanese: ``5.25%``, ``282bp``, ``1.39兆ドル``, ``60億ドル``, ``12営業日``."""
    if unit == "percent":
        return fmt_number(value) + "%"
    if unit == "bp":
        return fmt_number(value) + "bp"
    if unit == "days":
        return fmt_number(value) + "営業日"
    if unit in ("number", "index"):
        return fmt_number(value)
    if UNITS[unit].family == "usd":
        usd = convert(value, unit, "USD")
        a = abs(usd)
        if a >= 1e12:
            return fmt_number(usd / 1e12, 3) + "兆ドル"
        if a >= 1e8:
            return fmt_number(usd / 1e8, 4) + "億ドル"
        if a >= 1e4:
            return fmt_number(usd / 1e4, 4) + "万ドル"
        return fmt_number(usd) + "ドル"
    return f"{fmt_number(value)} {unit}"
