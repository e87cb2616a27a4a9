"""Tests for the appeals command: letters from JSON cases and 835 claim lists."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import load_example

from appeals.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
REMITTANCES = ROOT / "tests" / "data" / "835"
TODAY = "2026-11-02"
ROUTES = {"appeal", "reopening", "corrected_claim", "no_appeal"}

# Example file: (today, route, pieces the letter must contain).
EXPECTED = {
    "medicare-medical-necessity": (
        TODAY,
        "appeal",
        {"clinical_history", "medical_necessity", "evidence", "policy_request"},
    ),
    "commercial-experimental": (
        TODAY,
        "appeal",
        {"experimental", "whcra", "evidence", "external_review"},
    ),
    "em-modifier-25": (TODAY, "appeal", {"em_separate"}),
    "em-missing-modifier-medicare": (TODAY, "reopening", {"reopening_request"}),
    "pt-independent": (TODAY, "appeal", {"provider_type", "pt_contract_amendment"}),
    "pt-eval-same-day": (TODAY, "appeal", {"therapy_eval_same_day"}),
    "therapy-cap": (TODAY, "appeal", {"therapy_cap"}),
    "diagnosis": (TODAY, "appeal", {"diagnosis"}),
    "no-indication": (TODAY, "no_appeal", set()),
    "multi-line": (TODAY, "appeal", {"medical_necessity", "em_separate"}),
    "underpayment-2024": ("2024-07-15", "appeal", {"underpayment"}),
    "resubmit-ma130": (TODAY, "corrected_claim", set()),
}


def _example(name: str) -> dict:
    return load_example(name)


def _write_case(tmp_path: Path, data) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _run_letter(capsys, case: Path, output: Path | None, today=TODAY):
    """Run ``appeals letter --json`` and return exit code, JSON result and stderr."""
    argv = ["letter", str(case), "--json", "--today", today]
    if output is not None:
        argv += ["-o", str(output)]
    code = main(argv)
    captured = capsys.readouterr()
    result = json.loads(captured.out) if code == 0 else None
    return code, result, captured.err


def _pieces(result: dict) -> dict:
    return {piece["id"]: piece for piece in result["pieces"]}


def test_examples_all_listed():
    names = {path.stem for path in EXAMPLES.glob("*.json")}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_letter_example_json(name, tmp_path, capsys):
    today, route, pieces = EXPECTED[name]
    output = tmp_path / "letter.docx"
    code, result, err = _run_letter(capsys, EXAMPLES / f"{name}.json", output, today)

    assert code == 0, err
    assert result["route"] in ROUTES
    assert result["route"] == route
    assert isinstance(result["pieces"], list)
    for piece in result["pieces"]:
        assert isinstance(piece["id"], str) and piece["id"]
        assert isinstance(piece["reason"], str) and piece["reason"]
    assert pieces <= set(_pieces(result))
    assert isinstance(result["warnings"], list)
    assert all(isinstance(warning, str) for warning in result["warnings"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_letter_written_only_with_letter(name, tmp_path, capsys):
    today, route, _ = EXPECTED[name]
    output = tmp_path / "letter.docx"
    code, result, err = _run_letter(capsys, EXAMPLES / f"{name}.json", output, today)

    assert code == 0
    if route in ("appeal", "reopening"):
        assert result["letter"] == str(output)
        document = docx.Document(str(output))
        assert document.paragraphs[0].text == _example(name)["practice"]["name"]
        assert result["pieces"][-1]["id"] == "closing"
    else:
        assert result["letter"] is None
        assert not output.exists()
        assert result["pieces"] == []
        assert "No letter written" in err
    assert list(tmp_path.iterdir()) == ([output] if output.exists() else [])


def test_letter_without_output(capsys):
    code, result, _ = _run_letter(
        capsys, EXAMPLES / "medicare-medical-necessity.json", None
    )
    assert code == 0
    assert result["route"] == "appeal"
    assert result["letter"] is None


def test_letter_text_report(tmp_path, capsys):
    output = tmp_path / "letter.docx"
    code = main(
        [
            "letter",
            str(EXAMPLES / "medicare-medical-necessity.json"),
            "-o",
            str(output),
            "--today",
            TODAY,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Route: appeal\n")
    assert "Due by: 2027-02-22" in out
    assert "  - medical_necessity [G1, G2]:" in out
    assert "Enclose:\n  - Copy of the remittance advice" in out
    assert f"Letter written to {output}" in out


def test_letter_overwrites_existing_output(tmp_path, capsys):
    output = tmp_path / "letter.docx"
    output.write_bytes(b"old letter")
    code, result, _ = _run_letter(
        capsys, EXAMPLES / "medicare-medical-necessity.json", output
    )
    assert code == 0
    assert output.read_bytes()[:2] == b"PK"
    assert docx.Document(str(output)).paragraphs[0].text == "Lakeside Breast Surgery"


def test_no_indication_warns(tmp_path, capsys):
    code, result, _ = _run_letter(capsys, EXAMPLES / "no-indication.json", None)
    assert code == 0
    assert len(result["warnings"]) == 1
    assert "lymph nodes is recorded" in result["warnings"][0]
    assert result["lines"][0]["rules"] == ["medical_necessity (blocked)"]
    assert result["due_date"] is None


def test_resubmit_next_step(capsys):
    code, result, _ = _run_letter(capsys, EXAMPLES / "resubmit-ma130.json", None)
    assert code == 0
    assert result["lines"][0]["rules"] == ["no_appeal_rights"]
    assert "new claim" in result["lines"][0]["next_step"]


def test_underpayment_expected_amount(capsys):
    code, result, _ = _run_letter(
        capsys, EXAMPLES / "underpayment-2024.json", None, "2024-07-15"
    )
    assert code == 0
    # The 2024 national amount of $122.17 less the patient's PR-2 coinsurance.
    assert result["lines"][0]["expected"] == "98.42"
    assert result["due_date"] == "2024-11-04"
    assert any("national amount" in warning for warning in result["warnings"])


def test_multi_line_pieces_per_line(capsys):
    code, result, _ = _run_letter(capsys, EXAMPLES / "multi-line.json", None)
    pieces = _pieces(result)
    assert code == 0
    assert [line["route"] for line in result["lines"]] == ["appeal", "appeal"]
    assert pieces["medical_necessity"]["lines"] == [0]
    assert pieces["em_separate"]["lines"] == [1]
    assert result["warnings"] == []


def test_em_modifier_paid_line_ignored(capsys):
    code, result, _ = _run_letter(capsys, EXAMPLES / "em-modifier-25.json", None)
    assert code == 0
    assert [line["index"] for line in result["lines"]] == [1]
    assert result["due_date"] == "2026-12-12"


def test_missing_modifier_reopening_deadline(capsys):
    code, result, _ = _run_letter(
        capsys, EXAMPLES / "em-missing-modifier-medicare.json", None
    )
    assert code == 0
    assert result["lines"][0]["rules"] == ["em_missing_modifier_25"]
    assert result["due_date"] == "2027-10-14"
    assert result["due_source"] == "CFR-405.980"


def test_invalid_json_exits_2(tmp_path, capsys):
    case = tmp_path / "case.json"
    case.write_text('{"payer": {"name": "x",}', encoding="utf-8")
    output = tmp_path / "letter.docx"
    code, _, err = _run_letter(capsys, case, output)
    assert code == 2
    assert "is not valid JSON" in err
    assert "line 1" in err
    assert not output.exists()


def _parent(data: dict, path: str) -> tuple[dict, str]:
    """Return the object that contains a dotted field path, and the field's key."""
    *parents, last = path.split(".")
    for key in parents:
        match = re.fullmatch(r"(\w+)\[(\d+)\]", key)
        data = data[match[1]][int(match[2])] if match else data[key]
    return data, last


