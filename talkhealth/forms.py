"""What every piece of text a person types goes through before anything stores it.

`clean_text` strips control characters (a bell in a reply used to break the Atom feeds, a lone
carriage return started a new line in calendars) and `is_invisible` spots text made only of
characters nobody can see (zero-width spaces, Hangul fillers, blank braille, direction marks), which
counts as empty. Every form inherits `CleanTextForm`, so a form added later gets both; a test walks
every form in the project to keep it so.
"""

import re
import unicodedata

from django import forms
from django.core.validators import MaxValueValidator

# C0 controls but tab and newline, DEL, C1 controls, and the two non-characters XML forbids.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u034f\u17b4\u17b5")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Co", "Cn"})


def clean_text(value: str) -> str:
    """Line ends become "\\n" (a lone "\\r" too) and every other control character but tab goes."""
    if not value:
        return value
    return _CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def is_invisible(value: str) -> bool:
    """True when nothing in `value` would show on screen: white space, format characters, marks
    with nothing to sit on, and letters that draw as blanks."""
    return all(
        char.isspace() or char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        for char in value
    )


def cleaned(value: str) -> str:
    """`clean_text`, and "" for text made only of invisible characters, so "required" catches it."""
    value = clean_text(value)
    return "" if is_invisible(value) else value


BIGGEST_ID = 2**63 - 1


def parse_id(value) -> int:
    """A row id from a request: a whole number a database column can hold, or ValueError."""
    number = int(str(value).strip())
    if not 0 < number <= BIGGEST_ID:
        raise ValueError(f"{value!r} is not an id.")
    return number


def _row_id(value: str) -> str:
    """A choice of row as submitted, or "0" (no row has it) when it is not an id a column can hold, so
    the field answers "Select a valid choice" instead of the database failing on the lookup."""
    if not value.strip():
        return value
    try:
        return str(parse_id(value))
    except ValueError:
        return "0"


def _takes_text(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


def enter_message(label: str) -> str:
    """GOV.UK's wording for a missing answer: "Enter a title", "Enter your reply"."""
    label = str(label or "").strip().rstrip(":")
    if not label:
        return "Enter some text"
    first, lowered = label.split()[0].lower(), label[0].lower() + label[1:]
    if first in {"your", "the", "a", "an", "what", "why", "how", "when", "where", "who"}:
        return f"Enter {lowered}"
    return f"Enter {'an' if lowered[0] in 'aeiou' else 'a'} {lowered}"


BIGGEST_COUNT = 2**31 - 1
"""The largest whole number every integer column holds (PostgreSQL's integer, SQLite's too)."""


class CleanTextMixin:
    """Cleans every text field's submitted value with `cleaned` before the form validates it, so
    invisible-only text meets the field's "required" message: the form's own, or else GOV.UK's
    "Enter a title". Passwords are left exactly as typed. A whole number with no upper limit of its
    own gets the largest a column holds, so an absurd one is a message, not a database error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = forms.Field.default_error_messages["required"]
        for field in self.fields.values():
            if _takes_text(field) and field.error_messages.get("required") == default and field.label:
                field.error_messages["required"] = enter_message(field.label)
            if isinstance(field, forms.IntegerField) and field.max_value is None:
                field.max_value = BIGGEST_COUNT
                field.validators.append(MaxValueValidator(BIGGEST_COUNT))

    def full_clean(self):
        if self.is_bound and self.data is not None:
            data = self.data.copy()
            for field_name, field in self.fields.items():
                name = self.add_prefix(field_name)
                if name not in data:
                    continue
                if _takes_text(field):
                    fix = cleaned
                elif isinstance(field, forms.ModelChoiceField) and field.to_field_name is None:
                    fix = _row_id
                else:
                    continue
                if hasattr(data, "setlist"):
                    data.setlist(name, [fix(v) if isinstance(v, str) else v for v in data.getlist(name)])
                elif isinstance(data[name], str):
                    data[name] = fix(data[name])
            self.data = data
        super().full_clean()


class CleanTextForm(CleanTextMixin, forms.Form):
    """The base of every form in Talk Health."""
