"""Placeholder blueprint, replaced by the full module."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
def users():
    """List."""
    return ""


@bp.route("/audit")
def audit_log():
    """List."""
    return ""
