"""Self-contained HTML chart of indicator histories, coloured by status."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.indicators.registry import REGISTRY

__all__ = ["STATUS_COLOURS", "history_chart"]

#: Marker colour of each status.
STATUS_COLOURS = {"normal": "#2e7d32", "watch": "#f9a825", "alert": "#c62828",
                  "no_data": "#9e9e9e"}

#: At most this many indicators in one chart (one panel each).
MAX_PANELS = 8


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
    titles = [f"{REGISTRY[i].name(lang)} ({REGISTRY[i].unit})" for i in ids]
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
                                     marker={"color": colour, "size": 4}, name=status,
                                     legendgroup=status, showlegend=row == 1),
                          row=row, col=1)
        th = REGISTRY[ind].thresholds
        if th.kind == "fixed" and th.on == "value":
            for level, colour in ((th.watch, STATUS_COLOURS["watch"]),
                                  (th.alert, STATUS_COLOURS["alert"])):
                fig.add_hline(y=level, line={"color": colour, "dash": "dash", "width": 1},
                              row=row, col=1)
    fig.update_layout(height=260 * len(ids) + 80, template="plotly_white",
                      title="liqwatch indicators, point in time",
                      margin={"l": 60, "r": 20, "t": 80, "b": 40})
    path.write_text(fig.to_html(include_plotlyjs=True, full_html=True), encoding="utf-8")
    return path
