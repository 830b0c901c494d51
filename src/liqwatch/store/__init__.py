"""Point-in-time DuckDB store: every vintage of every observation, with when it was published."""

from liqwatch.store.db import SCHEMA_VERSION, connect
from liqwatch.store.repository import OPEN_END, Store, WriteResult

__all__ = ["OPEN_END", "SCHEMA_VERSION", "Store", "WriteResult", "connect"]
