"""Audit trail: who created, viewed, edited, downloaded or deleted what, and when."""

from datetime import UTC, datetime

from flask import g

from appeals.db import get_db, transaction

ACTIONS = (
    "create",
    "view",
    "edit",
    "download",
    "delete",
    "export",
    "sign_in",
    "sign_out",
    "sign_in_failed",
    "disable",
    "enable",
    "reset_password",
    "change_password",
)


def now_iso() -> str:
    """Return the current UTC time as ISO 8601 text, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def record(
    action: str, object_type: str, object_id: int | None, detail: str = "", *, user=None
) -> None:
    """Add one audit entry. The detail must not contain patient data.

    Inside an open transaction the entry joins it, so the change and its audit
    entry are committed together; otherwise the entry gets its own transaction.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    user = user if user is not None else g.get("user")
    row = (
        now_iso(),
        user["id"] if user else None,
        user["username"] if user else "",
        action,
        object_type,
        object_id,
        detail,
    )
    sql = (
        "INSERT INTO audit (at, user_id, username, action, object_type, "
        "object_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    db = get_db()
    if db.in_transaction:
        db.execute(sql, row)
        return
    with transaction(db):
        db.execute(sql, row)
