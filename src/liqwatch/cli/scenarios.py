"""Reserve commands: ``scenario`` (projection), ``scenario validate``, ``nowcast``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from liqwatch.cli._common import (
    TableFormat,
    TableJson,
    console,
    emit,
    err_console,
    open_store,
    parse_date,
    plain_records,
    report_day,
)
from liqwatch.exceptions import ConfigError

PRESET_NAMES = ("current-policy", "qt-slowdown", "tga-rebuild", "qt-end-bill-purchases",
                "2019-replay")

scenario_app = typer.Typer(
    no_args_is_help=False,
    invoke_without_command=True,
)


def _levels(values: list[float] | None) -> dict[str, float]:
    out = {}
    for v in values or []:
        if v <= 0:
            raise ConfigError(f"--level {v}: a level is a positive amount in USD bn")
        out[f"{v / 1000:.2f}T".replace(".00T", ".0T")] = float(v)
    return out


@scenario_app.callback(invoke_without_command=True)
def scenario(
    ctx: typer.Context,
    preset: Annotated[str, typer.Option("--preset", "-p", metavar="NAME", help=(
        "Scenario: " + ", ".join(PRESET_NAMES) + "."))] = "current-policy",
    weeks: Annotated[int, typer.Option("--weeks", "-w", metavar="N",
                                       help="Horizon in weeks.")] = 52,
    qt_treasury_cap: Annotated[float | None, typer.Option(
        "--qt-treasury-cap", metavar="BN",
        help="Treasury runoff cap, USD bn a month (0 = no runoff).")] = None,
    mbs_cap: Annotated[float | None, typer.Option(
        "--mbs-cap", metavar="BN",
        help="MBS runoff cap, USD bn a month (0 = paydowns reinvested).")] = None,
    purchases: Annotated[float | None, typer.Option(
        "--purchases", metavar="BN",
        help="Bill purchases / QE, USD bn a month (replaces announced).")] = None,
    tga_target: Annotated[float | None, typer.Option(
        "--tga-target", metavar="BN", help="TGA level to reach, USD bn (with --tga-by).")] = None,
    tga_by: Annotated[str | None, typer.Option(
        "--tga-by", metavar="DATE", help="Date the TGA target is reached (YYYY-MM-DD).")] = None,
    rrp_floor: Annotated[float | None, typer.Option(
        "--rrp-floor", metavar="BN", help="ON RRP decays toward this level, USD bn.")] = None,
    tga_seasonality: Annotated[bool, typer.Option(
        "--tga-seasonality", metavar="",
        help="Add the average seasonal TGA pattern (tax dates).")] = False,
    srf: Annotated[float | None, typer.Option(
        "--srf", metavar="BN",
        help="Standing Repo Facility usage held at this level, USD bn.")] = None,
    bank_assets: Annotated[float | None, typer.Option(
        "--bank-assets", metavar="BN",
        help="Commercial-bank assets now, USD bn (when H.8 is stale).")] = None,
    level: Annotated[list[float] | None, typer.Option(
        "--level", metavar="BN", help="Extra threshold in USD bn (repeatable).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE",
        help="Start from data and policy known on this day (YYYY-MM-DD).")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    plot: Annotated[Path | None, typer.Option(
        "--plot", metavar="FILE",
        help="Write a chart: FILE.png (matplotlib) or FILE.html (plotly).")] = None,
    every: Annotated[int, typer.Option(
        "--every", metavar="N", help="Table output: show every Nth week.")] = 4,
) -> None:
    """Project reserve balances week by week and report when thresholds are crossed.

    Uses the H.4.1 identity (week-average basis) with runoff caps and purchases as announced
    by the start date, and TGA, ON RRP, currency and other items from recent data. Prints the
    path, the first week below 2.5T, 3.0T, 12% and 13% of bank assets (and any --level), the
    assumptions and a sensitivity table over the two most influential ones.

    Examples:

        liqwatch scenario

        liqwatch scenario --preset tga-rebuild --weeks 26 --plot reserves.png

        liqwatch scenario --qt-treasury-cap 0 --purchases 40 --level 2800 -f json

        liqwatch scenario --as-of 2019-01-03 --weeks 40

        liqwatch scenario validate
    """
    if ctx.invoked_subcommand is not None:
        return
    from liqwatch.scenarios import project

    if preset not in PRESET_NAMES:
        raise ConfigError(f"--preset {preset!r}: choose one of {', '.join(PRESET_NAMES)}")
    if every < 1:
        raise ConfigError("--every must be at least 1")
    if plot is not None and plot.suffix.lower() not in (".png", ".html", ".htm"):
        raise ConfigError(f"--plot {plot}: use a .png or .html file name")
    overrides: dict[str, Any] = {
        "treasury_cap": qt_treasury_cap, "mbs_cap": mbs_cap, "purchases": purchases,
        "tga_target": tga_target, "tga_by": parse_date(tga_by, "--tga-by"),
        "rrp_floor": rrp_floor, "srf": srf, "bank_assets_bn": bank_assets,
        "tga_seasonality": tga_seasonality or None,
    }
    for name, val in overrides.items():
        if isinstance(val, float) and val < 0:
            raise ConfigError(f"--{name.replace('_', '-')}: {val} must not be negative")
    with open_store(read_only=True) as store:
        day = report_day(store, as_of).day
        res = project(store, preset, weeks=weeks, as_of=day,
                      levels=_levels(level), **overrides)
        sens = res.sensitivity
        outcome = _outcome(store, res) if plot is not None and as_of is not None else None
    if plot is not None:
        from liqwatch.scenarios.plot import plot_projection

        plot_projection(res, plot, outcome)
        err_console.print(f"chart written to {plot}")
    if fmt == TableFormat.json:
        sys.stdout.write(json.dumps(res.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == TableFormat.csv:
        emit(res.path.to_dict("records"), "csv")
        return
    _print_projection(res, sens, every)


#: Table headers of the projection path (JSON and CSV keep the field names).
_PATH_HEADERS = {"week": "week", "date": "date", "reserves_bn": "reserves",
                 "reserves_to_bank_assets_pct": "% bank assets", "tga_bn": "TGA",
                 "on_rrp_bn": "ON RRP", "soma_bn": "SOMA", "currency_bn": "currency"}


def _outcome(store: Any, res: Any) -> Any:
    """Reserves published after a past projection's start (WRESBAL, latest vintage, USD bn)."""
    end = res.path["date"].max()
    frame = store.read(["WRESBAL"], start=res.start.date, end=end)
    return frame.assign(reserves_bn=frame["value"] / 1e3)[["date", "reserves_bn"]]


