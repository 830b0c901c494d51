"""Dated announcements behind reserve projections, each known from the day it was made.

Four kinds, each a package file under ``data/`` where every row is one announcement with
its date and source:

* :class:`PolicyRow` (``policy_history.csv``): an FOMC balance-sheet setting — a runoff cap
  or a purchase pace over a span of months.
* :class:`CashAssumption` (``treasury_cash.csv``): the Treasury's end-of-quarter cash balance
  assumed in the borrowing estimates of its quarterly refunding.
* :class:`DebtLimitEvent` (``debt_limit.csv``): a debt-limit period — the day the limit binds
  (known once a law or letter sets it) and, once enacted, the day it was resolved.
* :class:`LendingProgram` (``lending_programs.csv``): a Federal Reserve lending programme with
  an announced end of new lending and a longest loan term.

:class:`Announcements` bundles them. :meth:`Announcements.known_by` keeps only what had been
announced by a day, so a projection from a past date sees the announcements of that day;
:meth:`Announcements.plus` adds rows (newer information, or a test's made-up announcement).
Where several rows describe the same thing (a month's cap, a quarter's cash balance, a
debt-limit period, a programme), the one announced last wins.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from liqwatch.exceptions import ConfigError
from liqwatch.files import package_path

__all__ = [
    "Announcements",
    "CashAssumption",
    "DebtLimitEvent",
    "LendingProgram",
    "PolicyRow",
    "packaged_announcements",
]

POLICY_KINDS = ("treasury_cap", "mbs_cap", "treasury_purchases", "mbs_purchases",
                "bill_purchases")


@dataclass(frozen=True)
class PolicyRow:
    """One announced FOMC setting, USD bn a month over ``[start, end]`` (``end`` None: open).

    ``excess_to`` (MBS caps): where paydowns above the cap are reinvested (``mbs`` or
    ``treasury``). ``shortfall`` (Treasury caps): ``bills`` when bills are redeemed to make up
    coupon maturities below the cap; empty when only maturing coupons run off.
    """

    kind: str
    start: date
    end: date | None
    value_bn_month: float
    excess_to: str | None
    announced: date
    source: str
    note: str
    shortfall: str | None = None


@dataclass(frozen=True)
class CashAssumption:
    """The Treasury's assumed cash balance (USD bn) at ``quarter_end``, announced on a day."""

    quarter_end: date
    balance_bn: float
    announced: date
    source: str
    note: str = ""


@dataclass(frozen=True)
class DebtLimitEvent:
    """What was known on ``announced`` about a debt-limit period.

    The limit binds from ``binding_from``; ``resolved_on`` is the day a suspension or increase
    was enacted (``None``: not resolved as of ``announced``).
    """

    period: str
    binding_from: date
    resolved_on: date | None
    announced: date
    source: str
    note: str = ""


@dataclass(frozen=True)
class LendingProgram:
    """A lending programme: new loans until ``new_loans_until``, each of up to ``max_term_days``.

    ``series_id`` names its H.4.1 balance (Wednesday level, USD millions) when the store has it.
    """

    program: str
    series_id: str
    opened: date
    new_loans_until: date
    max_term_days: int
    announced: date
    source: str
    note: str = ""

    @property
    def last_maturity(self) -> date:
        """The day the last possible loan matures."""
        return date.fromordinal(self.new_loans_until.toordinal() + self.max_term_days)


Row = PolicyRow | CashAssumption | DebtLimitEvent | LendingProgram


