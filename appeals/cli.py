"""Command line: build letters from JSON cases, read remittances, run the server."""

import argparse
import json
import logging
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from appeals import remittance
from appeals.case import CaseError, case_from_dict
from appeals.docx_writer import letter_to_docx
from appeals.letter import LetterError, build_letter
from appeals.rules import decide

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def _write_atomically(path: Path, data: bytes) -> None:
    """Write a file through a temporary file, so a failure leaves nothing behind."""
    directory = path.resolve().parent
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _print_decision(decision, output_path: Path | None) -> None:
    print(f"Route: {decision.route.replace('_', ' ')}")
    for warning in decision.warnings:
        print(f"Warning: {warning}")
    if decision.deadline.due:
        print(
            f"Due by: {decision.deadline.due.isoformat()} ({decision.deadline.basis})"
        )
    for line in decision.lines:
        print(f"Line {line.index + 1} {line.code}: {line.route.replace('_', ' ')}")
        print(f"  Why: {line.reason}")
        if line.next_step:
            print(f"  Next step: {line.next_step}")
    if decision.pieces:
        print("Letter pieces:")
        for piece in decision.pieces:
            basis = f" [{piece.basis}]" if piece.basis else ""
            print(f"  - {piece.id}{basis}: {piece.reason}")
    if decision.enclosures:
        print("Enclose:")
        for enclosure in decision.enclosures:
            print(f"  - {enclosure}")
    if output_path:
        print(f"Letter written to {output_path}")
    elif decision.letter_ready:
        print("No letter file written: add -o FILE.docx to write it.")


def command_letter(args: argparse.Namespace) -> int:
    """Build a letter from a JSON case file and report what the rules chose."""
    path = Path(args.case)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        print(f"error: cannot read {path}: {error.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UnicodeDecodeError:
        print(f"error: {path} is not UTF-8 text", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        data = json.loads(text)
    except RecursionError:
        print(f"error: {path} is nested too deeply to be a case", file=sys.stderr)
        return EXIT_BAD_INPUT
    except json.JSONDecodeError as error:
        print(
            f"error: {path} is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        case = case_from_dict(data)
    except CaseError as error:
        for field, message in error.problems:
            print(f"error: {field}: {message}", file=sys.stderr)
        if args.json:
            problems = [{"field": f, "message": m} for f, m in error.problems]
            print(json.dumps({"errors": problems}, indent=2))
        return EXIT_BAD_INPUT

    today = date.fromisoformat(args.today) if args.today else date.today()
    decision = decide(case, today)
    output = Path(args.output) if args.output else None
    written = None
    if output and decision.letter_ready:
        if output.is_dir() or not output.resolve().parent.is_dir():
            print(
                f"error: cannot write {output}: give a file name in an existing folder",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        try:
            letter = build_letter(case, decision, today)
            _write_atomically(output, letter_to_docx(letter))
        except LetterError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_FAILED
        except OSError as error:
            print(f"error: cannot write {output}: {error.strerror}", file=sys.stderr)
            return EXIT_FAILED
        written = output
    elif output:
        if decision.route in ("appeal", "reopening"):
            reason = "the warnings say what is missing"
        else:
            reason = f"the route is {decision.route.replace('_', ' ')}"
        print(f"No letter written: {reason}.", file=sys.stderr)

    if args.json:
        result = decision.to_dict()
        result["letter"] = str(written) if written else None
        print(json.dumps(result, indent=2))
    else:
        _print_decision(decision, written)
    return EXIT_OK


def command_remittance(args: argparse.Namespace) -> int:
    """List the claims with denied lines in an 835 file, or write one as a case."""
    try:
        parsed = remittance.parse_835(Path(args.file).read_bytes())
    except OSError as error:
        print(f"error: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except remittance.RemittanceError as error:
        print(f"error: {args.file}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    claims = [claim for claim in parsed.claims if claim.denied_lines()]
    if args.claim is not None:
        chosen = [
            c
            for c in parsed.claims
            if args.claim in (c.payer_claim_number, c.patient_control_number)
        ]
        if not chosen:
            print(f"error: no claim {args.claim!r} in {args.file}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(json.dumps(chosen[0].to_case_dict(), indent=2))
        return EXIT_OK
    for claim in claims:
        lines = ", ".join(
            f"{line.code} "
            + "/".join(f"{a.group}-{a.reason}" for a in line.adjustments)
            for line in claim.denied_lines()
        )
        number = claim.payer_claim_number or claim.patient_control_number
        print(f"{number}\t{claim.service_date or ''}\t{lines}")
    print(f"{len(claims)} of {len(parsed.claims)} claims have denied or reduced lines.")
    return EXIT_OK


def command_serve(args: argparse.Namespace) -> int:
    """Start the web app under the waitress WSGI server."""
    from waitress import serve

    from appeals import create_app

    app = create_app()
    app.logger.info("serving on http://%s:%s", args.host, args.port)
    print(f"Open http://{args.host}:{args.port}/ in a browser. Stop with Ctrl+C.")
    serve(app, host=args.host, port=args.port, threads=8)
    return EXIT_OK


def command_backup(args: argparse.Namespace) -> int:
    """Copy the database to a file while the app may be running."""
    from appeals import create_app
    from appeals.db import backup_database

    app = create_app()
    target = Path(args.destination)
    if target.exists():
        print(
            f"error: {target} already exists; choose a new file name", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    backup_database(app.config["DATABASE"], target)
    print(f"Database copied to {target}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for the ``appeals`` command."""
    parser = argparse.ArgumentParser(
        prog="appeals", description="Appeal letters for denied CPT 93702 claims."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    letter = commands.add_parser("letter", help="build a letter from a JSON case")
    letter.add_argument("case", help="path of the JSON case file")
    letter.add_argument("-o", "--output", help="path of the .docx letter to write")
    letter.add_argument(
        "--json", action="store_true", help="print the decision as JSON"
    )
    letter.add_argument(
        "--today",
        help="date to print on the letter and count deadlines to "
        "(YYYY-MM-DD; default: today)",
    )
    letter.set_defaults(handler=command_letter)

    remit = commands.add_parser(
        "remittance", help="list denied claims in an X12 835 file"
    )
    remit.add_argument("file", help="path of the 835 file")
    remit.add_argument(
        "--claim",
        help="print this claim (payer or patient control number) as a "
        "JSON case to complete",
    )
    remit.set_defaults(handler=command_remittance)

    serve = commands.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.set_defaults(handler=command_serve)

    backup = commands.add_parser("backup", help="copy the database safely")
    backup.add_argument("destination", help="path of the new backup file")
    backup.set_defaults(handler=command_backup)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``appeals`` command."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = build_parser().parse_args(argv)
    if getattr(args, "today", None):
        try:
            date.fromisoformat(args.today)
        except ValueError:
            print(f"error: --today {args.today!r} is not YYYY-MM-DD", file=sys.stderr)
            return EXIT_BAD_INPUT
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
