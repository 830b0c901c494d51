"""Point-in-time store: every vintage of every observation, with when it was published.

The default is one DuckDB file; a team shares a PostgreSQL database (``--db postgresql://…``).
"""

from liqwatch.store.backend import DEFAULT_LOCK_TIMEOUT
from liqwatch.store.db import SCHEMA_VERSION
from liqwatch.store.location import StoreLocation, parse_location
from liqwatch.store.repository import OPEN_END, TABLES, Store, WriteResult

__all__ = ["DEFAULT_LOCK_TIMEOUT", "OPEN_END", "SCHEMA_VERSION", "TABLES", "Store",
           "StoreLocation", "WriteResult", "parse_location"]
