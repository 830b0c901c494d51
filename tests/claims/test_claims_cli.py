"""`liqwatch check` and `liqwatch claims extract` through the real entry point."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "claims"
CliRun = Callable[..., tuple[int, str, str]]


def test_check_claims_file_json(real_db: Path, cli: CliRun) -> None:
    code, out, _ = cli("--db", str(real_db), "check", str(FIX / "claims.yaml"),
                       "--format", "json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    for row in rows.values():
        for key in ("quote", "kind", "series", "date", "claimed_value", "data_value", "unit",
                    "verdict", "error", "explanation"):
            assert key in row
    assert [rows[k]["verdict"] for k in ("sofr-spike", "reserves-week", "rrp-slip", "btc-ndx",
                                         "srf-oct", "srf-mar26")] == [
        "consistent", "consistent", "wrong", "wrong", "consistent", "not_checkable"]
    assert rows["reserves-week"]["data_value"] == 1394122.0
    assert rows["reserves-week"]["unit"] == "USD millions"
    assert rows["reserves-week"]["observations"][0]["realtime_start"] == "2019-09-19"
    slip = rows["rrp-slip"]
    assert slip["unit"] == "USD billions" and slip["data_value"] == pytest.approx(2553.716)
    assert slip["error"]["abs"] == pytest.approx(255 - 2553.716)
    assert any(a["matches"] and "10×" in a["definition"] for a in slip["alternatives"])
    assert any(a["matches"] and a["definition"] == "correlation of levels"
               for a in rows["btc-ndx"]["alternatives"])
    assert rows["srf-oct"]["data_value"] == pytest.approx(50.35)
    assert "RPONTTLD_NYFED" in rows["srf-mar26"]["missing"]
    assert "2025-12-31" in rows["srf-mar26"]["missing"]


def test_check_table_has_summary_counts(real_db: Path,
                                        cli: CliRun) -> None:
    code, out, _ = cli("--db", str(real_db), "check", str(FIX / "claims.yaml"))
    assert code == 0
    assert "consistent: 3" in out and "wrong: 2" in out and "not checkable: 1" in out


def test_check_text_says_claims_were_drafted(real_db: Path,
                                             cli: CliRun) -> None:
    code, out, err = cli("--db", str(real_db), "check", "--text",
                         str(FIX / "commentary_ja.txt"), "--lang", "ja", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["auto"] for r in rows)
    assert f"{len(rows)} 件の主張を自動抽出しました" in err
    assert "50兆円" in err  # the unmapped sentence is listed


def test_check_html_is_an_escaped_fragment(real_db: Path,
                                           cli: CliRun) -> None:
    code, out, _ = cli("--db", str(real_db), "check", str(FIX / "claims.yaml"),
                       "--format", "html")
    assert code == 0
    assert out.lstrip().startswith("<style>") and '<section class="lw-claims"' in out
    assert "Numbers checked" in out


def test_extract_writes_a_loadable_claims_file(tmp_path: Path,
                                               cli: CliRun) -> None:
    target = tmp_path / "draft.yaml"
    code, _, err = cli("claims", "extract", str(FIX / "commentary_en.txt"), "-o",
                       str(target))
    assert code == 0
    rows = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert len(rows) == 24 and all(r["auto"] for r in rows)
    assert "24 claims written" in err and "Dealers absorbed" in err


def test_extract_json(cli: CliRun) -> None:
    code, out, _ = cli("claims", "extract", str(FIX / "commentary_ja.txt"),
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["lang"] == "ja" and data["unmapped"][0]["reason"].startswith("yen")


def test_check_needs_exactly_one_input(cli: CliRun) -> None:
    code, _, err = cli("check")
    assert code == 1 and "claims file or --text" in err


def test_invalid_claims_file_names_the_claim_and_field(
    tmp_path: Path, cli: CliRun
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {id: x1, kind: level, series: SOFR, value: 5%}\n"
                   "- {kind: level, series: SOFR, value: 5, date: 2019-09-17}\n"
                   "- {kind: levels, series: SOFR}\n", encoding="utf-8")
    code, _, err = cli("check", str(bad))
    assert code == 1
    assert "claim 1 (x1): date: missing" in err
    bad.write_text("- {kind: level, series: SOFR, value: 5, date: 2019-09-17}\n",
                   encoding="utf-8")
    code, _, err = cli("check", str(bad))
    assert code == 1 and "claim 1: unit is missing" in err
    bad.write_text("- {kind: levels, series: SOFR}\n", encoding="utf-8")
    code, _, err = cli("check", str(bad))
    assert code == 1 and "kind 'levels' is not one of level, change" in err


def test_schema_lists_every_kind(cli: CliRun) -> None:
    from liqwatch.claims import KINDS

    code, out, _ = cli("claims", "schema")
    assert code == 0
    schema = json.loads(out)
    kinds = set()
    for definition in schema["$defs"].values():
        kind = definition.get("properties", {}).get("kind", {})
        kinds |= set(kind.get("enum", [])) | ({kind["const"]} if "const" in kind else set())
    assert kinds == set(KINDS)


def test_extract_into_a_missing_folder_is_one_clear_error(tmp_path: Path, cli: CliRun) -> None:
    code, _, err = cli("claims", "extract", str(FIX / "commentary_en.txt"), "-o",
                       str(tmp_path / "nowhere" / "draft.yaml"))
    assert code == 1 and "does not exist" in err
    assert not (tmp_path / "nowhere").exists()


def test_extract_replaces_a_file_without_leaving_temporary_files(tmp_path: Path,
                                                                 cli: CliRun) -> None:
    target = tmp_path / "draft.yaml"
    target.write_text("old", encoding="utf-8")
    code, _, _ = cli("claims", "extract", str(FIX / "commentary_ja.txt"), "-o", str(target))
    assert code == 0 and yaml.safe_load(target.read_text(encoding="utf-8"))
    assert [p.name for p in tmp_path.iterdir()] == ["draft.yaml"]


def test_check_text_lists_a_forecast_as_not_checkable(real_db: Path, tmp_path: Path,
                                                      cli: CliRun) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Yesterday SOFR printed 4.22%. We expect it to fall to 3.9% by "
                    "mid-November.", encoding="utf-8")
    code, out, _ = cli("--db", str(real_db), "check", "--text", str(note), "--date",
                       "2025-11-03", "--format", "json")
    assert code == 0
    level, forecast = json.loads(out)
    assert (level["verdict"], level["date"], level["tolerance_rule"]) == (
        "consistent", "2025-10-31", "±0.005 (the digits written)")
    assert (forecast["kind"], forecast["verdict"], forecast["why"]) == (
        "non_claim", "not_checkable", "forecast")
    assert "a forecast" in forecast["explanation"]
