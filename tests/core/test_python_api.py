"""The public Python API: names, version, and the documentation notebook run end to end."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import liqwatch

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "examples" / "quickstart.ipynb"


def test_public_names_resolve() -> None:
    for name in liqwatch.__all__:
        assert getattr(liqwatch, name) is not None, name
    assert liqwatch.__version__.count(".") == 2
    with pytest.raises(AttributeError):
        _ = liqwatch.no_such_name  # type: ignore[attr-defined]


def test_version_option(cli: Any) -> None:
    code, out, _ = cli("--version")
    assert code == 0 and out.strip() == f"liqwatch {liqwatch.__version__}"


def test_documentation_notebook_runs(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every code cell of docs/examples/quickstart.ipynb, in order, on the real data."""
    monkeypatch.setitem(os.environ, "LIQWATCH_DB", str(real_db))
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    namespace: dict[str, Any] = {}
    code = [c for c in cells if c["cell_type"] == "code"]
    assert len(code) >= 6
    for cell in code:
        exec(compile("".join(cell["source"]), str(NOTEBOOK), "exec"), namespace)
    assert namespace["day"].overall.status in ("normal", "watch", "alert")
    assert namespace["sep19"].indicator("sofr_iorb_bp")["value"] == pytest.approx(315.0)
    namespace["store"].close()


def test_the_library_loads_its_own_modules_by_import_only() -> None:
    """No ``importlib`` plugin loading or package-data lookups in the package, and no library
    module that reaches into the command line."""
    src = Path(liqwatch.__file__).resolve().parent
    offenders = []
    for path in sorted(src.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(src).as_posix()
        if "importlib" in text:
            offenders.append(f"{rel}: importlib")
        if "from liqwatch.cli" in text and not rel.startswith("cli/") and rel != "__main__.py":
            offenders.append(f"{rel}: imports liqwatch.cli")
    assert offenders == []
