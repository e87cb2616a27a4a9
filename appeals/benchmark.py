"""Measure letter building and page times; print a Markdown report.

Run ``python -m appeals.benchmark > docs/benchmarks.md``. The targets are checked
here, not in unit tests. A letter from a JSON case takes under 100 ms and each page
of the main job under 200 ms, both at the 95th percentile. Building letters peaks
under 50 MB of Python memory.
"""

import json
import platform
import secrets
import statistics
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from appeals.case import case_from_dict
from appeals.docx_writer import letter_to_docx
from appeals.letter import build_letter
from appeals.rules import decide

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
TODAY = date(2026, 12, 4)
LETTER_TARGET_MS = 100
PAGE_TARGET_MS = 200
MEMORY_TARGET_MB = 50


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def time_letters(rounds: int = 30) -> list[tuple[str, float, float]]:
    """Return (example, median ms, p95 ms) for decide + letter + .docx per example."""
    results = []
    for path in sorted(EXAMPLES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            case = case_from_dict(data)
            decision = decide(case, TODAY)
            if decision.letter_ready:
                letter_to_docx(build_letter(case, decision, TODAY))
            samples.append((time.perf_counter() - start) * 1000)
        results.append(
            (path.stem, statistics.median(samples), _percentile(samples, 0.95))
        )
    return results


def peak_memory_mb(rounds: int = 20) -> float:
    """Return the peak traced Python memory while building every example letter."""
    cases = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(EXAMPLES.glob("*.json"))
    ]
    tracemalloc.start()
    for _ in range(rounds):
        for data in cases:
            case = case_from_dict(data)
            decision = decide(case, TODAY)
            if decision.letter_ready:
                letter_to_docx(build_letter(case, decision, TODAY))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1_000_000


def time_pages(rounds: int = 30) -> list[tuple[str, float, float]]:
    """Return (page, median ms, p95 ms) for the main job through the test client."""
    from appeals import create_app
    from appeals.db import connect
    from appeals.web.auth import hash_password
    from appeals.web.forms import case_to_formdata

    password = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": secrets.token_hex(16),
                "INSTANCE_PATH": folder,
                "DATABASE": f"{folder}/benchmark.sqlite",
                "WTF_CSRF_ENABLED": False,
                "LOG_FILE": f"{folder}/benchmark.log",
            }
        )
        connection = connect(app.config["DATABASE"])
        connection.execute(
            "INSERT INTO users (username, password_hash, created_at) "
            "VALUES ('bench', ?, 'now')",
            (hash_password(password),),
        )
        connection.close()
        client = app.test_client()
        client.post(
            "/login",
            data={"username": "bench", "password": password},
        )
        case = json.loads((EXAMPLES / "medicare-medical-necessity.json").read_text())
        form = case_to_formdata(case)
        for key, value in (
            ("node_regions", "axillary"),
            ("nodes_removed", "y"),
            ("action", "save"),
        ):
            form.add(key, value)

        timings: dict[str, list[float]] = {
            "GET /appeals/new": [],
            "POST /appeals/new": [],
            "GET /appeals/<id>": [],
            "GET /appeals/<id>/download": [],
            "GET / (list)": [],
        }

        def timed(name, call, *args):
            start = time.perf_counter()
            response = call(*args)
            timings[name].append((time.perf_counter() - start) * 1000)
            return response

        for _ in range(rounds):
            timed("GET /appeals/new", lambda: client.get("/appeals/new"))
            response = timed(
                "POST /appeals/new", lambda: client.post("/appeals/new", data=form)
            )
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.startswith("/appeals/"):
                raise RuntimeError("the benchmark appeal was not saved; check the form")
            timed("GET /appeals/<id>", client.get, location)
            timed("GET /appeals/<id>/download", client.get, location + "/download")
            timed("GET / (list)", lambda: client.get("/"))
        for handler in list(app.logger.handlers):
            if handler.__class__.__name__ == "RotatingFileHandler":
                app.logger.removeHandler(handler)
                handler.close()
    return [
        (name, statistics.median(samples), _percentile(samples, 0.95))
        for name, samples in timings.items()
    ]


def report() -> str:
    """Run every measurement and return the Markdown report."""
    letters = time_letters()
    pages = time_pages()
    memory = peak_memory_mb()
    lines = [
        "# Benchmarks",
        "",
        "Made by `python -m appeals.benchmark` (run it after changes to the rules, "
        "the letter or the pages, and commit the new page).",
        "",
        f"- Machine: {platform.machine()}, {platform.system()}, Python "
        f"{platform.python_version()}, 2 cores",
        f"- Date of run: {date.today().isoformat()}",
        "",
        f"## Letter from a JSON case (target: under {LETTER_TARGET_MS} ms at p95)",
        "",
        "Read the case, apply the rules, render the pieces, write the .docx.",
        "",
        "| Example | Median ms | p95 ms | Within target |",
        "|---|---|---|---|",
    ]
    for name, median, p95 in letters:
        ok = "yes" if p95 < LETTER_TARGET_MS else "NO"
        lines.append(f"| {name} | {median:.1f} | {p95:.1f} | {ok} |")
    lines += [
        "",
        f"## Pages of the main job (target: under {PAGE_TARGET_MS} ms at p95)",
        "",
        "Flask test client, one signed-in user, SQLite file on local disk; the list "
        "page grows by one appeal each round. No network or browser time included.",
        "",
        "| Page | Median ms | p95 ms | Within target |",
        "|---|---|---|---|",
    ]
    for name, median, p95 in pages:
        ok = "yes" if p95 < PAGE_TARGET_MS else "NO"
        lines.append(f"| {name} | {median:.1f} | {p95:.1f} | {ok} |")
    ok = "yes" if memory < MEMORY_TARGET_MB else "NO"
    lines += [
        "",
        f"## Memory (target: under {MEMORY_TARGET_MB} MB)",
        "",
        f"Peak Python memory traced by tracemalloc while building every example "
        f"letter 20 times: {memory:.1f} MB. Within target: {ok}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(), end="")
