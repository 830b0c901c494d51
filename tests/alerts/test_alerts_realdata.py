"""Point-in-time alerts on the real data: September 2019 and the quiet summer of 2017.

Dates: an event's ``date`` is the observation date of its data, ``as_of`` the evaluation day
on which those data were published (SOFR for day D is published on D+1).
"""

from __future__ import annotations

from datetime import date

import pytest

from liqwatch.alerts.config import AlertConfig
from liqwatch.alerts.engine import evaluate
from liqwatch.alerts.replay import replay
from liqwatch.store import Store


def test_evaluate_as_of_uses_only_published_data(
    real_store: Store, market_config: AlertConfig
) -> None:
    before = {e.subject: e for e in evaluate(real_store, date(2019, 9, 17),
                                             config=market_config, persist=False)}
    after = {e.subject: e for e in evaluate(real_store, date(2019, 9, 18),
                                            config=market_config, persist=False)}
    # SOFR of 2019-09-17 (5.25%) is unknown on the 17th and known on the 18th.
    assert before["sofr_iorb_bp"].date == date(2019, 9, 16)
    spike = after["sofr_iorb_bp"]
    assert (spike.state, spike.date, spike.as_of) == ("alert", date(2019, 9, 17),
                                                      date(2019, 9, 18))
    assert spike.value == pytest.approx(315.0)
    assert "315 bp" in spike.message and "observation 2019-09-17, known 2019-09-18" in \
        spike.message


def test_replay_september_2019_shows_the_sofr_alert_on_2019_09_17(
    real_store: Store, market_config: AlertConfig
) -> None:
    events = replay(real_store, date(2019, 9, 3), date(2019, 9, 30), config=market_config)
    # Alerts that SOFR data of 2019-09-17 raised: reported with that observation date and
    # known on 2019-09-18 (the next business day), never earlier.
    # (indicator events: a composite reading is dated by its own as-of day)
    on_17 = [e for e in events.changes
             if e.state == "alert" and e.date == date(2019, 9, 17) and e.kind == "indicator"]
    assert on_17, [(e.as_of, e.subject, e.state) for e in events.changes]
    assert {e.as_of for e in on_17} == {date(2019, 9, 18)}
    assert any(e.subject.startswith("sofr") for e in on_17)
    assert all(e.as_of > e.date for e in events if e.subject.startswith("sofr"))
    # SOFR − IORB is at alert through the spike: it entered before the window (spring 2019,
    # repo above IOER) and stays there, so the replay reports it as already active.
    iorb = [e for e in events if e.subject == "sofr_iorb_bp"]
    assert iorb and iorb[0].state == "alert" and iorb[0].as_of < date(2019, 9, 17)
    assert not iorb[0].changed
    assert not [e for e in iorb if e.state == "normal" and e.as_of <= date(2019, 9, 20)]
    assert "market rules" in " ".join(events.notes)


def test_replay_quiet_summer_2017_raises_no_alert(
    real_store: Store, market_config: AlertConfig
) -> None:
    events = replay(real_store, date(2017, 6, 1), date(2017, 8, 31), config=market_config)
    assert [(e.as_of, e.subject) for e in events if e.state == "alert"] == []
    # The same rules do fire in September 2019 (see above): the quiet is not a dead engine.
    busy = replay(real_store, date(2019, 9, 16), date(2019, 9, 20), config=market_config)
    assert [e for e in busy.changes if e.state == "alert"]
