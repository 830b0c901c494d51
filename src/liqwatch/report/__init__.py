"""Reports: a self-contained HTML page in English or Japanese, and data exports.

Sections that depend on modules not installed (composite index, analogs, scenarios, claim
checking) show a clear "not available yet" note instead of breaking the page.
"""

from __future__ import annotations

from liqwatch.report.build import SECTION_KEYS, build_report, build_sections, write_report

__all__ = ["SECTION_KEYS", "build_report", "build_sections", "write_report"]
