"""Tests that patient data stays out of logs, error pages and the audit trail."""

import json
import logging
from pathlib import Path

import pytest
from conftest import load_example

from appeals import cli
from appeals.web.forms import case_to_formdata

MARKED_NAME = "Zzmarker Quillfeather"
MARKED_MEMBER = "MBR-7Q7Q7Q"
MARKED_BIRTH = "1959-07-23"
MARKED_DENIAL = "Zzdenial-marker text from the payer"


def _marked_case() -> dict:
    case = load_example("medicare-medical-necessity")
    case["patient"] = {
        "name": MARKED_NAME,
        "member_id": MARKED_MEMBER,
        "birth_date": MARKED_BIRTH,
    }
    case["denial_text"] = MARKED_DENIAL
    return case


def _phi_markers() -> list[str]:
    return [
        MARKED_NAME,
        "Quillfeather",
        MARKED_MEMBER,
        MARKED_BIRTH,
        "1959",
        MARKED_DENIAL,
        "C50.912",
    ]


def _formdata(case: dict):
    data = case_to_formdata(case)
    data.add("node_regions", "axillary")
    data.add("nodes_removed", "y")
    data.add("denial_text", case["denial_text"])
    data.add("save_payer", "y")
    data.add("action", "save")
    return data


def test_web_job_logs_no_patient_data(app, client, auth, caplog):
    """Does the whole web job leave no patient data in the log file or records?"""
    caplog.set_level(logging.DEBUG)
    auth.login()
    response = client.post("/appeals/new", data=_formdata(_marked_case()))
    assert response.status_code == 302
    location = response.headers["Location"]
    assert client.get(location).status_code == 200
    assert client.get(location + "/download").status_code == 200
    assert client.get("/").status_code == 200

    log_text = Path(app.config["LOG_FILE"]).read_text(encoding="utf-8")
    assert "appeal 1 saved" in log_text
    captured = caplog.text
    for marker in _phi_markers():
        assert marker not in log_text, marker
        assert marker not in captured, marker


def test_audit_detail_holds_no_patient_data(app, client, auth):
    """Do audit entries name ids and actions only?"""
    auth.login()
    client.post("/appeals/new", data=_formdata(_marked_case()))
    client.get("/appeals/1")
    client.get("/appeals/1/download")
    from appeals.db import connect

    connection = connect(app.config["DATABASE"])
    rows = connection.execute(
        "SELECT action, object_type, detail FROM audit"
    ).fetchall()
    connection.close()
    actions = {(row["action"], row["object_type"]) for row in rows}
    assert ("create", "appeal") in actions
    assert ("download", "appeal") in actions
    text = json.dumps([dict(row) for row in rows])
    for marker in _phi_markers():
        assert marker not in text, marker


def test_error_page_and_log_hide_patient_data(app, client, auth, monkeypatch):
    """Does an unexpected error show a plain page and log no exception message?"""
    from appeals.web import views

    def failing_build(case, decision, today):
        raise RuntimeError(f"boom for {case.patient.name}")

    monkeypatch.setattr(views, "build_letter", failing_build)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    auth.login()
    response = client.post("/appeals/new", data=_formdata(_marked_case()))
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body
    assert MARKED_NAME not in body
    assert "Traceback" not in body
    log_text = Path(app.config["LOG_FILE"]).read_text(encoding="utf-8")
    assert "unhandled RuntimeError" in log_text
    assert MARKED_NAME not in log_text


def test_cli_logs_no_patient_data(tmp_path, capsys, caplog):
    """Does the command line print patient data only into the letter itself?"""
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_marked_case()), encoding="utf-8")
    status = cli.main(
        ["letter", str(path), "-o", str(tmp_path / "l.docx"), "--today", "2026-12-04"]
    )
    assert status == 0
    out = capsys.readouterr()
    for marker in _phi_markers():
        assert marker not in caplog.text, marker
        assert marker not in out.err, marker


@pytest.mark.parametrize("marker", [MARKED_NAME, MARKED_MEMBER])
def test_invalid_input_error_hides_nothing_extra(client, auth, marker):
    """Is a rejected form re-shown without a server error or a stack trace?"""
    auth.login()
    case = _marked_case()
    case["claim"]["lines"][0]["billed"] = "140.755"
    response = client.post("/appeals/new", data=_formdata(case))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert marker in body  # the user's own values come back to the signed-in user
    assert "Traceback" not in body
