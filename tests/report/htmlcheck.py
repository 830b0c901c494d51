"""A small HTML checker for the report tests (standard-library parser)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
URL_ATTRS = {"src", "href", "action", "srcset", "poster", "data", "formaction"}


@dataclass
class Parsed:
    """What the parser saw."""

    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    url_refs: list[str] = field(default_factory=list)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    html_lang: str | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Parsed()
        self.stack: list[str] = []
        self._script_attrs: dict[str, str] | None = None
        self._buf: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.out.html_lang = a.get("lang")
        if "id" in a:
            if a["id"] in self.out.ids:
                self.out.errors.append(f"duplicate id {a['id']}")
            self.out.ids[a["id"]] = {"tag": tag, **a}
        for k, v in a.items():
            if k in URL_ATTRS:
                self.out.url_refs.append(v)
            if k == "style":
                self.out.styles.append(v)
        if tag == "script":
            self._script_attrs = a
            self._buf = []
        if tag == "style":
            self._in_style = True
            self._buf = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.out.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag == "script" and self._script_attrs is not None:
            self.out.scripts.append((self._script_attrs, "".join(self._buf)))
            self._script_attrs = None
        if tag == "style":
            self.out.styles.append("".join(self._buf))
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._script_attrs is not None or self._in_style:
            self._buf.append(data)
        else:
            self.out.text.append(data)


def parse(html: str) -> Parsed:
    """Parse ``html``; unbalanced tags are listed in ``errors``."""
    p = _Parser()
    p.feed(html)
    p.close()
    if p.stack:
        p.out.errors.append(f"unclosed tags: {p.stack}")
    return p.out


def external_refs(parsed: Parsed) -> list[str]:
    """Every reference that would make the browser contact another host."""
    bad = [u for u in parsed.url_refs if re.match(r"^\s*(https?:)?//", u, re.I)]
    for css in parsed.styles:
        bad += re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css, re.I)
        bad += re.findall(r"@import\s+['\"]?((?:https?:)?//[^'\";]+)", css, re.I)
    return bad


def figures(parsed: Parsed) -> dict[str, dict[str, object]]:
    """The chart specs embedded as JSON, by element id."""
    out = {}
    for attrs, body in parsed.scripts:
        if attrs.get("type") == "application/json":
            out[attrs["id"]] = json.loads(body)
    return out


def visible_text(parsed: Parsed) -> str:
    """The page text outside scripts and styles."""
    return re.sub(r"\s+", " ", " ".join(parsed.text))
