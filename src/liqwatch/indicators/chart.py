"""Self-contained HTML chart of indicator histories, coloured by status."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.files import write_text
from liqwatch.indicators.registry import REGISTRY

__all__ = ["STATUS_COLOURS", "history_chart"]

#: Marker colour of each status.
STATUS_COLOURS = {"normal": "#2e7d32", "watch": "#f9a825", "alert": "#c62828",
                  "no_data": "#9e9e9e"}

#: At most this many indicators in one chart (one panel each).
MAX_PANELS = 8

#: Axis labels of the indicator units (English, Japanese).
UNIT_LABELS = {"bp": ("bp", "bp"), "pct": ("%", "%"), "pct_chg": ("% change", "% 変化"),
               "usd_tn": ("USD tn", "兆ドル"), "usd_bn": ("USD bn", "10億ドル"),
               "usd": ("USD", "ドル"), "months": ("months", "か月"), "count": ("count", "回"),
               "corr": ("correlation", "相関"), "index": ("index", "指数")}


_STATUS_JA = {"normal": "平常", "watch": "注意", "alert": "警戒", "no_data": "データなし"}


def _unit(unit: str, lang: str) -> str:
    en, ja = UNIT_LABELS.get(unit, (unit, unit))
    return ja if lang == "ja" else en


def history_chart(frame: pd.DataFrame, path: Path, lang: str = "en") -> Path:
    """Write an HTML chart of a :func:`~liqwatch.indicators.history` frame to ``path``.

    One panel per indicator: the value as a line, each business day's status as a coloured
    marker, and the fixed watch/alert levels as dashed lines.

    Raises
    ------
    ConfigError
        When the frame holds more than :data:`MAX_PANELS` indicators or none.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    ids = list(dict.fromkeys(frame["id"]))
    if not ids:
        raise ConfigError("nothing to chart: the history is empty")
    if len(ids) > MAX_PANELS:
        raise ConfigError(f"--chart draws at most {MAX_PANELS} indicators; got {len(ids)} "
                          "(name the ids to draw)")
    titles = [f"{REGISTRY[i].name(lang)} ({_unit(REGISTRY[i].unit, lang)})" for i in ids]
    fig = make_subplots(rows=len(ids), cols=1, shared_xaxes=True, subplot_titles=titles,
                        vertical_spacing=0.06)
    for row, ind in enumerate(ids, start=1):
        part = frame[frame["id"] == ind]
        fig.add_trace(go.Scatter(x=part["date"], y=part["value"], mode="lines", name=ind,
                                 line={"color": "#455a64", "width": 1}, showlegend=False),
                      row=row, col=1)
        for status, colour in STATUS_COLOURS.items():
            pts = part[(part["status"] == status) & part["value"].notna()]
            if pts.empty:
                continue
            fig.add_trace(go.Scatter(x=pts["date"], y=pts["value"], mode="markers",
                                     marker={"color": colour, "size": 4},
                                     name=_STATUS_JA[status] if lang == "ja" else status,
                                     legendgroup=status, showlegend=row == 1),
                          row=row, col=1)
        th = REGISTRY[ind].thresholds
        if th.kind == "fixed" and th.on == "value" and not part.empty:
            # Levels are drawn only where they apply (e.g. the 2.5-3.0T band from 2022).
            x0 = max(pd.Timestamp(part["date"].min()), pd.Timestamp(th.active_from or date.min))
            x1 = pd.Timestamp(part["date"].max())
            for level, colour in ((th.watch, STATUS_COLOURS["watch"]),
                                  (th.alert, STATUS_COLOURS["alert"])):
                if x0 <= x1:
                    fig.add_shape(type="line", x0=x0, x1=x1, y0=level, y1=level,
                                  line={"color": colour, "dash": "dash", "width": 1},
                                  row=row, col=1)
    fig.update_xaxes(showticklabels=True)  # dates under every panel, not only the last
    title = ("liqwatch 指標 (各営業日時点で公表済みのデータのみ)" if lang == "ja"
             else "liqwatch indicators, point in time (each day uses only data published by then)")
    fig.update_layout(height=280 * len(ids) + 80, template="plotly_white", title=title,
                      margin={"l": 60, "r": 20, "t": 80, "b": 40})
    write_text(path, fig.to_html(include_plotlyjs=True, full_html=True))
    return path
