"""The kinds of funding-calendar day and the dating rules, read from ``fundcal/events.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from liqwatch.exceptions import ConfigError
from liqwatch.files import package_path
from liqwatch.vocab import pick

__all__ = ["ORDINARY", "EventKind", "Moved", "Rules", "kind", "kinds", "rules"]

#: The pseudo-kind of a day without any calendar event (its own baseline).
ORDINARY = "ordinary"

_PATH = "fundcal/events.toml"


@dataclass(frozen=True, slots=True)
class EventKind:
    """One kind of funding-calendar day.

    Attributes
    ----------
    id
        ``month_end``, ``tax_corporate``, ...
    en, ja
        Short name (``month-end`` / ``月末``).
    rank
        The highest-ranked kind of a day names it and gives its baseline.
    lookback
        Past occurrences of the kind the turn-aware baseline takes the median of.
    pressure
        True when the day usually moves repo rates up.
    print_en, print_ja
        The reading on such a day (``a month-end print`` / ``月末の値``).
    usual_en, usual_ja
        Its baseline (``the usual month-end`` / ``通常の月末``).
    note_en, note_ja
        Why the day matters.
    """

    id: str
    en: str
    ja: str
    rank: int
    lookback: int
    pressure: bool
    print_en: str
    print_ja: str
    usual_en: str
    usual_ja: str
    note_en: str
    note_ja: str

    def name(self, lang: str = "en") -> str:
        """Short name in ``lang``."""
        return pick(lang, self.en, self.ja)

    def note(self, lang: str = "en") -> str:
        """Why the day matters, in ``lang``."""
        return pick(lang, self.note_en, self.note_ja)


@dataclass(frozen=True, slots=True)
class Moved:
    """A dated change to the rules: a tax date moved (``original`` set) or added (None).

    Before ``announced`` the original date is what was known.
    """

    kinds: tuple[str, ...]
    original: date | None
    day: date
    announced: date
    note: str


@dataclass(frozen=True, slots=True)
class Rules:
    """The dating rules (``[rules]`` of the package data)."""

    year_end_turn_days: int
    coupon_mid_day: int
    gse_cash_day: int
    corporate_tax_months: tuple[int, ...]
    individual_tax_months: tuple[int, ...]
    ordinary_lookback: int
    first_year: int
    changes: tuple[Moved, ...]


@cache
def _raw() -> dict[str, Any]:
    return tomllib.loads(package_path(_PATH).read_text("utf-8"))


_ORDINARY = EventKind(ORDINARY, "no calendar event", "暦上のイベントなし", 0, 20, False,
                      print_en="a print on an ordinary day", print_ja="通常日の値",
                      usual_en="the usual day without an event", usual_ja="イベントのない通常の日",
                      note_en="", note_ja="")


@cache
def kinds() -> dict[str, EventKind]:
    """Every kind by id, highest rank first (the pseudo-kind :data:`ORDINARY` excluded)."""
    out = []
    for key, spec in _raw()["kinds"].items():
        try:
            out.append(EventKind(id=key, **spec))
        except TypeError as exc:
            raise ConfigError(f"{_PATH}: kind {key!r} is malformed: {exc}") from exc
    return {k.id: k for k in sorted(out, key=lambda k: -k.rank)}


def kind(kind_id: str) -> EventKind:
    """The kind ``kind_id`` (``ordinary`` for a day without events)."""
    if kind_id == ORDINARY:
        return _ordinary()
    try:
        return kinds()[kind_id]
    except KeyError:
        raise ConfigError(f"unknown funding-calendar kind {kind_id!r}; known: "
                          f"{', '.join(kinds())}") from None


@cache
def _ordinary() -> EventKind:
    from dataclasses import replace

    return replace(_ORDINARY, lookback=rules().ordinary_lookback)


@cache
def rules() -> Rules:
    """The dating rules and the dated changes to them."""
    raw = _raw()
    r = raw["rules"]
    changes = tuple(
        Moved(tuple(m["kinds"]), m.get("from"), m["to"] if "to" in m else m["day"],
              m["announced"], m.get("note", ""))
        for m in (*raw.get("moved", ()), *raw.get("added", ())))
    for change in changes:
        for k in change.kinds:
            if k not in raw["kinds"]:
                raise ConfigError(f"{_PATH}: a dated change names unknown kind {k!r}")
    return Rules(int(r["year_end_turn_days"]), int(r["coupon_mid_day"]),
                 int(r["gse_cash_day"]), tuple(r["corporate_tax_months"]),
                 tuple(r["individual_tax_months"]), int(r["ordinary_lookback"]),
                 int(r["first_year"]), changes)
