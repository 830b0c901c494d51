"""Crisis analogs: which past episode does a day look like — compared like with like?

Fingerprint of an episode = the stress-scale z-score of every signal on its peak day, as known
on that day (higher = more stress). Signals come in two groups:

- **plumbing**: the funding gauges (corridor spreads, repo dispersion, SRF take-up, term
  funding, the discount window) and the reserve regime's ampleness flags (a set flag scores
  ``Z_ALERT``, an unset one 0);
- **broad**: risk appetite, credit and offshore-dollar gauges.

A day is a *plumbing day* when its plumbing signals carry more stress than its broad ones
(sum of squared positive z-scores) and at least one signal of the group is at its watch level;
a *broad day* the other way round; otherwise a calm day. A plumbing day is compared with the
plumbing episodes on the plumbing signals, a broad day with the broad episodes on the broad
signals, a calm day with every episode on every signal:

``similarity = cosine(now, then) * min(|now|, |then|) / max(|now|, |then|)``

(norms over the signals available at both times): 1 for an identical pattern *and* intensity,
near 0 for a calm day, negative for an opposite pattern. A signal *matches* when the two
z-scores are within :data:`MATCH_TOL` of each other; ``decided_by`` lists the signals that
contribute most to the similarity. Only episodes whose peak is on or before the as-of day are
compared (nothing is borrowed from the future).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.stress import _html
from liqwatch.stress.episodes import EPISODES, Episode
from liqwatch.stress.panel import Z_ALERT, Z_CLIP, Z_WATCH, StressPanel

__all__ = ["BROAD_CATEGORIES", "MATCH_TOL", "MIN_SIGNALS", "PLUMBING_CATEGORIES",
           "AnalogResult", "analogs", "analogs_from_panel", "day_kind", "similarity"]

#: Categories of the plumbing signals (with the regime's flags) and of the broad ones.
PLUMBING_CATEGORIES = ("funding", "reserves")
BROAD_CATEGORIES = ("risk_appetite", "credit", "offshore", "oil")
#: Prefix of the regime-flag signals.
FLAG_PREFIX = "flag:"

#: Two z-scores closer than this count as a matching signal.
MATCH_TOL = 1.0
#: Fewer common signals than this: no similarity is computed.
MIN_SIGNALS = 3


def similarity(now: np.ndarray, then: np.ndarray) -> float:
    """Cosine similarity scaled by the ratio of the two vectors' norms (see module docs)."""
    na, nb = float(np.linalg.norm(now)), float(np.linalg.norm(then))
    if na == 0 or nb == 0:
        return 0.0
    return float(now @ then / (na * nb) * min(na, nb) / max(na, nb))


