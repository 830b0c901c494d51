"""Turn-aware readings of the corridor spreads on the real data (``LIQWATCH_TEST_DATA``)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from liqwatch.calendar import business_days
from liqwatch.fundcal import ORDINARY, events_between, events_on, kind
from liqwatch.indicators import compute
from liqwatch.indicators.turns import TURN_AWARE, turn_frame
from liqwatch.store import Store


def _next_bday(day: date) -> date:
    return business_days(day, date(day.year + 1, 12, 31))[1].date()


def test_every_corridor_explanation_on_an_event_day_names_the_event(real_store: Store
                                                                      ) -> None:
    days = [t.day for t in events_between("2019-01-01", "2019-12-31")]
    days += [t.day for t in events_between("2025-01-01", "2025-12-31")]
    checked: dict[str, int] = dict.fromkeys(TURN_AWARE, 0)
    for day in days:
        frame = compute(real_store, _next_bday(day), ids=list(TURN_AWARE)).set_index("id")
        for ind, row in frame.iterrows():
            if row["status"] == "no_data" or row["date"] != day:
                continue  # the reading shown is another day's print (or none)
            tags = events_on(day, as_of=day)
            assert tags.events, day
            first = kind(tags.principal)
            assert first.print_en.lower() in row["explanation_en"].lower(), (ind, day)
            assert first.print_ja in row["explanation_ja"], (ind, day)
            for other in tags.kinds[1:]:
                assert kind(other).en in row["explanation_en"], (ind, day, other)
                assert kind(other).ja in row["explanation_ja"], (ind, day, other)
            assert row["details"]["calendar_kind"] == tags.principal
            checked[str(ind)] += 1
    # every corridor spread is checked on most of the event days of the two years
    assert min(checked.values()) >= 50, checked


def test_month_end_print_is_read_against_the_usual_month_end(real_store: Store) -> None:
    frame = compute(real_store, "2025-11-03", ids=["sofr_iorb_bp"]).set_index("id")
    row = frame.loc["sofr_iorb_bp"]
    d = row["details"]
    assert row["date"] == date(2025, 10, 31)
    assert d["calendar_kind"] == "month_end"
    assert d["calendar_events"] == ["month_end", "coupon_end"]
    assert d["typical_n"] == 12
    # SOFR 4.22% against IORB 3.90%: 32 bp; the median of the 12 earlier plain month-ends
    assert row["value"] == pytest.approx(32.0)
    assert d["excess_bp"] == pytest.approx(row["value"] - d["typical_bp"])
    assert d["typical_bp"] < 0
    assert (f"A month-end print (also month-end coupon settlement), "
            f"{d['excess_bp']:.0f} bp above the usual month-end") in row["explanation_en"]
    assert "通常の月末" in row["explanation_ja"] and "上回る" in row["explanation_ja"]


def test_the_sep_2019_squeeze_is_unusual_with_no_calendar_event(real_store: Store) -> None:
    row = compute(real_store, "2019-09-18", ids=["sofr_iorb_bp"]).set_index("id").iloc[0]
    assert row["details"]["calendar_kind"] == ORDINARY
    assert "No calendar event: unusual, 312 bp above" in row["explanation_en"]
    assert "暦上のイベントなし" in row["explanation_ja"] and "異例" in row["explanation_ja"]


def test_baseline_uses_only_earlier_prints_of_the_same_kind(real_store: Store) -> None:
    from liqwatch.stress.cache import indicator_history
    from liqwatch.stress.regime import IndicatorView

    view = IndicatorView(indicator_history(real_store))
    prints = view.prints("sofr_iorb_bp")
    full = turn_frame(prints)
    cut = pd.Timestamp("2025-10-31")
    # the reading of a print does not change when later prints are added
    part = turn_frame(prints.loc[:cut])
    pd.testing.assert_frame_equal(full.loc[:cut], part)
    # recomputed by hand: the 12 month-ends before it (plain month-ends, not quarter-ends)
    same = full[(full["kind"] == "month_end") & (full.index < cut)]
    assert full.loc[cut, "typical"] == pytest.approx(float(np.median(same["print"][-12:])))
    assert full.loc[cut, "n"] == 12


def test_every_event_day_print_in_history_names_its_events(real_store: Store) -> None:
    """The same wording over every print since each series began (the engine appends
    exactly this clause to the explanation)."""
    from liqwatch.frames import records
    from liqwatch.indicators.turns import turn_text
    from liqwatch.stress.cache import indicator_history
    from liqwatch.stress.regime import IndicatorView

    view = IndicatorView(indicator_history(real_store))
    event_days = 0
    for ind in ("sofr_iorb_bp", "effr_iorb_bp", "sofr_ceiling_bp", "sofr_dispersion_bp"):
        for row in records(turn_frame(view.prints(ind)).reset_index(names="day")):
            kinds = tuple(row["kinds"])
            en, ja = turn_text(row, "en"), turn_text(row, "ja")
            if not kinds:
                assert en.startswith("no calendar event"), (ind, row["day"])
                assert ja.startswith("暦上のイベントなし"), (ind, row["day"])
                continue
            event_days += 1
            assert en.startswith(kind(kinds[0]).print_en), (ind, row["day"])
            assert ja.startswith(kind(kinds[0]).print_ja), (ind, row["day"])
            for other in kinds[1:]:
                assert kind(other).en in en and kind(other).ja in ja, (ind, row["day"], other)
    assert event_days > 2000
