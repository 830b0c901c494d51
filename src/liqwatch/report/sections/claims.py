"""The "numbers checked" section, rendered by :mod:`liqwatch.claims`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from liqwatch.claims import check, load_claims, render_html_section
from liqwatch.report.context import Context
from liqwatch.report.model import Section

__all__ = ["build"]


def build(ctx: Context, claims: Any) -> Section:
    """Check ``claims`` (a path to a claims file, or already checked results) and render them.

    A report of "now" checks against the current values; a report asked for a past day
    checks against what was published by that day (what the writer could know).
    """
    sec = Section("claims", ctx.label("claims"))
    if isinstance(claims, (str, Path)):
        loaded = load_claims(Path(claims))
        if ctx.assessment.as_of.asked is None:
            results = check(ctx.store, loaded)
        else:
            results = check(ctx.store, loaded, as_of=ctx.as_of)
    else:
        results = claims
    sec.html = str(render_html_section(results, lang=ctx.lang))
    return sec.finish()
