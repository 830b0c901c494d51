"""Backtest chart: each method relative to its alert level, published indices, episodes shaded."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.files import atomic_write
from liqwatch.stress.episodes import EPISODES
from liqwatch.stress.levels import load_levels

if TYPE_CHECKING:
    from liqwatch.stress.event_study import BacktestResult

_COLORS = {"zscore": "#1f77b4", "pca": "#2ca02c", "ciss": "#d62728",
           "STLFSI4": "#7f7f7f", "NFCI": "#bcbd22", "OFR_FSI": "#9467bd"}

#: The chart's words in English and Japanese.
_TEXT = {
    "methods": ("liqwatch methods (value / alert level; 1 = alert)",
                "liqwatch の各手法 (値 / 警戒水準、1 = 警戒)"),
    "published": ("Published indices (0 = conventional level)",
                  "公表ストレス指数 (0 = 通常の水準)"),
    "alert_days": ("default method in alert (either rule)",
                   "既定の手法が警戒 (いずれかの規則)"),
    "title": ("Stress methods, episodes and published indices",
              "ストレス指数の手法、危機エピソードと公表指数"),
}


def _t(key: str, lang: str) -> str:
    en, ja = _TEXT[key]
    return ja if lang == "ja" else en


def episode_name(name: str, lang: str = "en") -> str:
    """``Sep 2019`` / ``2019年9月`` (``Jan 2019 (found)`` / ``2019年1月 (検出)``)."""
    if lang != "ja":
        return name
    found = name.endswith(" (found)")
    try:
        ts = pd.to_datetime(name.removesuffix(" (found)"), format="%b %Y")
    except (ValueError, TypeError):
        return name
    return f"{ts.year}年{ts.month}月" + (" (検出)" if found else "")


def _relative(result: BacktestResult) -> dict[str, pd.Series]:
    """Each method's value divided by its alert level (1 = alert)."""
    levels = load_levels()
    out = {}
    for method, frame in result.history.groupby("method", sort=False):
        s = frame.set_index("date")["value"]
        out[str(method)] = s / levels[str(method)].alert
    return out


def _default_alert_days(result: BacktestResult) -> pd.DatetimeIndex:
    """Days the default method is in alert (either rule: aggregate or single-segment guard)."""
    from liqwatch.stress.composite import DEFAULT_METHOD

    h = result.history
    rows = h[(h["method"] == DEFAULT_METHOD) & (h["status"] == "alert")]
    return pd.DatetimeIndex(rows["date"])


def plot_backtest(result: BacktestResult, path: Path, lang: str = "en") -> Path:
    """Save the chart to ``path`` (``.html`` with Plotly, ``.png`` with Matplotlib), in
    ``lang``. On the HTML chart the episodes' labels are stacked so that none overlaps
    (:func:`~liqwatch.report.charts.episode_labels`); the PNG writes them upright."""
    suffix = path.suffix.lower()
    if suffix not in (".html", ".png"):
        raise ConfigError(f"--plot {path}: use a .png or .html file name")
    rel = _relative(result)
    pub = result.published
    alerts = _default_alert_days(result)
    top = max((float(v.max()) for v in rel.values() if v.notna().any()), default=1.0) * 1.05
    if suffix == ".html":
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots

        from liqwatch.report.charts import episode_labels

        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.05,
                            subplot_titles=(_t("methods", lang), _t("published", lang)))
        for name, s in rel.items():
            fig.add_trace(go.Scatter(x=s.index, y=s.values, name=name, mode="lines",
                                     line={"width": 1, "color": _COLORS.get(name)}), 1, 1)
        for sid in pub.columns:
            s = pub[sid].dropna()
            fig.add_trace(go.Scatter(x=s.index, y=s.values, name=sid, mode="lines",
                                     line={"width": 1, "color": _COLORS.get(sid)}), 2, 1)
        fig.add_trace(go.Scatter(x=alerts, y=[top] * len(alerts), mode="markers",
                                 name=_t("alert_days", lang),
                                 marker={"symbol": "line-ns-open", "size": 8,
                                         "color": "#d62728"}), 1, 1)
        fig.add_hline(y=1.0, line_dash="dash", row=1, col=1)
        fig.add_hline(y=0.0, line_dash="dash", row=2, col=1)
        for ep in EPISODES:
            fig.add_vrect(x0=ep.start, x1=ep.end, fillcolor="orange", opacity=0.15,
                          line_width=0)
        days = [d for v in rel.values() for d in (v.index.min(), v.index.max()) if len(v)]
        if days:
            spans = [(ep.start.isoformat(), ep.end.isoformat(), episode_name(ep.name, lang))
                     for ep in EPISODES]
            for note in episode_labels(spans, min(days).strftime("%Y-%m-%d"),
                                       max(days).strftime("%Y-%m-%d")):
                fig.add_annotation(note)
        fig.update_layout(height=700, title=_t("title", lang), template="plotly_white")
        atomic_write(path, lambda tmp: fig.write_html(tmp, include_plotlyjs=True))
        return path
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if lang == "ja":
        from liqwatch.scenarios.plot import _japanese_font

        plt.rcParams["font.family"] = _japanese_font()

    fig2, (ax1, ax2) = plt.subplots(2, 1, figsize=(13, 7), sharex=True)
    for name, s in rel.items():
        ax1.plot(s.index, s.values, lw=0.8, label=name, color=_COLORS.get(name))
    ax1.plot(alerts, [top] * len(alerts), "|", color="#d62728", ms=8,
             label=_t("alert_days", lang))
    ax1.axhline(1.0, ls="--", color="k", lw=0.8)
    ax1.set_title(_t("methods", lang))
    for sid in pub.columns:
        s = pub[sid].dropna()
        ax2.plot(s.index, s.values, lw=0.8, label=sid, color=_COLORS.get(sid))
    ax2.axhline(0.0, ls="--", color="k", lw=0.8)
    ax2.set_title(_t("published", lang))
    for ax in (ax1, ax2):
        for ep in EPISODES:
            ax.axvspan(pd.Timestamp(ep.start), pd.Timestamp(ep.end), color="orange", alpha=0.2)
        ax.legend(loc="lower left" if ax is ax1 else "upper right", fontsize=8,
                  ncol=4 if ax is ax1 else 1)
    for ep in EPISODES:
        ax1.annotate(episode_name(ep.name, lang), (pd.Timestamp(ep.start), 1.0), fontsize=7,
                     rotation=90, va="bottom")
    fig2.tight_layout()
    atomic_write(path, lambda tmp: fig2.savefig(tmp, dpi=110, format="png"))
    plt.close(fig2)
    return path
