"""Small numbers never identify anyone: every staff report page, rendered over a period in which
only a handful of people took part, shows their figures as "fewer than 10"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from forums import services as forum_services
from programmes.evidence import services as evidence_services
from programmes.models import Programme
from programmes.polls import services as poll_services
from tests.factories import UserFactory
from tests.forums.factories import ThreadFactory, general_board
from tests.programmes.staff.factories import open_poll
from tests.smallcells import unsuppressed

pytestmark = pytest.mark.django_db


@pytest.fixture
def few(staff):
    """Three people in two boroughs start, answer and vote in Cancer; one poll has three voters."""
    board = general_board("cancer")
    alex, bea, cal = UserFactory(borough="croydon"), UserFactory(borough="croydon"), UserFactory(borough="hackney")
    for person in (alex, bea):
        account_services.equality_answers_save(
            actor=person, user=person, consent=True, year_of_birth=1970, sex="female", ethnic_group="asian-chinese"
        )
    thread = ThreadFactory(board=board, author=alex)
    forum_services.comment_post(actor=bea, thread=thread, body="Me too.")
    poll = open_poll(staff)
    for voter in (alex, bea, cal):
        poll_services.poll_vote(actor=voter, poll=poll, choice_ids=[poll.choices.first().pk])
    return {"poll": poll}


def staff_report_pages(client, few) -> dict[str, str]:
    today = timezone.localdate()
    period = {"start": str(today - timedelta(days=7)), "end": str(today)}
    urls = {
        "engagement report (site-wide)": ("/staff/reports/", period),
        "engagement report (Cancer)": ("/staff/reports/", {"programme": "cancer", **period}),
        "who was heard (site-wide)": ("/staff/who-was-heard/", period),
        "who was heard (Cancer)": ("/staff/who-was-heard/", {"programme": "cancer", **period}),
        "poll list": ("/staff/polls/", {}),
        "poll (staff edit page)": (f"/staff/polls/{few['poll'].pk}/", {}),
        "poll (public page, as staff)": (few["poll"].get_absolute_url(), {}),
    }
    pages = {}
    for name, (url, query) in urls.items():
        response = client.get(url, query)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    return pages


def test_no_staff_report_page_shows_a_count_of_fewer_than_10_people(client, staff, few):
    client.force_login(staff)
    pages = staff_report_pages(client, few)
    assert {name: unsuppressed(page) for name, page in pages.items()} == {name: [] for name in pages}
    assert "fewer than 10" in pages["engagement report (Cancer)"] and "Croydon" in pages["engagement report (Cancer)"]
    assert "Croydon" in pages["poll (staff edit page)"]
    assert "Participants by ethnic group, against London" in pages["who was heard (Cancer)"]


def test_the_evidence_pack_shows_no_count_of_fewer_than_10_people(client, staff, few, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        pack = evidence_services.evidence_pack_request(
            actor=staff, programme=Programme.objects.get(slug="cancer"), start=today - timedelta(days=7), end=today
        )
    pack.refresh_from_db()
    html = pack.html.open("rb").read().decode()
    assert "Participants by borough, against London" in html and unsuppressed(html) == []
    client.force_login(staff)
    for url in ("/staff/evidence-packs/", pack.get_absolute_url()):
        assert unsuppressed(client.get(url).content.decode()) == []


def test_the_scan_finds_an_exact_small_count():
    page = """<table><caption>Participants by borough</caption><tr><th>Croydon</th>
    <td><span aria-hidden="true">People </span>3</td><td>12</td><td>fewer than 10</td></tr></table>
    <table><caption>Posts each week</caption><tr><td>3</td></tr></table>
    <dl><dt>Participants</dt><dd>4</dd><dt>Comments</dt><dd>2</dd></dl>"""
    assert unsuppressed(page) == ["Participants by borough: 3", "Participants: 4"]