def _delete(data: dict, path: str) -> None:
    holder, key = _parent(data, path)
    del holder[key]


def _set(data: dict, path: str, value) -> None:
    holder, key = _parent(data, path)
    holder[key] = value


@pytest.mark.parametrize(
    "field", ["claim.number", "payer.kind", "claim.lines[0].billed", "practice.name"]
)
def test_missing_field_exits_2(field, tmp_path, capsys):
    data = _example("medicare-medical-necessity")
    _delete(data, field)
    output = tmp_path / "letter.docx"
    code, _, err = _run_letter(capsys, _write_case(tmp_path, data), output)
    assert code == 2
    assert f"error: {field}: " in err
    assert not output.exists()


WRONG_TYPES = [
    ("payer", ["Noridian"], "payer"),
    ("patient.name", {"first": "Dana"}, "patient.name"),
    ("claim.lines", "93702", "claim.lines"),
    ("claim.lines[0].billed", [185], "claim.lines[0].billed"),
    ("claim.lines[0].units", "2", "claim.lines[0].units"),
    ("claim.lines[0].adjustments", {"group": "CO"}, "claim.lines[0].adjustments"),
    ("claim.level", "2", "claim.level"),
    ("clinical.lymph_nodes.removed", "yes", "clinical.lymph_nodes.removed"),
    ("clinical.measurements", {"ldex": 1}, "clinical.measurements"),
    ("provider.enrolled", "no", "provider.enrolled"),
    ("payer.window_days", "60", "payer.window_days"),
]


