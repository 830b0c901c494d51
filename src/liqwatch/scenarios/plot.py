"""Charts of a projection: PNG (matplotlib) or self-contained HTML (plotly)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from liqwatch.exceptions import ConfigError

if TYPE_CHECKING:
    import pandas as pd

    from liqwatch.scenarios.projection import ProjectionResult

__all__ = ["plot_projection"]

_LEVEL_COLOURS = {"2.5T": "#b2182b", "3.0T": "#ef8a62"}
_OUTCOME = "Published later (not known at the start)"


def plot_projection(result: ProjectionResult, path: Path,
                    outcome: pd.DataFrame | None = None) -> Path:
    """Write the chart of ``result`` to ``path`` (``.png`` or ``.html``).

    Top panel: published reserves (two years) and the projected path with the 2.5T / 3.0T
    lines, the 12% / 13% of bank-assets levels and the first crossings marked. Bottom panel:
    the TGA, ON RRP and the change in SOMA holdings since the start. ``outcome`` (``date,
    reserves_bn``), for a projection from a past date: what was published afterwards, drawn
    dotted to compare with the projection (it is not used by the projection).
    """
    suffix = path.suffix.lower()
    if suffix == ".png":
        return _png(result, path, outcome)
    if suffix in (".html", ".htm"):
        return _html(result, path, outcome)
    raise ConfigError(f"--plot {path}: use a .png or .html file name")


def _levels(result: ProjectionResult) -> list[tuple[str, float]]:
    """The 2.5T and 3.0T lines and any user ``--level`` (label, USD bn)."""
    return [("2.5T", 2500.0), ("3.0T", 3000.0),
            *((k, v) for k, v in result.levels.items() if k not in ("2.5T", "3.0T"))]


def _title(result: ProjectionResult) -> str:
    return (f"Reserve balances: '{result.preset}' projection from {result.start.date} "
            f"({result.weeks} weeks)")


def _png(result: ProjectionResult, path: Path, outcome: pd.DataFrame | None) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p, h = result.path, result.history
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(11, 7.5), sharex=True,
                                  gridspec_kw={"height_ratios": [3, 1.4]})
    if not h.empty:
        ax.plot(h["date"], h["reserves_bn"], color="#333333", lw=2, label="Published (WRESBAL)")
    ax.plot(p["date"], p["reserves_bn"], color="#2166ac", lw=2.4, label="Projection")
    if outcome is not None and not outcome.empty:
        ax.plot(outcome["date"], outcome["reserves_bn"], color="#333333", ls=":", lw=1.8,
                label=_OUTCOME)
    for label, lvl in _levels(result):
        ax.axhline(lvl, color=_LEVEL_COLOURS.get(label, "#4d4d4d"), ls="--", lw=1,
                   label=f"{label}")
    for pct, style in ((12.0, ":"), (13.0, "-.")):
        lvl = p["bank_assets_bn"] * pct / 100.0
        ax.plot(p["date"], lvl, color="#762a83", ls=style, lw=1.2,
                label=f"{pct:.0f}% of bank assets")
    for label, when in result.crossings.items():
        if when is not None and when != result.start.date:
            y = float(p.loc[p["date"] == str(when), "reserves_bn"].iloc[0])
            ax.annotate(f"below {label}\n{when}", (when, y), xytext=(10, 18),
                        textcoords="offset points", fontsize=8,
                        arrowprops={"arrowstyle": "->", "color": "#555555"})
            ax.plot([when], [y], "o", color="#b2182b", ms=5)
    ax.axvline(result.start.date, color="#999999", lw=0.8)
    ax.set_ylabel("USD bn")
    ax.set_title(_title(result), fontsize=12, loc="left")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best", ncol=2)
    ax2.plot(p["date"], p["tga_bn"], label="TGA", color="#1b7837")
    ax2.plot(p["date"], p["on_rrp_bn"], label="ON RRP", color="#e08214")
    ax2.plot(p["date"], p["soma_bn"] - p["soma_bn"].iloc[0], label="SOMA change",
             color="#542788")
    if not h.empty:
        ax2.plot(h["date"], h["tga_bn"], color="#1b7837", alpha=0.45)
        ax2.plot(h["date"], h["on_rrp_bn"], color="#e08214", alpha=0.45)
    ax2.axvline(result.start.date, color="#999999", lw=0.8)
    ax2.set_ylabel("USD bn")
    ax2.grid(alpha=0.3)
    ax2.legend(fontsize=8, loc="best", ncol=3)
    fig.text(0.01, 0.005, "Source: Federal Reserve H.4.1, Treasury DTS, NY Fed; liqwatch. "
             + result.notes[1], fontsize=6, color="#555555")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def _html(result: ProjectionResult, path: Path, outcome: pd.DataFrame | None) -> Path:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    p, h = result.path, result.history
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32],
                        vertical_spacing=0.06)
    if not h.empty:
        fig.add_trace(go.Scatter(x=h["date"], y=h["reserves_bn"], name="Published (WRESBAL)",
                                 line={"color": "#333333", "width": 2}), row=1, col=1)
    fig.add_trace(go.Scatter(x=p["date"], y=p["reserves_bn"], name="Projection",
                             line={"color": "#2166ac", "width": 3}), row=1, col=1)
    if outcome is not None and not outcome.empty:
        fig.add_trace(go.Scatter(x=outcome["date"], y=outcome["reserves_bn"], name=_OUTCOME,
                                 line={"color": "#333333", "width": 2, "dash": "dot"}),
                      row=1, col=1)
    for label, lvl in _levels(result):
        fig.add_hline(y=lvl, line={"dash": "dash", "color": _LEVEL_COLOURS.get(label, "#4d4d4d")},
                      annotation_text=label, row=1, col=1)
    for pct, dash in ((12.0, "dot"), (13.0, "dashdot")):
        fig.add_trace(go.Scatter(x=p["date"], y=p["bank_assets_bn"] * pct / 100.0,
                                 name=f"{pct:.0f}% of bank assets",
                                 line={"color": "#762a83", "dash": dash}), row=1, col=1)
    for name, col, colour in (("TGA", "tga_bn", "#1b7837"), ("ON RRP", "on_rrp_bn", "#e08214")):
        fig.add_trace(go.Scatter(x=p["date"], y=p[col], name=name, line={"color": colour}),
                      row=2, col=1)
    fig.add_trace(go.Scatter(x=p["date"], y=p["soma_bn"] - p["soma_bn"].iloc[0],
                             name="SOMA change", line={"color": "#542788"}), row=2, col=1)
    if not h.empty:
        for name, col, colour in (("TGA (published)", "tga_bn", "#1b7837"),
                                  ("ON RRP (published)", "on_rrp_bn", "#e08214")):
            fig.add_trace(go.Scatter(x=h["date"], y=h[col], name=name, opacity=0.45,
                                     line={"color": colour}, showlegend=False), row=2, col=1)
    for label, when in result.crossings.items():
        if when is not None and when != result.start.date:
            y = float(p.loc[p["date"] == str(when), "reserves_bn"].iloc[0])
            fig.add_trace(go.Scatter(x=[when], y=[y], mode="markers+text",
                                     text=[f"below {label}: {when}"],
                                     textposition="top right" if (
                                         when - result.start.date).days < result.weeks * 3.5
                                     else "bottom left",
                                     marker={"color": "#b2182b", "size": 9},
                                     showlegend=False), row=1, col=1)
    fig.update_layout(title=_title(result), template="plotly_white", height=720,
                      yaxis_title="USD bn", yaxis2_title="USD bn",
                      annotations=[*fig.layout.annotations, {
                          "text": "<br>".join(result.notes[1:3]), "xref": "paper",
                          "yref": "paper", "x": 0, "y": -0.12, "showarrow": False,
                          "font": {"size": 10, "color": "#555"}, "align": "left"}])
    fig.write_html(str(path), include_plotlyjs=True, full_html=True)
    return path
