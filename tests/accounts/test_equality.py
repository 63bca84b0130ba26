"""Equality questions: optional, consented, private to the person, snapshotted when they take
part, in their data download and gone with their account."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import equality, privacy, services
from accounts.models import EqualityAnswers, EqualitySnapshot
from forums import services as forum_services
from tests.factories import UserFactory
from tests.forums.factories import ThreadFactory, general_board

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def relaxed_posting_limits(settings):
    settings.FORUMS_RATE_LIMITS = [(1, 10_000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 10_000)]

ANSWERS = {
    "year_of_birth": "1984",
    "sex": "female",
    "ethnic_group": "black-caribbean",
    "disability": "no",
    "carer": "yes-under-10",
    "consent": "on",
}


def _save(person, **changes):
    answers = {"year_of_birth": 1984, "sex": "female", "ethnic_group": "asian-indian", "disability": "", "carer": ""}
    return services.equality_answers_save(actor=person, user=person, consent=True, **{**answers, **changes})


def test_the_nineteen_census_groups_map_to_the_five_high_level_groups():
    groups = [code for code in equality.EthnicGroup.values if code != equality.PREFER_NOT]
    assert len(groups) == 19
    assert {equality.high_level_group(code) for code in groups} == set(equality.HighLevelGroup.values)
    assert equality.high_level_group("asian-chinese") == "asian" and equality.high_level_group("prefer-not") == ""
    for field, choices in equality.CHOICES.items():
        assert equality.PREFER_NOT in choices.values, field


def test_age_is_banded_at_analysis_time_from_the_year_alone():
    on = timezone.localdate().replace(year=2026)
    assert [equality.age_band(year, on) for year in (2000, 1992, 1941, 2015, None, 0)] == [
        "25-34", "25-34", "85-plus", "", "", "",
    ]


def test_a_resident_answers_with_consent_and_the_time_is_recorded(client):
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("accounts:equality")).content.decode()
    assert "Nobody sees your answers" in page and "Prefer not to say" in page and "Caribbean" in page

    response = client.post(reverse("accounts:equality"), ANSWERS)

    assert response.status_code == 302
    answers = EqualityAnswers.objects.get(user=person)
    assert (answers.year_of_birth, answers.sex, answers.ethnic_group, answers.carer) == (
        1984, "female", "black-caribbean", "yes-under-10",
    )
    assert timezone.now() - answers.consented_at < timedelta(minutes=1)
    page = client.get(reverse("accounts:equality")).content.decode()
    assert 'value="1984"' in page and "You agreed to your answers being kept on" in page


def test_without_consent_nothing_is_kept_and_the_error_shows_in_place(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("accounts:equality"), {**ANSWERS, "consent": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "Tick the box to agree" in page and "nhsuk-error-summary" in page
    assert not EqualityAnswers.objects.filter(user=person).exists()
    with pytest.raises(ValidationError):
        services.equality_answers_save(actor=person, user=person, consent=False, sex="male")


def test_prefer_not_to_say_and_a_bad_year(client):
    person = UserFactory()
    client.force_login(person)
    bad = client.post(reverse("accounts:equality"), {**ANSWERS, "year_of_birth": "2030"})
    assert bad.status_code == 400 and "Enter a year of birth between 1900 and" in bad.content.decode()
    client.post(reverse("accounts:equality"), {"year_prefer_not": "on", "sex": "prefer-not", "consent": "on"})
    answers = EqualityAnswers.objects.get(user=person)
    assert (answers.year_of_birth, answers.sex, answers.ethnic_group) == (equality.YEAR_PREFER_NOT, "prefer-not", "")
    assert not equality.answered("year_of_birth", answers.year_of_birth)
    assert re.search(r'name="year_prefer_not"[^>]*checked', client.get(reverse("accounts:equality")).content.decode())


def test_only_the_person_may_answer():
    person, other = UserFactory(), UserFactory(is_superuser=True)
    with pytest.raises(PermissionDenied):
        services.equality_answers_save(actor=other, user=person, consent=True, sex="male")


def test_sign_up_leads_to_the_questions_which_can_be_skipped(client, django_capture_on_commit_callbacks):
    """Sign-up answers alike for every address (issue 12), so the questions come once the person
    has confirmed their address in the browser they signed up in, before where they started."""
    from django.core import mail

    from accounts.models import User

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup") + "?next=/",
            {
                "email": "new.person@example.com",
                "display_name": "New Person",
                "borough": "lambeth",
                "password1": "a-long-enough-passphrase",
                "password2": "a-long-enough-passphrase",
                "next": "/",
            },
        )
    assert response.url == reverse("account_email_verification_sent")
    link = re.search(r"https?://[^\s]+(/accounts/confirm-email/[^\s/]+/)", mail.outbox[0].body).group(1)
    confirmed = client.post(link)
    assert confirmed.url == reverse("accounts:equality") + "?next=%2F"
    client.force_login(User.objects.get(email="new.person@example.com"))
    response = client.get(confirmed.url)
    page = response.content.decode()
    assert '<a href="/">Skip these questions</a>' in page
    response = client.post(reverse("accounts:equality"), {**ANSWERS, "next": "/"})
    assert response.url == "/"
    assert client.post(reverse("accounts:equality"), {**ANSWERS, "next": "https://evil.example/"}).url == reverse(
        "accounts:equality"
    )


def test_taking_part_snapshots_the_answers_of_that_day_once(staff):
    person = UserFactory(borough="hackney")
    _save(person)
    thread = ThreadFactory(author=person, board=general_board("cancer"))
    forum_services.comment_post(actor=person, thread=thread, body="And another thing.")
    snapshot = EqualitySnapshot.objects.get(user=person)
    assert (snapshot.programme.slug, snapshot.day, snapshot.borough, snapshot.year_of_birth, snapshot.ethnic_group) == (
        "cancer", timezone.localdate(), "hackney", 1984, "asian-indian",
    )
    _save(person, ethnic_group="other-arab")
    person.borough = "camden"
    forum_services.comment_post(actor=person, thread=thread, body="Later the same day.")
    assert list(EqualitySnapshot.objects.filter(user=person).values_list("borough", "ethnic_group")) == [
        ("hackney", "asian-indian")
    ]
    forum_services.comment_post(actor=staff, thread=thread, body="Official.", official=True)
    assert not EqualitySnapshot.objects.filter(user=staff).exists()


def test_without_consent_a_snapshot_keeps_only_the_borough():
    person = UserFactory(borough="croydon")
    ThreadFactory(author=person)
    snapshot = EqualitySnapshot.objects.get(user=person)
    assert (snapshot.borough, snapshot.year_of_birth, snapshot.sex, snapshot.ethnic_group) == ("croydon", None, "", "")


def test_withdrawing_deletes_the_answers_and_clears_the_snapshots(client):
    person = UserFactory()
    _save(person)
    ThreadFactory(author=person)
    client.force_login(person)
    assert client.post(reverse("accounts:equality"), {"withdraw": "1"}).status_code == 302
    assert not EqualityAnswers.objects.filter(user=person).exists()
    snapshot = EqualitySnapshot.objects.get(user=person)
    assert (snapshot.year_of_birth, snapshot.sex, snapshot.ethnic_group) == (None, "", "")


def test_the_answers_are_in_the_data_download():
    person = UserFactory()
    _save(person)
    ThreadFactory(author=person, board=general_board("cancer"))
    data = privacy.export(person)["equality.json"]
    assert data["answers"][equality.QUESTIONS["ethnic_group"]] == "Indian"
    assert data["answers"][equality.QUESTIONS["disability"]] == "Not answered"
    assert [(s["programme"], s["ethnic_group"], s["year_of_birth"]) for s in data["as_you_took_part"]] == [
        ("Cancer", "Indian", "1984")
    ]
    assert data["consented"]


def test_deleting_the_account_deletes_the_answers_and_snapshots():
    person = UserFactory()
    _save(person)
    ThreadFactory(author=person)
    services.account_delete(actor=person, user=person, erase_posts=False)
    assert not EqualityAnswers.objects.filter(user=person).exists()
    assert not EqualitySnapshot.objects.filter(user=person).exists()


def test_never_shown_publicly_or_to_moderators(client, moderator):
    person = UserFactory(display_name="Quiet Person")
    _save(person, ethnic_group="other-arab")
    thread = ThreadFactory(author=person)
    assert EqualityAnswers not in admin.site._registry and EqualitySnapshot not in admin.site._registry
    for viewer in (None, moderator):
        if viewer:
            client.force_login(viewer)
        for url in (thread.get_absolute_url(), reverse("forums:person", args=[person.pk])):
            page = client.get(url).content.decode()
            assert "Quiet Person" in page and "Arab" not in page and "1984" not in page
    page = client.get(reverse("accounts:equality")).content.decode()
    assert "Arab" in page and not re.search(r'value="other-arab"[^>]*checked', page)
