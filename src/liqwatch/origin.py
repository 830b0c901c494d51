"""Where the stored data come from, in one sentence: the offline snapshot or live sources.

The offline snapshot (``../shared/data/raw``, or ``$LIQWATCH_SNAPSHOT_DIR``) is a folder of
CSV copies of the official series kept in public GitHub repositories; its ``MANIFEST.csv``
names, per series, the repository, path and commit each copy was read from. Series fetched by
``liqwatch update`` come from the official sources themselves. The report footer, its
provenance section and ``liqwatch status`` say which the store holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from liqwatch.store import Store

__all__ = ["DataOrigin", "data_origin"]


@dataclass(frozen=True)
class DataOrigin:
    """How many stored series came from each kind of place.

    Attributes
    ----------
    mirrored
        Series imported from files whose manifest names a public repository (the offline
        snapshot: copies of the official series).
    files
        Other series imported from files (the user's own CSV files).
    live
        Series fetched from the official sources (``liqwatch update``).
    repositories
        Distinct repositories the mirrored copies were read from.
    """

    mirrored: int = 0
    files: int = 0
    live: int = 0
    repositories: int = 0

    def sentence(self, lang: str = "en") -> str:
        """``Data: 101 series from the offline snapshot — …`` in ``lang``."""
        ja = lang == "ja"
        parts: list[str] = []
        if self.mirrored:
            parts.append(
                f"オフラインのスナップショットから {self.mirrored} 系列 (公式系列 "
                "(FRED/ALFRED、ニューヨーク連銀、米財務省、OFR、EIA、Coinbase) を公開 GitHub "
                f"リポジトリ {self.repositories} 件に保存された写しから読み込んだもの。系列ごとの"
                "リポジトリ・パス・コミットは「データの出所」と MANIFEST.csv に記載。公式の配信元"
                "から取得したものではありません)" if ja else
                f"{self.mirrored} series from the offline snapshot (copies of the official "
                "series — FRED/ALFRED, New York Fed, Treasury, OFR, EIA, Coinbase — kept in "
                f"{self.repositories} public GitHub repositories; each series' repository, "
                "path and commit are in the provenance table and MANIFEST.csv; not fetched "
                "from the official sources)")
        if self.live:
            parts.append(f"公式の配信元から取得した {self.live} 系列 (liqwatch update)" if ja
                         else f"{self.live} series fetched from the official sources "
                         "(liqwatch update)")
        if self.files:
            parts.append(f"利用者のファイルから {self.files} 系列" if ja
                         else f"{self.files} series from the user's own files")
        if not parts:
            return "データ: ストアは空です。" if ja else "Data: the store is empty."
        return ("データ: " + "、".join(parts) + "。") if ja else \
            ("Data: " + "; ".join(parts) + ".")


def _provenance(raw: Any) -> dict[str, Any]:
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return {}
    try:
        data = json.loads(str(raw))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def data_origin(store: Store, info: pd.DataFrame | None = None) -> DataOrigin:
    """Count the stored series by origin (``info``: :meth:`Store.series_info`, if at hand)."""
    frame = store.series_info() if info is None else info
    mirrored = files = live = 0
    repos: set[str] = set()
    for raw in frame.get("provenance", []):
        prov = _provenance(raw)
        if prov.get("source_repo"):
            mirrored += 1
            repos.update(r for r in str(prov["source_repo"]).split(";") if r)
        elif prov.get("file"):
            files += 1
        else:
            live += 1
    return DataOrigin(mirrored, files, live, len(repos))
