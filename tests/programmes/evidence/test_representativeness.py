"""Who was heard: participants against Census 2021 London, small numbers suppressed, under-heard
groups flagged with a way to plan outreach, at a fixed cost in queries."""

import random
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from forums.management.commands.seed_volume import volume_seed
from forums.models import Board
from accounts import equality
from programmes.evidence import baseline, selectors
from tests.factories import UserFactory
from programmes.models import Programme
from tests.forums.factories import ThreadFactory, general_board
from tests.programmes.staff.offline.conftest import make_session, record
from tests.smallcells import unsuppressed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def relaxed_posting_limits(settings):
    settings.FORUMS_RATE_LIMITS = [(1, 10_000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 10_000)]


def _person(borough, year=None, sex="", ethnic="", programme="cancer"):
    person = UserFactory(borough=borough)
    if year or sex or ethnic:
        account_services.equality_answers_save(
            actor=person, user=person, consent=True, year_of_birth=year, sex=sex, ethnic_group=ethnic
        )
    ThreadFactory(author=person, board=general_board(programme))
    return person


@pytest.fixture
def heard(db):
    """20 women in Hackney (White British, born 1990), 10 men in Croydon (African, born 1960) and
    3 people who answered nothing, all starting discussions in Cancer; 2 more in Mental health."""
    women = [_person("hackney", 1990, "female", "white-british") for _ in range(20)]
    men = [_person("croydon", 1960, "male", "black-african") for _ in range(10)]
    silent = [_person("") for _ in range(3)]
    others = [_person("camden", 1950, "male", "asian-indian", programme="mental-health") for _ in range(2)]
    return {"women": women, "men": men, "silent": silent, "others": others}


def _period():
    today = timezone.localdate()
    return today - timedelta(days=30), today


def _rows(dimension):
    return {r.code: (r.people, r.share_text, r.ratio_text, r.under_heard) for r in dimension.rows}


def test_participants_against_london(heard, cancer):
    start, end = _period()
    report = selectors.representativeness(programme=cancer, start=start, end=end)
    assert (report.participants, report.online, report.offline, report.contributions) == (33, 33, 0, 33)
    borough, age, sex, ethnic = report.dimensions
    assert [d.answered for d in report.dimensions] == [30, 30, 30, 30]

    assert _rows(sex) == {"female": ("20", "67%", "1.29", False), "male": ("10", "33%", "0.69", False)}
    assert _rows(ethnic)["black"] == ("10", "33%", "2.47", False)
    assert _rows(ethnic)["asian"] == ("fewer than 10", "fewer than 10", "", True)
    assert _rows(borough)["hackney"][:2] == ("20", "67%") and _rows(borough)["lambeth"][3] is True
    today = timezone.localdate()
    assert _rows(age)[equality.age_band(1990, today)][0] == "20"
    assert _rows(age)[equality.age_band(1960, today)][0] == "10"

    assert ethnic.score == 0 and report.score == 0
    london = baseline.london()
    women, men = (20 / 30) / (london.female / london.total), (10 / 30) / (london.male / london.total)
    assert sex.score == pytest.approx(men / women)
    assert ("Asian or Asian British", "ethnic_group") in [(r.label, d.key) for d, r in report.under_heard]


def test_site_wide_counts_every_programme(heard):
    start, end = _period()
    report = selectors.representativeness(start=start, end=end)
    assert report.participants == 35 and _rows(report.dimensions[3])["asian"][:2] == ("fewer than 10", "fewer than 10")


def test_people_count_as_they_were_when_they_took_part(heard, cancer):
    start, end = _period()
    before = selectors.representativeness(programme=cancer, start=start, end=end)
    for woman in heard["women"]:
        account_services.equality_answers_save(
            actor=woman, user=woman, consent=True, year_of_birth=1940, sex="male", ethnic_group="other-arab"
        )
        woman.borough = "bromley"
        woman.save()
    after = selectors.representativeness(programme=cancer, start=start, end=end)
    assert [_rows(d) for d in after.dimensions] == [_rows(d) for d in before.dimensions]


