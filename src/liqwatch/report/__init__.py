"""Reports: a self-contained HTML page in English or Japanese, and data exports.

A section whose data the store cannot provide (a composite index without its inputs, no
projection start) shows a note saying what is missing instead of breaking the page.
"""

from __future__ import annotations

from liqwatch.report.build import SECTION_KEYS, build_report, build_sections, write_report

__all__ = ["SECTION_KEYS", "build_report", "build_sections", "write_report"]
