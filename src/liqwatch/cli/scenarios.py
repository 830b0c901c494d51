"""Reserve commands: ``scenario`` (projection), ``scenario validate``, ``nowcast``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from liqwatch.cli._common import (
    LangOpt,
    TableFormat,
    TableJson,
    console,
    emit,
    err_console,
    open_store,
    parse_date,
    plain_records,
    print_paragraph,
    report_day,
    resolve_lang,
)
from liqwatch.exceptions import ConfigError

#: Preset names as the option's help lists them (kept equal to ``liqwatch.scenarios.PRESETS``
#: by a test; the CLI does not import the library before a command runs).
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
        "--tga-target", metavar="BN",
        help="TGA level to reach, USD bn (with --tga-by), instead of the Treasury's "
             "assumptions.")] = None,
    tga_by: Annotated[str | None, typer.Option(
        "--tga-by", metavar="DATE", help="Date the TGA target is reached (YYYY-MM-DD).")] = None,
    no_seasonality: Annotated[bool, typer.Option(
        "--no-seasonality", help="Leave out the tax-date pattern of the TGA.")] = False,
    debt_limit_end: Annotated[str | None, typer.Option(
        "--debt-limit-end", metavar="DATE",
        help="Assumed resolution of a debt limit not yet resolved at the start.")] = None,
    rrp_floor: Annotated[float | None, typer.Option(
        "--rrp-floor", metavar="BN", help="ON RRP never funds drains below this level.")] = None,
    rrp_share: Annotated[float | None, typer.Option(
        "--rrp-share", metavar="X",
        help="Share of net drains ON RRP funds while above its floor (0..1; default 1).")] = None,
    currency_growth: Annotated[float | None, typer.Option(
        "--currency-growth", metavar="PCT",
        help="Currency growth, percent a year (default: its 52-week trend).")] = None,
    lending: Annotated[float | None, typer.Option(
        "--lending", metavar="BN",
        help="Balance of the lending programme running off (e.g. BTFP), USD bn.")] = None,
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
        help="Start from data and announcements known on this day (YYYY-MM-DD).")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    lang: LangOpt = None,
    plot: Annotated[Path | None, typer.Option(
        "--plot", metavar="FILE",
        help="Write a chart: FILE.png (matplotlib) or FILE.html (plotly).")] = None,
    every: Annotated[int, typer.Option(
        "--every", metavar="N", help="Table output: show every Nth week.")] = 4,
) -> None:
    """Project reserve balances week by week and report when thresholds are crossed.

    Starts from the latest H.4.1 week published on the as-of day and uses the H.4.1 identity
    (week-average basis): runoff as it runs under the caps announced by then, the Treasury's
    own end-of-quarter cash assumptions through tax dates and debt limits, lending
    programmes running off to their announced ends, ON RRP funding drains while above its
    floor. Prints the headline, the path, the first week below 2.5T, 3.0T, 12% and 13% of
    bank assets (a band of weeks when bank assets are uncertain) and any --level, the
    assumptions as stated on the run day, and a sensitivity table.

    Examples:

        liqwatch scenario

        liqwatch scenario --preset tga-rebuild --weeks 26 --plot reserves.png

        liqwatch scenario --qt-treasury-cap 0 --purchases 40 --level 2800 -f json

        liqwatch scenario --as-of 2019-01-03 --weeks 36 --lang ja

        liqwatch scenario validate
    """
    lang_ = resolve_lang(lang)
    if ctx.invoked_subcommand is not None:
        return
    from liqwatch.scenarios import project

    if preset not in PRESET_NAMES:
        raise ConfigError(f"--preset {preset!r}: choose one of {', '.join(PRESET_NAMES)}")
    if every < 1:
        raise ConfigError("--every must be at least 1")
    if plot is not None and plot.suffix.lower() not in (".png", ".html", ".htm"):
        raise ConfigError(f"--plot {plot}: use a .png or .html file name")
    if plot is not None and not plot.parent.is_dir():
        raise ConfigError(f"--plot {plot}: folder {plot.parent} does not exist")
    overrides: dict[str, Any] = {
        "treasury_cap": qt_treasury_cap, "mbs_cap": mbs_cap, "purchases": purchases,
        "tga_target": tga_target, "tga_by": parse_date(tga_by, "--tga-by"),
        "debt_limit_resolved": parse_date(debt_limit_end, "--debt-limit-end"),
        "rrp_floor": rrp_floor, "rrp_share": rrp_share, "currency_growth_pct": currency_growth,
        "lending_bn": lending, "srf": srf, "bank_assets_bn": bank_assets,
        "tga_seasonality": False if no_seasonality else None,
    }
    for name, val in overrides.items():
        if isinstance(val, float) and val < 0 and name != "currency_growth_pct":
            raise ConfigError(f"--{name.replace('_', '-')}: {val} must not be negative")
    with open_store(read_only=True) as store:
        day = report_day(store, as_of, lang=lang_).day
        res = project(store, preset, weeks=weeks, as_of=day, levels=_levels(level),
                      **overrides)
        sens = res.sensitivity
    if plot is not None:
        from liqwatch.scenarios.plot import plot_projection

        plot_projection(res, plot, lang=lang_)
        err_console.print(f"chart written to {plot}")
    if fmt == TableFormat.json:
        sys.stdout.write(json.dumps(res.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == TableFormat.csv:
        emit(res.path.to_dict("records"), "csv")
        return
    _print_projection(res, sens, every, lang_)


#: Table headers of the projection path (JSON and CSV keep the field names).
_PATH_HEADERS = {"week": "week", "date": "date", "status": "status",
                 "reserves_bn": "reserves", "reserves_to_bank_assets_pct": "% bank assets",
                 "tga_bn": "TGA", "on_rrp_bn": "ON RRP", "soma_bn": "SOMA",
                 "published_bn": "published"}
_PATH_HEADERS_JA = {"week": "週", "date": "日付", "status": "区分", "reserves_bn": "準備預金",
                    "reserves_to_bank_assets_pct": "銀行総資産比%",
                    "tga_bn": "財務省一般口座", "on_rrp_bn": "翌日物RRP", "soma_bn": "SOMA",
                    "published_bn": "公表値"}
_STATUS_JA = {"actual": "実績", "projected": "予測"}


def _whole(v: Any) -> str:
    return "—" if v is None or v != v else f"{v:,.0f}"


def _ratio(v: Any) -> str:
    if isinstance(v, str):
        return v
    return "—" if v is None or v != v else f"{v:.1f}"


def _print_projection(res: Any, sens: Any, every: int, lang: str) -> None:
    ja = lang == "ja"
    print_paragraph(res.headline(lang), lang)
    p = res.path
    shown = p.iloc[sorted(set(range(0, len(p), every)) | {len(p) - 1})]
    heads_map = _PATH_HEADERS_JA if ja else _PATH_HEADERS
    uncertain = res.bank_assets.uncertain
    rows = []
    for r in shown.to_dict("records"):
        row = {heads_map[k]: v for k, v in r.items() if k in heads_map}
        if ja:
            row[heads_map["status"]] = _STATUS_JA.get(r["status"], r["status"])
        if uncertain:  # a range: the level of bank assets is unknown
            row[heads_map["reserves_to_bank_assets_pct"]] = (
                f"{r['reserves_to_bank_assets_low_pct']:.1f}-"
                f"{r['reserves_to_bank_assets_high_pct']:.1f}")
        rows.append(row)
    heads = list(heads_map.values())
    if p["published_bn"].isna().all():
        heads.remove(heads_map["published_bn"])
    fmts: dict[str, Any] = dict.fromkeys(heads[3:], _whole)
    fmts[heads_map["reserves_to_bank_assets_pct"]] = _ratio
    emit(rows, "table", columns=heads, formatters=fmts,
         optional=[heads_map["status"], heads_map["published_bn"], heads_map["soma_bn"]],
         title=(f"準備預金の予測 — {res.preset} ({res.start_week}から、10億ドル)" if ja else
                f"Reserve projection — {res.preset} from {res.start_week} (USD bn)"))
    head = "閾値" if ja else "threshold"
    when = "下回る時期" if ja else "first week below"
    crossed = {c.name(lang): c.earliest is not None for c in res.thresholds}
    emit([{head: c.name(lang), when: c.text(lang).split(": ", 1)[1]} for c in res.thresholds],
         "table", title="閾値を下回る時期" if ja else "Threshold crossings",
         row_style=lambda r: "red" if crossed.get(r[head]) else None)
    console.print("[bold]" + ("前提 (実行日時点)" if ja else
                              "Assumptions (as stated on the run day)") + "[/]")
    for t in res.assumptions_text(lang):
        print_paragraph("- " + t, lang)
    a1, a2 = sens.attrs["axes"]
    grid = sens.pivot(index=a1, columns=a2, values="reserves_end_bn")
    grid_rows = [{f"{a1} \\ {a2}": float(idx), **{f"{c:,.0f}": float(v) for c, v in r.items()}}
                 for idx, r in grid.iterrows()]
    whole = {c: (lambda v: f"{v:,.0f}") for c in (grid_rows[0] if grid_rows else {})}
    emit(grid_rows, "table", formatters=whole,
         title=(f"感応度: {res.weeks}週目の準備預金 (10億ドル)、{a1}と{a2}別" if ja else
                f"Sensitivity: reserves at week {res.weeks} (USD bn) by {a1} and {a2}"))
    if not ja:
        for i, n in enumerate(res.notes):
            if i != 1:  # the bank-assets note is among the assumptions above
                console.print(f"[dim]note:[/] {escape(n)}")


@scenario_app.command("validate")
def validate_cmd(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    lang: LangOpt = None,
) -> None:
    """Project from past dates with only the data and announcements of then; compare.

    Windows: May–Dec 2018, Jan–Sep 2019 (ending the week before the Fed's repo operations of
    17 Sep 2019, stated separately), Jun–Dec 2022, Jun–Dec 2023, Jun–Dec 2024, Jul–Nov 2025.
    Each is run with the announced policy and estimated drivers, and again with the TGA and
    ON RRP paths that happened. Errors in USD bn at the end of the window and on average over
    it, and in weeks of threshold timing on four-week averages (positive = projected too
    late). Goals: end error within 150bn and mean error within 100bn in every window.

    Examples:

        liqwatch scenario validate

        liqwatch scenario validate --format json
    """
    lang_ = resolve_lang(lang)
    from liqwatch.scenarios.validation import validate

    with open_store(read_only=True) as store:
        result = validate(store)
    records = result.records()
    if fmt == TableFormat.json:
        emit(records, "json")
        return
    from liqwatch.scenarios.wording import threshold_name

    ja = lang_ == "ja"
    status_ja = {"missed": "未到達", "not crossed": "到達せず", "not reached": "到達せず"}
    flat = []
    for r in records:
        timing = "; ".join(
            (f"{threshold_name(t['label'], lang_)}: {t['error_weeks']:+d}週" if ja else
             f"{t['label']}: {t['error_weeks']:+d}w") if t["error_weeks"] is not None
            else f"{threshold_name(t['label'], lang_)}: "
                 f"{status_ja.get(t['status'], t['status']) if ja else t['status']}"
            for t in r["thresholds"])
        flat.append({k: v for k, v in r.items() if k != "thresholds"} | {"timing": timing})
    cols = ["window", "variant", "start", "end", "projected_bn", "actual_bn", "error_bn",
            "mean_abs_error_bn", "timing"]
    if fmt == TableFormat.csv:
        emit(flat, "csv", columns=cols)
        return
    from liqwatch.scenarios.validation import VARIANTS

    short = dict(zip(VARIANTS, ("公表済み政策", "+実際のTGA・RRP") if ja else
                     ("announced", "+ actual TGA, RRP"), strict=True))
    heads = {"projected_bn": "予測" if ja else "projected", "actual_bn": "実績" if ja else "actual",
             "error_bn": "誤差" if ja else "error",
             "mean_abs_error_bn": "平均絶対誤差" if ja else "MAE"}
    from liqwatch.scenarios.validation import WINDOWS

    names = {w.name: w.name_ja for w in WINDOWS if w.name_ja} if ja else {}
    rows = [{heads.get(k, k): (short.get(r[k], r[k]) if k == "variant" else
                               names.get(r[k], r[k]) if k == "window" else r.get(k))
             for k in cols if k != "start"} for r in flat]
    num = {c: (lambda v: f"{v:,.0f}") for c in heads.values()}
    emit(rows, "table", formatters=num, optional=["end"], lang=lang_,
         title=("シナリオ検証: 期間開始時からの予測と実際のWRESBAL (10億ドル、時期の誤差は週、"
                "+は予測が遅い)") if ja else
         "Scenario validation: projection from the window start vs actual WRESBAL "
         "(USD bn; timing error in weeks, + = projected too late)")
    goals = result.goals()
    goal_ja = {"end_error": "期末誤差", "mean_abs_error": "平均絶対誤差",
               "actual_not_worse": "実績経路で悪化しない", "timing": "到達時期"}
    for name, met in goals.items():
        if ja:
            console.print(f"[dim]目標 {goal_ja.get(name, name)}:[/] "
                          f"{'達成' if met else '未達'}")
        else:
            console.print(f"[dim]goal {name}:[/] {'met' if met else 'NOT met'}")
    for name, text in result.responses.items():
        print_paragraph(f"{names.get(name, name)}: {text.get(lang_)}", lang_, style="dim")


def nowcast_cmd(
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE",
        help="Use data published by this day (default: the report day).")] = None,
    validate: Annotated[bool, typer.Option(
        "--validate", metavar="",
        help="Score the nowcast against published WRESBAL since 2022.")] = False,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
    lang: LangOpt = None,
) -> None:
    """Daily estimate of reserve balances since the last H.4.1, from daily drivers.

    Reserves move with the TGA (Daily Treasury Statement), ON RRP and SRF take-up (New York
    Fed), published daily; the rest is carried at its recent weekly trend.

    Examples:

        liqwatch nowcast

        liqwatch nowcast --as-of 2025-10-31

        liqwatch nowcast --validate --format json
    """
    lang_ = resolve_lang(lang)
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
        res = nowcast(store, report_day(store, as_of, lang=lang_).day)
    if fmt == TableJson.json:
        sys.stdout.write(json.dumps(res.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    ja = lang_ == "ja"
    heads = ({"date": "日付", "reserves_bn": "準備預金", "tga_bn": "財務省一般口座",
              "on_rrp_bn": "翌日物RRP", "srf_bn": "SRF", "drift_bn": "ドリフト",
              "tga_date": "TGAの日付"} if ja else
             {"date": "date", "reserves_bn": "reserves", "tga_bn": "TGA", "on_rrp_bn": "ON RRP",
              "srf_bn": "SRF", "drift_bn": "drift", "tga_date": "TGA of"})
    rows = [{heads[k]: v for k, v in r.items() if k in heads}
            for r in plain_records(res.daily.to_dict("records"))]
    num = {c: (lambda v: "—" if v is None else f"{v:,.1f}") for c in list(heads.values())[1:6]}
    emit(rows, "table", columns=list(heads.values()), formatters=num,
         optional=[heads["tga_date"]],
         title=(f"{res.anchor_date}の週以降の準備預金ナウキャスト (10億ドル)" if ja else
                f"Reserve nowcast since the H.4.1 week of {res.anchor_date} (USD bn)"))
    print_paragraph(res.headline(lang_), lang_)
    if not ja:
        for n in res.notes:
            console.print(f"[dim]note:[/] {escape(n)}")


def register(app: typer.Typer) -> None:
    """Add ``scenario`` (with ``validate``) and ``nowcast`` to ``app``."""
    app.add_typer(scenario_app, name="scenario")
    app.command("nowcast")(nowcast_cmd)