@dataclass(frozen=True)
class Announcements:
    """Every announcement a projection may use (see the module docstring)."""

    policy: tuple[PolicyRow, ...] = ()
    cash: tuple[CashAssumption, ...] = ()
    debt_limits: tuple[DebtLimitEvent, ...] = ()
    lending: tuple[LendingProgram, ...] = ()
    cutoff: date | None = field(default=None, compare=False)

    def known_by(self, day: date | None) -> Announcements:
        """The announcements made on or before ``day`` (all when ``None``)."""
        if day is None:
            return self

        def keep(rows: tuple[Row, ...]) -> tuple[Row, ...]:
            return tuple(r for r in rows if r.announced <= day)

        return Announcements(
            policy=keep(self.policy), cash=keep(self.cash),  # type: ignore[arg-type]
            debt_limits=keep(self.debt_limits), lending=keep(self.lending),  # type: ignore[arg-type]
            cutoff=day,
        )

    def plus(self, *rows: Row) -> Announcements:
        """A copy with ``rows`` added (each to the list of its kind)."""
        out = self
        for r in rows:
            if isinstance(r, PolicyRow):
                out = replace(out, policy=(*out.policy, r))
            elif isinstance(r, CashAssumption):
                out = replace(out, cash=(*out.cash, r))
            elif isinstance(r, DebtLimitEvent):
                out = replace(out, debt_limits=(*out.debt_limits, r))
            elif isinstance(r, LendingProgram):
                out = replace(out, lending=(*out.lending, r))
            else:
                raise ConfigError(f"not an announcement: {r!r}")
        return out

    def cash_assumptions(self) -> dict[date, CashAssumption]:
        """Quarter end -> the latest assumption announced for it."""
        out: dict[date, CashAssumption] = {}
        for r in sorted(self.cash, key=lambda r: r.announced):
            out[r.quarter_end] = r
        return dict(sorted(out.items()))

    def debt_limit_periods(self) -> list[DebtLimitEvent]:
        """Each period as last announced, in order of the day it binds."""
        out: dict[str, DebtLimitEvent] = {}
        for r in sorted(self.debt_limits, key=lambda r: r.announced):
            out[r.period] = r
        return sorted(out.values(), key=lambda r: r.binding_from)

    def programs(self) -> list[LendingProgram]:
        """Each lending programme as last announced."""
        out: dict[str, LendingProgram] = {}
        for r in sorted(self.lending, key=lambda r: r.announced):
            out[r.program] = r
        return list(out.values())


def _read(name: str) -> list[dict[str, str]]:
    text = package_path(f"scenarios/data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None


def _opt_day(text: str, where: str) -> date | None:
    return _day(text, where) if text else None


@lru_cache(maxsize=1)
def packaged_announcements() -> Announcements:
    """The announcements shipped with liqwatch (read once)."""
    policy = []
    for i, r in enumerate(_read("policy_history.csv"), start=2):
        where = f"policy_history.csv line {i}"
        if r["kind"] not in POLICY_KINDS:
            raise ConfigError(f"{where}: unknown kind {r['kind']!r}")
        policy.append(PolicyRow(
            kind=r["kind"], start=_day(r["start"], where), end=_opt_day(r["end"], where),
            value_bn_month=float(r["value_bn_month"]), excess_to=r["excess_to"] or None,
            announced=_day(r["announced"], where), source=r["source"], note=r["note"],
            shortfall=r.get("shortfall") or None,
        ))
    cash = [CashAssumption(
        quarter_end=_day(r["quarter_end"], "treasury_cash.csv"),
        balance_bn=float(r["balance_bn"]), announced=_day(r["announced"], "treasury_cash.csv"),
        source=r["source"], note=r["note"]) for r in _read("treasury_cash.csv")]
    limits = [DebtLimitEvent(
        period=r["period"], binding_from=_day(r["binding_from"], "debt_limit.csv"),
        resolved_on=_opt_day(r["resolved_on"], "debt_limit.csv"),
        announced=_day(r["announced"], "debt_limit.csv"), source=r["source"], note=r["note"])
        for r in _read("debt_limit.csv")]
    lending = [LendingProgram(
        program=r["program"], series_id=r["series_id"],
        opened=_day(r["opened"], "lending_programs.csv"),
        new_loans_until=_day(r["new_loans_until"], "lending_programs.csv"),
        max_term_days=int(r["max_term_days"]),
        announced=_day(r["announced"], "lending_programs.csv"), source=r["source"],
        note=r["note"]) for r in _read("lending_programs.csv")]
    return Announcements(policy=tuple(policy), cash=tuple(cash), debt_limits=tuple(limits),
                         lending=tuple(lending))
