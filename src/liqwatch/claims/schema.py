"""Claims as data: the pydantic schema of a claims file and its loader.

A claims file (YAML or JSON) is a list of claims, or a mapping with a ``claims`` list. Every
claim has a ``kind`` and the fields of that kind (see ``docs/claims.md``)::

    - quote: "SOFR printed 5.25% on 17 September 2019."
      kind: level
      series: SOFR
      date: 2019-09-17
      value: 5.25
      unit: percent

``value`` may also be written with its unit (``value: "$1.8T"``, ``value: 2.55兆ドル``), in which
case ``unit`` may be left out.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from liqwatch.claims.hedges import Band, Hedge, band
from liqwatch.claims.units import (
    UnitError,
    convert,
    decimal_half_unit,
    normalize_unit,
    parse_amount,
)
from liqwatch.exceptions import ConfigError

__all__ = [
    "KINDS",
    "ChangeClaim",
    "Claim",
    "ClaimBase",
    "CorrelationClaim",
    "LevelClaim",
    "NonClaim",
    "RatioClaim",
    "SpreadClaim",
    "StatClaim",
    "StreakClaim",
    "load_claims",
    "parse_claims",
]

#: The claim kinds (``non_claim``: a number the text does not state as a fact).
KINDS = ("level", "change", "mean", "max", "min", "spread", "streak", "ratio", "correlation",
         "non_claim")

#: Why a number is not a statement of fact (the ``why`` of a ``non_claim``).
NON_CLAIM_REASONS = ("target", "forecast", "conditional", "threshold", "quotation")


class ClaimBase(BaseModel):
    """Fields shared by every kind of claim.

    Attributes
    ----------
    id
        Optional label (defaults to the position in the file).
    quote
        The sentence the claim comes from.
    value
        The claimed number, in ``unit``.
    unit
        Unit of ``value`` (``percent``, ``bp``, ``USD billions``, ``兆ドル``, ...).
    tolerance
        Allowed error: a number in ``unit``, or a string such as ``"2%"`` (relative) or
        ``"5bp"``. Default: half a unit of the last digit written (``1.4`` → 0.05).
    hedge
        How the text qualifies the number (:data:`~liqwatch.claims.hedges.HEDGES`): ``about``
        (about, 約: half a unit of the last significant digit, at least 5%), ``nearly``
        (just under), ``just_over``, ``over`` / ``under`` (a bound), ``band`` (台).
    approx
        Shorthand for ``hedge: about``.
    auto
        The claim was drafted automatically from text.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = None
    quote: str = ""
    value: float
    unit: str
    tolerance: float | str | None = None
    hedge: Hedge | None = None
    approx: bool = False
    auto: bool = False
    precision: float | None = Field(default=None, description="half a unit of the last digit")

    @model_validator(mode="before")
    @classmethod
    def _value_with_unit(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        raw = data.get("value")
        if isinstance(raw, str):
            amount = parse_amount(raw)
            data["value"] = amount.value
            if amount.unit and not data.get("unit"):
                data["unit"] = amount.unit
            data.setdefault("precision", amount.half_unit)
        elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
            data.setdefault("precision", decimal_half_unit(float(raw)))
        if data.get("unit") is None:
            default = cls._default_unit()
            if default is None:
                raise ValueError("unit is missing (write it in unit: or in value:, e.g. '$6bn')")
            data["unit"] = default
        data["unit"] = normalize_unit(str(data["unit"]))
        return data

    @classmethod
    def _default_unit(cls) -> str | None:
        return None

    def _stated_tolerance(self) -> float | None:
        tol = self.tolerance
        if isinstance(tol, (int, float)):
            return float(tol)
        if isinstance(tol, str):
            t = tol.strip()
            if t.endswith("%"):
                return abs(self.value) * float(t[:-1]) / 100.0
            amount = parse_amount(t)
            if amount.unit and amount.unit != self.unit:
                return convert(amount.value, amount.unit, self.unit)
            return amount.value
        return None

    def band(self) -> Band:
        """The data values consistent with the claim, with the rule that set them."""
        precision = self.precision if self.precision is not None else 0.0
        hedge = self.hedge or ("about" if self.approx else None)
        return band(self.value, precision, hedge, self._stated_tolerance())

    def tolerance_abs(self) -> float:
        """The largest allowed distance from ``value`` (in ``unit``; inf for a bound)."""
        b = self.band()
        return max(self.value - b.lo, b.hi - self.value)

    @property
    def explicit(self) -> set[str]:
        """Names of the fields written in the claim (not defaulted)."""
        return set(self.model_fields_set)


class LevelClaim(ClaimBase):
    """A series on a date (weekly series: the week containing the date).

    ``window`` (first and last day) marks a fuzzy date such as "mid-November": the claim
    holds when the series matches on some day of the window.
    """

    kind: Literal["level"]
    series: str
    date: dt.date
    window: tuple[dt.date, dt.date] | None = None


class ChangeClaim(ClaimBase):
    """The change of a series between two dates, ``absolute`` (in ``unit``) or ``percent``."""

    kind: Literal["change"]
    series: str
    start: dt.date
    end: dt.date
    mode: Literal["absolute", "percent"] = "absolute"


class StatClaim(ClaimBase):
    """The mean, max or min of a series over a period; ``at`` = the claimed date of the max/min.

    Without ``start`` the period runs from the series' first observation (a record high, a
    peak)."""

    kind: Literal["mean", "max", "min"]
    series: str
    start: dt.date | None = None
    end: dt.date
    at: dt.date | None = None

    @model_validator(mode="after")
    def _mean_needs_start(self) -> StatClaim:
        if self.kind == "mean" and self.start is None:
            raise ValueError("an average needs start and end")
        return self


class SpreadClaim(ClaimBase):
    """``series`` minus ``series_b`` on ``date``, or averaged from ``start`` to ``end``."""

    kind: Literal["spread"]
    series: str
    series_b: str
    date: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _when(self) -> SpreadClaim:
        if self.date is None and (self.start is None or self.end is None):
            raise ValueError("a spread needs date, or start and end")
        return self


class StreakClaim(ClaimBase):
    """Consecutive business days ``series`` stayed above/below ``threshold`` (or ``series_b``),
    ending on or before ``date``. ``value`` is the number of days."""

    kind: Literal["streak"]
    series: str
    date: dt.date
    direction: Literal["above", "below"] = "above"
    threshold: float | None = None
    threshold_unit: str | None = None
    series_b: str | None = None

    @classmethod
    def _default_unit(cls) -> str | None:
        return "days"

    @model_validator(mode="after")
    def _against(self) -> StreakClaim:
        if (self.threshold is None) == (self.series_b is None):
            raise ValueError("a streak needs exactly one of threshold or series_b")
        if self.threshold_unit is not None:
            object.__setattr__(self, "threshold_unit", normalize_unit(self.threshold_unit))
        return self


class RatioClaim(ClaimBase):
    """``series`` / ``series_b`` on ``date``; ``series_b`` is taken as known on that date
    (e.g. reserves / GDP with the latest GDP published by then)."""

    kind: Literal["ratio"]
    series: str
    series_b: str
    date: dt.date

    @classmethod
    def _default_unit(cls) -> str | None:
        return "percent"


class CorrelationClaim(ClaimBase):
    """Correlation of ``series`` and ``series_b`` from ``start`` to ``end``, computed on daily
    log returns (``basis: returns``, the default), simple changes or levels."""

    kind: Literal["correlation"]
    series: str
    series_b: str
    start: dt.date
    end: dt.date
    basis: Literal["returns", "changes", "levels"] = "returns"

    @classmethod
    def _default_unit(cls) -> str | None:
        return "number"


class NonClaim(BaseModel):
    """A number a text gives without stating it as a fact about the data: a policy target, a
    forecast, a conditional, a threshold to watch or someone else's estimate. Listed with the
    reason, never checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["non_claim"]
    why: Literal["target", "forecast", "conditional", "threshold", "quotation"]
    id: str | None = None
    quote: str = ""
    numbers: tuple[str, ...] = ()
    series: str | None = None
    auto: bool = False

    @property
    def explicit(self) -> set[str]:
        """Names of the fields written in the claim (not defaulted)."""
        return set(self.model_fields_set)


Claim = Annotated[
    LevelClaim
    | ChangeClaim
    | StatClaim
    | SpreadClaim
    | StreakClaim
    | RatioClaim
    | CorrelationClaim
    | NonClaim,
    Field(discriminator="kind"),
]

#: A claim about the data (every kind but ``non_claim``).
FactClaim = (LevelClaim | ChangeClaim | StatClaim | SpreadClaim | StreakClaim | RatioClaim
             | CorrelationClaim)

_ADAPTER: TypeAdapter[Claim] = TypeAdapter(Claim)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"][1:] if x)
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "missing"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def json_schema() -> dict[str, Any]:
    """JSON Schema of one claim (a ``oneOf`` over the kinds, discriminated by ``kind``)."""
    schema = _ADAPTER.json_schema()
    for definition in schema.get("$defs", {}).values():
        props = definition.get("properties", {})
        if "value" not in props:
            continue
        props.pop("precision", None)
        props["value"] = {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": "the claimed number, or a number with its unit ('$1.8T', '60億ドル')",
        }
        props["unit"] = {"type": "string", "description": "needed unless value carries it"}
        definition["required"] = [r for r in definition.get("required", []) if r != "unit"]
    return schema


def parse_claims(data: Any, *, source: str = "claims") -> list[Claim]:
    """Validate decoded YAML/JSON ``data`` into claims.

    Raises
    ------
    ConfigError
        Naming the entry (number and id) and the field that is wrong.
    """
    if isinstance(data, dict) and "claims" in data:
        data = data["claims"]
    if not isinstance(data, list):
        raise ConfigError(f"{source}: expected a list of claims (or a mapping with 'claims')")
    out: list[Claim] = []
    for i, entry in enumerate(data, start=1):
        label = f"{source}: claim {i}"
        if isinstance(entry, dict) and entry.get("id"):
            label += f" ({entry['id']})"
        if not isinstance(entry, dict):
            raise ConfigError(f"{label}: expected a mapping, got {type(entry).__name__}")
        if entry.get("kind") not in KINDS:
            raise ConfigError(
                f"{label}: kind {entry.get('kind')!r} is not one of {', '.join(KINDS)}"
            )
        try:
            claim = _ADAPTER.validate_python(entry)
        except ValidationError as exc:
            raise ConfigError(f"{label}: {_describe(exc)}") from None
        except UnitError as exc:
            raise ConfigError(f"{label}: {exc}") from None
        if claim.id is None:
            claim = claim.model_copy(update={"id": str(i)})
        out.append(claim)
    return out


def load_claims(path: Path | str) -> list[Claim]:
    """Read a claims file (``.yaml``/``.yml`` or ``.json``).

    Raises
    ------
    ConfigError
        When the file is missing, does not parse, or a claim is invalid.
    """
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"claims file {p} not found")
    text = p.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ConfigError(
            f"{p}: not valid {'JSON' if p.suffix == '.json' else 'YAML'}: {_parse_problem(exc)}"
        ) from None
    return parse_claims(data, source=str(p))


def _parse_problem(exc: Exception) -> str:
    """One line: what the parser found wrong and where (line and column, 1-based)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"
    return " ".join(str(exc).split())


def dump_claims(claims: list[Claim]) -> str:
    """Serialise claims as YAML (the format ``liqwatch claims extract`` writes)."""
    rows = []
    for c in claims:
        row = c.model_dump(mode="json", exclude_none=True, exclude_unset=True)
        row = {
            "id": row.pop("id", c.id),
            "quote": row.pop("quote", c.quote),
            "kind": c.kind,
            **{k: v for k, v in row.items() if k != "kind"},
        }
        precision = row.pop("precision", None)
        if (precision is not None and not isinstance(c, NonClaim)
                and abs(precision - decimal_half_unit(c.value)) > 1e-12):
            # keep the written digits ("2.10"): they set the rounding tolerance
            places = max(0, round(-math.log10(2 * precision))) if precision < 0.5 else 0
            row["value"] = f"{c.value:.{places}f}"
        for key in ("approx", "auto"):
            if not row.get(key):
                row.pop(key, None)
        rows.append(row)
    return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=100)
