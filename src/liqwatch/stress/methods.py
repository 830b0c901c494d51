"""The three composite methods, computed over a whole :class:`StressPanel` in one causal pass.

Each returns a :class:`MethodOutput`: the index value by day, each category's contribution to it
(they sum to the value), the category sub-indices and how many indicators/categories were used.

- ``zscore``: signed expanding z-scores (clipped at +/-6) averaged within category, then the
  category averages averaged with equal weight.
- ``pca``: first principal component of the indicators' correlation matrix estimated on the
  expanding sample (re-estimated every :data:`PCA_REFIT` business days, using data up to the
  re-estimation day only), applied to the day's z-scores; its sign is fixed so that the loadings
  sum to a positive number, i.e. higher = more stress (the St. Louis Fed convention).
- ``ciss``: the ECB CISS (Hollo, Kremer and Lo Duca, 2012): every indicator becomes its
  empirical CDF on the expanding sample, CDFs are averaged within segments (categories), and the
  segments are aggregated with time-varying EWMA cross-correlations,
  ``CISS_t = (w*s_t)' C_t (w*s_t)``, so that stress in several segments at once scores higher.
  Scale 0-1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from liqwatch.stress.panel import MIN_OBS, Z_ALERT, Z_CLIP, Z_WATCH, StressPanel

__all__ = ["CISS_LAMBDA", "METHODS", "MIN_COVERAGE", "PCA_REFIT",
           "MethodOutput", "breadth", "ciss", "compute", "pca", "segment_tail", "zscore"]

#: Business days between two re-estimations of the PCA loadings (about a month).
PCA_REFIT = 21
#: A day gets a value only when at least this share of the most indicators seen so far is
#: present (series that stop or go stale at the end of the data would otherwise leave a
#: "composite" of one or two indicators).
MIN_COVERAGE = 0.5
#: Daily EWMA decay of the CISS cross-correlations (the ECB's weekly 0.93, in business days).
CISS_LAMBDA = 0.93 ** (1 / 5)


@dataclass(frozen=True)
class MethodOutput:
    """Result of one method over a panel.

    Attributes
    ----------
    value
        Index value by as-of day (NaN where no indicator is available yet).
    contributions
        Day x category: each category's share of ``value`` (rows sum to ``value``).
    segments
        Day x category: the category sub-index the method aggregates (mean z-score for
        ``zscore``/``pca``, mean CDF for ``ciss``).
    n_indicators, n_categories
        Indicators / categories that entered the value on each day.
    """

    method: str
    value: pd.Series
    contributions: pd.DataFrame
    segments: pd.DataFrame
    n_indicators: pd.Series
    n_categories: pd.Series


def _category_means(frame: pd.DataFrame, panel: StressPanel) -> pd.DataFrame:
    cols = {cat: frame[panel.members(cat)].mean(axis=1) for cat in panel.category_names}
    return pd.DataFrame(cols, index=frame.index)


def _counts(frame: pd.DataFrame, panel: StressPanel) -> tuple[pd.Series, pd.Series]:
    n_ind = frame.notna().sum(axis=1)
    n_cat = _category_means(frame, panel).notna().sum(axis=1)
    return n_ind.astype(int), n_cat.astype(int)


def zscore(panel: StressPanel) -> MethodOutput:
    """Equal-weight z-score composite (see the module docstring)."""
    z = panel.zscores().clip(-Z_CLIP, Z_CLIP)
    seg = _category_means(z, panel)
    n_cat = seg.notna().sum(axis=1)
    value = seg.mean(axis=1)
    contrib = seg.div(n_cat.where(n_cat > 0), axis=0)
    n_ind, _ = _counts(z, panel)
    return MethodOutput("zscore", value, contrib, seg, n_ind, n_cat.astype(int))


def _pca_loadings(x: np.ndarray, m: np.ndarray, sums: dict[str, np.ndarray]) -> np.ndarray:
    """Update pairwise-complete moment sums with a block and return PC1 loadings."""
    xm = np.where(m, x, 0.0)
    mf = m.astype(float)
    sums["n"] += mf.T @ mf
    sums["sx"] += xm.T @ mf          # sum of x_i over rows where j is present
    sums["sxx"] += (xm * xm).T @ mf
    sums["sxy"] += xm.T @ xm
    n = sums["n"]
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = sums["sx"] / n
        my = mx.T
        cov = sums["sxy"] / n - mx * my
        vx = sums["sxx"] / n - mx * mx
        vy = vx.T
        corr = cov / np.sqrt(vx * vy)
    eligible = np.diag(n) >= MIN_OBS
    corr = np.where((n >= MIN_OBS) & np.isfinite(corr), corr, 0.0)
    np.fill_diagonal(corr, 1.0)
    load = np.zeros(x.shape[1])
    idx = np.flatnonzero(eligible)
    if idx.size == 0:
        return load
    sub = corr[np.ix_(idx, idx)]
    vals, vecs = np.linalg.eigh(sub)
    vec = vecs[:, int(np.argmax(vals))]
    if vec.sum() < 0:
        vec = -vec
    load[idx] = vec
    return load


def pca(panel: StressPanel) -> MethodOutput:
    """First-principal-component composite on an expanding window (see the module docstring)."""
    signed = panel.signed()
    z = panel.zscores().clip(-Z_CLIP, Z_CLIP)
    x = signed.to_numpy(dtype=float, copy=True)
    m = np.isfinite(x)
    # Rescale each column by constants from its own first MIN_OBS values (known when it
    # enters): correlations are unchanged and the moment sums stay well conditioned.
    for j in range(x.shape[1]):
        rows = np.flatnonzero(m[:, j])[:MIN_OBS]
        if rows.size:
            mu, sd = x[rows, j].mean(), x[rows, j].std()
            x[:, j] = (x[:, j] - mu) / (sd if sd > 0 else 1.0)
    n_obs, k = x.shape
    sums = {key: np.zeros((k, k)) for key in ("n", "sx", "sxx", "sxy")}
    loadings = np.zeros((n_obs, k))
    added = 0
    for first in range(0, n_obs, PCA_REFIT):
        # Refit on every row up to and including ``first``; use it until the next refit.
        sums_rows = slice(added, first + 1)
        current = _pca_loadings(x[sums_rows], m[sums_rows], sums)
        added = first + 1
        loadings[first:first + PCA_REFIT] = current
    zv = z.to_numpy(dtype=float)
    avail = np.isfinite(zv) & (loadings != 0)
    w = np.where(avail, loadings, 0.0)
    norm = np.sqrt((w * w).sum(axis=1))
    parts = np.where(avail, w * np.nan_to_num(zv), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        parts = parts / norm[:, None]
    value = pd.Series(parts.sum(axis=1), index=z.index)
    value[norm == 0] = np.nan
    part_frame = pd.DataFrame(np.where(avail, parts, np.nan), index=z.index, columns=z.columns)
    contrib = pd.DataFrame(
        {cat: part_frame[panel.members(cat)].sum(axis=1, min_count=1)
         for cat in panel.category_names},
        index=z.index,
    ).where(value.notna(), axis=0)
    seg = _category_means(z, panel)
    used = pd.DataFrame(avail, index=z.index, columns=z.columns)
    n_ind = used.sum(axis=1).astype(int)
    n_cat = pd.DataFrame({c: used[panel.members(c)].any(axis=1) for c in panel.category_names},
                         index=z.index).sum(axis=1).astype(int)
    return MethodOutput("pca", value, contrib, seg, n_ind, n_cat)


def ciss(panel: StressPanel) -> MethodOutput:
    """ECB CISS with expanding-sample CDFs and EWMA cross-correlations (module docstring)."""
    cdf = panel.cdfs()
    seg = _category_means(cdf, panel)
    s = seg.to_numpy(dtype=float)
    n_obs, k = s.shape
    lam = CISS_LAMBDA
    cov = np.zeros((k, k))
    started = np.zeros(k, dtype=bool)
    value = np.full(n_obs, np.nan)
    contrib = np.full((n_obs, k), np.nan)
    prior_var = 1.0 / 12.0  # variance of a uniform CDF value: the neutral starting point
    for t in range(n_obs):
        present = np.isfinite(s[t])
        if not present.any():
            continue
        new = present & ~started
        if new.any():
            cov[new, :] = 0.0
            cov[:, new] = 0.0
            cov[new, new] = prior_var
            started |= new
        dev = np.where(present, s[t] - 0.5, 0.0)
        upd = np.outer(present, present)
        cov = np.where(upd, lam * cov + (1 - lam) * np.outer(dev, dev), cov)
        idx = np.flatnonzero(present)
        sub = cov[np.ix_(idx, idx)]
        sd = np.sqrt(np.diag(sub))
        corr = sub / np.outer(sd, sd)
        w = 1.0 / idx.size
        ws = w * s[t, idx]
        cvec = ws * (corr @ ws)
        contrib[t, idx] = cvec
        value[t] = cvec.sum()
    out_contrib = pd.DataFrame(contrib, index=seg.index, columns=seg.columns)
    n_ind, n_cat = _counts(cdf, panel)
    return MethodOutput("ciss", pd.Series(value, index=seg.index), out_contrib, seg, n_ind, n_cat)


def segment_tail(panel: StressPanel, exclude: tuple[str, ...] = ()
                 ) -> tuple[pd.Series, pd.Series]:
    """The single-segment guard's score: per category, the *second-highest* stress-scale
    z-score (unclipped) among its indicators; the day's score is the highest over categories.

    Requiring two indicators of the same category to be extreme together keeps one series'
    glitch or regime change (a facility first used, a rate first published) from firing the
    guard, while a real squeeze moves several gauges of the same market at once.

    ``exclude`` leaves categories out.

    Returns
    -------
    score, category
        Score by day (NaN when no category has two indicators) and the category giving it.
    """
    key = f"segment_tail{exclude}"
    if key in panel._cache:
        cached: tuple[pd.Series, pd.Series] = panel._cache[key]
        return cached
    z = panel.zscores()
    cats = [c for c in panel.category_names if c not in exclude]
    second = np.full((len(z), len(cats)), np.nan)
    for j, cat in enumerate(cats):
        block = z[panel.members(cat)].to_numpy(dtype=float)
        if block.shape[1] < 2:
            continue
        filled = np.where(np.isfinite(block), block, -np.inf)
        top2 = np.sort(filled, axis=1)[:, -2]
        second[:, j] = np.where(np.isfinite(top2), top2, np.nan)
    has = np.isfinite(second).any(axis=1)
    names = np.full(len(z), None, dtype=object)
    score = np.full(len(z), np.nan)
    if cats:
        best = np.argmax(np.where(np.isfinite(second), second, -np.inf), axis=1)
        score = np.where(has, second[np.arange(len(z)), best], np.nan)
        names[has] = np.array(cats, dtype=object)[best[has]]
    out = (pd.Series(score, index=z.index), pd.Series(names, index=z.index, dtype=object))
    panel._cache[key] = out
    return out


def breadth(panel: StressPanel, exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    """How many markets (categories, except ``exclude``) have a gauge at its watch / alert
    level (stress-scale z-score at or above ``Z_WATCH`` / ``Z_ALERT``).

    Returns
    -------
    pandas.DataFrame
        By day: ``n_watch``, ``n_alert`` and ``at_alert`` (the categories at alert, comma
        separated, in category order).
    """
    key = f"breadth{exclude}"
    if key in panel._cache:
        cached: pd.DataFrame = panel._cache[key]
        return cached
    z = panel.zscores()
    cats = [c for c in panel.category_names if c not in exclude]
    tops = pd.DataFrame({c: z[panel.members(c)].max(axis=1) for c in cats}, index=z.index)
    at_alert = tops >= Z_ALERT
    names = np.array(cats, dtype=object)
    out = pd.DataFrame({
        "n_watch": (tops >= Z_WATCH).sum(axis=1).astype(int),
        "n_alert": at_alert.sum(axis=1).astype(int),
        "at_alert": [",".join(names[row]) for row in at_alert.to_numpy()] if cats
        else pd.Series("", index=z.index),
    }, index=z.index)
    panel._cache[key] = out
    return out


METHODS: dict[str, Callable[[StressPanel], MethodOutput]] = {
    "zscore": zscore, "pca": pca, "ciss": ciss,
}


def compute(panel: StressPanel, method: str) -> MethodOutput:
    """Run ``method`` (``zscore``, ``pca`` or ``ciss``) on ``panel``."""
    try:
        fn = METHODS[method]
    except KeyError:
        from liqwatch.exceptions import ConfigError

        raise ConfigError(
            f"unknown stress method {method!r} (choose {', '.join(METHODS)})"
        ) from None
    return _covered(fn(panel))


def _covered(out: MethodOutput) -> MethodOutput:
    """Blank the days whose coverage is below :data:`MIN_COVERAGE` of the running maximum."""
    n = out.n_indicators
    ok = (n > 0) & (n >= MIN_COVERAGE * n.cummax())
    return MethodOutput(
        out.method, out.value.where(ok), out.contributions.where(ok, axis=0), out.segments,
        out.n_indicators, out.n_categories,
    )
