"""The pieces a report is made of: sentences with sources, charts, tables, sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Cell", "Chart", "Section", "Sentence", "Table", "Tile"]

SectionState = Literal["ok", "partial", "unavailable"]


@dataclass(frozen=True)
class Sentence:
    """One sentence of narrative, the series its numbers come from, and the indicator
    readings it quotes as ``(indicator id, value as written)`` pairs."""

    text: str
    refs: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Chart:
    """A Plotly figure (plain dict: ``data`` and ``layout``) with a caption."""

    key: str
    title: str
    figure: dict[str, Any]
    caption: str = ""
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    """A table cell: text and an optional CSS class (e.g. a status colour)."""

    text: str
    css: str = ""
    title: str = ""


@dataclass(frozen=True)
class Table:
    """A small table shown under a section."""

    columns: list[str]
    rows: list[list[Cell]]
    caption: str = ""


@dataclass(frozen=True)
class Tile:
    """A headline number in the summary strip (``indicator``: the reading it shows)."""

    label: str
    value: str
    sub: str = ""
    css: str = ""
    ref: str | None = None
    indicator: str | None = None


@dataclass
class Section:
    """One section of the report.

    ``state`` is ``unavailable`` when the module or data behind it is missing (``notes`` say
    why), ``partial`` when some of its parts are.
    """

    key: str
    title: str
    state: SectionState = "ok"
    sentences: list[Sentence] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    html: str | None = None  # an already escaped fragment (the claims section)
    extra: dict[str, Any] = field(default_factory=dict)

    def unavailable(self, note: str) -> None:
        """Record that one part is missing; the section becomes partial or unavailable."""
        self.notes.append(note)
        has_content = bool(self.sentences or self.charts or self.tables or self.html)
        self.state = "partial" if has_content else "unavailable"

    def finish(self) -> Section:
        """Fix the state once every part was added."""
        has_content = bool(self.sentences or self.charts or self.tables or self.html)
        if self.notes:
            self.state = "partial" if has_content else "unavailable"
        elif not has_content:
            self.state = "unavailable"
        return self
