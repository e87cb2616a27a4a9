"""The letter editing form on the preview page."""

import hashlib

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, HiddenField, StringField, TextAreaField
from wtforms.validators import Length

from appeals import inputs
from appeals.letter import Letter

MAX_PARAGRAPH = 5000


class LetterEditForm(FlaskForm):
    """Every editable part of a letter: date, address, paragraphs, enclosures."""

    date_line = StringField("Date", validators=[Length(max=80)])
    recipient = TextAreaField("Payer address", validators=[Length(max=1000)])
    salutation = StringField("Salutation", validators=[Length(max=200)])
    body = FieldList(
        TextAreaField("Paragraph", validators=[Length(max=MAX_PARAGRAPH)]),
        max_entries=200,
    )
    enclosures = TextAreaField(
        "Enclosures, one per line", validators=[Length(max=4000)]
    )
    signature = TextAreaField("Signature block", validators=[Length(max=1000)])
    version = HiddenField()

    @classmethod
    def for_letter(cls, letter: Letter, stored: str) -> "LetterEditForm":
        """Return the form filled with a letter's current text and its version."""
        data = MultiDict(
            [
                ("version", letter_version(stored)),
                ("date_line", letter.date_line),
                ("recipient", "\n".join(letter.recipient)),
                ("salutation", letter.salutation),
                ("enclosures", "\n".join(letter.enclosures)),
                ("signature", "\n".join(letter.signature)),
            ]
            + [(f"body-{i}", block.text) for i, block in enumerate(letter.body)]
        )
        return cls(formdata=data)

    def first_error(self) -> str:
        """Return the first error as a sentence naming its field."""
        for field in self:
            if field.errors:
                errors = field.errors
                if isinstance(errors, list) and errors and isinstance(errors[0], list):
                    errors = [e for sub in errors for e in sub]
                return f"{field.label.text}: {' '.join(map(str, errors))}"
        return "check the text and save again."


def letter_version(stored: str) -> str:
    """Return a short fingerprint of a stored letter, to spot a rebuilt one."""
    return hashlib.sha256(stored.encode("utf-8")).hexdigest()[:16]


def _lines(text: str | None) -> list[str]:
    cleaned = inputs.clean_text(text or "", multiline=True)
    return cleaned.split("\n") if cleaned else []


def apply_letter_edits(letter: Letter, form: LetterEditForm) -> None:
    """Copy the edited text into the letter; an emptied paragraph is removed."""
    letter.date_line = inputs.clean_text(form.date_line.data)
    letter.recipient = [line for line in _lines(form.recipient.data) if line]
    letter.salutation = inputs.clean_text(form.salutation.data)
    letter.enclosures = [line for line in _lines(form.enclosures.data) if line]
    letter.signature = _lines(form.signature.data)
    kept = []
    for index, block in enumerate(letter.body):
        if index >= len(form.body.entries):
            kept.append(block)
            continue
        text = inputs.clean_text(form.body.entries[index].data)
        if text:
            block.text = text
            kept.append(block)
    letter.body = kept
