"""``--help`` reads well in an 80-column terminal: prose is filled, examples are indented."""

from __future__ import annotations

import pytest

from liqwatch.cli import main
from liqwatch.cli._help import reflow

COMMANDS = [["status"], ["series"], ["import"], ["catalog"], ["demo"], ["indicators"],
            ["indicators", "history"], ["scenario"], ["scenario", "validate"], ["nowcast"],
            ["alerts"], ["alerts", "ack"], ["watch"]]


def help_text(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as info:
        main([*args, "--help"])
    assert info.value.code in (0, None)
    return capsys.readouterr().out


def test_reflow_joins_prose_and_keeps_examples() -> None:
    text = reflow("Summary.\n\n    A long\n    sentence.\n\n    Examples:\n\n        liqwatch x\n")
    head, prose, examples_head, example = text.split("\n\n")
    assert head == "Summary." and prose == "A long sentence."
    assert example.endswith("    liqwatch x") and examples_head == "Examples:"


@pytest.mark.parametrize("cmd", COMMANDS, ids=" ".join)
def test_help_is_filled_and_shows_an_indented_example(
    cmd: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = help_text(capsys, *cmd)
    description = out.split("╭─")[0]
    assert "     liqwatch " in description  # an example, indented
    paragraphs: list[list[str]] = [[]]
    for line in description.splitlines():
        if line.strip():
            paragraphs[-1].append(line.rstrip())
        else:
            paragraphs.append([])
    for para in paragraphs:
        if not para or para[0].startswith("     ") or para[0].lstrip().startswith("Usage"):
            continue
        for line in para[:-1]:  # every line but a paragraph's last is filled
            assert len(line.strip()) >= 55, (cmd, line)


def test_options_have_readable_placeholders(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    out = help_text(capsys, "scenario")
    assert "<str>" not in out and "<float>" not in out
    assert "--as-of                    DATE" in out and "--purchases                BN" in out
    out = help_text(capsys, "status")
    assert "--all             <bool>" not in out


@pytest.mark.parametrize("cmd", [("analogs",), ("stress",), ("export",), ("report",), ("serve",),
                                 ("check",), ("claims", "extract")])
def test_flags_show_no_type_placeholder(capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch,
                                        cmd: tuple[str, ...]) -> None:
    """Flags take no value: no "<bool>" beside --help or --include-current/--exclude-current."""
    monkeypatch.setenv("COLUMNS", "120")
    out = help_text(capsys, *cmd)
    assert "--help" in out and "<bool>" not in out
    assert "<path>" not in out and "<int>" not in out


def test_examples_fit_80_columns() -> None:
    """An example wider than an 80-column help panel wraps and no longer pastes as one line."""
    import inspect

    from liqwatch.cli import app

    def commands(typer_app: object) -> list[object]:
        out = [c.callback for c in typer_app.registered_commands]  # type: ignore[attr-defined]
        for g in typer_app.registered_groups:  # type: ignore[attr-defined]
            out.append(g.typer_instance.registered_callback.callback
                       if g.typer_instance.registered_callback else None)
            out += commands(g.typer_instance)
        return out

    long = []
    for fn in commands(app):
        for line in (inspect.getdoc(fn) or "").splitlines() if fn else []:
            if line.lstrip().startswith(("liqwatch ", "FRED_API_KEY=", "LIQWATCH_")) \
                    and len(line.strip()) > 73:
                long.append(line.strip())
    assert long == []
