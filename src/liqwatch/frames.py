"""Rows of pandas frames as plain dicts keyed by column name."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd

__all__ = ["records", "row_of"]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts keyed by column name (as strings)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def row_of(frame: pd.DataFrame, label: Hashable) -> dict[str, Any]:
    """The row of ``frame`` at index ``label`` as a dict (the last one when it repeats).

    Raises
    ------
    KeyError
        When ``label`` is not in the index.
    """
    rows = frame.loc[[label]]
    return {str(k): v for k, v in rows.iloc[-1].items()}