@pytest.mark.parametrize(("field", "value", "reported"), WRONG_TYPES)
def test_wrong_type_exits_2(field, value, reported, tmp_path, capsys):
    data = _example("medicare-medical-necessity")
    _set(data, field, value)
    output = tmp_path / "letter.docx"
    code, _, err = _run_letter(capsys, _write_case(tmp_path, data), output)
    assert code == 2
    assert f"error: {reported}: " in err
    assert not output.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("claim.number", None), ("claim.service_date", "2026-02-30")],
)
def test_bad_input_keeps_existing_output(field, value, tmp_path, capsys):
    data = _example("medicare-medical-necessity")
    _set(data, field, value)
    output = tmp_path / "letter.docx"
    output.write_bytes(b"signed letter from last week")
    code, _, err = _run_letter(capsys, _write_case(tmp_path, data), output)
    assert code == 2
    assert f"error: {field}: " in err
    assert output.read_bytes() == b"signed letter from last week"
    assert sorted(tmp_path.iterdir()) == [tmp_path / "case.json", output]


def test_invalid_json_keeps_existing_output(tmp_path, capsys):
    case = tmp_path / "case.json"
    case.write_text("not json", encoding="utf-8")
    output = tmp_path / "letter.docx"
    output.write_bytes(b"signed letter from last week")
    code, _, _ = _run_letter(capsys, case, output)
    assert code == 2
    assert output.read_bytes() == b"signed letter from last week"


def test_every_problem_reported(tmp_path, capsys):
    data = _example("medicare-medical-necessity")
    del data["claim"]["number"]
    del data["payer"]["kind"]
    data["claim"]["lines"][0]["paid"] = "-5"
    code, _, err = _run_letter(capsys, _write_case(tmp_path, data), None)
    assert code == 2
    assert "error: claim.number: is required." in err
    assert "error: payer.kind: is required: choose one." in err
    assert "error: claim.lines[0].paid: " in err


def test_case_not_object_exits_2(tmp_path, capsys):
    code, _, err = _run_letter(capsys, _write_case(tmp_path, [1, 2]), None)
    assert code == 2
    assert "error: case: must be a JSON object." in err


def test_missing_case_file_exits_2(tmp_path, capsys):
    output = tmp_path / "letter.docx"
    code, _, err = _run_letter(capsys, tmp_path / "absent.json", output)
    assert code == 2
    assert "cannot read" in err
    assert "absent.json" in err
    assert not output.exists()


def test_case_not_utf8_exits_2(tmp_path, capsys):
    case = tmp_path / "case.json"
    case.write_bytes('{"patient": {"name": "José"}}'.encode("latin-1"))
    code, _, err = _run_letter(capsys, case, None)
    assert code == 2
    assert "is not UTF-8 text" in err


def test_case_with_bom_accepted(tmp_path, capsys):
    case = tmp_path / "case.json"
    text = json.dumps(_example("medicare-medical-necessity"))
    case.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, result, _ = _run_letter(capsys, case, None)
    assert code == 0
    assert result["route"] == "appeal"


def test_bad_today_exits_2(capsys):
    code = main(
        [
            "letter",
            str(EXAMPLES / "medicare-medical-necessity.json"),
            "--today",
            "11/02/2026",
        ]
    )
    assert code == 2
    assert "--today '11/02/2026' is not YYYY-MM-DD" in capsys.readouterr().err


def test_letter_requires_case_argument(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["letter"])
    assert raised.value.code == 2
    assert "case" in capsys.readouterr().err


def test_output_folder_missing_exits(tmp_path, capsys):
    output = tmp_path / "absent" / "letter.docx"
    code, _, err = _run_letter(
        capsys, EXAMPLES / "medicare-medical-necessity.json", output
    )
    assert code in (1, 2)
    assert "absent" in err


@pytest.mark.parametrize("name", ["Dana \ud800 Whitfield", "Dana \uffff Whitfield"])
def test_non_xml_character_dropped(name, tmp_path, capsys):
    data = _example("medicare-medical-necessity")
    data["patient"]["name"] = name
    output = tmp_path / "letter.docx"
    code, _, _ = _run_letter(capsys, _write_case(tmp_path, data), output)
    assert code == 0
    text = "\n".join(p.text for p in docx.Document(str(output)).paragraphs)
    assert "Dana Whitfield" in text


