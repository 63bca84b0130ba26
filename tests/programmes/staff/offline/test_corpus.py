"""One selector for online and offline contributions, in a fixed number of queries."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from forums.models import Visibility
from programmes.contributions import services
from programmes.contributions.corpus import corpus_items, corpus_items_for, corpus_keys
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory, general_board

from .conftest import make_session, record

pytestmark = pytest.mark.django_db


def _world(staff, cancer, n=1):
    resident = UserFactory(borough="hackney")
    thread = ThreadFactory(board=general_board("cancer"), author=resident, title="Screening in Hackney")
    first = CommentFactory(thread=thread, body="Evening screening would help.")
    CommentFactory(parent=first, body="Agreed.")
    CommentFactory(thread=thread, body="Deleted later", is_deleted=True)
    CommentFactory(thread=thread, body="Held", visibility=Visibility.HELD)
    session = make_session(staff, cancer)
    published = record(staff, session, programme=cancer, borough="brent")
    for _ in range(n):
        record(staff, session, programme=cancer, consent="analysis", text="Analysis only words.")
    withdrawn = record(staff, session, programme=cancer, text="To be withdrawn.")
    services.contribution_withdraw(actor=staff, contribution=withdrawn)
    return thread, first, published


def test_online_and_offline_items_alike(staff, cancer):
    thread, first, published = _world(staff, cancer)
    items = corpus_items(programme=cancer)
    kinds = [item.kind for item in items]
    assert kinds.count("thread") == 1 and kinds.count("comment") == 2 and kinds.count("offline") == 2
    opener = next(i for i in items if i.key == f"thread:{thread.pk}")
    assert opener.borough == "hackney" and opener.source == "online" and opener.publishable
    reply = next(i for i in items if i.text == "Agreed.")
    assert reply.parent_text == "Evening screening would help." and reply.thread_title == "Screening in Hackney"
    top = next(i for i in items if i.key == f"comment:{first.pk}")
    assert top.parent_text == thread.body
    offline = next(i for i in items if i.key == f"offline:{published.pk}")
    assert offline.created == timezone.make_aware(datetime(2026, 5, 12, 12))
    assert offline.participant == f"offline:{published.pk}" and offline.borough == "brent" and offline.publishable
    assert not next(i for i in items if i.text == "Analysis only words.").publishable
    assert [i.created for i in items] == sorted(i.created for i in items)


def test_a_placed_contribution_is_counted_once_as_offline(staff, cancer):
    thread, _, published = _world(staff, cancer)
    services.contribution_publish(actor=staff, contribution=published, thread=thread)
    items = corpus_items(programme=cancer)
    placed = [i for i in items if i.text == published.text]
    assert len(placed) == 1 and placed[0].kind == "offline" and placed[0].thread_id == thread.pk


def test_period_and_programme_filters(staff, cancer, primary_care):
    _world(staff, cancer)
    assert corpus_items(programme=primary_care) == []
    may = corpus_items(programme=cancer, start=date(2026, 5, 12), end=date(2026, 5, 13))
    assert {i.kind for i in may} == {"offline"}
    assert all(i.kind != "offline" for i in corpus_items(start=date(2026, 5, 13)))


@pytest.mark.parametrize("size", [1, 6])
def test_three_queries_however_many_items(staff, cancer, size, django_assert_num_queries):
    _world(staff, cancer, n=size)
    with django_assert_num_queries(3):
        items = corpus_items()
    assert len(items) >= 4 + size


def test_counted_online_and_offline_in_the_report_hub_and_export(
    client, staff, cancer, django_capture_on_commit_callbacks
):
    import csv
    import io

    from programmes.reports import exports
    from programmes.reports.selectors import engagement_report

    thread, _, published = _world(staff, cancer)
    services.contribution_publish(actor=staff, contribution=published, thread=thread)
    report = engagement_report(start=date(2026, 5, 1), end=timezone.localdate(), programme=cancer)
    assert (report.new_threads, report.comments, report.offline.contributions) == (1, 2, 2)
    assert report.offline.publishable == 1 and report.offline.sessions == 1 and report.all_contributions == 5
    thread.refresh_from_db()
    online = 1 + thread.reply_count - 1  # the opener and its replies, less the placed postcard
    hub = client.get(cancer.get_absolute_url()).content.decode()
    assert f"{online} posts in discussions" in hub and "2 said at roadshows" in hub
    assert f'Together</dt><dd class="nhsuk-summary-list__value">{online + 2}<' in hub
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(actor=staff, programme=cancer)
    export.refresh_from_db()
    rows = list(csv.DictReader(io.StringIO(export.file.open("rb").read().decode())))
    offline = [r for r in rows if r["post_type"].startswith("offline")]
    assert len(offline) == 2 and {r["author"] for r in offline} == {f"offline-{published.pk}", offline[1]["author"]}
    assert sum(1 for r in rows if r["text"] == published.text) == 1
    placed = next(r for r in offline if r["text"] == published.text)
    assert placed["thread_id"] == str(thread.pk) and placed["post_type"] == "offline postcard"


@pytest.mark.parametrize("n", [1, 30])
def test_keys_are_the_items_without_their_words_and_a_page_reads_only_its_own(
    staff, cancer, n, django_assert_num_queries
):
    _world(staff, cancer, n)
    items = corpus_items(programme=cancer)
    with django_assert_num_queries(3):
        keys = corpus_keys(programme=cancer)
    assert [(k.key, k.created, k.board_id, k.thread_id, k.borough, k.source) for k in keys] == [
        (i.key, i.created, i.board_id, i.thread_id, i.borough, i.source) for i in items
    ]
    wanted = [items[-1].key, items[0].key, "comment:999999"]
    with django_assert_num_queries(3):
        page = corpus_items_for(wanted, programme=cancer)
    assert page == [items[-1], items[0]]
    offline = next(i for i in items if i.kind == "offline")
    assert offline.session_title == "Brent roadshow" and items[0].session_title in ("", "Brent roadshow")
