"""The data a claim is checked against: series resolution, reads and provenance.

A claim names a catalog series (``WRESBAL``), a concept (``reserves``, ``TGA``: see
:mod:`liqwatch.claims.lexicon`), a reference rate (``ref:srf_min_bid``: see
:mod:`liqwatch.claims.references`) or an indicator id. Values are the latest vintage ("as now
known", or as published on ``as_of``); the first release is looked up to say where it
differed. Indicator values come from the indicator engine itself (the indicator's series as
known on the check day), so a figure the indicators compute is never computed twice.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from liqwatch import catalog
from liqwatch.calendar import is_business_day
from liqwatch.claims.lexicon import CONCEPTS, Reading, concept
from liqwatch.claims.references import REFERENCES
from liqwatch.claims.units import catalog_unit, normalize_unit
from liqwatch.exceptions import LiqwatchError
from liqwatch.frames import row_of
from liqwatch.indicators import REGISTRY
from liqwatch.store import Store

#: Catalog series the indicators read with a fallback: claims about them read the same way.
_BY_REFERENCE = {"SRF_MIN_BID": "ref:srf_min_bid", "RRPONTSYAWARD": "ref:on_rrp_rate"}

#: Spreads the indicator engine computes: (series, series subtracted) -> indicator id (bp).
_SPREAD_INDICATORS = {
    ("SOFR", "IORB"): "sofr_iorb_bp",
    ("SOFR", "IOER"): "sofr_iorb_bp",
    ("SOFR", "ref:srf_min_bid"): "sofr_ceiling_bp",
    ("SOFR", "DFEDTARU"): "sofr_ceiling_bp",
    ("EFFR", "IORB"): "effr_iorb_bp",
    ("EFFR", "IOER"): "effr_iorb_bp",
    ("TGCR", "SOFR"): "tgcr_sofr_bp",
    ("SOFR99", "SOFR1"): "sofr_dispersion_bp",
}
#: Ratios the indicator engine computes: (numerator, denominator) -> indicator id (percent).
_RATIO_INDICATORS = {
    ("WRESBAL", "GDP"): "reserves_to_gdp_pct",
    ("WRESBAL", "TLAACBW027SBOG"): "reserves_to_bank_assets_pct",
}


def spread_indicator(a: str, b: str) -> tuple[str, float] | None:
    """The indicator computing ``a − b`` and the sign to apply (−1 for ``b − a``), if any."""
    if (a, b) in _SPREAD_INDICATORS:
        return _SPREAD_INDICATORS[(a, b)], 1.0
    if (b, a) in _SPREAD_INDICATORS:
        return _SPREAD_INDICATORS[(b, a)], -1.0
    return None


def ratio_indicator(a: str, b: str) -> str | None:
    """The indicator computing ``a / b`` (in percent), if any."""
    return _RATIO_INDICATORS.get((a, b))

__all__ = ["DataContext", "NotCheckable", "Obs", "Resolved", "ratio_indicator",
           "spread_indicator"]


class NotCheckable(Exception):  # noqa: N818 - a verdict, not an error
    """The data needed for a claim is missing; ``missing`` says which (en, ja)."""

    def __init__(self, en: str, ja: str) -> None:
        super().__init__(en)
        self.en = en
        self.ja = ja


@dataclass(frozen=True, slots=True)
class Obs:
    """One observation used in a check, with its provenance."""

    series_id: str
    date: dt.date
    value: float
    unit: str
    realtime_start: dt.date | None
    source: str
    first_release: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out: dict[str, Any] = {
            "series_id": self.series_id,
            "date": self.date.isoformat(),
            "value": self.value,
            "unit": self.unit,
            "realtime_start": self.realtime_start.isoformat() if self.realtime_start else None,
            "source": self.source,
        }
        if self.first_release is not None:
            out["first_release"] = self.first_release
        return out


@dataclass(frozen=True, slots=True)
class Resolved:
    """A name in a claim, resolved.

    Attributes
    ----------
    name
        As written in the claim.
    series
        The series read by default.
    readings
        Other series a reasonable reader could mean (names a concept), or ``()``.
    alternatives
        Other definitions to test when the claim does not match (exact series ids).
    splice
        ``(older series, first day of series)``: dates before use the older series.
    """

    name: str
    series: str
    readings: tuple[Reading, ...] = ()
    alternatives: tuple[Reading, ...] = ()
    splice: tuple[str, str] | None = None
    is_concept: bool = False


_IND_UNITS = {"usd_tn", "usd_bn", "usd_mn", "pct", "pct_chg", "corr", "count", "months", "bp",
              "index", "usd", "percent", "number"}

_PAIR_VARIANTS: dict[str, tuple[Reading, ...]] = {
    "WTREGEN": (
        Reading("TGA_DTS", "daily TGA (Daily Treasury Statement)", "日次の TGA (日次財務諸表)"),
    ),
}


def _variants(series_id: str) -> tuple[Reading, ...]:
    """Series that measure the same thing on another basis (catalog ``variant_of``)."""
    out: list[Reading] = list(_PAIR_VARIANTS.get(series_id, ()))
    for c in CONCEPTS.values():
        if c.series == series_id:
            out += list(c.readings)
    for spec in catalog.catalog().values():
        if spec.variant_of == series_id and spec.id not in {r.series for r in out}:
            out.append(Reading(spec.id, spec.en, spec.ja))
    if catalog.is_known(series_id):
        spec = catalog.get(series_id)
        if spec.variant_of and catalog.is_known(spec.variant_of):
            base = catalog.get(spec.variant_of)
            out.append(Reading(base.id, base.en, base.ja))
    seen: set[str] = set()
    uniq = []
    for r in out:
        if r.series not in seen and r.series != series_id:
            seen.add(r.series)
            uniq.append(r)
    return tuple(uniq)


class DataContext:
    """Reads from one store for a batch of checks (series are read once and cached)."""

    def __init__(self, store: Store, as_of: date | None = None) -> None:
        self.store = store
        self.as_of = as_of
        self._frames: dict[str, pd.DataFrame] = {}
        self._first: dict[str, pd.Series] = {}
        self._stored: set[str] | None = None
        self._prov: dict[str, str] = {}

    # ---------------------------------------------------------------- resolution
    def stored(self) -> set[str]:
        """Ids of series with data in the store."""
        if self._stored is None:
            self._stored = set(self.store.known_ids())
        return self._stored

    def resolve(self, name: str) -> Resolved:
        """Resolve a series id, concept name or indicator id.

        Raises
        ------
        NotCheckable
            When the name is unknown.
        """
        if name in _BY_REFERENCE or name in REFERENCES:
            ref = _BY_REFERENCE.get(name, name)
            return Resolved(name, ref, is_concept=name != ref and name not in self.stored())
        if catalog.is_known(name) or name in self.stored():
            c = concept(name)
            splice = c.splice if c is not None and c.series == name else None
            return Resolved(name, name, alternatives=_variants(name), splice=splice)
        c = concept(name)
        if c is not None:
            return Resolved(
                name,
                c.series,
                readings=c.readings,
                splice=c.splice,
                alternatives=_variants(c.series),
                is_concept=True,
            )
        if name in REGISTRY:
            return Resolved(name, f"indicator:{name}")
        raise NotCheckable(
            f"'{name}' is neither a catalog series, a known name nor an indicator",
            f"「{name}」は系列 ID・既知の名称・指標 ID のいずれでもありません",
        )

    # ---------------------------------------------------------------- metadata
    def unit(self, series_id: str) -> str:
        """Canonical unit of a series."""
        if series_id.startswith("ref:"):
            return "percent"
        if series_id.startswith("indicator:"):
            spec = REGISTRY.get(series_id.split(":", 1)[1])
            raw = spec.unit if spec is not None else "number"
            try:
                return catalog_unit(raw) if raw in _IND_UNITS else normalize_unit(raw)
            except LiqwatchError:
                return "number"
        if catalog.is_known(series_id):
            return catalog_unit(catalog.get(series_id).unit)
        return "number"

    def frequency(self, series_id: str) -> str:
        """``daily``, ``weekly``, ``monthly`` or ``quarterly``."""
        if series_id.startswith("ref:"):
            return "daily"
        if series_id.startswith("indicator:"):
            idx = self.frame(series_id).index
            gap = float(pd.Series(idx).diff().dt.days.median()) if len(idx) > 2 else 1.0
            if gap >= 80:
                return "quarterly"
            if gap >= 25:
                return "monthly"
            return "weekly" if gap >= 5 else "daily"
        if catalog.is_known(series_id):
            return catalog.get(series_id).frequency.value
        return "daily"

    def name(self, series_id: str, lang: str = "en") -> str:
        """Description of a series."""
        if series_id in REFERENCES:
            ref = REFERENCES[series_id]
            return ref.ja if lang == "ja" else ref.en
        if series_id.startswith("indicator:"):
            ind_id = series_id.split(":", 1)[1]
            spec = REGISTRY.get(ind_id)
            text = (spec.ja if lang == "ja" else spec.en) if spec is not None else None
            return f"{text} ({ind_id})" if text else ind_id
        if catalog.is_known(series_id):
            return catalog.get(series_id).description(lang)
        return series_id

    def source(self, series_id: str) -> str:
        """Where a series comes from: catalog source and id, and stored provenance."""
        if series_id in self._prov:
            return self._prov[series_id]
        if series_id in REFERENCES:
            inputs = ", ".join(REFERENCES[series_id].inputs)
            label = f"liqwatch reference rate {series_id} ({inputs})"
        elif series_id.startswith("indicator:"):
            label = f"liqwatch indicator {series_id.split(':', 1)[1]}"
        elif catalog.is_known(series_id):
            spec = catalog.get(series_id)
            label = f"{spec.source}:{spec.source_id}"
        else:
            label = f"user:{series_id}"
        row = (
            self.store.execute(
                "SELECT provenance FROM series WHERE series_id = ?", [series_id]
            ).fetchone()
            if series_id in self.stored()
            else None
        )
        if row is not None and isinstance(row[0], str):
            try:
                prov = json.loads(row[0])
            except ValueError:
                prov = {}
            repo = prov.get("source_repo") or prov.get("file") or prov.get("path")
            if repo:
                label += f" (copy: {str(repo).split(';')[0]})"
        self._prov[series_id] = label
        return label

    # ---------------------------------------------------------------- reads
    def frame(self, series_id: str) -> pd.DataFrame:
        """Current values of a series: index ``date``, columns ``value, realtime_start``.

        Raises
        ------
        NotCheckable
            When the store has no data for it.
        """
        if series_id in self._frames:
            return self._frames[series_id]
        if series_id.startswith("indicator:"):
            frame = self._indicator_frame(series_id.split(":", 1)[1])
        elif series_id in REFERENCES:
            frame = self._reference_frame(series_id)
        else:
            if series_id not in self.stored():
                raise NotCheckable(
                    f"no data for {series_id} in the store (run liqwatch update or import)",
                    f"{series_id} のデータがストアにありません (liqwatch update か import を実行)",
                )
            long = self.store.read([series_id], as_of=self.as_of)
            if long.empty and self.as_of is not None:
                raise NotCheckable(
                    f"no {series_id} value had been published by {self.as_of}",
                    f"{self.as_of} までに公表された {series_id} の値がありません",
                )
            frame = long.set_index("date")[["value", "realtime_start"]].sort_index()
        self._frames[series_id] = frame
        return frame

    def _indicator_frame(self, ind_id: str) -> pd.DataFrame:
        """The indicator's series as the engine computes it on the check day (the latest
        vintage, or ``as_of``): one row per observation date, dated the day it was known."""
        from liqwatch.indicators.evaluate import evaluate
        from liqwatch.indicators.inputs import load_inputs
        from liqwatch.indicators.thresholds import config_overrides, resolve

        spec = REGISTRY[ind_id]
        inputs = load_inputs(self.store, list(spec.inputs))
        day = pd.Timestamp(self.as_of) if self.as_of is not None else pd.Timestamp.max.floor("D")
        th = resolve(spec, None, config_overrides())
        ev = evaluate(spec, inputs, pd.DatetimeIndex([day]), th)
        out = ev.frames[int(ev.seg[0])] if ev.frames else pd.DataFrame()
        if out.empty or "value" not in out:
            raise NotCheckable(
                f"indicator {ind_id} has no values", f"指標 {ind_id} に値がありません"
            )
        values = out["value"].astype(float).dropna()
        known = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        for sid in spec.inputs:  # a row is known once every input it reads is published
            if sid in spec.by_publication or inputs[sid].empty:
                continue
            avail = inputs[sid].avail.reindex(values.index, method="ffill")
            known = pd.concat([known, avail], axis=1).max(axis=1)
        known = known.cummax()
        frame = pd.DataFrame({"value": values, "realtime_start": known})
        frame.index.name = "date"
        if self.as_of is not None:
            frame = frame[frame["realtime_start"].isna()
                          | (frame["realtime_start"] <= pd.Timestamp(self.as_of))]
        if frame.empty:
            raise NotCheckable(
                f"indicator {ind_id} has no values", f"指標 {ind_id} に値がありません"
            )
        return frame

    def _reference_frame(self, ref_id: str) -> pd.DataFrame:
        """A reference rate, with the series each value was read from (``source``)."""
        ref = REFERENCES[ref_id]
        frames = {}
        for sid in ref.inputs:
            try:
                frames[sid] = self.frame(sid)
            except NotCheckable:
                frames[sid] = pd.DataFrame({"value": pd.Series(dtype=float),
                                            "realtime_start": pd.Series(dtype="datetime64[ns]")},
                                           index=pd.DatetimeIndex([], name="date"))
        value, source = ref.build({sid: f["value"] for sid, f in frames.items()})
        if value.empty:
            raise NotCheckable(
                f"no data for {', '.join(ref.inputs)} in the store (needed for the {ref.en})",
                f"{ref.ja}に必要な {'、'.join(ref.inputs)} のデータがストアにありません",
            )
        rs = pd.Series(pd.NaT, index=value.index, dtype="datetime64[ns]")
        raw = pd.Series(np.nan, index=value.index)
        for sid, f in frames.items():
            mask = (source == sid).to_numpy()
            rs[mask] = pd.to_datetime(f["realtime_start"].reindex(value.index[mask])).to_numpy()
            raw[mask] = f["value"].reindex(value.index[mask]).to_numpy(float)
        frame = pd.DataFrame({"value": value.to_numpy(float), "realtime_start": rs,
                              "source": source.to_numpy(object), "raw": raw}, index=value.index)
        frame.index.name = "date"
        return frame

    def first_release(self, series_id: str, day: date) -> float | None:
        """The first published value of ``series_id`` on ``day`` (``None`` if never revised)."""
        if series_id.startswith("indicator:"):
            return None
        if series_id not in self._first:
            self._first[series_id] = self.store.first_releases(series_id)
        firsts = self._first[series_id]
        ts = pd.Timestamp(day)
        return float(firsts[ts]) if ts in firsts.index else None

    def obs(self, series_id: str, ts: pd.Timestamp) -> Obs:
        """The observation of ``series_id`` dated ``ts`` with provenance."""
        row = row_of(self.frame(series_id), ts)
        if series_id in REFERENCES:
            # the series the value was read from; the reference's own id when it is derived
            # from that series (the ON RRP rate as the bottom of the range + 5 bp)
            src = str(row["source"])
            inner = self.obs(src, ts)
            derived = abs(float(row["value"]) - float(row["raw"])) > 1e-12
            return Obs(series_id if derived else src, inner.date, float(row["value"]),
                       inner.unit, inner.realtime_start,
                       f"{inner.source}{' + ' + series_id if derived else ''}",
                       inner.first_release)
        first = self.first_release(series_id, ts.date())
        current = float(row["value"])
        rs = row["realtime_start"]
        return Obs(
            series_id=series_id,
            date=ts.date(),
            value=current,
            unit=self.unit(series_id),
            realtime_start=None if pd.isna(rs) else pd.Timestamp(rs).date(),
            source=self.source(series_id),
            first_release=first if first is not None and abs(first - current) > 1e-12 else None,
        )

    def weekly_basis(self, series_id: str) -> tuple[str, str] | None:
        """Whether an H.4.1 item is a week average or a Wednesday level (en, ja)."""
        if not catalog.is_known(series_id):
            return None
        text = catalog.get(series_id).en.lower()
        if "week average" in text:
            return (f"{series_id} is a week average (Thursday to Wednesday), dated the Wednesday",
                    f"{series_id} は木曜〜水曜の週平均 (水曜付)")
        if "wednesday level" in text:
            return (f"{series_id} is a Wednesday level", f"{series_id} は水曜時点の残高")
        return None

    def span(self, series_id: str) -> tuple[date, date]:
        """First and last observation dates."""
        frame = self.frame(series_id)
        return frame.index[0].date(), frame.index[-1].date()

    def point(self, series_id: str, day: date) -> tuple[Obs, tuple[str, str] | None]:
        """The observation for ``day``: daily series on the day (or the last business day
        before it), weekly series in the week containing it (the observation dated on or
        within six days after it), monthly/quarterly series in the period containing it.

        Returns the observation and a note (en, ja) on how it was read, if there is one.

        Raises
        ------
        NotCheckable
            When the series has no observation for that day.
        """
        frame = self.frame(series_id)
        first, last = self.span(series_id)
        ts = pd.Timestamp(day)
        freq = self.frequency(series_id)
        idx = pd.DatetimeIndex(frame.index)
        if freq == "weekly":
            pos = int(idx.searchsorted(ts, side="left"))
            if pos < len(idx) and (idx[pos] - ts).days <= 6:
                found = idx[pos]
                parts = [] if found == ts else [
                    (f"week ending {found.date()}", f"{found.date()} に終わる週")
                ]
                basis = self.weekly_basis(series_id)
                if basis:
                    parts.append(basis)
                joined = ("; ".join(p[0] for p in parts), "。".join(p[1] for p in parts))
                return self.obs(series_id, found), joined if parts else None
        else:
            pos = int(idx.searchsorted(ts, side="right")) - 1
            limit = {"daily": 4, "monthly": 31, "quarterly": 92}.get(freq, 4)
            # a daily series falls back to the day before only over a weekend or holiday, or a
            # gap inside the data, never for a business day after its last observation
            late = freq == "daily" and day > last and is_business_day(day)
            if pos >= 0 and (ts - idx[pos]).days < limit and not late:
                found = idx[pos]
                note: tuple[str, str] | None = None
                if freq in ("monthly", "quarterly"):
                    word = "月次" if freq == "monthly" else "四半期"
                    note = (f"{freq} value dated {found.date()}", f"{found.date()} 付の{word}値")
                elif found != ts:
                    note = (f"last observation before {day}: {found.date()}",
                            f"{day} の観測値がなく直前の {found.date()} を使用")
                return self.obs(series_id, found), note
        if day > last:
            raise NotCheckable(
                f"{series_id} has no data after {last} (claim date {day})",
                f"{series_id} のデータは {last} までで、{day} の値がありません",
            )
        if day < first:
            raise NotCheckable(
                f"{series_id} starts on {first}, after the claim date {day}",
                f"{series_id} は {first} からで、{day} の値がありません",
            )
        raise NotCheckable(
            f"{series_id} has no observation for {day}",
            f"{series_id} に {day} の観測値がありません",
        )

    def window(self, series_id: str, start: date, end: date, *,
               whole: bool = True) -> pd.DataFrame:
        """Observations dated from ``start`` to ``end`` (inclusive).

        Parameters
        ----------
        whole
            Require the series to cover the whole period (means, extremes, correlations);
            ``False`` accepts any observation in it (a fuzzy date such as "mid-November").

        Raises
        ------
        NotCheckable
            When the series does not cover the period (or, with ``whole=False``, has no
            observation in it).
        """
        frame = self.frame(series_id)
        first, last = self.span(series_id)
        slack = timedelta(days={"daily": 5, "weekly": 7}.get(self.frequency(series_id), 92))
        if whole and (first > start + slack or last < end - slack):
            raise NotCheckable(
                f"{series_id} covers {first} to {last}, not the whole period {start} to {end}",
                f"{series_id} のデータは {first}〜{last} で、{start}〜{end} の全期間を含みません",
            )
        out = frame.loc[pd.Timestamp(start) : pd.Timestamp(end)]
        if out.empty:
            raise NotCheckable(
                f"{series_id} has no observation from {start} to {end}",
                f"{series_id} に {start}〜{end} の観測値がありません",
            )
        return out

    def spliced(self, resolved: Resolved, start: date, end: date) -> list[tuple[str, date, date]]:
        """Pieces ``(series, start, end)`` covering the period, honouring a splice."""
        if resolved.splice is None:
            return [(resolved.series, start, end)]
        older, switch_s = resolved.splice
        switch = date.fromisoformat(switch_s)
        if end < switch:
            return [(older, start, end)]
        if start >= switch:
            return [(resolved.series, start, end)]
        return [(older, start, switch - timedelta(days=1)), (resolved.series, switch, end)]

    def series_on(self, resolved: Resolved, day: date) -> str:
        """The series to read for ``day`` (the older one before a splice)."""
        if resolved.splice is not None and day < date.fromisoformat(resolved.splice[1]):
            return resolved.splice[0]
        return resolved.series