def _remittance_files() -> list[Path]:
    return sorted(
        path
        for path in REMITTANCES.iterdir()
        if path.is_file() and path.suffix in (".835", ".txt", ".edi")
    )


BARE_TRANSACTION = "keironstoddart_edi-835-parser__blue_cross_nc_sample.txt"


@pytest.mark.parametrize(
    "path",
    [p for p in _remittance_files() if p.name != BARE_TRANSACTION],
    ids=lambda p: p.name,
)
def test_remittance_lists_claims(path, capsys):
    code = main(["remittance", str(path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    summary = re.fullmatch(
        r"(\d+) of (\d+) claims have denied or reduced lines\.", out[-1]
    )
    assert summary
    assert int(summary[1]) <= int(summary[2])
    assert len(out) - 1 == int(summary[1])
    for row in out[:-1]:
        number, service_date, lines = row.split("\t")
        assert number
        assert re.fullmatch(r"(\d{4}-\d{2}-\d{2})?", service_date)
        assert re.search(r"[A-Z]{2}-\w+", lines)


def test_remittance_managed_care_row(capsys):
    code = main(
        ["remittance", str(REMITTANCES / "LinuxForHealth_x12__managed-care.835")]
    )
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out == [
        "94077799230000\t2002-03-10\t93555 PR-1/CO-45",
        "1 of 2 claims have denied or reduced lines.",
    ]


def test_remittance_bare_transaction_exits_2(capsys):
    code = main(["remittance", str(REMITTANCES / BARE_TRANSACTION)])
    assert code == 2
    assert "does not start with an ISA interchange header" in capsys.readouterr().err


def test_remittance_missing_file_exits_2(tmp_path, capsys):
    code = main(["remittance", str(tmp_path / "absent.835")])
    assert code == 2
    assert "cannot read" in capsys.readouterr().err


def test_remittance_claim_prints_case(capsys):
    path = REMITTANCES / "LinuxForHealth_x12__managed-care.835"
    code = main(["remittance", str(path), "--claim", "94077799230000"])
    case = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(case) == {"payer", "patient", "claim"}
    assert case["claim"]["number"] == "94077799230000"
    assert case["claim"]["service_date"] == "2002-03-10"
    assert isinstance(case["claim"]["lines"], list)
    assert case["claim"]["lines"][0]["code"] == "93555"
    assert case["payer"]["name"]


def test_remittance_unknown_claim_exits_2(capsys):
    path = REMITTANCES / "LinuxForHealth_x12__managed-care.835"
    code = main(["remittance", str(path), "--claim", "NO-SUCH-CLAIM"])
    assert code == 2
    assert "no claim 'NO-SUCH-CLAIM'" in capsys.readouterr().err


def test_remittance_case_needs_completion(tmp_path, capsys):
    path = REMITTANCES / "keironstoddart_edi-835-parser__emedny_sample.txt"
    assert main(["remittance", str(path), "--claim", "1000220000000020"]) == 0
    case = tmp_path / "case.json"
    case.write_text(capsys.readouterr().out, encoding="utf-8")
    code, _, err = _run_letter(capsys, case, tmp_path / "letter.docx")
    assert code == 2
    assert "error: practice.name: is required." in err
    assert "error: payer.kind: " in err
    assert "error: claim.number: " not in err
    assert "error: claim.lines" not in err


def _console_script() -> Path | None:
    beside_python = Path(sys.executable).parent / "appeals"
    if beside_python.exists():
        return beside_python
    found = shutil.which("appeals")
    return Path(found) if found else None


def test_console_script_letter(tmp_path):
    script = _console_script()
    if script is None:
        pytest.skip("the appeals console script is not installed; pip install -e .")
    output = tmp_path / "letter.docx"
    # PYTHONPATH puts this checkout ahead of whichever one the script was
    # installed from in editable mode.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [
            str(script),
            "letter",
            str(EXAMPLES / "commercial-experimental.json"),
            "-o",
            str(output),
            "--json",
            "--today",
            TODAY,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["route"] == "appeal"
    assert result["letter"] == str(output)
    assert docx.Document(str(output)).paragraphs[0].text == "Lakeside Breast Surgery"


def test_console_script_bad_input(tmp_path):
    script = _console_script()
    if script is None:
        pytest.skip("the appeals console script is not installed; pip install -e .")
    data = _example("commercial-experimental")
    del data["claim"]["number"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [str(script), "letter", str(_write_case(tmp_path, data))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert "error: claim.number: is required." in completed.stderr
    assert "Traceback" not in completed.stderr
