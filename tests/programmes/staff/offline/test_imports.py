"""Bulk import: every problem reported per row before anything is saved, bad files refused with a
clear message, and no duplicates from the same file or row."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from programmes.contributions import imports, jobs
from programmes.contributions.models import ContributionAudit, ContributionImport, OfflineContribution

pytestmark = pytest.mark.django_db

HEADER = ["text", "channel", "consent", "programme", "borough", "row_key"]
GOOD = [
    ["Longer opening hours at my surgery.", "postcard", "publish", "primary-care", "brent", ""],
    ["Screening vans in car parks.", "Postcard", "Analysis only", "cancer", "", ""],
    ["Screening vans in car parks.", "postcard", "analysis", "cancer", "", ""],
]
BAD = [
    ["", "postcard", "publish", "cancer", "", ""],
    ["Call me on 07700 900123", "pigeon", "publish", "cancer", "", ""],
    ['=HYPERLINK("http://x")', "postcard", "maybe", "cancer", "narnia", ""],
]


def _csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_saved(staff, roadshow):
    job = jobs.import_upload(actor=staff, session=roadshow, name="roadshow.csv", data=_csv(GOOD + BAD))
    assert (job.total_rows, job.valid_rows) == (6, 3)
    problems = {(row, column) for row, column, _ in job.problems}
    assert problems == {(5, "text"), (6, "channel"), (6, "text"), (7, "text"), (7, "consent"), (7, "borough")}
    assert any("Formulas are not accepted" in message for _, _, message in job.problems)
    assert not OfflineContribution.objects.exists()


def test_importing_the_valid_rows_runs_as_a_job_and_audits_them(staff, roadshow, django_capture_on_commit_callbacks):
    job = jobs.import_upload(actor=staff, session=roadshow, name="roadshow.csv", data=_csv(GOOD + BAD))
    with django_capture_on_commit_callbacks(execute=True):
        jobs.import_decide(actor=staff, job=job, mode="valid")
    job.refresh_from_db()
    assert (job.status, job.created_rows, job.percent_done) == ("done", 3, 100)
    assert not job.file
    assert OfflineContribution.objects.filter(session=roadshow).count() == 3
    assert ContributionAudit.objects.filter(action="imported").count() == 3
    consents = sorted(OfflineContribution.objects.values_list("consent", flat=True))
    assert consents == ["analysis", "analysis", "publish"]


def test_importing_nothing_saves_nothing_and_drops_the_file(staff, roadshow):
    job = jobs.import_upload(actor=staff, session=roadshow, name="roadshow.csv", data=_csv(GOOD + BAD))
    job = jobs.import_decide(actor=staff, job=job, mode="all")
    assert job.status == ContributionImport.Status.CANCELLED and not job.file
    assert not OfflineContribution.objects.exists()


def test_the_rejects_file_holds_the_refused_rows_with_their_problems(staff, roadshow):
    job = jobs.import_upload(actor=staff, session=roadshow, name="roadshow.csv", data=_csv(GOOD + BAD))
    rows = list(csv.reader(io.StringIO(jobs.rejects(job).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["5", "6", "7"]
    assert rows[3][1].startswith("'=")
    assert "channel:" in rows[2][-1]


def test_the_same_file_or_row_never_duplicates(staff, roadshow, django_capture_on_commit_callbacks):
    data = _csv(GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.import_decide(
            actor=staff, job=jobs.import_upload(actor=staff, session=roadshow, name="a.csv", data=data), mode="valid"
        )
    with pytest.raises(ValidationError, match="already imported"):
        jobs.import_upload(actor=staff, session=roadshow, name="a again.csv", data=data)
    more = _csv(GOOD + [["A new postcard.", "postcard", "publish", "cancer", "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        jobs.import_decide(
            actor=staff, job=jobs.import_upload(actor=staff, session=roadshow, name="b.csv", data=more), mode="valid"
        )
    job = ContributionImport.objects.get(file_name="b.csv")
    assert (job.created_rows, job.skipped_rows) == (1, 3)
    assert OfflineContribution.objects.count() == 4


def test_xlsx_is_read_and_its_formulas_refused(staff, roadshow):
    rows = GOOD + [["=1+1", "postcard", "publish", "cancer", "", ""]]
    checked = imports.check(session=roadshow, data=_xlsx(rows))
    assert len(checked.valid) == 3
    assert checked.problems == [
        [5, "text", "Formulas are not accepted. Type the value itself."],
        [5, "text", "Enter what the person said or wrote."],
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"text,channel\nhello,postcard\n", "missing the column consent"),
        ("text,channel,consent\ncaf\xe9,postcard,publish\n".encode("cp1252"), "not a CSV file in UTF-8"),
        (b"PK\x03\x04" + b"nonsense" * 100, "could not be opened as an XLSX"),
        (b"\x00\x01\x02" * 1000, "not a CSV or XLSX"),
        (b"x" * (imports.MAX_BYTES + 1), "larger than 20 MB"),
        (b"text,channel,consent,favourite_colour\n", "columns the import does not know: favourite_colour"),
        (b"text,channel,consent\n", "no contributions under it"),
    ],
)
def test_bad_files_get_a_clear_message_and_keep_nothing(staff, roadshow, data, message):
    with pytest.raises(ValidationError, match=message):
        jobs.import_upload(actor=staff, session=roadshow, name="bad", data=data)
    assert not ContributionImport.objects.exists()


def test_the_template_names_the_columns_after_the_models_fields(tmp_path):
    fields = {f.name for f in OfflineContribution._meta.get_fields()}
    assert set(imports.COLUMNS) <= fields
    call_command("import_contributions", str(tmp_path / "t.xlsx"), template=True)
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert [c.value for c in next(sheet.iter_rows())] == imports.COLUMNS
    call_command("import_contributions", str(tmp_path / "t.csv"), template=True)
    assert (tmp_path / "t.csv").read_text("utf-8-sig").strip() == ",".join(imports.COLUMNS)


def test_the_command_prints_the_row_report_and_fails_on_a_refused_row(staff, roadshow, tmp_path, capsys):
    path = tmp_path / "rows.csv"
    path.write_bytes(_csv(GOOD + BAD))
    with pytest.raises(CommandError) as failure:
        call_command("import_contributions", str(path), session=roadshow.pk, dry_run=True)
    assert failure.value.returncode == 1
    out = capsys.readouterr().out
    assert "row 6\tchannel\t" in out and "6 rows: 3 valid, 3 refused." in out
    assert not OfflineContribution.objects.exists()
    path.write_bytes(_csv(GOOD))
    call_command("import_contributions", str(path), session=roadshow.pk)
    call_command("import_contributions", str(path), session=roadshow.pk)
    assert OfflineContribution.objects.count() == 3
