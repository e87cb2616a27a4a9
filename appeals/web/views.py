"""Appeals: the denial form, the preview, the letter download and the list."""

from flask import Blueprint, render_template

bp = Blueprint("views", __name__)


@bp.route("/")
def index():
    """List appeals, the nearest due date first."""
    return render_template("appeals/index.html", appeals=[])


@bp.route("/appeals/new", methods=("GET", "POST"))
def new_appeal():
    """Show the denial form."""
    return render_template("appeals/index.html", appeals=[])


@bp.route("/remittance", methods=("GET", "POST"))
def upload_remittance():
    """Read an 835 file and list its denied claims."""
    return render_template("appeals/index.html", appeals=[])
