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
