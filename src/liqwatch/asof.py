"""The day every surface reports on: one "now" for the CLI, the report, the API and alerts.

A store kept up to date answers for today. An old snapshot, whose series stop on different
days, answers for the latest day on which the core series — the overnight rate (SOFR, else
EFFR), reserve balances and the Treasury General Account — were all on their publication
schedule: later days would judge most indicators on missing data. A date that is asked for is
used as it is when the core series were current on it, and is moved back to that latest day
otherwise; :class:`AsOf` carries the reason, in English and Japanese, whenever the day differs
from the one asked for.

>>> from liqwatch.store import Store
>>> resolve_as_of(Store(":memory:"), today=date(2026, 8, 21)).day
datetime.date(2026, 8, 21)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from liqwatch import catalog
from liqwatch.catalog import Frequency
from liqwatch.store import Store
from liqwatch.vocab import fmt_date, pick

__all__ = ["CORE", "AsOf", "CoreSeries", "resolve_as_of"]


@dataclass(frozen=True, slots=True)
class _Concept:
    key: str
    en: str
    ja: str
    ids: tuple[str, ...]


#: The core concepts whose currency decides the report day (first series with data wins).
CORE: tuple[_Concept, ...] = (
    _Concept("rate", "SOFR", "SOFR", ("SOFR", "EFFR")),
    _Concept("reserves", "reserves", "準備預金", ("WRESBAL",)),
    _Concept("tga", "TGA", "TGA", ("TGA_DTS", "WTREGEN")),
)


@dataclass(frozen=True, slots=True)
class CoreSeries:
    """Where one core concept stands on a day.

    Attributes
    ----------
    concept, series_id
        The concept (``rate``, ``reserves``, ``tga``) and the series that carries it.
    label_en, label_ja
        Its name for people.
    last_date
        Its latest observation known on the day.
    next_due
        Publication day of the next observation by the schedule.
    on_time_until
        Last day before that next observation is due.
    """

    concept: str
    series_id: str
    label_en: str
    label_ja: str
    last_date: date
    next_due: date
    grace_days: int

    @property
    def on_time_until(self) -> date:
        """Last day on which no observation of this series is overdue."""
        return self.next_due - timedelta(days=1)

    def current_on(self, day: date) -> bool:
        """True when the next observation is not yet late (schedule plus grace) on ``day``."""
        return day <= self.next_due + timedelta(days=self.grace_days)


@dataclass(frozen=True)
class AsOf:
    """The resolved report day.

    Attributes
    ----------
    day
        The day every figure is computed as of (only data published by then).
    asked
        The day that was asked for (None: "now").
    today
        The calendar day of the resolution.
    core
        The core series behind the choice.
    """

    day: date
    asked: date | None
    today: date
    core: tuple[CoreSeries, ...] = field(default_factory=tuple)

    @property
    def moved(self) -> bool:
        """True when the day differs from the one asked for (or from today)."""
        return self.day != (self.asked or self.today)

    @property
    def lagging(self) -> tuple[CoreSeries, ...]:
        """Core series that were overdue on the asked day (why the day moved back)."""
        target = self.asked or self.today
        return tuple(c for c in self.core if not c.current_on(target))

    def _names(self, lang: str) -> str:
        names = [c.label_ja if lang == "ja" else c.label_en for c in self.core]
        if lang == "ja":
            return "・".join(names)
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def reason(self, lang: str = "en") -> str:
        """Why this day, in one clause (empty when it is simply the day asked for)."""
        if not self.core:
            return pick(lang, "no core series (SOFR, reserves, TGA) in the store",
                        "ストアに中核系列 (SOFR・準備預金・TGA) がありません")
        if not self.moved:
            return ""
        late = self.lagging or self.core
        late_en = ", ".join(f"{c.label_en} {fmt_date(c.last_date)}" for c in late)
        late_ja = "、".join(f"{c.label_ja} {fmt_date(c.last_date, 'ja')}" for c in late)
        if self.asked is None:
            return pick(lang,
                        f"the latest day with {self._names('en')} current (latest: {late_en})",
                        f"{self._names('ja')}がそろって最新である直近の日 (最新値: {late_ja})")
        return pick(lang,
                    f"the latest day with {self._names('en')} current; asked {self.asked} "
                    f"(latest: {late_en})",
                    f"{self._names('ja')}がそろって最新である直近の日。指定日 {self.asked} "
                    f"(最新値: {late_ja})")

    def describe(self, lang: str = "en") -> str:
        """``as of 21 Aug 2026 — the latest day with SOFR, reserves and TGA current; …``."""
        head = pick(lang, f"as of {fmt_date(self.day)}", f"{fmt_date(self.day, 'ja')}時点")
        why = self.reason(lang)
        return f"{head} — {why}" if why else head

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (for the API and ``--format json``)."""
        return {
            "day": self.day.isoformat(), "asked": self.asked.isoformat() if self.asked else None,
            "moved": self.moved, "reason_en": self.reason("en"), "reason_ja": self.reason("ja"),
            "core": [{"concept": c.concept, "series_id": c.series_id,
                      "last_date": c.last_date.isoformat(), "next_due": c.next_due.isoformat()}
                     for c in self.core],
        }


def _next_due(series_id: str, last: date) -> tuple[date, int]:
    spec = catalog.catalog().get(series_id) or catalog.user_series(series_id)
    if spec.frequency is Frequency.DAILY:
        from liqwatch.calendar import BDAY

        nxt = (pd.Timestamp(last) + BDAY).date()
    else:
        nxt = (pd.Timestamp(last) + spec.frequency.period).date()
    return spec.release.published_one(nxt, spec.frequency), spec.release.grace_days


def _core_on(store: Store, day: date) -> list[CoreSeries]:
    ids = [sid for c in CORE for sid in c.ids]
    frame = store.read(ids, end=day, as_of=day)
    last_by_id = (frame.groupby("series_id")["date"].max() if not frame.empty
                  else pd.Series(dtype="datetime64[ns]"))
    out = []
    for concept in CORE:
        known = [(sid, pd.Timestamp(last_by_id[sid]).date()) for sid in concept.ids
                 if sid in last_by_id.index]
        if not known:
            continue
        sid, last = max(known, key=lambda kv: kv[1])  # the alternative that runs furthest
        due, grace = _next_due(sid, last)
        out.append(CoreSeries(concept.key, sid, concept.en if sid != "EFFR" else "EFFR",
                              concept.ja if sid != "EFFR" else "EFFR", last, due, grace))
    return out


def resolve_as_of(store: Store, asked: date | None = None, *,
                  today: date | None = None) -> AsOf:
    """The day to report on for ``asked`` (None: now).

    Parameters
    ----------
    store
        The store.
    asked
        The day asked for (``--as-of``); None for the latest.
    today
        The calendar day (default: today, UTC).

    Returns
    -------
    AsOf
        ``asked`` (or today) when the core series were current on it; otherwise the latest
        earlier business day on which none of them was overdue, with the reason.
    """
    today = today or datetime.now(UTC).date()
    target = min(asked, today) if asked is not None else today
    core = _core_on(store, target)
    if not core:
        return AsOf(day=target, asked=asked, today=today, core=())
    if all(c.current_on(target) for c in core):
        return AsOf(day=target, asked=asked, today=today, core=tuple(core))
    from liqwatch.calendar import is_business_day

    day = min(min(c.on_time_until for c in core), target)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return AsOf(day=day, asked=asked, today=today, core=tuple(core))
