"""Help text that reads well at any terminal width.

Typer's Rich help keeps every line break of a docstring, so prose wrapped at 100 columns in the
source breaks raggedly in an 80-column terminal. :func:`reflow_help` joins the lines of prose
paragraphs (indented example lines are kept as they are) in every command's help.
"""

from __future__ import annotations

import inspect
from typing import Any

import typer
from typer.core import TyperArgument, TyperOption
from typer.main import solve_typer_info_help

__all__ = ["hide_flag_types", "reflow", "reflow_help"]

#: An empty Rich markup tag: it prints nothing but keeps ``inspect.cleandoc`` (which Typer
#: applies to the help after its first paragraph) from stripping the examples' indentation.
_KEEP_INDENT = "[dim][/dim]"


def reflow(text: str) -> str:
    """``text`` with the lines of each prose paragraph joined; indented lines kept."""
    out = []
    for para in inspect.cleandoc(text).split("\n\n"):
        lines = para.split("\n")
        if any(line.startswith(" ") for line in lines):
            out.append("\n".join(_KEEP_INDENT + line if line.startswith(" ") else line
                                 for line in lines))
        else:
            out.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(out)


def reflow_help(app: typer.Typer) -> None:
    """Reflow the help of ``app``, its commands and its groups, recursively (idempotent)."""
    if getattr(app, "_liqwatch_reflowed", False):
        return
    for cmd in app.registered_commands:
        text = cmd.help or (inspect.getdoc(cmd.callback) if cmd.callback else None)
        if text:
            cmd.help = reflow(text)
    for group in app.registered_groups:
        text = solve_typer_info_help(group)
        if text:
            group.help = reflow(text)
        if group.typer_instance is not None:
            reflow_help(group.typer_instance)
    app._liqwatch_reflowed = True  # type: ignore[attr-defined]


def hide_flag_types() -> None:
    """Show no ``<bool>`` placeholder for flags (``--help``, ``--all``, ``--x/--no-x``).

    Typer's Rich help prints the type of every option without a metavar, including flags,
    which take no value, and a ``<path>`` type beside arguments already named ``FILE``.
    Idempotent.
    """
    original = TyperOption.display_type_rich
    if getattr(original, "_liqwatch_flags_hidden", False):
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        if self.is_flag and self.metavar is None:
            return None
        return original(self, ctx)

    display_type_rich._liqwatch_flags_hidden = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
    arg_original = TyperArgument.display_type_rich

    def arg_display_type_rich(self: TyperArgument, ctx: Any) -> str | None:
        return None if self.metavar else arg_original(self, ctx)

    TyperArgument.display_type_rich = (  # type: ignore[method-assign]
        arg_display_type_rich)  # type: ignore[assignment]
