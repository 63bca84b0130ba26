"""Bulk import of offline contributions from CSV or XLSX.

Every row is checked before anything is saved, and every problem is reported as (row, column,
message). The same file is recognised by its hash, and each row by a key (its `row_key` column, or
a hash of its values), so uploading a file or a row again never duplicates a contribution.
"""

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import equality
from accounts.boroughs import Borough
from forums.moderation.safety import personal_information

from .models import Channel, Consent, ContributionAudit, OfflineContribution
from .services import contribution_clean

COLUMNS = [
    "text",
    "channel",
    "consent",
    "programme",
    "language",
    "is_translation",
    "borough",
    "year_of_birth",
    "sex",
    "ethnic_group",
    "disability",
    "carer",
    "row_key",
]
REQUIRED = ["text", "channel", "consent"]
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
BATCH = 1000
XLSX_SIGNATURE = b"PK\x03\x04"
_FORMULA = re.compile(r"^(=|[+\-@]\s*[A-Za-z_.]+\s*\()")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


class FileRefused(Exception):
    """The file as a whole cannot be read: nothing in it is used."""


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict, repr=False)
    key: str = ""
    cleaned: dict | None = None
    problems: list = field(default_factory=list)


@dataclass
class Checked:
    rows: list[Row]
    problems: list[list]

    @property
    def valid(self) -> list[Row]:
        return [row for row in self.rows if not row.problems]

    @property
    def refused(self) -> list[Row]:
        return [row for row in self.rows if row.problems]


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_table(data: bytes, name: str = "") -> tuple[list[str], list[tuple[int, list]]]:
    """The header and numbered rows of a CSV or XLSX file, or FileRefused saying why not."""
    if len(data) > MAX_BYTES:
        raise FileRefused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files.")
    if not data.strip():
        raise FileRefused("The file is empty. Download the template and fill in one row per contribution.")
    rows = _read_xlsx(data) if data.startswith(XLSX_SIGNATURE) else _read_csv(data)
    header = next(rows, None)
    if not header:
        raise FileRefused("The file has no header row. Download the template and keep its first row.")
    header = [str(cell or "").strip().lower().replace(" ", "_") for cell in header]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise FileRefused(
            "The file is missing the column"
            + ("s " if len(missing) > 1 else " ")
            + ", ".join(missing)
            + ". Its first row must name the columns as the template does."
        )
    unknown = [column for column in header if column and column not in COLUMNS]
    if unknown:
        raise FileRefused(
            "The file has columns the import does not know: "
            + ", ".join(unknown[:5])
            + ". Use the template's column names: "
            + ", ".join(COLUMNS)
            + "."
        )
    numbered = []
    for number, cells in enumerate(rows, start=2):
        if not any(str(cell).strip() for cell in cells if cell is not None):
            continue
        if len(numbered) >= MAX_ROWS:
            raise FileRefused(f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files.")
        numbered.append((number, cells))
    if not numbered:
        raise FileRefused("The file has a header row but no contributions under it.")
    return header, numbered


def _read_csv(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            'The file is not a CSV file in UTF-8. In Excel choose Save As, then "CSV UTF-8", or upload an XLSX file.'
        ) from None
    if "\x00" in text:
        raise FileRefused("The file is not a CSV or XLSX file. Download the template and fill it in.")
    try:
        return iter(list(csv.reader(io.StringIO(text, newline=""))))
    except csv.Error as error:
        raise FileRefused(f"The file could not be read as CSV: {error}.") from None


class _Formula:
    """A cell that held a formula in the spreadsheet."""

    def __str__(self):
        return "="


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise FileRefused("The file could not be opened as an XLSX spreadsheet. Save it again from Excel.") from None
    sheet = book.worksheets[0]
    for cells in sheet.iter_rows():
        yield [_Formula() if getattr(cell, "data_type", "") == "f" else cell.value for cell in cells]
    book.close()


@cache
def _lookup(choices) -> dict[str, str]:
    return {name.lower(): code for code, label in choices.choices for name in (code, label)}


def _choice(value: str, choices) -> str:
    """The code for a value written as its code or its label, in any case; else the value as written."""
    value = value.strip()
    return _lookup(choices).get(value.lower(), value)


def _row_values(header: list[str], cells: list) -> tuple[dict, dict, list]:
    """The row's values as text, the same with formulas left out, and the formula problems."""
    raw, values, problems = {}, {}, []
    for column, cell in zip(header, cells, strict=False):
        if not column:
            continue
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        raw[column] = values[column] = "" if cell is None else str(cell)
        if isinstance(cell, _Formula) or (isinstance(cell, str) and _FORMULA.match(cell)):
            problems.append((column, "Formulas are not accepted. Type the value itself."))
            values[column] = ""
    return raw, values, problems


def _fields(values: dict, session_programmes: list) -> tuple[dict, list]:
    """Turn a row's text into the service's fields; problems with a value are (column, message)."""
    problems = []
    programme_text = values.get("programme", "").strip()
    if programme_text:
        programme = next(
            (
                p
                for p in session_programmes
                if programme_text.lower() in (p.slug, p.short_name.lower(), p.name.lower())
            ),
            None,
        )
    else:
        programme = session_programmes[0] if len(session_programmes) == 1 else None
    translation = values.get("is_translation", "").strip().lower()
    if translation not in _YES | _NO:
        problems.append(("is_translation", 'Write "yes" or "no", or leave it empty.'))
    year = values.get("year_of_birth", "").strip()
    if year.lower() == equality.PREFER_NOT_LABEL.lower():
        year = str(equality.YEAR_PREFER_NOT)
    if year and not year.isdigit():
        problems.append(
            ("year_of_birth", f"Write the year of birth as four digits, “{equality.PREFER_NOT_LABEL}”, or leave it empty.")
        )
        year = ""
    return {
        "programme": programme,
        "text": values.get("text", ""),
        "channel": _choice(values.get("channel", ""), Channel),
        "consent": _choice(values.get("consent", ""), Consent),
        "language": values.get("language", ""),
        "is_translation": translation in _YES,
        "borough": _choice(values.get("borough", ""), Borough),
        "year_of_birth": int(year) if year else None,
        **{name: _choice(values.get(name, ""), choices) for name, choices in equality.CHOICES.items()},
    }, problems


def _key(values: dict, seen: dict) -> str:
    """The row's own key, or a hash of its values and how many identical rows came before it in
    the file, so two identical postcards stay two, and uploading them again adds none."""
    own = values.get("row_key", "").strip()
    if own:
        return "ref:" + own[:76]
    digest = hashlib.sha256("\x1f".join(values.get(column, "").strip() for column in COLUMNS).encode()).hexdigest()[
        :60
    ]
    seen[digest] = seen.get(digest, 0) + 1
    return f"sha:{digest}:{seen[digest]}"


def check(*, session, data: bytes, name: str = "") -> Checked:
    """Read and check every row; nothing is saved. FileRefused when the file itself is unusable."""
    header, numbered = read_table(data, name)
    programmes = list(session.programmes.all())
    rows, problems, seen, keys = [], [], {}, set()
    for number, cells in numbered:
        raw, values, cell_problems = _row_values(header, cells)
        row = Row(number=number, values=raw, key=_key(values, seen))
        fields, value_problems = _fields(values, programmes)
        row.problems.extend(cell_problems + value_problems)
        if row.key in keys:
            row.problems.append(("row_key", "Another row in this file has the same row_key."))
        keys.add(row.key)
        try:
            row.cleaned = contribution_clean(programmes=programmes, **fields)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                row.problems.extend((column, message) for message in messages)
        found = personal_information(fields["text"])
        if found:
            row.problems.append(("text", f"Seems to include {' and '.join(found)}: replace it with [removed]."))
        problems.extend([number, column, message] for column, message in row.problems)
        rows.append(row)
    return Checked(rows=rows, problems=problems)


def existing_keys(session) -> set[str]:
    return set(
        OfflineContribution.objects.filter(session=session).exclude(row_key="").values_list("row_key", flat=True)
    )


def save_rows(*, actor, session, rows: list[Row], progress=None) -> tuple[int, int]:
    """Create the rows not imported before, a batch at a time, each batch in its own transaction
    with its audit entries. Returns (created, skipped as already there)."""
    already = existing_keys(session)
    fresh = [row for row in rows if row.key not in already]
    done = created = 0
    for start in range(0, len(fresh), BATCH):
        batch = fresh[start : start + BATCH]
        now = timezone.now()
        with transaction.atomic():
            made = OfflineContribution.objects.bulk_create(
                [
                    OfflineContribution(
                        session=session,
                        transcribed_by=actor,
                        transcribed_at=now,
                        created_at=now,
                        updated_at=now,
                        row_key=row.key,
                        **row.cleaned,
                    )
                    for row in batch
                ]
            )
            if made and made[0].pk is None:
                keys = [row.key for row in batch]
                made = list(OfflineContribution.objects.filter(session=session, row_key__in=keys))
            ContributionAudit.objects.bulk_create(
                [
                    ContributionAudit(
                        contribution=c, action=ContributionAudit.Action.IMPORTED, actor=actor, created_at=now
                    )
                    for c in made
                ]
            )
        created += len(made)
        done += len(batch)
        if progress:
            progress(done + (len(rows) - len(fresh)))
    return created, len(rows) - len(fresh)


def column_hints() -> list[tuple[str, str]]:
    """What each template column takes: shown on the import page and in the XLSX template."""
    def codes(choices) -> str:
        return "; ".join(f"{code} ({label})" for code, label in choices.choices)

    hints = {
        "text": "Required. What the person said or wrote, as recorded.",
        "channel": "Required. " + codes(Channel),
        "consent": f"Required. {Consent.PUBLISH} ({Consent.PUBLISH.label}); {Consent.ANALYSIS} ({Consent.ANALYSIS.label})",
        "programme": "The programme's short name or slug; may be empty when the session has one programme.",
        "language": "The language it was said in; empty means English.",
        "is_translation": "yes or no.",
        "borough": "A London borough, as its name or code, or empty.",
        "year_of_birth": f"Four digits, or {equality.PREFER_NOT_LABEL}, or empty.",
        "row_key": "Optional: your own reference for the row, so uploading it again never duplicates it.",
    }
    for name, choices in equality.CHOICES.items():
        hints[name] = "A code or its words, or empty: " + codes(choices)
    return [(column, hints[column]) for column in COLUMNS]


def template_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(COLUMNS)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Contributions"
    sheet.append(COLUMNS)
    notes = book.create_sheet("What each column takes")
    notes.append(["column", "what it takes"])
    for row in column_hints():
        notes.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rejects_csv(checked: Checked) -> bytes:
    """The refused rows as they were, with what is wrong, to fix and upload again."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", *COLUMNS, "problems"])
    for row in checked.refused:
        writer.writerow(
            [
                row.number,
                *(_safe(row.values.get(column, "")) for column in COLUMNS),
                "; ".join(f"{column}: {message}" for column, message in row.problems),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _safe(text: str) -> str:
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
