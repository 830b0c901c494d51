"""The catalog: every series well-formed, publication lags as the schedules say."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from liqwatch import catalog
from liqwatch.exceptions import UnknownSeriesError

APPENDIX_IDS = [
    "SOFR", "SOFR1", "SOFR25", "SOFR75", "SOFR99", "SOFRVOL", "EFFR", "EFFR1", "EFFR99",
    "EFFRVOL", "OBFR", "TGCR", "BGCR", "IORB", "IOER", "RRPONTSYAWARD", "DFEDTARU", "DFEDTARL",
    "SRF_MIN_BID", "WALCL", "TREAST", "WSHOMCB", "WRESBAL", "WTREGEN", "WLRRAFOIAL", "WCURCIR",
    "SWPT", "WLCFLPCL", "RRPONTSYD", "RPONTSYD", "TGA_DTS", "TLAACBW027SBOG", "GDP", "UNRATE",
    "BTCUSD", "CBBTCUSD", "NASDAQ100", "SP500", "VIXCLS", "DGS10", "DGS3MO", "DTB3",
    "DCOILWTICO", "RCLC1", "RCLC4", "DTWEXBGS", "BAMLH0A0HYM2", "DRCCLACBS", "DRCLACBS",
    "DRALACBS", "DRSFRMACBS", "RIFSPPFAAD90NB", "RIFSPPNA2P2D90NB", "XCCY_BASIS_EUR_3M",
    "OFR_FSI", "OFR_FSI_FUNDING", "OFR_FSI_US", "OFR_REPO_TRI_RATE", "STLFSI4", "NFCI",
    "ANFCI", "KCFSI",
]


def test_appendix_series_are_catalogued() -> None:
    cat = catalog.catalog()
    missing = [i for i in APPENDIX_IDS if i not in cat]
    assert missing == []


def test_every_entry_is_complete_and_bilingual() -> None:
    for spec in catalog.catalog().values():
        assert spec.source in catalog.SOURCES, spec.id
        assert spec.en and spec.ja, spec.id
        assert spec.ja != spec.en, spec.id
        if spec.variant_of:
            assert catalog.is_known(spec.variant_of), f"{spec.id} -> {spec.variant_of}"


def test_every_real_file_is_catalogued(raw_dir: Path) -> None:
    ids = {p.stem for p in raw_dir.glob("*.csv")} - {"MANIFEST"}
    assert sorted(i for i in ids if not catalog.is_known(i)) == []


def test_unknown_series_raises_with_its_id() -> None:
    with pytest.raises(UnknownSeriesError, match="NOPE"):
        catalog.get("NOPE")


@pytest.mark.parametrize(
    ("series_id", "obs", "published"),
    [
        # SOFR for day D: 08:00 ET the next business day (Friday -> Monday).
        ("SOFR", "2019-09-17", "2019-09-18"),
        ("SOFR", "2019-09-20", "2019-09-23"),
        # Across Christmas: 2019-12-24 -> 2019-12-26.
        ("SOFR", "2019-12-24", "2019-12-26"),
        # H.4.1 Wednesday level -> Thursday.
        ("WALCL", "2019-09-18", "2019-09-19"),
        # Quarterly delinquency: about two months after quarter end.
        ("DRCCLACBS", "2025-04-01", "2025-08-29"),
        # Monthly unemployment: first week of the next month.
        ("UNRATE", "2025-10-01", "2025-11-07"),
        # Administered rates are known on their effective date.
        ("IORB", "2025-10-30", "2025-10-30"),
    ],
)
def test_publication_lags(series_id: str, obs: str, published: str) -> None:
    spec = catalog.get(series_id)
    out = spec.release.published(pd.DatetimeIndex([obs]), spec.frequency)
    assert out.iloc[0] == pd.Timestamp(published)


def test_staleness_follows_the_schedule() -> None:
    sofr = catalog.get("SOFR")
    # Friday's SOFR is due Monday; by Tuesday plus grace it is not yet stale.
    assert not sofr.is_stale(date(2025, 10, 31), date(2025, 11, 4))
    assert sofr.is_stale(date(2025, 10, 31), date(2025, 11, 20))
    walcl = catalog.get("WALCL")
    assert not walcl.is_stale(date(2025, 10, 29), date(2025, 11, 6))
    assert walcl.is_stale(date(2025, 10, 29), date(2025, 11, 20))
