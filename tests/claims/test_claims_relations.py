"""Relations, named rates, context, hedges and non-claims: a true and a false sentence in English
and in Japanese for each, drafted and checked against the real data.

Facts looked up in the real series first (2025 unless said):
SOFR 4.04 (Oct 30), 4.22 (Oct 31), 4.13 (Nov 3), 3.95 (Nov 14); 4.31 on Oct 28, the highest
since 4.38 on Sep 17 (4.51 earlier in the year); IORB 3.90, DFEDTARU 4.00 and DFEDTARL 3.75
from Oct 30; EFFR 3.86 (Oct 31); RRPONTSYAWARD ends 2025-10-17, after which the ON RRP rate is
the bottom of the range (3.75 on Nov 3); SOFR was above the top of the range on the six
business days Oct 27 to Nov 3; RRPONTSYD 51.802 (Oct 31) and 2.435 (Oct 24, the lowest since
0.0 on 2021-03-17); WRESBAL 2,933,037 (Oct 22), 2,848,021 (Oct 29), 2,855,030 (Nov 12),
3,236,958 (2024-10-30); reserves/GDP 9.39% for the week to Nov 5 (the indicator
reserves_to_gdp_pct, with 2025Q2 GDP 30,485.729; 2025Q3 GDP was published only on 2025-12-23);
WALCL 6,580,462 (Nov 12); TGA_DTS 943,145 and WTREGEN 953,816 (Nov 12);
SOFRVOL 3,211 (Oct 31); WCBLSA 434,253 (2020-04-29).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from liqwatch.claims import extract
from liqwatch.claims.check import ClaimResult, check_one
from liqwatch.claims.data import DataContext
from liqwatch.store import Store

MONDAY = date(2025, 11, 3)

# (text, the day it was written or None, [(kind, verdict, data value or None), ...])
Case = tuple[str, date | None, list[tuple[str, str, float | None]]]

RELATIONS: list[Case] = [
    # spreads against named rates (the SRF minimum bid rate = the top of the range)
    ("On October 31, 2025, SOFR was 22 bp above the SRF minimum bid rate.", None,
     [("spread", "consistent", 22.0)]),
    ("On October 31, 2025, SOFR was 12 bp above the SRF minimum bid rate.", None,
     [("spread", "wrong", 22.0)]),
    ("2025年10月31日のSOFRはSRFの最低応札金利を22bp上回った。", None,
     [("spread", "consistent", 22.0)]),
    ("2025年10月31日のSOFRはSRFの最低応札金利を12bp上回った。", None,
     [("spread", "wrong", 22.0)]),
    # the ON RRP offering rate after RRPONTSYAWARD ends: the bottom of the range
    ("On November 3, 2025, SOFR was 38 bp above the ON RRP offering rate.", None,
     [("spread", "consistent", 38.0)]),
    ("On November 3, 2025, SOFR was 28 bp above the ON RRP offering rate.", None,
     [("spread", "wrong", 38.0)]),
    ("2025年11月3日、SOFRはON RRP金利より38bp高かった。", None,
     [("spread", "consistent", 38.0)]),
    ("2025年11月3日、SOFRはON RRP金利より28bp高かった。", None, [("spread", "wrong", 38.0)]),
    # the discount rate (primary credit = the top of the range since March 2020)
    ("On October 31, 2025, EFFR was 14 bp below the discount rate.", None,
     [("spread", "consistent", -14.0)]),
    ("On October 31, 2025, EFFR was 4 bp below the discount rate.", None,
     [("spread", "wrong", -14.0)]),
    ("2025年10月31日のEFFRは公定歩合を14bp下回った。", None, [("spread", "consistent", -14.0)]),
    ("2025年10月31日のEFFRは公定歩合を4bp下回った。", None, [("spread", "wrong", -14.0)]),
    # IORB, written "exceeded X by" / 「AとBの差」
    ("SOFR exceeded IORB by 32 bp on October 31, 2025.", None,
     [("spread", "consistent", 32.0)]),
    ("SOFR exceeded IORB by 42 bp on October 31, 2025.", None, [("spread", "wrong", 32.0)]),
    ("2025年10月31日のSOFRとIORBの差は32bpだった。", None, [("level", "consistent", 32.0)]),
    ("2025年10月31日のSOFRとIORBの差は42bpだった。", None, [("level", "wrong", 32.0)]),
    # other ways of writing a spread
    ("On October 31, 2025, SOFR traded at a 22 bp premium to the SRF rate.", None,
     [("spread", "consistent", 22.0)]),
    ("On October 31, 2025, SOFR traded at a 12 bp premium to the SRF rate.", None,
     [("spread", "wrong", 22.0)]),
    ("The spread between SOFR and IORB was 32 bp on October 31, 2025.", None,
     [("spread", "consistent", 32.0)]),
    ("The spread between SOFR and IORB was 23 bp on October 31, 2025.", None,
     [("spread", "wrong", 32.0)]),
    ("On October 31, 2025, IORB was 32 bp below SOFR.", None,
     [("spread", "consistent", -32.0)]),
    ("On October 31, 2025, IORB was 32 bp above SOFR.", None, [("spread", "wrong", -32.0)]),
    # the target range: its bottom and its top
    ("The fed funds target range was 3.75%-4.00% on October 31, 2025.", None,
     [("level", "consistent", 3.75), ("level", "consistent", 4.0)]),
    ("The fed funds target range was 4.00%-4.25% on October 31, 2025.", None,
     [("level", "wrong", 3.75), ("level", "wrong", 4.0)]),
    ("2025年10月31日のFF金利の誘導目標レンジは3.75〜4.00%だった。", None,
     [("level", "consistent", 3.75), ("level", "consistent", 4.0)]),
    ("2025年10月31日のFF金利の誘導目標レンジは4.00〜4.25%だった。", None,
     [("level", "wrong", 3.75), ("level", "wrong", 4.0)]),
    # a change from a date
    ("On October 31, 2025, SOFR was up 18 bp from October 30.", None,
     [("change", "consistent", 18.0)]),
    ("On October 31, 2025, SOFR was up 8 bp from October 30.", None,
     [("change", "wrong", 18.0)]),
    ("SOFRは2025年10月30日から18bp上昇し、10月31日に4.22%となった。", None,
     [("change", "consistent", 18.0), ("level", "consistent", 4.22)]),
    ("SOFRは2025年10月30日から8bp上昇し、10月31日に4.22%となった。", None,
     [("change", "wrong", 18.0), ("level", "consistent", 4.22)]),
    # X% of Y (the indicator's value)
    ("Reserves were 9.4% of GDP on November 5, 2025.", None,
     [("ratio", "consistent", 9.389866)]),
    ("Reserves were 9.2% of GDP on November 5, 2025.", None, [("ratio", "wrong", 9.389866)]),
    ("準備預金は2025年11月5日にGDP比9.4%だった。", None, [("ratio", "consistent", 9.389866)]),
    ("準備預金は2025年11月5日にGDP比9.2%だった。", None, [("ratio", "wrong", 9.389866)]),
    # from A to B: two dated levels and the change
    ("Reserves fell from $2.93 trillion on October 22, 2025 to $2.85 trillion on October 29, "
     "2025.", None,
     [("level", "consistent", 2.933037), ("level", "consistent", 2.848021),
      ("change", "consistent", -0.085016)]),
    ("Reserves fell from $3.03 trillion on October 22, 2025 to $2.85 trillion on October 29, "
     "2025.", None,
     [("level", "wrong", 2.933037), ("level", "consistent", 2.848021),
      ("change", "wrong", -0.085016)]),
    ("準備預金は2025年10月22日の2兆9330億ドルから10月29日には2兆8480億ドルに減少した。", None,
     [("level", "consistent", 29330.37), ("level", "consistent", 28480.21),
      ("change", "consistent", -850.16)]),
    ("準備預金は2025年10月22日の3兆330億ドルから10月29日には2兆8480億ドルに減少した。", None,
     [("level", "wrong", 29330.37), ("level", "consistent", 28480.21),
      ("change", "wrong", -850.16)]),
    # the two days written after "from A to B"
    ("SOFR went from 4.04% to 4.22% between October 30 and October 31, 2025.", None,
     [("level", "consistent", 4.04), ("level", "consistent", 4.22),
      ("change", "consistent", 0.18)]),
    ("SOFR went from 4.14% to 4.22% between October 30 and October 31, 2025.", None,
     [("level", "wrong", 4.04), ("level", "consistent", 4.22), ("change", "wrong", 0.18)]),
    # a change from a date written relative to the sentence's own date
    ("Reserves were down $85 billion from a week earlier at $2.85 trillion on October 29, "
     "2025.", None, [("change", "consistent", -85.016), ("level", "consistent", 2.848021)]),
    ("Reserves were down $45 billion from a week earlier at $2.85 trillion on October 29, "
     "2025.", None, [("change", "wrong", -85.016), ("level", "consistent", 2.848021)]),
    # the sentence of the issue: two fuzzy dated levels and the change between them
    ("準備預金は2024年末の約3兆2,000億ドルから2025年11月には2兆9,000億ドルに減少した。", None,
     [("level", "consistent", None), ("level", "consistent", None),
      ("change", "consistent", None)]),
    ("準備預金は2024年末の約3兆6,000億ドルから2025年11月には2兆9,000億ドルに減少した。", None,
     [("level", "wrong", None), ("level", "consistent", None), ("change", "wrong", None)]),
    ("Reserves fell from about $3.2 trillion at the end of 2024 to $2.9 trillion in November "
     "2025.", None,
     [("level", "consistent", None), ("level", "consistent", None),
      ("change", "consistent", -0.358739)]),
    ("Reserves fell from about $3.6 trillion at the end of 2024 to $2.9 trillion in November "
     "2025.", None,
     [("level", "wrong", None), ("level", "consistent", None), ("change", "wrong", -0.358739)]),
    # a streak against a named rate
    ("SOFR stayed above the SRF rate for 6 consecutive business days through November 3, "
     "2025.", None, [("streak", "consistent", 6.0)]),
    ("SOFR stayed above the SRF rate for 10 consecutive business days through November 3, "
     "2025.", None, [("streak", "wrong", 6.0)]),
    ("SOFRは2025年11月3日まで6営業日連続でSRF金利を上回った。", None,
     [("streak", "consistent", 6.0)]),
    ("SOFR has been above the top of the range for six days in a row.", MONDAY,
     [("streak", "consistent", 6.0)]),
    ("SOFR has been above the top of the range for four days in a row.", MONDAY,
     [("streak", "wrong", 6.0)]),
    ("SOFRは2025年11月3日まで10営業日連続でSRF金利を上回った。", None,
     [("streak", "wrong", 6.0)]),
    # extrema over the window the sentence states
    ("SOFR rose to 4.31% on October 28, 2025, the highest since September 17.", None,
     [("max", "consistent", 4.31)]),
    ("SOFR rose to 4.31% on October 28, 2025, the highest since early 2025.", None,
     [("max", "wrong", 4.51)]),
    ("ON RRP usage fell to $2.4 billion on October 24, 2025, the lowest since early 2021.",
     None, [("min", "consistent", 2.435)]),
    ("ON RRP usage fell to $2.4 billion on October 24, 2025, the lowest since 2019.", None,
     [("min", "wrong", 0.0)]),
    ("ON RRP usage fell to $2.4 billion on October 24, 2025, the lowest in four years.", None,
     [("min", "consistent", 2.435)]),
    ("ON RRP usage fell to $2.4 billion on October 24, 2025, the lowest in five years.", None,
     [("min", "wrong", 0.0)]),
    ("2025年10月24日のリバースレポ残高は24億ドルと約4年ぶりの低水準となった。", None,
     [("min", "consistent", 24.35)]),
    ("2025年10月24日のリバースレポ残高は24億ドルと約5年ぶりの低水準となった。", None,
     [("min", "wrong", 0.0)]),
    ("2025年10月28日のSOFRは4.31%と、9月17日以来の高水準となった。", None,
     [("max", "consistent", 4.31)]),
    ("2025年10月28日のSOFRは4.31%と、2025年初め以来の高水準となった。", None,
     [("max", "wrong", 4.51)]),
]

CONTEXT: list[Case] = [
    # the paragraph's date carries to the next sentence; 同日 (the same day)
    ("On October 31, 2025, SOFR printed 4.22%. ON RRP usage was $51.8 billion.", None,
     [("level", "consistent", 4.22), ("level", "consistent", 51.802)]),
    ("On October 31, 2025, SOFR printed 4.22%. ON RRP usage was $41.8 billion.", None,
     [("level", "consistent", 4.22), ("level", "wrong", 51.802)]),
    ("2025年10月31日のSOFRは4.22%だった。同日のリバースレポ残高は518億ドルだった。", None,
     [("level", "consistent", 4.22), ("level", "consistent", 518.02)]),
    ("2025年10月31日のSOFRは4.22%だった。同日のリバースレポ残高は418億ドルだった。", None,
     [("level", "consistent", 4.22), ("level", "wrong", 518.02)]),
    # the next business day (over the weekend) and its subject carried ("it", no name)
    ("SOFR was 4.22% on October 31, 2025. The next business day it fell to 4.13%.", None,
     [("level", "consistent", 4.22), ("level", "consistent", 4.13)]),
    ("SOFR was 4.22% on October 31, 2025. The next business day it fell to 4.23%.", None,
     [("level", "consistent", 4.22), ("level", "wrong", 4.13)]),
    ("SOFRは2025年10月31日に4.22%だった。翌営業日は4.13%に低下した。", None,
     [("level", "consistent", 4.22), ("level", "consistent", 4.13)]),
    ("SOFRは2025年10月31日に4.22%だった。翌営業日は4.23%に低下した。", None,
     [("level", "consistent", 4.22), ("level", "wrong", 4.13)]),
    # the day before
    ("SOFR printed 4.22% on October 31, 2025. It was 4.04% the day before.", None,
     [("level", "consistent", 4.22), ("level", "consistent", 4.04)]),
    ("SOFR printed 4.22% on October 31, 2025. It was 4.14% the day before.", None,
     [("level", "consistent", 4.22), ("level", "wrong", 4.04)]),
    ("2025年10月31日のSOFRは4.22%だった。前日は4.04%だった。", None,
     [("level", "consistent", 4.22), ("level", "consistent", 4.04)]),
    ("2025年10月31日のSOFRは4.22%だった。前日は4.14%だった。", None,
     [("level", "consistent", 4.22), ("level", "wrong", 4.04)]),
    # a year earlier (the week containing that day: 2024-10-30)
    ("Reserves were $2.85 trillion in the week to October 29, 2025. A year earlier they were "
     "$3.24 trillion.", None,
     [("level", "consistent", 2.848021), ("level", "consistent", 3.236958)]),
    ("Reserves were $2.85 trillion in the week to October 29, 2025. A year earlier they were "
     "$3.04 trillion.", None,
     [("level", "consistent", 2.848021), ("level", "wrong", 3.236958)]),
    ("準備預金は2025年10月29日までの週に2兆8480億ドルだった。1年前は3兆2370億ドルだった。", None,
     [("level", "consistent", 28480.21), ("level", "consistent", 32369.58)]),
    ("準備預金は2025年10月29日までの週に2兆8480億ドルだった。1年前は3兆0370億ドルだった。", None,
     [("level", "consistent", 28480.21), ("level", "wrong", 32369.58)]),
    # a day written without its year more than six weeks after the writing day is the year
    # before ("December 30" in a note of 3 November 2025: 2024-12-30)
    ("SOFR printed 4.37% on December 30.", MONDAY, [("level", "consistent", 4.37)]),
    ("SOFR printed 4.49% on December 30.", MONDAY, [("level", "wrong", 4.37)]),
    ("SOFRは12月30日に4.37%だった。", MONDAY, [("level", "consistent", 4.37)]),
    ("SOFRは12月30日に4.49%だった。", MONDAY, [("level", "wrong", 4.37)]),
    # "yesterday" written on a Monday: the Friday before (business days)
    ("Yesterday SOFR printed 4.22%.", MONDAY, [("level", "consistent", 4.22)]),
    ("Yesterday SOFR printed 4.13%.", MONDAY, [("level", "wrong", 4.22)]),
    ("昨日のSOFRは4.22%だった。", MONDAY, [("level", "consistent", 4.22)]),
    ("昨日のSOFRは4.13%だった。", MONDAY, [("level", "wrong", 4.22)]),
    # 「14日」: a day of the month the paragraph is about
    ("2025年11月のSOFRを振り返る。14日のSOFRは3.95%だった。", None,
     [("level", "consistent", 3.95)]),
    ("2025年11月のSOFRを振り返る。14日のSOFRは4.05%だった。", None, [("level", "wrong", 3.95)]),
    # the date and subject carried into an average of the ten observations to that day
    ("11月14日には、SOFRは3.95%だった。10日間の平均は4.00%だった。", date(2025, 11, 17),
     [("level", "consistent", 3.95), ("mean", "consistent", 3.999)]),
    ("On November 14, 2025, SOFR printed 3.95%. Its 10-day average was 3.90%.", None,
     [("level", "consistent", 3.95), ("mean", "wrong", 3.999)]),
    # "before ending at" / 「…で週を終えた」: the close of the week of the days written
    ("SOFR rose to 4.31% on Tuesday and fell to 4.04% on Thursday before ending at 4.22%.",
     date(2025, 10, 31), [("level", "consistent", 4.31), ("level", "consistent", 4.04),
                          ("level", "consistent", 4.22)]),
    ("SOFR rose to 4.31% on Tuesday and fell to 4.04% on Thursday before ending at 4.13%.",
     date(2025, 10, 31), [("level", "consistent", 4.31), ("level", "consistent", 4.04),
                          ("level", "wrong", 4.22)]),
    ("SOFRは28日(火)に4.31%まで上昇し、30日(木)に4.04%へ低下した後、4.22%で週を終えた。",
     MONDAY, [("level", "consistent", 4.31), ("level", "consistent", 4.04),
              ("level", "consistent", 4.22)]),
    ("SOFRは28日(火)に4.31%まで上昇し、30日(木)に4.04%へ低下した後、4.13%で週を終えた。",
     MONDAY, [("level", "consistent", 4.31), ("level", "consistent", 4.04),
              ("level", "wrong", 4.22)]),
]

HEDGES: list[Case] = [
    ("ON RRP usage was about $50 billion on October 31, 2025.", None,
     [("level", "consistent", 51.802)]),
    ("ON RRP usage was about $60 billion on October 31, 2025.", None,
     [("level", "wrong", 51.802)]),
    # an exact-looking number keeps the tolerance of its digits
    ("ON RRP usage was $50 billion on October 31, 2025.", None, [("level", "wrong", 51.802)]),
    ("ON RRP usage was nearly $52 billion on October 31, 2025.", None,
     [("level", "consistent", 51.802)]),
    ("ON RRP usage was nearly $51 billion on October 31, 2025.", None,
     [("level", "wrong", 51.802)]),
    ("ON RRP usage was more than $50 billion on October 31, 2025.", None,
     [("level", "consistent", 51.802)]),
    ("ON RRP usage was more than $60 billion on October 31, 2025.", None,
     [("level", "wrong", 51.802)]),
    ("2025年10月31日のリバースレポ残高は約500億ドルだった。", None,
     [("level", "consistent", 518.02)]),
    ("2025年10月31日のリバースレポ残高は約600億ドルだった。", None, [("level", "wrong", 518.02)]),
    ("2025年10月31日のリバースレポ残高は513億ドルだった。", None, [("level", "wrong", 518.02)]),
    ("2025年10月31日のリバースレポ残高は520億ドル弱だった。", None,
     [("level", "consistent", 518.02)]),
    ("2025年10月31日のリバースレポ残高は510億ドル弱だった。", None,
     [("level", "wrong", 518.02)]),
    ("2025年10月31日のリバースレポ残高は500億ドル超だった。", None,
     [("level", "consistent", 518.02)]),
    ("2025年10月31日のリバースレポ残高は600億ドル超だった。", None,
     [("level", "wrong", 518.02)]),
    ("ON RRP usage was less than $60 billion on October 31, 2025.", None,
     [("level", "consistent", 51.802)]),
    ("ON RRP usage was less than $50 billion on October 31, 2025.", None,
     [("level", "wrong", 51.802)]),
    ("2025年10月31日のリバースレポ残高は600億ドル未満だった。", None,
     [("level", "consistent", 518.02)]),
    ("2025年10月31日のリバースレポ残高は500億ドル未満だった。", None,
     [("level", "wrong", 518.02)]),
    ("2025年10月31日のSOFRは4.2%台だった。", None, [("level", "consistent", 4.22)]),
    ("2025年10月31日のSOFRは4.3%台だった。", None, [("level", "wrong", 4.22)]),
]

NAMES: list[Case] = [
    ("The Fed balance sheet was $6.58 trillion on November 12, 2025.", None,
     [("level", "consistent", 6.580462)]),
    ("The Fed balance sheet was $6.68 trillion on November 12, 2025.", None,
     [("level", "wrong", 6.580462)]),
    ("FRBの総資産は2025年11月12日に6兆5805億ドルだった。", None,
     [("level", "consistent", 65804.62)]),
    ("FRBのバランスシートは2025年11月12日に6兆6805億ドルだった。", None,
     [("level", "wrong", 65804.62)]),
    ("Bank reserves were $2.86 trillion in the week to November 12, 2025.", None,
     [("level", "consistent", 2.85503)]),
    ("超過準備は2025年11月12日に2兆8550億ドルだった。", None,
     [("level", "consistent", 28550.3)]),
    ("超過準備は2025年11月12日に2兆9550億ドルだった。", None, [("level", "wrong", 28550.3)]),
    ("Repo volume was $3.21 trillion on October 31, 2025.", None,
     [("level", "consistent", 3.211)]),
    ("レポ取引量は2025年10月31日に3兆2110億ドルだった。", None,
     [("level", "consistent", 32110.0)]),
    ("Swap lines were $434 billion in the week to April 29, 2020.", None,
     [("level", "consistent", 434.253)]),
    ("スワップラインの残高は2020年4月29日に4343億ドルだった。", None,
     [("level", "consistent", 4342.53)]),
    # H.4.1: the week average and the Wednesday level of the TGA
    ("The TGA's week average was $954 billion in the week to November 12, 2025.", None,
     [("level", "consistent", 953.816)]),
    ("The TGA's week average was $943 billion in the week to November 12, 2025.", None,
     [("level", "wrong", 953.816)]),
    ("The TGA's Wednesday level was $943 billion on November 12, 2025.", None,
     [("level", "consistent", 943.145)]),
    ("2025年11月12日の財務省一般口座の週平均は9538億ドルだった。", None,
     [("level", "consistent", 9538.16)]),
    ("2025年11月12日の財務省一般口座の水曜時点の残高は9538億ドルだった。", None,
     [("level", "wrong", 9431.45)]),
    # a catalog id the indicators read with a fallback
    ("The SRF_MIN_BID was 4.00% on October 31, 2025.", None, [("level", "consistent", 4.0)]),
    ("The SRF_MIN_BID was 4.25% on October 31, 2025.", None, [("level", "wrong", 4.0)]),
]

NON_CLAIMS: list[Case] = [
    ("The Treasury targets an $850 billion cash balance at the end of December.", None,
     [("non_claim", "not_checkable", None)]),
    ("財務省は12月末のTGA残高の目標を8500億ドルとしている。", None,
     [("non_claim", "not_checkable", None)]),
    ("Reserves are expected to fall to $2.7 trillion by year-end.", None,
     [("non_claim", "not_checkable", None)]),
    ("準備預金は年末までに2.7兆ドルまで減少する見通しだ。", None,
     [("non_claim", "not_checkable", None)]),
    ("If SOFR stays above 4% for a week, the Fed could act.", None,
     [("non_claim", "not_checkable", None)]),
    ("SOFRが4%を上回り続ければ、FRBが対応する可能性がある。", None,
     [("non_claim", "not_checkable", None)]),
    ("The level to watch for reserves is $2.8 trillion.", None,
     [("non_claim", "not_checkable", None)]),
    ("準備預金は2.8兆ドルを割り込むかが焦点だ。", None, [("non_claim", "not_checkable", None)]),
    ("Strategists at a large bank estimate reserves at $2.9 trillion.", None,
     [("non_claim", "not_checkable", None)]),
    ("大手銀行のストラテジストは準備預金を2.9兆ドルと試算している。", None,
     [("non_claim", "not_checkable", None)]),
    # a number that matches the data is not checked either when it is not stated as a fact
    ("The Treasury targets a cash balance of $943 billion for November 12, 2025.", None,
     [("non_claim", "not_checkable", None)]),
    ("財務省は2025年11月12日のTGA残高の目標を9431億ドルとしている。", None,
     [("non_claim", "not_checkable", None)]),
    ("Reserves will be $2.86 trillion in the week to November 12, 2025.", None,
     [("non_claim", "not_checkable", None)]),
    ("準備預金は2025年11月12日までの週に2.86兆ドルになる見通しだ。", None,
     [("non_claim", "not_checkable", None)]),
    ("If SOFR prints 4.22% on October 31, 2025, the SRF will be used.", None,
     [("non_claim", "not_checkable", None)]),
    ("2025年10月31日にSOFRが4.22%になれば、SRFが使われる。", None,
     [("non_claim", "not_checkable", None)]),
    ("The key level to watch for SOFR is 4.22%.", None, [("non_claim", "not_checkable", None)]),
    ("SOFRが4.22%を上回るかどうかが焦点だ。", None, [("non_claim", "not_checkable", None)]),
    ("Dealers estimate ON RRP usage at $51.8 billion on October 31, 2025.", None,
     [("non_claim", "not_checkable", None)]),
    ("ディーラーは2025年10月31日のリバースレポ残高を518億ドルと推計している。", None,
     [("non_claim", "not_checkable", None)]),
    # a fact next to a conditional is still checked, the conditional never
    ("SOFR was 4.22% on October 31, 2025, but if it stays above 4%, repo could tighten.", None,
     [("non_claim", "not_checkable", None), ("level", "consistent", 4.22)]),
    ("SOFR was 4.32% on October 31, 2025, but if it stays above 4%, repo could tighten.", None,
     [("non_claim", "not_checkable", None), ("level", "wrong", 4.22)]),
    ("2025年10月31日のSOFRは4.22%だったが、4%を上回り続ければ資金繰りが逼迫する。", None,
     [("non_claim", "not_checkable", None), ("level", "consistent", 4.22)]),
    ("2025年10月31日のSOFRは4.32%だったが、4%を上回り続ければ資金繰りが逼迫する。", None,
     [("non_claim", "not_checkable", None), ("level", "wrong", 4.22)]),
]


@pytest.fixture(scope="module")
def ctx(real_db: Path) -> Iterator[DataContext]:
    """One read-only data context for the module (series and indicators read once)."""
    with Store(real_db, read_only=True) as store:
        yield DataContext(store)


def _check(ctx: DataContext, text: str, written: date | None) -> list[ClaimResult]:
    draft = extract(text, reference=written)
    assert not draft.unmapped, [(u.quote, u.reason_en) for u in draft.unmapped]
    return [check_one(ctx, c) for c in draft.claims]


def _assert(results: list[ClaimResult], expected: list[tuple[str, str, float | None]]) -> None:
    got = [(r.kind, r.verdict) for r in results]
    assert got == [(k, v) for k, v, _ in expected], [r.explanation_en for r in results]
    for r, (_, _, value) in zip(results, expected, strict=True):
        if value is not None:
            assert r.data_value == pytest.approx(value, rel=1e-5, abs=1e-9), r.explanation_en


@pytest.mark.parametrize(("text", "written", "expected"), RELATIONS)
def test_relations_and_named_rates(ctx: DataContext, text: str, written: date | None,
                                   expected: list[tuple[str, str, float | None]]) -> None:
    _assert(_check(ctx, text, written), expected)


@pytest.mark.parametrize(("text", "written", "expected"), CONTEXT)
def test_context_within_a_paragraph(ctx: DataContext, text: str, written: date | None,
                                    expected: list[tuple[str, str, float | None]]) -> None:
    _assert(_check(ctx, text, written), expected)


@pytest.mark.parametrize(("text", "written", "expected"), HEDGES)
def test_hedges_and_precision(ctx: DataContext, text: str, written: date | None,
                              expected: list[tuple[str, str, float | None]]) -> None:
    results = _check(ctx, text, written)
    _assert(results, expected)
    (r,) = results
    assert r.tolerance_rule_en and r.tolerance_rule_en in r.explanation_en
    assert r.tolerance_rule_ja in r.explanation_ja


@pytest.mark.parametrize(("text", "written", "expected"), NAMES)
def test_everyday_names_and_h41_bases(ctx: DataContext, text: str, written: date | None,
                                      expected: list[tuple[str, str, float | None]]) -> None:
    _assert(_check(ctx, text, written), expected)


@pytest.mark.parametrize(("text", "written", "expected"), NON_CLAIMS)
def test_non_claims_are_never_checked(ctx: DataContext, text: str, written: date | None,
                                      expected: list[tuple[str, str, float | None]]) -> None:
    results = _check(ctx, text, written)
    _assert(results, expected)
    nc = results[0]
    assert nc.observations == () and nc.data_value is None
    assert nc.missing_en and "not a statement about the data" in nc.missing_en


def test_the_verdict_names_the_tolerance(ctx: DataContext) -> None:
    about, exact = (_check(ctx, f"ON RRP usage was {w}$50 billion on October 31, 2025.", None)[0]
                    for w in ("about ", ""))
    assert "'about'" in about.tolerance_rule_en and about.tolerance == pytest.approx(5.0)
    assert "digits written" in exact.tolerance_rule_en and exact.tolerance == pytest.approx(0.5)
    assert about.to_dict()["tolerance_rule"] == about.tolerance_rule_en


def test_the_issue_note_has_no_true_statement_called_wrong(ctx: DataContext) -> None:
    """The note of the issue: spreads against named rates, a hedge, the SRF rate."""
    text = ("On Friday, October 31, 2025, SOFR printed 4.22%, 22 basis points above the "
            "Standing Repo Facility rate of 4.00% and 32 bp above IORB. ON RRP usage had "
            "collapsed to about $50 billion.")
    results = _check(ctx, text, None)
    assert [(r.kind, r.series, r.verdict) for r in results] == [
        ("level", "SOFR", "consistent"),
        ("spread", "SOFR − ref:srf_min_bid", "consistent"),
        ("level", "ref:srf_min_bid", "consistent"),
        ("spread", "SOFR − IORB", "consistent"),
        ("level", "RRPONTSYD", "consistent"),
    ]


def test_every_catalog_series_and_indicator_has_english_and_japanese_names() -> None:
    """Each series is the default, a reading, a basis or an input of a reference rate of a
    concept with English and Japanese names; each indicator is a concept's series or shows
    the same figure as one."""
    from liqwatch import catalog
    from liqwatch.claims.lexicon import CONCEPTS
    from liqwatch.claims.references import REFERENCES
    from liqwatch.indicators import REGISTRY

    named: set[str] = set()
    for c in CONCEPTS.values():
        if not (c.en and c.ja):
            continue
        named |= {c.series, *(r.series for r in c.readings), *c.basis.values()}
        named |= {f"indicator:{i}" for i in c.indicators}
        if c.splice:
            named.add(c.splice[0])
        if c.series in REFERENCES:
            named |= set(REFERENCES[c.series].inputs)
    assert [s for s in catalog.catalog() if s not in named] == []
    assert [i for i in REGISTRY if f"indicator:{i}" not in named] == []


def test_checked_values_are_the_indicators_values(ctx: DataContext) -> None:
    """reserves/GDP, the SOFR-IORB spread and the reserve level in the checker equal what the
    indicator engine reports for the same observation."""
    from liqwatch.indicators import compute

    ratio, spread, level = _check(
        ctx, "Reserves were 9.4% of GDP on November 5, 2025. SOFR was 8 bp above IORB on "
        "November 12, 2025. Bank reserves were $2.86 trillion in the week to November 5, "
        "2025.", None)
    frame = compute(ctx.store, "2025-11-07", ids=["reserves_to_gdp_pct", "reserves_tn"])
    values = frame.set_index("id")["value"]
    assert ratio.data_value == values["reserves_to_gdp_pct"]
    assert level.data_value == pytest.approx(values["reserves_tn"], rel=1e-12)
    iorb = compute(ctx.store, "2025-11-13", ids=["sofr_iorb_bp"]).set_index("id")["value"]
    assert spread.data_value == pytest.approx(iorb["sofr_iorb_bp"], abs=1e-9)
    assert spread.verdict == ratio.verdict == level.verdict == "consistent"
    assert spread.observations[0].series_id == "indicator:sofr_iorb_bp"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("The Treasury targets an $850 billion cash balance at the end of December.", "target"),
        ("財務省は12月末のTGA残高の目標を8500億ドルとしている。", "target"),
        ("Reserves are expected to fall to $2.7 trillion by year-end.", "forecast"),
        ("準備預金は年末までに2.7兆ドルまで減少する見通しだ。", "forecast"),
        ("If SOFR stays above 4% for a week, the Fed could act.", "conditional"),
        ("SOFRが4%を上回り続ければ、FRBが対応する可能性がある。", "conditional"),
        ("The level to watch for reserves is $2.8 trillion.", "threshold"),
        ("準備預金は2.8兆ドルを割り込むかが焦点だ。", "threshold"),
        ("Strategists at a large bank estimate reserves at $2.9 trillion.", "quotation"),
        ("大手銀行のストラテジストは準備預金を2.9兆ドルと試算している。", "quotation"),
    ],
)
def test_each_kind_of_non_claim_says_why(text: str, why: str) -> None:
    (c,) = extract(text).claims
    assert c.kind == "non_claim" and c.why == why


def test_indicator_figures_as_of_a_day_use_only_what_was_published(real_db: Path) -> None:
    """The week to 2025-11-05 is published on 2025-11-06, SOFR for 2025-10-31 on 2025-11-03:
    before then the figure is not checkable; from then it is the indicator's value."""
    from liqwatch.claims import check

    text = ("Reserves were 9.4% of GDP on November 5, 2025. SOFR was 32 bp above IORB on "
            "October 31, 2025.")
    claims = extract(text).claims
    with Store(real_db, read_only=True) as store:
        early = check(store, claims, as_of=date(2025, 10, 31))
        later = check(store, claims, as_of=date(2025, 11, 7))
    assert [r.verdict for r in early] == ["not_checkable", "not_checkable"]
    assert [r.verdict for r in later] == ["consistent", "consistent"]
    assert later[1].data_value == pytest.approx(32.0)
    assert later[1].observations[0].realtime_start == date(2025, 11, 3)


def test_a_ratio_the_indicator_leaves_out_is_computed_and_says_so(ctx: DataContext) -> None:
    """For the week to 2025-11-12 the indicator has no reserves/GDP (2025Q2 GDP is too old for
    it; 2025Q3 came out only on 2025-12-23): the ratio is read from the series with the GDP
    published by then, and the result says so."""
    (r,) = _check(ctx, "Reserves were 9.4% of GDP on November 12, 2025.", None)
    assert r.verdict == "consistent"
    assert r.data_value == pytest.approx(2855030 / 30485.729 / 10)
    assert "indicator:reserves_to_gdp_pct has no observation" in r.notes[0][0]
