"""Blueprints, sign-in enforcement, security headers and error pages."""

from flask import Flask, flash, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError

from appeals.web import admin, auth, payers, views

# script-src and style-src allow only files served by the app: no inline code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def _security_headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _error_page(status: int, title: str, message: str):
    def handler(error):
        return (
            render_template("error.html", status=status, title=title, message=message),
            status,
        )

    return handler


def field_attrs(field, hint=None) -> dict:
    """Return the ARIA attributes that tie a field to its hint and errors."""
    described = []
    if hint:
        described.append(f"{field.id}-hint")
    if field.errors:
        described.append(f"{field.id}-error")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs


def form_messages(form) -> list[dict]:
    """Return every error of a form, nested lists included, with field ids."""
    messages = []

    row_names = {
        "lines": "Line",
        "adjustments": "adjustment",
        "measurements": "Reading",
    }

    def walk(field, prefix=""):
        if hasattr(field, "entries"):
            row_name = row_names.get(field.short_name, "Row")
            for number, entry in enumerate(field.entries, start=1):
                walk(entry, f"{prefix}{row_name} {number}, ")
        elif hasattr(field, "form") and hasattr(field.form, "_fields"):
            for sub in field.form:
                walk(sub, prefix)
        elif field.errors and field.type != "CSRFTokenField":
            text = " ".join(str(e) for e in field.errors)
            label = f"{prefix}{field.label.text}" if prefix else field.label.text
            messages.append({"id": field.id, "label": label, "text": text})
        elif field.errors:
            messages.append(
                {
                    "id": "main",
                    "label": "Form expired",
                    "text": "The form was open too long. Your entries are kept; "
                    "submit again.",
                }
            )

    for field in form:
        walk(field)
    return messages


# Views that re-show their form with the typed values when the CSRF token has
# expired; they write nothing unless their form validates, token included.
FORM_ENDPOINTS = {
    "views.new_appeal",
    "views.edit_appeal",
    "views.edit_letter",
    "payers.new",
    "payers.edit",
    "auth.login",
    "auth.setup",
    "admin.users",
    "admin.change_password",
}


def _csrf_failed(error: CSRFError):
    """Show the form again with the user's values, or go back with a message."""
    # CSRF checks run before the sign-in hook, so check sign-in here first.
    denied = auth.require_sign_in()
    if denied is not None:
        return denied
    view = None
    if request.endpoint in FORM_ENDPOINTS:
        from flask import current_app

        view = current_app.view_functions.get(request.endpoint)
    if view is not None:
        g.csrf_error = error.description
        flash(
            "This page was open too long and its security token expired. Your "
            "entries are kept below; submit again.",
            "error",
        )
        return view(**(request.view_args or {}))
    flash("That page had expired. Try the action again.", "error")
    return redirect(url_for("views.index"))


def register(app: Flask) -> None:
    """Register the blueprints, hooks and error handlers on the app."""
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["form_messages"] = form_messages
    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(payers.bp)
    app.register_blueprint(admin.bp)
    app.before_request(auth.require_sign_in)
    app.after_request(_security_headers)
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_error_handler(
        403,
        _error_page(403, "Not allowed", "Only an administrator can open this page."),
    )
    app.register_error_handler(
        404, _error_page(404, "Not found", "That page or record does not exist.")
    )
    app.register_error_handler(
        405, _error_page(405, "Not allowed", "That action is not available here.")
    )
    limit_mb = (app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)
    app.register_error_handler(
        413,
        _error_page(
            413,
            "File too large",
            f"The upload is larger than the {limit_mb:g} MB limit. Upload a single "
            "835 file.",
        ),
    )
    app.register_error_handler(
        500,
        _error_page(
            500,
            "Something went wrong",
            "The error was logged without any patient data. Go back and try again.",
        ),
    )
