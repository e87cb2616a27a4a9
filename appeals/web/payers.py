"""Placeholder blueprint, replaced by the full module."""

from flask import Blueprint

bp = Blueprint("payers", __name__, url_prefix="/payers")


@bp.route("/")
def index():
    """List."""
    return ""
