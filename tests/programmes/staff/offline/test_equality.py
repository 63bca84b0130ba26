"""Offline contributions carry the equality answers with the codes of accounts.equality: chosen
from the same lists in the entry form, checked per row on import, explained in the template."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts import equality
from programmes.contributions import imports, jobs
from programmes.contributions.models import OfflineContribution

from .conftest import record
from .test_imports import _csv

pytestmark = pytest.mark.django_db

HEADER = ["text", "channel", "consent", "programme", "year_of_birth", "sex", "ethnic_group", "disability", "carer"]


def test_the_entry_form_offers_the_equality_answers_and_saves_their_codes(client, staff, roadshow):
    client.force_login(staff)
    url = reverse("staff:session", args=[roadshow.pk])
    page = client.get(url).content.decode()
    assert 'value="asian-bangladeshi"' in page and "Yes, limited a little" in page and "Prefer not to say" in page
    data = {
        "text": "Evening clinics please.",
        "consent": "publish",
        "channel": "postcard",
        "programme": roadshow.programmes.first().pk,
        "language": "English",
        "year_of_birth": "1962",
        "sex": "female",
        "ethnic_group": "black-african",
        "disability": "yes-a-lot",
        "carer": "yes-20-34",
    }
    assert client.post(url, data).status_code == 302
    saved = OfflineContribution.objects.get()
    assert (saved.year_of_birth, saved.sex, saved.ethnic_group, saved.disability, saved.carer) == (
        1962, "female", "black-african", "yes-a-lot", "yes-20-34",
    )  # fmt: skip
    response = client.post(url, {**data, "text": "Another.", "sex": "woman"})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()


def test_the_service_refuses_codes_the_equality_questions_do_not_have(staff, roadshow):
    with pytest.raises(ValidationError) as error:
        record(staff, roadshow, sex="F", ethnic_group="white", disability="maybe", carer="sometimes", year_of_birth=1850)
    assert set(error.value.message_dict) == {"sex", "ethnic_group", "disability", "carer", "year_of_birth"}
    saved = record(staff, roadshow, year_of_birth=equality.YEAR_PREFER_NOT, sex=equality.PREFER_NOT)
    assert (saved.year_of_birth, saved.sex) == (0, "prefer-not")


def test_import_takes_codes_or_their_words_and_reports_bad_answers_per_row(staff, roadshow):
    rows = [
        ["Good one.", "postcard", "publish", "cancer", "1990", "Female", "Bangladeshi", "no", "Yes, 9 hours a week or less"],
        ["Quiet one.", "postcard", "publish", "cancer", "Prefer not to say", "prefer-not", "", "", ""],
        ["Bad one.", "postcard", "publish", "cancer", "nineteen", "F", "Asian", "a bit", "often"],
    ]
    job = jobs.import_upload(actor=staff, session=roadshow, name="equality.csv", data=_csv(rows, header=HEADER))
    assert (job.total_rows, job.valid_rows) == (3, 2)
    problems = {(row, column): message for row, column, message in job.problems}
    assert set(problems) == {(4, "year_of_birth"), (4, "sex"), (4, "ethnic_group"), (4, "disability"), (4, "carer")}
    assert "Female; Male; Prefer not to say" in problems[(4, "sex")]
    checked = imports.check(session=roadshow, data=_csv(rows[:2], header=HEADER))
    first, second = (row.cleaned for row in checked.valid)
    assert (first["sex"], first["ethnic_group"], first["disability"], first["carer"]) == (
        "female", "asian-bangladeshi", "no", "yes-under-10",
    )  # fmt: skip
    assert (second["year_of_birth"], second["sex"]) == (0, "prefer-not")


def test_the_template_explains_every_column_with_the_equality_codes(client, staff, roadshow):
    book = load_workbook(io.BytesIO(imports.template_xlsx()))
    assert [c.value for c in book.worksheets[0][1]] == imports.COLUMNS
    hints = {row[0]: row[1] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert set(hints) == set(imports.COLUMNS)
    assert "white-roma (Roma)" in hints["ethnic_group"] and "yes-50-plus" in hints["carer"]
    client.force_login(staff)
    page = client.get(reverse("staff:session_import", args=[roadshow.pk])).content.decode()
    assert "What each column takes" in page and "yes-a-little" in page
