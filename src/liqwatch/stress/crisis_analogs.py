"""Crisis analogs: which past episode does a day look like?

Fingerprint of an episode = the signed expanding z-score of every indicator on its peak day,
as known on that day (higher = more stress). For an as-of day, the same vector is compared with
each fingerprint over the indicators available at both times:

``similarity = cosine(now, then) * min(|now|, |then|) / max(|now|, |then|)``

(norms over the common indicators): 1 for an identical pattern *and* intensity, near 0 for a
calm day, negative for an opposite pattern. A signal *matches* when the two z-scores are within
:data:`MATCH_TOL` of each other. Only episodes whose peak is on or before the as-of day are
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
from liqwatch.stress.panel import Z_CLIP, StressPanel, from_store

__all__ = ["MATCH_TOL", "MIN_SIGNALS", "AnalogResult", "analogs", "analogs_from_panel",
           "similarity"]

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
        One row per episode, best first: ``episode, type, peak, similarity, n_signals,
        matching, differing`` (``matching``/``differing``: signal ids).
    """

    date: date | None
    table: pd.DataFrame
    _breakdowns: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def breakdown(self, episode: str) -> pd.DataFrame:
        """Per-signal comparison with one episode.

        Returns
        -------
        pandas.DataFrame
            ``signal, category, z_now, z_then, difference, match``, sorted by the size of the
            episode's z-score.
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
        return {"date": self.date.isoformat() if self.date else None, "analogs": rows}

    def summary(self) -> str:
        """Ranked episodes with the signals that match and differ most."""
        if self.table.empty:
            return f"No episode to compare with as of {self.date}."
        lines = [f"Crisis analogs as of {self.date} (similarity -1..1, 1 = same pattern and "
                 "intensity):"]
        for r in self.table.itertuples():
            lines.append(
                f"  {r.episode:<10} {_html.fmt(r.similarity):>7}  over {r.n_signals} signals; "
                f"match: {', '.join(r.matching[:4]) or '—'}; "
                f"differ: {', '.join(r.differing[:4]) or '—'}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        rows = [dict(r, matching=", ".join(r["matching"][:5]),
                     differing=", ".join(r["differing"][:5]))
                for r in self.table.to_dict("records")]
        return (f"<p>Crisis analogs as of {html.escape(str(self.date))}</p>"
                + _html.table(rows, ["episode", "type", "peak", "similarity", "n_signals",
                                     "matching", "differing"]))


def _row_at(z: pd.DataFrame, day: date) -> tuple[pd.Timestamp | None, pd.Series]:
    part = z.loc[: pd.Timestamp(day)]
    part = part[part.notna().any(axis=1)]
    if part.empty:
        return None, pd.Series(dtype=float)
    return part.index[-1], part.iloc[-1]


def analogs_from_panel(
    panel: StressPanel,
    as_of: date | None = None,
    episodes: tuple[Episode, ...] = EPISODES,
    *,
    include_current: bool = True,
) -> AnalogResult:
    """Crisis analogs computed on a panel (see :func:`analogs`)."""
    z = panel.zscores().clip(-Z_CLIP, Z_CLIP)
    day = _comparison_day(panel, z, as_of)
    if day is None:
        return AnalogResult(None, _empty_table())
    when, now = _row_at(z, day)
    rows: list[dict[str, Any]] = []
    breakdowns: dict[str, pd.DataFrame] = {}
    for ep in episodes:
        if ep.peak > day:
            continue
        if not include_current and ep.start <= day <= ep.end:
            continue
        _, then = _row_at(z, ep.peak)
        common = [c for c in z.columns
                  if np.isfinite(now.get(c, np.nan)) and np.isfinite(then.get(c, np.nan))]
        a = now[common].to_numpy(dtype=float)
        b = then[common].to_numpy(dtype=float)
        diff = a - b
        bd = pd.DataFrame({
            "signal": common,
            "category": [panel.categories[c] for c in common],
            "z_now": a, "z_then": b, "difference": diff,
            "match": np.abs(diff) <= MATCH_TOL,
        })
        bd = bd.reindex(bd["z_then"].abs().sort_values(ascending=False).index)
        bd = bd.reset_index(drop=True)
        breakdowns[ep.name] = bd
        rows.append({
            "episode": ep.name, "type": ep.type, "peak": ep.peak,
            "similarity": similarity(a, b) if len(common) >= MIN_SIGNALS else float("nan"),
            "n_signals": len(common),
            "matching": list(bd.loc[bd["match"], "signal"]),
            "differing": list(bd.loc[~bd["match"], "signal"]),
        })
    table = pd.DataFrame(rows) if rows else _empty_table()
    if not table.empty:
        table = table.sort_values("similarity", ascending=False, na_position="last")
        table = table.reset_index(drop=True)
    return AnalogResult(when.date() if when is not None else day, table, breakdowns)


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
    return pd.DataFrame(columns=["episode", "type", "peak", "similarity", "n_signals",
                                 "matching", "differing"])


def analogs(
    store: Any, as_of: date | None = None, *, include_current: bool = True
) -> AnalogResult:
    """Similarity of ``as_of`` to each past episode's fingerprint.

    The default day is the last one with a composite stress reading (see :func:`composite`).

    With ``include_current=False`` an episode whose window contains ``as_of`` is left out, so
    that the answer names a *past* crisis rather than the one under way.

    Examples
    --------
    >>> res = analogs(store, date(2020, 3, 16))  # doctest: +SKIP
    >>> res.table.iloc[0]["episode"]  # doctest: +SKIP
    'Mar 2020'
    >>> res.breakdown("Mar 2020").head()  # doctest: +SKIP
    """
    return analogs_from_panel(
        from_store(store, end=as_of), as_of, include_current=include_current
    )
