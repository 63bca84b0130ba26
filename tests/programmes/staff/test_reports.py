"""Engagement reports and discussion exports: the figures, their cost in queries, and the CSV."""

import csv
import io
import random
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forums import services as forum_services
from forums.volume import volume_seed
from forums.models import Board, Comment, Thread
from forums.moderation import services as moderation
from programmes.polls import services as poll_services
from programmes.reports import exports, selectors
from programmes.reports.models import DiscussionExport
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory, general_board
from tests.programmes.staff.factories import open_poll

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def activity(staff):
    """Two discussions in Cancer, one answered officially two hours after it started."""
    board = general_board("cancer")
    alex, bea, cal = UserFactory(borough="croydon"), UserFactory(borough="hackney"), UserFactory(borough="")
    first = ThreadFactory(board=board, author=alex, tags=["screening"])
    # Started three hours ago, so its official answer two hours later is in the past whatever the
    # time of day the suite runs (at 23:00 "two hours after now" would be tomorrow, out of the period).
    Thread.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=3))
    first.refresh_from_db()
    second = ThreadFactory(board=board, author=bea, tags=["screening", "letters"])
    reply = CommentFactory(thread=first, author=bea)
    Comment.objects.filter(pk=reply.pk).update(created_at=first.created_at + timedelta(hours=1))
    official = forum_services.comment_post(actor=staff, thread=first, body="Official answer.", official=True)
    Comment.objects.filter(pk=official.pk).update(created_at=first.created_at + timedelta(hours=2))
    forum_services.comment_like_toggle(actor=alex, comment=reply)
    poll = open_poll(staff)
    poll_services.poll_vote(actor=cal, poll=poll, choice_ids=[poll.choices.first().pk])
    moderation.report_file(actor=cal, content=reply, reason="off_topic")
    ThreadFactory(board=general_board("mental-health"))
    return {"first": first, "second": second, "alex": alex, "bea": bea, "cal": cal}


def test_the_report_counts_what_happened_in_the_period(activity, cancer):
    report = selectors.engagement_report(programme=cancer, start=_today() - timedelta(days=7), end=_today())

    assert (report.new_threads, report.comments, report.likes, report.poll_votes) == (2, 2, 1, 1)
    assert report.threads_with_official == 1 and report.official_share == 50
    assert report.median_first_staff_response == timedelta(hours=2) and report.median_response_words == "2 hours"
    assert report.reports == 1 and report.posts == 4 and report.report_rate == 25.0
    assert report.participants == 4
    assert [(b.label, b.participants) for b in report.boroughs] == [("Not given", 2), ("Croydon", 1), ("Hackney", 1)]
    assert report.top_tags == [("screening", "screening", 2), ("letters", "letters", 1)]
    assert sum(w.threads for w in report.weeks) == 2 and sum(w.comments for w in report.weeks) == 2


def test_site_wide_counts_every_programme_and_a_past_period_is_empty(activity):
    assert selectors.engagement_report(start=_today() - timedelta(days=7), end=_today()).new_threads == 3
    empty = selectors.engagement_report(start=_today() - timedelta(days=60), end=_today() - timedelta(days=30))
    assert (empty.new_threads, empty.participants, empty.median_first_staff_response) == (0, 0, None)
    assert len(empty.weeks) in (5, 6) and all(w.total == 0 for w in empty.weeks)


def test_the_report_page_has_charts_with_their_data_tables(client, staff, activity):
    client.force_login(staff)
    page = client.get(
        "/staff/reports/", {"programme": "cancer", "start": str(_today() - timedelta(days=7)), "end": str(_today())}
    ).content.decode()
    assert '<svg viewBox="0 0' in page and 'role="img" aria-labelledby="weekly-title weekly-desc"' in page
    assert '<caption class="nhsuk-table__caption nhsuk-table__caption--s">Participants by borough</caption>' in page
    assert "Croydon" in page and "50% (1 of 2)" in page and "25.0 per 100 posts" in page


def test_a_bad_period_is_explained_and_the_choices_are_kept(client, staff):
    client.force_login(staff)
    response = client.get("/staff/reports/", {"programme": "cancer", "start": "2026-05-10", "end": "2026-05-01"})
    page = response.content.decode()
    assert response.status_code == 400 and "The end date must be on or after the start date." in page
    assert 'value="2026-05-10"' in page


REPORT_QUERIES = 16  # session, user, groups, the chosen programme, eleven for the figures (offline ones too) and tags, the programme menu


