"""The "numbers checked" section, rendered by ``liqwatch.claims`` when it is installed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from liqwatch.report.context import Context, Unavailable
from liqwatch.report.model import Section

__all__ = ["build"]


def build(ctx: Context, claims: Any) -> Section:
    """Check ``claims`` (a path to a claims file, or already checked results) and render them."""
    sec = Section("claims", ctx.label("claims"))
    try:
        mod = ctx.module("claims", "Claim checking", "数値の検証")
        render = getattr(mod, "render_html_section", None)
        if render is None:
            raise Unavailable(ctx.t("Claim checking cannot render a report section yet.",
                                    "数値の検証はまだレポートに出力できません。"))
        if isinstance(claims, (str, Path)):
            loaded = mod.load_claims(Path(claims))
            if ctx.latest:
                results = mod.check(ctx.store, loaded)
            else:  # point in time: only what was published by the report's day
                try:
                    results = mod.check(ctx.store, loaded, as_of=ctx.as_of)
                except TypeError:  # a claims module without as-of checking
                    results = mod.check(ctx.store, loaded)
        else:
            results = claims
        sec.html = str(render(results, lang=ctx.lang))
    except Unavailable as exc:
        sec.unavailable(str(exc))
    return sec.finish()