def _print_projection(res: Any, sens: Any, every: int) -> None:
    p = res.path
    shown = p.iloc[sorted(set(range(0, len(p), every)) | {len(p) - 1})]
    rows = [{_PATH_HEADERS[k]: v for k, v in r.items() if k in _PATH_HEADERS}
            for r in shown.to_dict("records")]
    heads = list(_PATH_HEADERS.values())
    fmt1 = {c: (lambda v: "—" if v is None else f"{v:,.0f}") for c in heads[2:]}
    fmt1["% bank assets"] = lambda v: "—" if v is None else f"{v:.1f}"
    emit(rows, "table", columns=heads, formatters=fmt1, optional=["currency", "SOMA"],
         title=f"Reserve projection — {res.preset} from {res.start.date} (USD bn)")
    rows = [{"threshold": k, "first week below": v,
             "note": "already below at the start" if v == res.start.date else ""}
            for k, v in res.crossings.items()]
    emit(rows, "table", title="Threshold crossings",
         row_style=lambda r: "red" if r["first week below"] else None)
    rows = [{"assumption": k, "value": _assumption(v["value"]), "origin": v["origin"]}
            for k, v in res.assumptions.items()]
    emit(rows, "table", title="Assumptions (USD bn; caps and purchases per month)")
    a1, a2 = sens.attrs["axes"]
    grid = sens.pivot(index=a1, columns=a2, values="reserves_end_bn")
    grid_rows = [{f"{a1} \\ {a2}": float(idx), **{f"{c:,.0f}": float(v) for c, v in r.items()}}
                 for idx, r in grid.iterrows()]
    whole = {c: (lambda v: f"{v:,.0f}") for c in (grid_rows[0] if grid_rows else {})}
    emit(grid_rows, "table", formatters=whole,
         title=f"Sensitivity: reserves at week {res.weeks} (USD bn) by {a1} and {a2}")
    for n in res.notes:
        console.print(f"[dim]note:[/] {escape(n)}")


def _assumption(value: Any) -> Any:
    """An assumption for the table: amounts to 0.1bn, other numbers to 2 decimals."""
    if isinstance(value, float):
        return round(value, 1) if abs(value) >= 10 else round(value, 2)
    return value