def test_a_past_period_with_no_one_is_empty_and_suppressed(heard, cancer):
    today = timezone.localdate()
    report = selectors.representativeness(programme=cancer, start=today - timedelta(days=90), end=today - timedelta(60))
    assert report.participants == 0 and report.score is None and report.under_heard == []
    assert report.score_text == "Not enough answers yet"


def test_the_page_flags_under_heard_groups_with_a_link_to_plan_outreach(client, staff, heard, cancer):
    start, end = _period()
    client.force_login(staff)
    page = client.get("/staff/who-was-heard/", {"programme": "cancer", "start": str(start), "end": str(end)})
    html = page.content.decode()
    assert page.status_code == 200 and "Under-heard" in html and unsuppressed(html) == []
    assert "Participants by ethnic group, against London" in html and "53.8%" in html
    link = re.search(r'href="(/staff/events/new/\?[^"]*borough=lambeth[^"]*)"', html).group(1).replace("&amp;", "&")
    form = client.get(link).content.decode()
    assert 'value="Listening session: Lambeth"' in form
    assert re.search(r'<option value="lambeth" selected>', form)
    assert re.search(rf'<option value="{cancer.pk}" selected>', form)


def test_the_page_is_for_partnership_staff_only(client, moderator):
    client.force_login(moderator)
    assert client.get("/staff/who-was-heard/").status_code == 404
    client.logout()
    assert client.get("/staff/who-was-heard/").status_code == 404


def test_a_bad_period_is_explained(client, staff):
    client.force_login(staff)
    response = client.get("/staff/who-was-heard/", {"start": "2026-05-10", "end": "2026-05-01"})
    assert response.status_code == 400 and "The end date must be on or after the start date." in response.content.decode()


WHO_QUERIES = 11  # session, user, groups, the chosen programme, corpus (3), snapshots, people without one, offline, menu


@pytest.mark.parametrize("size", [5, 120])
def test_the_page_costs_the_same_at_any_size(client, staff, size):
    volume_seed(
        boards=list(Board.objects.filter(programme__slug="cancer", accepts_threads=True)),
        threads=size,
        comments=size * 4,
        authors=15,
        rng=random.Random(size),
    )
    for _ in range(size // 10 + 1):
        _person("camden", 1980, "female", "mixed-other")
    session = make_session(staff, Programme.objects.get(slug="cancer"), date=timezone.localdate() - timedelta(days=5))
    for _ in range(size // 10 + 1):
        record(staff, session, year_of_birth=1970, sex="male", ethnic_group="black-african")
    client.force_login(staff)
    today = timezone.localdate()
    url = f"/staff/who-was-heard/?programme=cancer&start={today - timedelta(days=400)}&end={today}"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) == WHO_QUERIES, "\n".join(q["sql"][:200] for q in queries.captured_queries)


def test_offline_contributions_count_as_people_with_their_own_answers(staff, heard):
    """Each offline contribution is one participant, with the borough and answers recorded with it."""
    cancer = Programme.objects.get(slug="cancer")
    session = make_session(staff, cancer, date=timezone.localdate() - timedelta(days=2), borough="brent")
    for _ in range(12):
        record(staff, session, borough="brent", year_of_birth=1948, sex="male", ethnic_group="asian-pakistani")
    withdrawn = record(staff, session, borough="brent", sex="female")
    withdrawn.consent = "withdrawn"
    withdrawn.save()
    start, end = _period()
    report = selectors.representativeness(programme=cancer, start=start, end=end)
    assert (report.participants, report.online, report.offline) == (45, 33, 12)
    rows = {d.key: {r.code: r.participants for r in d.rows} for d in report.dimensions}
    assert rows["borough"]["brent"] == 12 and rows["sex"]["male"] == 22 and rows["ethnic_group"]["asian"] == 12
    assert rows["age"][equality.age_band(1948, timezone.localdate())] == 12
    assert report.kinds["offline"] == 12
