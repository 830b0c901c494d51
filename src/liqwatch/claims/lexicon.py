"""Names of the series commentary talks about, in English and Japanese.

A *concept* is what a writer names ("reserves", "準備預金", "the TGA"); it maps to the series
liqwatch reads by default and to other series a reasonable reader could also mean (its
*readings*, e.g. the daily TGA and its H.4.1 week average). A claim may name a concept (checked
with every reading) or an exact series id (checked on that series only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

__all__ = ["CONCEPTS", "Concept", "Mention", "Reading", "concept", "find_mentions"]


@dataclass(frozen=True, slots=True)
class Reading:
    """One series a concept can be read as."""

    series: str
    en: str
    ja: str


@dataclass(frozen=True, slots=True)
class Concept:
    """A thing commentary names, with its default series and other readings.

    Attributes
    ----------
    key
        Name used in claims files (``reserves``, ``TGA``, ``ON RRP``, ...).
    series
        The series read by default.
    en, ja
        Names in English and Japanese (matched in text; English case-insensitively).
    readings
        Other series a reasonable reader could mean.
    splice
        Older series used for dates before ``splice[1]`` (``IORB`` before 2021-07-29 is IOER).
    """

    key: str
    series: str
    en: tuple[str, ...]
    ja: tuple[str, ...] = ()
    readings: tuple[Reading, ...] = ()
    splice: tuple[str, str] | None = None
    case_sensitive: tuple[str, ...] = field(default=())


def _c(
    key: str,
    series: str,
    en: tuple[str, ...],
    ja: tuple[str, ...] = (),
    readings: tuple[Reading, ...] = (),
    splice: tuple[str, str] | None = None,
    case_sensitive: tuple[str, ...] = (),
) -> Concept:
    return Concept(key, series, en, ja, readings, splice, case_sensitive)


_WEEK_AVG = "H.4.1 week average"
_WEEK_AVG_JA = "H.4.1 週平均"

CONCEPTS: dict[str, Concept] = {
    c.key: c
    for c in (
        _c(
            "SOFR",
            "SOFR",
            ("SOFR", "secured overnight financing rate"),
            ("担保付翌日物調達金利", "担保付き翌日物調達金利"),
        ),
        _c(
            "SOFR 99th percentile",
            "SOFR99",
            ("99th percentile of SOFR", "SOFR 99th percentile", "SOFR's 99th percentile"),
            ("SOFRの99パーセンタイル", "SOFR 99パーセンタイル"),
        ),
        _c("SOFR 1st percentile", "SOFR1", ("1st percentile of SOFR", "SOFR 1st percentile")),
        _c(
            "SOFR volume",
            "SOFRVOL",
            ("SOFR volume", "SOFR volumes"),
            ("SOFR取引量", "SOFRの取引量"),
        ),
        _c(
            "EFFR",
            "EFFR",
            (
                "EFFR",
                "effective fed funds rate",
                "effective federal funds rate",
                "fed funds rate",
                "fed funds effective rate",
            ),
            ("実効FF金利", "実効フェデラルファンド金利", "FF金利", "フェデラルファンド金利"),
            readings=(Reading("DFF", "calendar-day series DFF", "暦日ベースの DFF"),),
        ),
        _c(
            "OBFR", "OBFR", ("OBFR", "overnight bank funding rate"), ("オーバーナイト銀行調達金利",)
        ),
        _c("TGCR", "TGCR", ("TGCR", "tri-party general collateral rate"), ("三者間GCレポ金利",)),
        _c("BGCR", "BGCR", ("BGCR", "broad general collateral rate"), ("広義GCレポ金利",)),
        _c(
            "IORB",
            "IORB",
            (
                "IORB",
                "interest on reserve balances",
                "interest rate on reserve balances",
                "IOER",
                "interest on excess reserves",
            ),
            ("準備預金付利", "超過準備付利", "付利"),
            splice=("IOER", "2021-07-29"),
        ),
        _c(
            "ON RRP rate",
            "RRPONTSYAWARD",
            ("ON RRP rate", "RRP rate", "reverse repo rate"),
            ("リバースレポ金利", "ON RRP金利"),
        ),
        _c(
            "target range top",
            "DFEDTARU",
            ("top of the target range", "top of the range", "top of the fed funds range",
             "upper bound"),
            ("誘導目標レンジ上限", "目標レンジ上限", "誘導目標の上限", "誘導目標上限"),
        ),
        _c(
            "target range bottom",
            "DFEDTARL",
            ("bottom of the target range", "bottom of the range",
             "bottom of the fed funds range", "lower bound"),
            ("誘導目標レンジ下限", "目標レンジ下限", "誘導目標の下限", "誘導目標下限"),
        ),
        _c(
            "reserves",
            "WRESBAL",
            ("reserve balances", "bank reserves", "reserves"),
            ("準備預金残高", "準備預金", "準備金", "当座預金残高"),
        ),
        _c(
            "TGA",
            "TGA_DTS",
            (
                "Treasury General Account",
                "Treasury's General Account",
                "TGA",
                "Treasury cash balance",
            ),
            ("財務省一般勘定", "TGA残高", "TGA"),
            readings=(Reading("WTREGEN", _WEEK_AVG, _WEEK_AVG_JA),),
        ),
        _c(
            "ON RRP",
            "RRPONTSYD",
            (
                "overnight reverse repo facility",
                "overnight reverse repo",
                "reverse repo facility",
                "ON RRP",
                "RRP facility",
                "reverse repo",
                "RRP",
            ),
            ("翌日物リバースレポ", "リバースレポ", "ON RRP", "RRP"),
            readings=(
                Reading(
                    "WREPODEL",
                    _WEEK_AVG + " (reverse repos with others)",
                    _WEEK_AVG_JA + " (その他向けリバースレポ)",
                ),
            ),
        ),
        _c(
            "SRF",
            "RPONTTLD_NYFED",
            ("standing repo facility", "SRF", "repo facility"),
            ("常設レポファシリティ", "常設レポ", "SRF"),
            readings=(Reading("WREPO", _WEEK_AVG + " of Fed repos", _WEEK_AVG_JA + " (FRB レポ)"),),
        ),
        _c(
            "Fed balance sheet",
            "WALCL",
            (
                "Fed's balance sheet",
                "Fed balance sheet",
                "Fed total assets",
                "Federal Reserve's balance sheet",
            ),
            ("FRBの総資産", "FRB総資産", "FRBのバランスシート", "連銀の総資産"),
        ),
        _c("Fed Treasury holdings", "TREAST", ("Fed's Treasury holdings",), ("FRB保有国債",)),
        _c("currency in circulation", "WCURCIR", ("currency in circulation",), ("流通現金",)),
        _c(
            "bank assets",
            "TLAACBW027SBOG",
            ("commercial bank assets", "bank assets"),
            ("商業銀行の総資産", "銀行総資産", "銀行資産", "銀行の総資産"),
        ),
        _c("GDP", "GDP", ("nominal GDP", "GDP"), ("名目GDP", "GDP")),
        _c(
            "10-year yield",
            "DGS10",
            (
                "10-year Treasury yield",
                "10-year yield",
                "10-year note yield",
                "10y yield",
                "ten-year yield",
            ),
            ("米10年債利回り", "10年債利回り", "10年国債利回り", "長期金利"),
        ),
        _c(
            "3-month bill",
            "DGS3MO",
            ("3-month Treasury yield", "3-month bill yield"),
            ("3カ月物国債利回り", "3か月物国債利回り"),
        ),
        _c(
            "bitcoin",
            "BTCUSD",
            ("bitcoin", "BTC"),
            ("ビットコイン",),
            readings=(Reading("CBBTCUSD", "Coinbase close", "コインベース終値"),),
        ),
        _c(
            "Nasdaq 100",
            "NASDAQ100",
            ("Nasdaq-100", "Nasdaq 100", "NDX"),
            ("ナスダック100", "ナスダック100指数"),
        ),
        _c("S&P 500", "SP500", ("S&P 500", "S&P500"), ("S&P500", "S&P 500")),
        _c("VIX", "VIXCLS", ("VIX",), ("VIX", "恐怖指数")),
        _c(
            "WTI",
            "DCOILWTICO",
            ("WTI crude", "WTI", "crude oil", "oil price"),
            ("WTI原油", "WTI", "原油価格"),
            readings=(Reading("CL_F_YAHOO", "front-month futures close", "期近先物終値"),),
        ),
        _c(
            "high-yield spread",
            "BAMLH0A0HYM2",
            ("high-yield spread", "high yield spread", "HY spread", "junk bond spread"),
            ("ハイイールド債スプレッド", "HYスプレッド"),
        ),
        _c(
            "credit card delinquency",
            "DRCCLACBS",
            ("credit card delinquency rate", "credit card delinquencies"),
            ("クレジットカード延滞率", "カードローン延滞率"),
        ),
        _c(
            "consumer loan delinquency",
            "DRCLACBS",
            ("consumer loan delinquency rate",),
            ("消費者ローン延滞率",),
        ),
        _c(
            "mortgage delinquency",
            "DRSFRMACBS",
            ("mortgage delinquency rate",),
            ("住宅ローン延滞率",),
        ),
        _c(
            "delinquency rate",
            "DRALACBS",
            ("delinquency rate on all loans", "delinquency rate"),
            ("延滞率",),
        ),
        _c("unemployment rate", "UNRATE", ("unemployment rate", "jobless rate"), ("失業率",)),
        _c(
            "dollar index",
            "DTWEXBGS",
            ("broad dollar index", "trade-weighted dollar"),
            ("ドル実効レート", "ドル指数"),
        ),
        # liqwatch indicators (computed from several series)
        _c(
            "EUR/USD basis",
            "indicator:xccy_basis_eur_bp",
            ("EUR/USD cross-currency basis", "EUR/USD basis", "euro-dollar basis",
             "EUR/USD xccy basis"),
            ("ユーロ/ドルのベーシス", "ユーロドル・ベーシス", "ユーロ・ドル通貨ベーシス",
             "ユーロドルのベーシス"),
        ),
        _c(
            "USD/JPY basis",
            "indicator:xccy_basis_jpy_bp",
            ("USD/JPY cross-currency basis", "USD/JPY basis", "dollar-yen basis"),
            ("ドル円ベーシス", "ドル・円のベーシス", "ドル円通貨ベーシス", "ドル円のベーシス"),
        ),
        _c(
            "net liquidity",
            "indicator:net_liquidity_tn",
            ("net liquidity",),
            ("ネット流動性", "ネットリクイディティ"),
        ),
        _c(
            "OFR FSI",
            "OFR_FSI",
            ("OFR Financial Stress Index", "OFR FSI"),
            ("OFR金融ストレス指数",),
        ),
        _c("NFCI", "NFCI", ("NFCI", "National Financial Conditions Index"), ("全米金融環境指数",)),
        _c(
            "STLFSI",
            "STLFSI4",
            ("St. Louis Fed Financial Stress Index", "STLFSI"),
            ("セントルイス連銀金融ストレス指数",),
        ),
    )
}

_LOWER = {k.lower(): k for k in CONCEPTS}


def concept(name: str) -> Concept | None:
    """The concept called ``name`` (its key or any of its names), or ``None``."""
    key = _LOWER.get(name.strip().lower())
    if key is not None:
        return CONCEPTS[key]
    for c in CONCEPTS.values():
        if name in c.ja or name.lower() in (n.lower() for n in c.en):
            return c
    return None


@dataclass(frozen=True, slots=True)
class Mention:
    """A concept named in a text, at ``start``..``end``."""

    concept: Concept
    text: str
    start: int
    end: int


@cache
def _pattern() -> re.Pattern[str]:
    names: list[str] = []
    for c in CONCEPTS.values():
        names += [*c.en, *c.ja]
    names = sorted(set(names), key=len, reverse=True)
    alts = []
    for n in names:
        esc = re.escape(n).replace(r"\ ", r"[\s\-]?")
        # ASCII names are whole words; Japanese names can sit inside a run of kana/kanji
        alts.append(rf"(?<![A-Za-z]){esc}(?![A-Za-z])" if n.isascii() else esc)
    return re.compile("|".join(alts), re.IGNORECASE)


_OTHER_RESERVES = re.compile(
    r"(?:foreign|FX|forex|currency|gold|oil|petroleum|crude|strategic|外貨|外為|金|石油)"
    r"[\s\-]*(?:exchange\s*)?$",
    re.IGNORECASE,
)


@cache
def _by_name() -> dict[str, Concept]:
    out: dict[str, Concept] = {}
    for c in CONCEPTS.values():
        for n in (*c.en, *c.ja):
            out.setdefault(re.sub(r"[\s\-]", "", n.lower()), c)
    return out


def find_mentions(text: str) -> list[Mention]:
    """Every concept named in ``text`` (longest names first, no overlaps), in order."""
    out = []
    for m in _pattern().finditer(text):
        key = re.sub(r"[\s\-]", "", m.group(0).lower())
        c = _by_name().get(key)
        if c is not None and c.key == "reserves" and _OTHER_RESERVES.search(
            text[max(0, m.start() - 24):m.start()]
        ):
            continue  # foreign-exchange, gold or oil reserves are not bank reserves
        if c is not None:
            out.append(Mention(c, m.group(0), m.start(), m.end()))
    return out
