"""Small HTML helpers for the notebook representations of the result objects."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

_STYLE = {"normal": "#2e7d32", "watch": "#b26a00", "alert": "#c62828", "no_data": "#777"}


def fmt(value: Any) -> str:
    """Format a cell: floats to 3 decimals, NaN/None as an em dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def badge(status: str) -> str:
    """A coloured status label."""
    color = _STYLE.get(status, "#333")
    return f'<b style="color:{color}">{html.escape(status)}</b>'


def table(rows: Sequence[Mapping[Any, Any]], columns: Sequence[str], caption: str = ""
          ) -> str:
    """An escaped HTML table of ``rows``."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(fmt(r.get(c)))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