@dataclass(frozen=True)
class AnalogResult:
    """Similarity of one as-of day to each episode fingerprint.

    Attributes
    ----------
    date
        The as-of day compared.
    table
        One row per episode compared, best first: ``episode, type, title, peak, similarity,
        n_signals, decided_by, matching, differing`` (signal ids).
    kind
        ``plumbing``, ``broad`` or ``calm``: which episodes and signals were compared.
    """

    date: date | None
    table: pd.DataFrame
    kind: str = "calm"
    _breakdowns: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def breakdown(self, episode: str) -> pd.DataFrame:
        """Per-signal comparison with one episode.

        Returns
        -------
        pandas.DataFrame
            ``signal, category, z_now, z_then, difference, match, weight`` (``weight``: the
            signal's share of the cosine, what decided the similarity), sorted by the size of
            the episode's z-score.
        """
        try:
            return self._breakdowns[episode]
        except KeyError:
            from liqwatch.exceptions import ConfigError

            raise ConfigError(
                f"no analog {episode!r} (compared: {', '.join(self._breakdowns) or 'none'})"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``liqwatch analogs --format json``."""
        from liqwatch.jsonsafe import plain_records

        rows = plain_records(self.table.to_dict("records"))
        for r in rows:
            r["breakdown"] = plain_records(self._breakdowns[r["episode"]].to_dict("records"))
        return {"date": self.date.isoformat() if self.date else None, "kind": self.kind,
                "analogs": rows}

    def summary(self) -> str:
        """Ranked episodes with the signals that match and differ most."""
        if self.table.empty:
            return f"No episode to compare with as of {self.date}."
        lines = [f"Crisis analogs as of {self.date}, a {self.kind} day compared on its "
                 "signals (similarity -1..1, 1 = same pattern and intensity):"]
        for r in self.table.itertuples():
            decided: list[str] = list(r.decided_by)  # type: ignore[arg-type]
            differing: list[str] = list(r.differing)  # type: ignore[arg-type]
            lines.append(
                f"  {r.episode:<10} {_html.fmt(r.similarity):>7}  over {r.n_signals} signals; "
                f"decided by: {', '.join(decided[:3]) or '—'}; "
                f"differ: {', '.join(differing[:4]) or '—'}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        rows = [{**{str(k): v for k, v in r.items()}, "matching": ", ".join(r["matching"][:5]),
                 "differing": ", ".join(r["differing"][:5]),
                 "decided_by": ", ".join(r["decided_by"][:3])}
                for r in self.table.to_dict("records")]
        return (f"<p>Crisis analogs as of {html.escape(str(self.date))}</p>"
                + _html.table(rows, ["episode", "type", "peak", "similarity", "n_signals",
                                     "decided_by", "matching", "differing"]))


def _row_at(z: pd.DataFrame, day: date) -> tuple[pd.Timestamp | None, pd.Series]:
    part = z.loc[: pd.Timestamp(day)]
    part = part[part.notna().any(axis=1)]
    if part.empty:
        return None, pd.Series(dtype=float)
    return part.index[-1], part.iloc[-1]


def _signals(panel: StressPanel, flags: pd.DataFrame | None) -> tuple[pd.DataFrame,
                                                                        dict[str, str]]:
    """Stress-scale signals (clipped) with the regime flags, and each signal's group."""
    z = panel.zscores().clip(-Z_CLIP, Z_CLIP)
    group = {c: ("plumbing" if panel.categories[c] in PLUMBING_CATEGORIES else "broad")
             for c in z.columns}
    if flags is not None and not flags.empty:
        f = (flags.reindex(z.index) * Z_ALERT).add_prefix(FLAG_PREFIX)
        z = pd.concat([z, f], axis=1)
        group.update(dict.fromkeys(f.columns, "plumbing"))
    return z, group


def day_kind(row: pd.Series, group: dict[str, str]) -> str:
    """``plumbing``, ``broad`` or ``calm`` for one day's signals (module docstring)."""
    energy = {"plumbing": 0.0, "broad": 0.0}
    top = {"plumbing": -np.inf, "broad": -np.inf}
    for sig, v in row.items():
        if not np.isfinite(v) or str(sig).startswith(FLAG_PREFIX):
            continue
        g = group[str(sig)]
        energy[g] += max(float(v), 0.0) ** 2
        top[g] = max(top[g], float(v))
    kind = max(energy, key=lambda k: energy[k])
    return kind if top[kind] >= Z_WATCH else "calm"


def analogs_from_panel(
    panel: StressPanel,
    as_of: date | None = None,
    episodes: tuple[Episode, ...] = EPISODES,
    *,
    include_current: bool = True,
    flags: pd.DataFrame | None = None,
) -> AnalogResult:
    """Crisis analogs computed on a panel (see :func:`analogs`).

    ``flags`` holds the regime's flags by as-of day (1 set, 0 not, NaN not applicable;
    columns = flag ids), the plumbing signals besides the funding gauges.
    """
    z, group = _signals(panel, flags)
    day = _comparison_day(panel, z, as_of)
    if day is None:
        return AnalogResult(None, _empty_table())
    when, now = _row_at(z, day)
    kind = day_kind(now, group)
    cols = [c for c in z.columns if kind == "calm" or group[c] == kind]
    rows: list[dict[str, Any]] = []
    breakdowns: dict[str, pd.DataFrame] = {}
    for ep in episodes:
        if ep.peak > day or (kind != "calm" and ep.type != kind):
            continue
        if not include_current and ep.start <= day <= ep.end:
            continue
        _, then = _row_at(z, ep.peak)
        common = [c for c in cols
                  if np.isfinite(now.get(c, np.nan)) and np.isfinite(then.get(c, np.nan))]
        a = now[common].to_numpy(dtype=float)
        b = then[common].to_numpy(dtype=float)
        diff = a - b
        norm = float(np.linalg.norm(a) * np.linalg.norm(b))
        weight = a * b / norm if norm > 0 else np.zeros(len(common))
        bd = pd.DataFrame({
            "signal": common,
            "category": [panel.categories.get(c, "reserves") for c in common],
            "z_now": a, "z_then": b, "difference": diff,
            "match": np.abs(diff) <= MATCH_TOL, "weight": weight,
        })
        bd = bd.reindex(bd["z_then"].abs().sort_values(ascending=False).index)
        bd = bd.reset_index(drop=True)
        breakdowns[ep.name] = bd
        decided = bd[bd["weight"] > 0].sort_values("weight", ascending=False)["signal"]
        rows.append({
            "episode": ep.name, "type": ep.type, "title": ep.title,
            "title_ja": ep.title_ja or ep.title, "peak": ep.peak,
            "similarity": similarity(a, b) if len(common) >= MIN_SIGNALS else float("nan"),
            "n_signals": len(common),
            "decided_by": list(decided.head(5)),
            "matching": list(bd.loc[bd["match"], "signal"]),
            "differing": list(bd.loc[~bd["match"], "signal"]),
        })
    table = pd.DataFrame(rows) if rows else _empty_table()
    if not table.empty:
        table = table.sort_values("similarity", ascending=False, na_position="last")
        table = table.reset_index(drop=True)
    return AnalogResult(when.date() if when is not None else day, table, kind, breakdowns)


def _comparison_day(panel: StressPanel, z: pd.DataFrame, as_of: date | None) -> date | None:
    """The last day up to ``as_of`` with a composite stress reading (as ``liqwatch stress``).

    The panel's last rows often hold only the few series published after the others (a day
    with two signals compares nothing); the composite's last day has the broad panel. Without
    any composite reading by ``as_of`` the day is ``as_of`` itself (or the panel's last day).
    """
    from liqwatch.stress.composite import DEFAULT_METHOD, method_outputs

    if not len(z.index):
        return as_of
    values = method_outputs(panel)[DEFAULT_METHOD].value.dropna()
    if as_of is not None:
        values = values.loc[: pd.Timestamp(as_of)]
    if len(values.index):
        last: date = pd.Timestamp(values.index[-1]).date()
        return last
    if as_of is not None:
        return as_of
    edge: date = pd.Timestamp(z.index[-1]).date()
    return edge


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame(columns=["episode", "type", "title", "peak", "similarity",
                                 "n_signals", "decided_by", "matching", "differing"])


def analogs(
    store: Any, as_of: date | None = None, *, include_current: bool = True
) -> AnalogResult:
    """Similarity of ``as_of`` to each past episode of its kind (module docstring).

    The default day is the last one with a composite stress reading (see :func:`composite`).
    The episodes are the package's and the squeezes found in the data
    (:func:`liqwatch.stress.squeezes.find_squeezes`).

    With ``include_current=False`` an episode whose window contains ``as_of`` is left out, so
    that the answer names a *past* crisis rather than the one under way.

    Examples
    --------
    >>> res = analogs(store, date(2025, 10, 31), include_current=False)  # doctest: +SKIP
    >>> res.kind, res.table.iloc[0]["episode"]  # doctest: +SKIP
    ('plumbing', 'Sep 2019')
    >>> res.breakdown("Sep 2019").head()  # doctest: +SKIP
    """
    from liqwatch.stress.cache import composite_panel
    from liqwatch.stress.regime import FLAGS
    from liqwatch.stress.squeezes import find_squeezes
    from liqwatch.stress.verdict import regime_frame

    panel = composite_panel(store)
    view, reg = regime_frame(store)
    found = find_squeezes(view.prints("sofr_iorb_bp"))
    episodes = tuple(sorted((*EPISODES, *found), key=lambda e: e.start))
    flags = reg[[f.id for f in FLAGS]]
    return analogs_from_panel(panel, as_of, episodes, include_current=include_current,
                              flags=flags)
