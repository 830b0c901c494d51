"""The glossary: one Japanese name per term on every surface, and the examples in the
docstrings of the modules that write desk-facing text."""

from __future__ import annotations

import doctest
import importlib

import pytest

from liqwatch.glossary import TERMS, header, term
from liqwatch.report import i18n
from liqwatch.vocab import CATEGORIES, category_label


def test_professional_japanese_terms() -> None:
    assert term("reserves", "ja") == "準備預金"
    assert term("on_rrp", "ja").startswith("翌日物リバースレポ")
    assert term("srf", "ja").startswith("常設レポファシリティ")
    assert term("tga", "ja").startswith("財務省一般口座")
    assert all(en and ja for en, ja in TERMS.values())


def test_one_name_per_category_on_every_surface() -> None:
    """The CLI (vocab), the report's labels and the glossary name each category alike;
    "funding" is translated one way."""
    for c in CATEGORIES:
        assert category_label(c, "ja") == term(c, "ja") == i18n.label(f"cat_{c}", "ja")
    assert category_label("funding", "ja") == "短期資金市場"


def test_headers_stay_machine_readable_in_english() -> None:
    assert header("series_id", "en") == "series_id"
    assert header("series_id", "ja") == "系列"
    assert header("unknown_column", "ja") == "unknown_column"


@pytest.mark.parametrize("module", ["liqwatch.glossary", "liqwatch.alerts.message",
                                    "liqwatch.indicators.explain", "liqwatch.report.charts",
                                    "liqwatch.vocab"])
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
