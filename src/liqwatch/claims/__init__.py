"""Checking the numbers in market commentary against the data.

Claims are data (YAML/JSON, :func:`load_claims`), drafted from text with :func:`extract`, and
checked with :func:`check`; :func:`render_html_section` renders results for the report.
"""

from __future__ import annotations

from liqwatch.claims.check import VERDICTS, Alternative, ClaimResult, check, summary_counts
from liqwatch.claims.extract import Draft, Unmapped, extract
from liqwatch.claims.render import render_html_section
from liqwatch.claims.schema import KINDS, Claim, dump_claims, load_claims, parse_claims

__all__ = [
    "KINDS",
    "VERDICTS",
    "Alternative",
    "Claim",
    "ClaimResult",
    "Draft",
    "Unmapped",
    "check",
    "dump_claims",
    "extract",
    "load_claims",
    "parse_claims",
    "render_html_section",
    "summary_counts",
]