@scenario_app.command("validate")
def validate_cmd(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """Project from past dates with only the policy announced then; compare with the outcome.

    Windows: Jan–Sep 2019, Jun–Dec 2022, Jun–Dec 2024, Jul–Nov 2025. Each is run with the
    announced policy and estimated drivers, and again with the TGA and ON RRP paths that
    happened (to separate those forecasting errors). Errors in USD bn at the end of the window
    and in weeks of threshold timing (positive = projected too late).

    Examples:

        liqwatch scenario validate

        liqwatch scenario validate --format json
    """
    from liqwatch.scenarios.validation import validate

    with open_store(read_only=True) as store:
        result = validate(store)
    records = result.records()
    if fmt == TableFormat.json:
        emit(records, "json")
        return
    flat = []
    for r in records:
        timing = "; ".join(
            f"{t['label']}: {t['error_weeks']:+d}w" if t["error_weeks"] is not None
            else f"{t['label']}: {t['status']}" for t in r["thresholds"])
        flat.append({k: v for k, v in r.items() if k != "thresholds"} | {"timing": timing})
    cols = ["window", "variant", "start", "end", "projected_bn", "actual_bn", "error_bn",
            "mean_abs_error_bn", "timing"]
    if fmt == TableFormat.csv:
        emit(flat, "csv", columns=cols)
        return
    heads = {"projected_bn": "projected", "actual_bn": "actual", "error_bn": "error",
             "mean_abs_error_bn": "mean abs error"}
    rows = [{heads.get(k, k): r.get(k) for k in cols} for r in flat]
    num = {c: (lambda v: f"{v:,.0f}") for c in heads.values()}
    emit(rows, "table", formatters=num, optional=["start", "mean abs error"],
         title="Scenario validation: projection from the window start vs actual WRESBAL "
               "(USD bn; timing error in weeks, + = projected too late)")


def nowcast_cmd(
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE",
        help="Use data published by this day (default: the report day).")] = None,
    validate: Annotated[bool, typer.Option(
        "--validate", metavar="",
        help="Score the nowcast against published WRESBAL since 2022.")] = False,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
) -> None:
    """Daily estimate of reserve balances since the last H.4.1, from daily drivers.

    Reserves move with the TGA (Daily Treasury Statement), ON RRP and SRF take-up (New York
    Fed), published daily; the rest is carried at its recent weekly trend.

    Examples:

        liqwatch nowcast

        liqwatch nowcast --as-of 2025-10-31

        liqwatch nowcast --validate --format json
    """
    from liqwatch.scenarios.nowcast import nowcast, validate_nowcast

    with open_store(read_only=True) as store:
        if validate:
            v = validate_nowcast(store)
            if fmt == TableJson.json:
                sys.stdout.write(json.dumps(v.to_dict(), indent=2) + "\n")
                return
            d = v.to_dict()
            emit([
                {"method": "nowcast", "median_abs_error_bn": d["median_abs_error_bn"],
                 "p90_abs_error_bn": d["p90_abs_error_bn"], "n": d["n"]},
                {"method": "carry last week", "median_abs_error_bn":
                    d["naive_median_abs_error_bn"], "p90_abs_error_bn":
                    d["naive_p90_abs_error_bn"], "n": d["n"]},
            ], "table", title=f"Nowcast vs WRESBAL week averages, {d['start']}..{d['end']}")
            return
        res = nowcast(store, report_day(store, as_of).day)
    if fmt == TableJson.json:
        sys.stdout.write(json.dumps(res.to_dict(), indent=2) + "\n")
        return
    heads = {"date": "date", "reserves_bn": "reserves", "tga_bn": "TGA", "on_rrp_bn": "ON RRP",
             "srf_bn": "SRF", "drift_bn": "drift", "tga_date": "TGA of"}
    rows = [{heads[k]: v for k, v in r.items() if k in heads}
            for r in plain_records(res.daily.to_dict("records"))]
    num = {c: (lambda v: "—" if v is None else f"{v:,.1f}") for c in list(heads.values())[1:6]}
    emit(rows, "table", columns=list(heads.values()), formatters=num, optional=["TGA of"],
         title=f"Reserve nowcast since the H.4.1 week of {res.anchor_date} (USD bn)")
    console.print(res.summary())
    for n in res.notes:
        console.print(f"[dim]note:[/] {escape(n)}")


def register(app: typer.Typer) -> None:
    """Add ``scenario`` (with ``validate``) and ``nowcast`` to ``app``."""
    app.add_typer(scenario_app, name="scenario")
    app.command("nowcast")(nowcast_cmd)
