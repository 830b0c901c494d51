"""Charts of a projection: PNG (matplotlib) or self-contained HTML (plotly), in English or
Japanese.

Top panel: published reserves (two years before the start, and what was published after a
past start), the projected path, the 2.5T / 3.0T lines and any user level, the band between
12% and 13% of commercial-bank assets (wider when bank assets are a range), the first
crossings marked (a shaded span where the crossing is a band of dates). Bottom panel: the
TGA, ON RRP and the change in SOMA holdings. Every figure drawn comes from the
:class:`~liqwatch.scenarios.projection.ProjectionResult`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.files import atomic_write
from liqwatch.scenarios.wording import threshold_name
from liqwatch.vocab import fmt_date, pick

if TYPE_CHECKING:
    from liqwatch.scenarios.projection import Crossing, ProjectionResult

__all__ = ["LEVEL_LINES", "plot_projection"]

#: The absolute thresholds drawn on every chart (label, USD bn).
LEVEL_LINES = (("2.5T", 2500.0), ("3.0T", 3000.0))
_LEVEL_COLOURS = {"2.5T": "#b2182b", "3.0T": "#ef8a62"}
_BAND = "#762a83"
_CJK_HINTS = ("NotoSansCJK", "NotoSerifCJK", "ipag", "IPAex", "Takao", "Hiragino", "YuGoth")


def _t(lang: str, key: str) -> str:
    words = {
        "published": ("Published (WRESBAL)", "公表値 (WRESBAL)"),
        "later": ("Published later (not known at the start)", "開始後の公表値 (開始時点では未知)"),
        "projection": ("Projection", "予測"),
        "band": ("12-13% of bank assets", "銀行総資産の12〜13%"),
        "band_range": ("12-13% of bank assets (bank assets a range)",
                       "銀行総資産の12〜13% (銀行総資産は幅で仮定)"),
        "tga": ("TGA", "財務省一般口座"),
        "rrp": ("ON RRP", "翌日物リバースレポ"),
        "soma": ("SOMA change", "SOMA保有の変化"),
        "usd": ("USD bn", "10億ドル"),
        "start": ("start", "開始"),
    }
    en, ja = words[key]
    return pick(lang, en, ja)


def plot_projection(result: ProjectionResult, path: Path, outcome: pd.DataFrame | None = None,
                    *, lang: str = "en") -> Path:
    """Write the chart of ``result`` to ``path`` (``.png`` or ``.html``), atomically.

    ``outcome`` (``date, reserves_bn``) replaces the reserves published after a past start
    that the result carries (``path.published_bn``); it is drawn dotted and never used by
    the projection.
    """
    suffix = path.suffix.lower()
    if suffix not in (".png", ".html", ".htm"):
        raise ConfigError(f"--plot {path}: use a .png or .html file name")
    if not path.parent.is_dir():
        raise ConfigError(f"--plot {path}: folder {path.parent} does not exist")
    later = outcome if outcome is not None else _published_later(result)
    draw = _png if suffix == ".png" else _html
    atomic_write(path, lambda tmp: draw(result, tmp, later, lang))
    return path


def _published_later(result: ProjectionResult) -> pd.DataFrame:
    p = result.path
    later = p.loc[p["published_bn"].notna(), ["date", "published_bn"]]
    return later.rename(columns={"published_bn": "reserves_bn"})


def _levels(result: ProjectionResult) -> list[tuple[str, float]]:
    return [*LEVEL_LINES, *((k, v) for k, v in result.levels.items()
                           if k not in dict(LEVEL_LINES))]


def _below(c: Crossing, lang: str) -> str:
    return pick(lang, f"below {c.name()}", f"{c.name('ja')}を下回る")


def _title(result: ProjectionResult, lang: str) -> str:
    return pick(lang,
                f"Reserve balances: '{result.preset}' from the week of "
                f"{fmt_date(result.start_week)} ({result.weeks} weeks)",
                f"準備預金: 「{result.preset}」 {fmt_date(result.start_week, 'ja')}の週から"
                f"{result.weeks}週")


def _band(result: ProjectionResult) -> tuple[np.ndarray, np.ndarray]:
    p = result.path
    return (p["bank_assets_low_bn"].to_numpy(float) * 0.12,
            p["bank_assets_high_bn"].to_numpy(float) * 0.13)


def _marks(result: ProjectionResult) -> list[tuple[Crossing, date, float]]:
    """Crossings to mark (after the start week), their first week and the reserves then."""
    p = result.path
    out = []
    for c in result.thresholds:
        if c.earliest is None or c.earliest == result.start_week:
            continue
        y = float(p.loc[p["date"] == pd.Timestamp(c.earliest), "reserves_bn"].iloc[0])
        out.append((c, c.earliest, y))
    return out


def _japanese_font() -> str:
    """Register a Japanese font with matplotlib and return its name."""
    from matplotlib import font_manager

    for f in font_manager.findSystemFonts():
        if any(h.lower() in Path(f).name.lower() for h in _CJK_HINTS):
            font_manager.fontManager.addfont(f)
            name: str = font_manager.FontProperties(fname=f).get_name()
            return name
    raise ConfigError("no Japanese font found for a PNG chart: write an .html chart, or "
                      "install a CJK font (e.g. the Debian package fonts-noto-cjk)")


def _png(result: ProjectionResult, path: Path, later: pd.DataFrame, lang: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = _japanese_font() if lang == "ja" else matplotlib.rcParams["font.family"]
    p, h = result.path, result.history
    with plt.rc_context({"font.family": family}):
        fig, (ax, ax2) = plt.subplots(2, 1, figsize=(11, 7.5), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 1.4]})
        if not h.empty:
            ax.plot(h["date"], h["reserves_bn"], color="#333333", lw=2, label=_t(lang, "published"))
        ax.plot(p["date"], p["reserves_bn"], color="#2166ac", lw=2.4, label=_t(lang, "projection"))
        if not later.empty:
            ax.plot(later["date"], later["reserves_bn"], color="#333333", ls=":", lw=1.8,
                    label=_t(lang, "later"))
        for label, lvl in _levels(result):
            ax.axhline(lvl, color=_LEVEL_COLOURS.get(label, "#4d4d4d"), ls="--", lw=1,
                       label=threshold_name(label, lang))
        lo, hi = _band(result)
        ax.fill_between(p["date"], lo, hi, color=_BAND, alpha=0.15, lw=0,
                        label=_t(lang, "band_range" if result.bank_assets.uncertain else "band"))
        for c, when, y in _marks(result):
            if c.uncertain and c.latest != when:
                ax.axvspan(when, c.latest or p["date"].iloc[-1], color=_BAND, alpha=0.08)
            ax.annotate(f"{_below(c, lang)}\n{fmt_date(when, lang)}",
                        (when, y), xytext=(10, 18), textcoords="offset points",
                        fontsize=8, arrowprops={"arrowstyle": "->", "color": "#555555"})
            ax.plot([when], [y], "o", color="#b2182b", ms=5)
        ax.axvline(result.start_week, color="#999999", lw=0.8)
        ax.set_ylabel(_t(lang, "usd"))
        ax.set_title(_title(result, lang), fontsize=12, loc="left")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best", ncol=2)
        ax2.plot(p["date"], p["tga_bn"], label=_t(lang, "tga"), color="#1b7837")
        ax2.plot(p["date"], p["on_rrp_bn"], label=_t(lang, "rrp"), color="#e08214")
        ax2.plot(p["date"], p["soma_bn"] - p["soma_bn"].iloc[0], label=_t(lang, "soma"),
                 color="#542788")
        if not h.empty:
            ax2.plot(h["date"], h["tga_bn"], color="#1b7837", alpha=0.45)
            ax2.plot(h["date"], h["on_rrp_bn"], color="#e08214", alpha=0.45)
        ax2.axvline(result.start_week, color="#999999", lw=0.8)
        ax2.set_ylabel(_t(lang, "usd"))
        ax2.grid(alpha=0.3)
        ax2.legend(fontsize=8, loc="best", ncol=3)
        fig.text(0.01, 0.005, "Federal Reserve H.4.1, Treasury DTS, NY Fed; liqwatch. "
                 + result.bank_assets.describe(result.start_week, lang), fontsize=6,
                 color="#555555", wrap=True)
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        fig.savefig(path, dpi=130, format="png")
        plt.close(fig)
    return path


def _html(result: ProjectionResult, path: Path, later: pd.DataFrame, lang: str) -> Path:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    p, h = result.path, result.history
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32],
                        vertical_spacing=0.06)
    lo, hi = _band(result)
    band = _t(lang, "band_range" if result.bank_assets.uncertain else "band")
    fig.add_trace(go.Scatter(x=p["date"], y=lo, line={"width": 0}, showlegend=False,
                             hoverinfo="skip", name=band), row=1, col=1)
    fig.add_trace(go.Scatter(x=p["date"], y=hi, line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(118,42,131,0.15)", name=band), row=1, col=1)
    if not h.empty:
        fig.add_trace(go.Scatter(x=h["date"], y=h["reserves_bn"], name=_t(lang, "published"),
                                 line={"color": "#333333", "width": 2}), row=1, col=1)
    fig.add_trace(go.Scatter(x=p["date"], y=p["reserves_bn"], name=_t(lang, "projection"),
                             line={"color": "#2166ac", "width": 3}), row=1, col=1)
    if not later.empty:
        fig.add_trace(go.Scatter(x=later["date"], y=later["reserves_bn"], name=_t(lang, "later"),
                                 line={"color": "#333333", "width": 2, "dash": "dot"}),
                      row=1, col=1)
    x_all = pd.concat([h["date"], p["date"]]) if not h.empty else p["date"]
    for label, lvl in _levels(result):
        fig.add_trace(go.Scatter(x=[x_all.min(), x_all.max()], y=[lvl, lvl], mode="lines",
                                 name=threshold_name(label, lang),
                                 line={"dash": "dash", "color": _LEVEL_COLOURS.get(
                                     label, "#4d4d4d"), "width": 1}), row=1, col=1)
    for c, when, y in _marks(result):
        if c.uncertain and c.latest != when:
            fig.add_vrect(x0=when, x1=c.latest or p["date"].iloc[-1],
                          fillcolor=_BAND, opacity=0.08, line_width=0, row=1, col=1)
        fig.add_trace(go.Scatter(
            x=[when], y=[y], mode="markers+text",
            text=[f"{_below(c, lang)}: {fmt_date(when, lang)}"],
            textposition="top right" if (when - result.start_week).days
            < result.weeks * 3.5 else "bottom left",
            marker={"color": "#b2182b", "size": 9}, showlegend=False), row=1, col=1)
    for key, col, colour in (("tga", "tga_bn", "#1b7837"), ("rrp", "on_rrp_bn", "#e08214")):
        fig.add_trace(go.Scatter(x=p["date"], y=p[col], name=_t(lang, key),
                                 line={"color": colour}), row=2, col=1)
        if not h.empty:
            fig.add_trace(go.Scatter(x=h["date"], y=h[col], opacity=0.45, showlegend=False,
                                     name=_t(lang, key), line={"color": colour}), row=2, col=1)
    fig.add_trace(go.Scatter(x=p["date"], y=p["soma_bn"] - p["soma_bn"].iloc[0],
                             name=_t(lang, "soma"), line={"color": "#542788"}), row=2, col=1)
    fig.update_layout(title=_title(result, lang), template="plotly_white", height=720,
                      yaxis_title=_t(lang, "usd"), yaxis2_title=_t(lang, "usd"),
                      annotations=[*fig.layout.annotations, {
                          "text": result.bank_assets.describe(result.start_week, lang),
                          "xref": "paper", "yref": "paper", "x": 0, "y": -0.12,
                          "showarrow": False, "font": {"size": 10, "color": "#555"},
                          "align": "left"}])
    fig.write_html(str(path), include_plotlyjs=True, full_html=True)
    return path
