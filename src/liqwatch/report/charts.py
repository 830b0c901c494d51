"""Plotly figures as plain dicts (no plotly import needed to build them).

Building the JSON directly keeps a report fast to generate; the browser side is the Plotly.js
bundle shipped with the ``plotly`` package, inlined once per report.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "COLORS",
    "EVENT_GROUPS",
    "band",
    "bars",
    "episode_labels",
    "event_marks",
    "figure",
    "figure_json",
    "hband",
    "hline",
    "line",
    "localize_hover",
    "plotly_js",
    "shade",
    "threshold_lines",
]

COLORS = {
    "navy": "#1f3b73",
    "blue": "#2563eb",
    "teal": "#0f766e",
    "orange": "#d97706",
    "red": "#b91c1c",
    "gray": "#6b7280",
    "purple": "#7c3aed",
    "green": "#15803d",
    "pink": "#be185d",
    "band": "rgba(37, 99, 235, 0.15)",
    "alert_band": "rgba(185, 28, 28, 0.10)",
    "episode": "rgba(107, 114, 128, 0.16)",
}

FONT = ("-apple-system, BlinkMacSystemFont, 'Segoe UI', 'Hiragino Sans', 'Noto Sans JP', "
        "'Noto Sans CJK JP', Roboto, 'Helvetica Neue', Arial, sans-serif")


def _xy(s: pd.Series, digits: int) -> tuple[list[str], list[float | None]]:
    s = s.dropna()
    x = pd.DatetimeIndex(s.index).strftime("%Y-%m-%d").tolist()
    vals = np.round(s.to_numpy(dtype=float), digits)
    return x, [None if not math.isfinite(v) else float(v) for v in vals]


def line(
    s: pd.Series,
    name: str,
    color: str,
    *,
    digits: int = 4,
    yaxis: str = "y",
    dash: str | None = None,
    width: float = 1.6,
    shape: str = "linear",
    fill: str | None = None,
    stackgroup: str | None = None,
    hover: str = "%{y:,.2f}",
    visible: bool | str = True,
) -> dict[str, Any]:
    """A line trace of ``s``."""
    x, y = _xy(s, digits)
    trace: dict[str, Any] = {
        "type": "scatter", "mode": "lines", "name": name, "x": x, "y": y, "yaxis": yaxis,
        "line": {"color": color, "width": width, "shape": shape},
        "hovertemplate": f"{hover}<extra>{_escape_hover(name)}</extra>",
    }
    if dash:
        trace["line"]["dash"] = dash
    if fill:
        trace["fill"] = fill
    if stackgroup:
        trace["stackgroup"] = stackgroup
        trace["fillcolor"] = color
    if visible is not True:
        trace["visible"] = visible
    return trace


#: Funding-calendar kinds marked on the corridor charts, by group: (en, ja, colour, symbol).
EVENT_GROUPS: dict[str, tuple[tuple[str, ...], str, str, str, str]] = {
    "ends": (("year_end", "quarter_end", "month_end", "year_end_turn"),
             "month-, quarter-, year-end", "月末・四半期末・年末", COLORS["red"], "diamond"),
    "tax": (("tax_corporate", "tax_individual"), "tax date", "納税日", COLORS["orange"],
            "triangle-up"),
    "settlement": (("coupon_mid", "coupon_end", "auction_settlement"),
                   "coupon settlement", "国債決済", COLORS["blue"], "circle"),
    "gse": (("gse_cash",), "GSE cash day", "GSE 資金支払日", COLORS["purple"], "square"),
}


def event_marks(y: pd.Series, kinds: pd.Series, text: pd.Series, lang: str, *,
                digits: int = 2, yaxis: str = "y") -> list[dict[str, Any]]:
    """Markers on the funding-calendar event days of a series, one trace per group of kinds
    (:data:`EVENT_GROUPS`; a day goes to the group of its principal kind).

    Parameters
    ----------
    y
        The value marked on each day (the plotted series), indexed by day.
    kinds
        The principal funding-calendar kind of each day (``ordinary``: not marked).
    text
        The hover text of each day (the turn-aware reading).
    """
    traces = []
    for kinds_of, en, ja, color, symbol in EVENT_GROUPS.values():
        days = kinds.index[kinds.isin(kinds_of)]
        pts = y.reindex(days).dropna()
        if pts.empty:
            continue
        x, vals = _xy(pts, digits)
        name = ja if lang == "ja" else en
        traces.append({
            "type": "scatter", "mode": "markers", "name": name, "x": x, "y": vals,
            "yaxis": yaxis,
            "marker": {"color": color, "size": 6, "symbol": symbol, "opacity": 0.85},
            "text": [_escape_hover(str(t)) for t in text.reindex(pts.index).fillna("")],
            "hovertemplate": f"%{{text}}<extra>{_escape_hover(name)}</extra>",
        })
    return traces


def band(
    low: pd.Series, high: pd.Series, name: str, color: str = COLORS["band"], *, digits: int = 4
) -> list[dict[str, Any]]:
    """A shaded band between two series (two traces, the second filled to the first)."""
    both = pd.concat([low, high], axis=1, join="inner").dropna()
    lo, hi = both.iloc[:, 0], both.iloc[:, 1]
    base = line(lo, f"{name} low", "rgba(0,0,0,0)", digits=digits, width=0)
    base["showlegend"] = False
    base["hoverinfo"] = "skip"
    base.pop("hovertemplate")
    top = line(hi, name, "rgba(0,0,0,0)", digits=digits, width=0, fill="tonexty")
    top["fillcolor"] = color
    top["hoverinfo"] = "skip"
    top.pop("hovertemplate")
    return [base, top]


def bars(s: pd.Series, name: str, color: str, *, digits: int = 2, yaxis: str = "y",
         hover: str = "%{y:,.1f}") -> dict[str, Any]:
    """A bar trace of ``s``."""
    x, y = _xy(s, digits)
    return {"type": "bar", "name": name, "x": x, "y": y, "yaxis": yaxis,
            "marker": {"color": color},
            "hovertemplate": f"{hover}<extra>{_escape_hover(name)}</extra>"}


def shade(x0: str, x1: str, color: str = COLORS["episode"], *, label: str | None = None,
          axis: str = "x") -> dict[str, Any]:
    """A vertical shaded rectangle from ``x0`` to ``x1`` spanning the plot height."""
    shape: dict[str, Any] = {
        "type": "rect", "xref": axis, "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
        "fillcolor": color, "line": {"width": 0}, "layer": "below",
    }
    if label:
        shape["label"] = {"text": label, "textposition": "top left",
                          "font": {"size": 10, "color": "#4b5563"}}
    return shape


#: Approximate plot width (px) and label character width (px) used to keep labels apart.
_PLOT_PX, _CHAR_PX = 900.0, 6.5


def episode_labels(spans: Sequence[tuple[str, str, str]], x0: str, x1: str, *,
                   rows: int = 4) -> list[dict[str, Any]]:
    """Labels of shaded episodes as annotations that never overlap one another.

    ``spans`` are ``(start, end, label)`` (ISO dates) on a chart showing ``x0`` to ``x1``.
    Each label sits at the top of its episode; a label that would run into an earlier one
    moves down a row (up to ``rows``; more than that many overlapping labels are listed in
    one label), and a label near the right edge is anchored at its episode's end so that
    it is not cut off.

    >>> a = episode_labels([("2007-08-09", "2007-09-30", "Aug 2007"),
    ...                     ("2008-03-10", "2008-03-31", "Mar 2008"),
    ...                     ("2008-09-15", "2008-12-31", "Oct 2008")], "2000-01-01", "2026-01-01")
    >>> sorted({round(x["y"], 2) for x in a})
    [0.83, 0.91, 0.99]
    """
    lo, hi = pd.Timestamp(x0), pd.Timestamp(x1)
    span_days = max((hi - lo).days, 1)
    per_px = span_days / _PLOT_PX
    ends: list[pd.Timestamp] = [lo - pd.Timedelta(days=1)] * rows
    out: list[dict[str, Any]] = []
    for start, end, text in sorted(spans):
        a, b = max(pd.Timestamp(start), lo), min(pd.Timestamp(end), hi)
        if b < lo or a > hi:
            continue
        width = pd.Timedelta(days=(len(text) * _CHAR_PX + 6) * per_px)
        right = a + width > hi  # would be cut at the right edge: anchor it at the end
        left_edge = b - width if right else a
        row = next((i for i in range(rows) if left_edge > ends[i]), None)
        if row is None:  # every row is taken here: append the name to the nearest label
            last = out[-1]
            last["text"] += " / " + text
            continue
        ends[row] = (b if right else a + width)
        out.append({"x": (b if right else a).strftime("%Y-%m-%d"), "xref": "x",
                    "y": 0.99 - 0.08 * row, "yref": "paper", "text": text,
                    "showarrow": False, "xanchor": "right" if right else "left",
                    "yanchor": "top", "font": {"size": 10, "color": "#4b5563"},
                    "bgcolor": "rgba(255,255,255,0.7)"})
    return out


def hband(y0: float, y1: float, color: str = COLORS["alert_band"], *, yref: str = "y",
          label: str | None = None) -> dict[str, Any]:
    """A horizontal band from ``y0`` to ``y1`` across the plot width."""
    shape: dict[str, Any] = {
        "type": "rect", "xref": "paper", "yref": yref, "x0": 0, "x1": 1, "y0": y0, "y1": y1,
        "fillcolor": color, "line": {"width": 0}, "layer": "below",
    }
    if label:
        shape["label"] = {"text": label, "textposition": "middle left",
                          "font": {"size": 10, "color": "#7f1d1d"}}
    return shape


def hline(y: float, label: str, color: str = COLORS["red"], *, yref: str = "y",
          dash: str = "dash") -> dict[str, Any]:
    """A horizontal threshold line at ``y`` across the plot width, labelled at its right end."""
    return {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": yref, "y0": y, "y1": y,
            "line": {"color": color, "width": 1.1, "dash": dash},
            "label": {"text": label, "textposition": "end", "yanchor": "bottom",
                      "font": {"size": 10, "color": color}}}


def threshold_lines(thresholds: dict[str, Any], lang: str, *, scale: float = 1.0,
                    unit: str = "") -> list[dict[str, Any]]:
    """Watch and alert lines of an indicator judged on fixed levels of its value (none for
    statistical thresholds or levels that apply to another signal).

    ``unit`` is the indicator's unit code (``bp``, ``usd_tn``, ...): the labels are written
    as every other number of the page (:func:`liqwatch.vocab.fmt_value`: ``watch $3.00tn`` /
    ``注意 3.00兆ドル``).
    """
    from liqwatch.vocab import fmt_value

    if thresholds.get("kind") != "fixed" or thresholds.get("on", "value") != "value":
        return []
    out = []
    for key, color, en, ja in (("watch", COLORS["orange"], "watch", "注意"),
                               ("alert", COLORS["red"], "alert", "警戒")):
        level = thresholds.get(key)
        if level is None:
            continue
        y = float(level) * scale
        shown = fmt_value(float(level), unit, lang) if unit else f"{y:g}"
        text = f"{ja} {shown}" if lang == "ja" else f"{en} {shown}"
        out.append(hline(y, text, color))
    return out


#: A chart whose data stop more than this many days before its window's end says so.
GAP_DAYS = 21


def _gap_note(traces: Sequence[dict[str, Any]], x_end: str | None,
              lang: str) -> dict[str, Any] | None:
    """"no data since 31 Dec 2025" where every trace stops well before the window's end (a
    gap is shown as a gap, not as the present)."""
    from liqwatch.vocab import fmt_date

    if not x_end:
        return None
    last = max((str(x) for t in traces for x in (t.get("x") or []) if x is not None),
               default=None)
    if last is None:
        return None
    end, stop = pd.Timestamp(x_end), pd.Timestamp(last)
    if (end - stop).days <= GAP_DAYS:
        return None
    day = fmt_date(stop.date(), lang)
    # At the plot's right end, inside it at any width (the gap runs up to that end).
    return {"x": 1, "xref": "paper", "y": 0.5, "yref": "paper",
            "xanchor": "right", "showarrow": False, "text": f"{day}以降データなし" if lang == "ja"
            else f"no data since {day}", "font": {"size": 11, "color": "#6b7280"},
            "bgcolor": "rgba(255,255,255,0.8)"}


_DOLLAR_HOVER = re.compile(r"^\$%\{y:[^}]*\}(tn|bn)?(<extra>.*)?$", re.S)


def localize_hover(trace: dict[str, Any], lang: str) -> dict[str, Any]:
    """A trace whose hover shows amounts as the page writes them in ``lang``.

    English templates such as ``$%{y:.2f}tn`` stay as they are; on a Japanese page each
    point's amount is written by :func:`liqwatch.vocab.fmt_value` (``2.94兆ドル``,
    ``504億ドル``, ``70.25ドル``) and basis points lose their space (``+20bp``), so that the
    hover never mixes English units into Japanese.

    >>> t = {"y": [2.94, None], "hovertemplate": "$%{y:.2f}tn<extra>準備預金</extra>"}
    >>> localize_hover(t, "ja")["text"], localize_hover(t, "ja")["hovertemplate"]
    (['2.94兆ドル', ''], '%{text}<extra>準備預金</extra>')
    """
    template = trace.get("hovertemplate")
    if lang != "ja" or not isinstance(template, str):
        return trace
    from liqwatch.vocab import fmt_value

    match = _DOLLAR_HOVER.match(template)
    if match:
        unit = {"tn": "usd_tn", "bn": "usd_bn"}.get(match.group(1) or "", "usd")
        ys = trace.get("y") or []
        text = ["" if y is None else fmt_value(float(y), unit, "ja") for y in ys]
        return {**trace, "text": text, "hovertemplate": "%{text}" + (match.group(2) or "")}
    if " bp" in template:
        return {**trace, "hovertemplate": template.replace("} bp", "}bp")}
    return trace


def figure(
    traces: Sequence[dict[str, Any]],
    *,
    y_title: str = "",
    y2_title: str | None = None,
    shapes: Sequence[dict[str, Any]] = (),
    height: int = 340,
    range_buttons: bool = True,
    x_start: str | None = None,
    x_end: str | None = None,
    y_type: str = "linear",
    y2_type: str = "linear",
    barmode: str | None = None,
    subplot: dict[str, Any] | None = None,
    lang: str = "en",
    annotations: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """A time-series figure with the report's look.

    ``subplot`` adds a second panel below sharing the x axis: ``{"title": ..., "share": 0.35}``;
    its traces use ``yaxis="y3"``.
    """
    axis_font = {"size": 11, "color": "#374151"}
    grid = "#e5e7eb"
    xaxis: dict[str, Any] = {
        "type": "date", "showgrid": False, "linecolor": "#9ca3af", "tickfont": axis_font,
        "ticks": "outside", "ticklen": 4, "tickcolor": "#9ca3af",
    }
    if lang == "ja":
        xaxis["hoverformat"] = "%Y年%-m月%-d日"
        xaxis["tickformatstops"] = [
            {"dtickrange": [None, 2_419_200_000], "value": "%-m月%-d日\n%Y年"},
            {"dtickrange": [2_419_200_000, 31_536_000_000], "value": "%Y年%-m月"},
            {"dtickrange": [31_536_000_000, None], "value": "%Y年"},
        ]
    else:
        xaxis["hoverformat"] = "%-d %b %Y"
    if x_start or x_end:
        xaxis["range"] = [x_start, x_end]
    if range_buttons:
        all_label = "全期間" if lang == "ja" else "All"
        xaxis["rangeselector"] = {
            "buttons": [
                {"count": 6, "label": "6M" if lang == "en" else "6か月", "step": "month",
                 "stepmode": "backward"},
                {"count": 1, "label": "1Y" if lang == "en" else "1年", "step": "year",
                 "stepmode": "backward"},
                {"count": 3, "label": "3Y" if lang == "en" else "3年", "step": "year",
                 "stepmode": "backward"},
                {"count": 10, "label": "10Y" if lang == "en" else "10年", "step": "year",
                 "stepmode": "backward"},
                {"step": "all", "label": all_label},
            ],
            "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom",
            "font": {"size": 10}, "bgcolor": "#f3f4f6", "activecolor": "#dbeafe",
        }
    layout: dict[str, Any] = {
        "height": height,
        "margin": {"l": 56, "r": 56 if y2_title is not None else 18, "t": 36, "b": 30},
        "font": {"family": FONT, "size": 12, "color": "#111827"},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "hovermode": "x unified",
        "hoverlabel": {"font": {"size": 11}},
        "legend": {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02,
                   "yanchor": "bottom", "font": {"size": 11}, "bgcolor": "rgba(0,0,0,0)"},
        "xaxis": xaxis,
        "yaxis": {"title": {"text": y_title, "font": {"size": 11}}, "gridcolor": grid,
                  "zerolinecolor": "#d1d5db", "tickfont": axis_font, "type": y_type,
                  "automargin": True, **({"dtick": 1} if y_type == "log" else {})},
        "shapes": list(shapes),
    }
    notes = list(annotations)
    gap = _gap_note(traces, x_end, lang)
    if gap is not None:
        notes.append(gap)
    if notes:
        layout["annotations"] = notes
    if y2_title is not None:
        layout["yaxis2"] = {"title": {"text": y2_title, "font": {"size": 11}},
                            "overlaying": "y", "side": "right", "showgrid": False,
                            "tickmode": "auto", "nticks": 6,
                            "tickfont": axis_font, "type": y2_type, "automargin": True}
    if barmode:
        layout["barmode"] = barmode
    if subplot:
        share = float(subplot.get("share", 0.33))
        layout["yaxis"]["domain"] = [share + 0.07, 1]
        layout["yaxis3"] = {"title": {"text": subplot.get("title", ""), "font": {"size": 11}},
                            "domain": [0, share], "gridcolor": grid, "tickfont": axis_font,
                            "zerolinecolor": "#9ca3af", "automargin": True}
        if y2_title is not None:
            layout["yaxis2"]["domain"] = [share + 0.07, 1]
    return {"data": [localize_hover(t, lang) for t in traces], "layout": layout}


def _escape_hover(name: str) -> str:
    # Plotly renders hover labels as (a subset of) HTML: keep user text literal.
    return name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def figure_json(fig: dict[str, Any]) -> str:
    """The figure as JSON safe to place inside a ``<script>`` element."""
    text = json.dumps(fig, separators=(",", ":"), allow_nan=False, ensure_ascii=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def plotly_js() -> str:
    """The minified Plotly.js bundle shipped with the ``plotly`` package."""
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8")