@pytest.mark.parametrize("size", [5, 120])
def test_the_report_page_costs_the_same_at_any_size(client, staff, size):
    volume_seed(
        boards=list(Board.objects.filter(programme__slug="cancer", accepts_threads=True)),
        threads=size,
        comments=size * 4,
        authors=15,
        rng=random.Random(size),
    )
    poll = open_poll(staff)
    for voter in [UserFactory(borough="camden") for _ in range(size // 10 + 1)]:
        poll_services.poll_vote(actor=voter, poll=poll, choice_ids=[poll.choices.first().pk])
    client.force_login(staff)
    url = f"/staff/reports/?programme=cancer&start={_today() - timedelta(days=400)}&end={_today()}"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) == REPORT_QUERIES, "\n".join(q["sql"][:200] for q in queries.captured_queries)
    assert client.get(f"/staff/reports/?start={_today() - timedelta(days=400)}&end={_today()}").status_code == 200


def test_the_export_has_pseudonyms_not_people(staff, activity, cancer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(actor=staff, programme=cancer)
    export.refresh_from_db()
    assert export.status == DiscussionExport.Status.DONE and export.rows_done == 4 and export.percent_done == 100

    rows = list(csv.DictReader(io.StringIO(export.file.open("rb").read().decode())))
    assert [r["post_type"] for r in rows] == ["thread", "thread", "comment", "comment"]
    alex = exports.pseudonym(activity["alex"].pk)
    assert rows[0]["author"] == alex and alex.startswith("p-") and len(alex) == 18
    assert rows[0]["author_borough"] == "croydon" and rows[0]["thread_status"] == "responded"
    assert rows[2]["likes"] == "1" and rows[3]["official_response"] == "yes"
    text = export.file.open("rb").read().decode()
    for person in ("alex", "bea", "cal"):
        assert activity[person].email not in text and activity[person].display_name not in text
    assert exports.pseudonym(activity["alex"].pk) == alex


def test_export_cells_cannot_start_spreadsheet_formulas(staff, cancer, django_capture_on_commit_callbacks):
    ThreadFactory(board=general_board("cancer"), title='=HYPERLINK("http://x")', body="+cmd")
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(actor=staff, programme=cancer)
    export.refresh_from_db()
    row = next(csv.DictReader(io.StringIO(export.file.open("rb").read().decode())))
    assert row["thread_title"].startswith("'=") and row["text"] == "'+cmd"


def test_staff_start_an_export_watch_it_and_download_it(client, staff, activity, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/exports/", {"programme": "cancer"})
    export = DiscussionExport.objects.get()
    assert response["Location"] == f"/staff/exports/{export.pk}/"
    assert "Download the CSV file" in client.get(response["Location"]).content.decode()
    download = client.get(f"/staff/exports/{export.pk}/download/")
    assert download["Content-Type"] == "text/csv" and "attachment" in download["Content-Disposition"]
    assert b"thread_id,thread_title" in b"".join(download.streaming_content)


def test_a_pending_export_shows_its_progress_and_polls_with_htmx(client, staff):
    export = DiscussionExport.objects.create(
        requested_by=staff, total_rows=2000, rows_done=500, status=DiscussionExport.Status.RUNNING
    )
    client.force_login(staff)
    fragment = client.get(f"/staff/exports/{export.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "25% done (500 of 2000 rows)" in fragment and 'hx-trigger="every 2s"' in fragment
    assert client.get(f"/staff/exports/{export.pk}/download/").status_code == 404


def test_only_staff_can_ask_for_an_export(resident):
    with pytest.raises(PermissionDenied):
        exports.export_request(actor=resident)


def test_an_export_file_is_deleted_seven_days_after_it_was_made(
    client, staff, activity, cancer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(actor=staff, programme=cancer)
    export.refresh_from_db()
    storage, name = export.file.storage, export.file.name
    client.force_login(staff)
    assert "The file is deleted on" in client.get(f"/staff/exports/{export.pk}/").content.decode()

    assert exports.exports_purge(now=export.finished_at + timedelta(days=6, hours=23)) == 0
    assert storage.exists(name)
    assert exports.exports_purge(now=export.finished_at + timedelta(days=7)) == 1

    export.refresh_from_db()
    assert export.status == DiscussionExport.Status.EXPIRED and not export.file
    assert not storage.exists(name)
    assert client.get(f"/staff/exports/{export.pk}/download/").status_code == 404
    assert "file was deleted 7 days after it was made" in client.get(f"/staff/exports/{export.pk}/").content.decode()
    assert exports.exports_purge(now=export.finished_at + timedelta(days=30)) == 0
