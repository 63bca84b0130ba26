"""Staff pages for sessions and offline contributions: staff only, fast entry, import, publish,
withdraw; each page a fixed number of queries."""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums.volume import volume_seed
from forums.models import Board, Comment
from programmes.contributions.models import ContributionImport, OfflineContribution
from tests.factories import ModeratorFactory, UserFactory
from tests.forums.factories import ThreadFactory, general_board
from tests.forums.test_queries import THREAD, _viewer

from .conftest import make_session, past_event, record

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize("who", ["anonymous", "resident", "moderator"])
def test_the_pages_do_not_exist_for_anyone_but_staff(client, who, roadshow, staff):
    contribution = record(staff, roadshow, original=SimpleUploadedFile("p.png", PNG))
    if who != "anonymous":
        client.force_login(UserFactory() if who == "resident" else ModeratorFactory())
    for url in [
        reverse("staff:sessions"),
        reverse("staff:session", args=[roadshow.pk]),
        reverse("staff:contribution", args=[contribution.pk]),
        reverse("staff:contribution_original", args=[contribution.pk]),
        reverse("staff:contribution_template"),
    ]:
        assert client.get(url).status_code == 404, url


def test_fast_entry_keeps_the_sessions_choices_for_the_next_postcard(client, staff, roadshow, primary_care):
    client.force_login(staff)
    url = reverse("staff:session", args=[roadshow.pk])
    response = client.post(
        url,
        {
            "text": "Open the walk-in centre at weekends.",
            "consent": "analysis",
            "channel": "postcard",
            "programme": primary_care.pk,
            "language": "Somali",
            "is_translation": "on",
            "borough": "brent",
        },
    )
    assert response.status_code == 302 and "consent=analysis" in response["Location"]
    page = client.get(response["Location"])
    form = page.context["form"]
    assert form["consent"].value() == "analysis" and form["language"].value() == "Somali"
    assert form["text"].value() in (None, "") and str(form["programme"].value()) == str(primary_care.pk)
    assert "Open the walk-in centre at weekends." in page.content.decode()
    saved = OfflineContribution.objects.get()
    assert (saved.language, saved.is_translation, saved.transcribed_by) == ("Somali", True, staff)


def test_personal_information_is_shown_in_place_with_a_box_to_confirm(client, staff, roadshow):
    client.force_login(staff)
    url = reverse("staff:session", args=[roadshow.pk])
    data = {
        "text": "My NHS number is 943 476 5919",
        "consent": "publish",
        "channel": "postcard",
        "programme": roadshow.programmes.first().pk,
        "language": "English",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "an NHS number" in html and "I have checked" in html
    assert not OfflineContribution.objects.exists()
    assert client.post(url, {**data, "text": "My NHS number is [removed]"}).status_code == 302


def test_staff_publish_a_postcard_and_residents_see_the_marker(client, staff, roadshow, cancer):
    thread = ThreadFactory(board=general_board("cancer"))
    contribution = record(staff, roadshow, programme=cancer)
    client.force_login(staff)
    page = client.get(reverse("staff:contribution", args=[contribution.pk]))
    assert thread.title in page.content.decode()
    response = client.post(reverse("staff:contribution_publish", args=[contribution.pk]), {"thread": thread.pk})
    assert response.status_code == 302
    client.logout()
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Said at the Brent roadshow, 12 May 2026 · recorded by the partnership" in html
    assert contribution.text in html


def test_withdrawing_from_the_page(client, staff, roadshow):
    contribution = record(staff, roadshow)
    client.force_login(staff)
    url = reverse("staff:contribution_withdraw", args=[contribution.pk])
    assert "cannot be undone" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    contribution.refresh_from_db()
    assert contribution.consent == "withdrawn" and contribution.text == ""


def test_the_original_is_served_to_staff_as_an_image_never_cached(client, staff, roadshow):
    contribution = record(staff, roadshow, original=SimpleUploadedFile("p.png", PNG))
    client.force_login(staff)
    response = client.get(reverse("staff:contribution_original", args=[contribution.pk]))
    assert response["Content-Type"] == "image/png" and "no-store" in response["Cache-Control"]


def test_upload_report_then_import_the_valid_rows(client, staff, roadshow, django_capture_on_commit_callbacks):
    client.force_login(staff)
    data = (
        b"text,channel,consent,programme\nMore screening,postcard,publish,cancer\n"
        b",postcard,publish,cancer\nSomething,pigeon,publish,cancer\n"
    )
    response = client.post(
        reverse("staff:session_import", args=[roadshow.pk]), {"file": SimpleUploadedFile("r.csv", data)}
    )
    assert response.status_code == 302
    report = client.get(response["Location"]).content.decode()
    assert "3 rows: 1 ready to import, 2 problems" in report and "Download the rejects file" in report
    job = ContributionImport.objects.get()
    rejects = client.get(reverse("staff:contribution_import_rejects", args=[job.pk]))
    assert b"pigeon" in rejects.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"mode": "valid"})
    progress = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Imported 1 contribution" in progress


def test_a_bad_file_is_refused_in_place(client, staff, roadshow):
    client.force_login(staff)
    response = client.post(
        reverse("staff:session_import", args=[roadshow.pk]),
        {"file": SimpleUploadedFile("r.csv", b"text,consent\nx,publish\n")},
    )
    assert response.status_code == 400 and "missing the column channel" in response.content.decode()


def test_an_event_becomes_a_session_from_the_list(client, staff, cancer):
    event = past_event(staff, cancer, "Croydon roadshow")
    client.force_login(staff)
    assert "Croydon roadshow" in client.get(reverse("staff:sessions")).content.decode()
    form = client.get(reverse("staff:session_from_event", args=[event.pk])).context["form"]
    assert form["title"].value() == "Croydon roadshow"


def _measure(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _fill(staff, session, n):
    thread = ThreadFactory(board=general_board("cancer"))
    for i in range(n):
        contribution = record(staff, session, text=f"Postcard {i}", programme=session.programmes.get(slug="cancer"))
        if i % 2:
            from programmes.contributions import services

            services.contribution_publish(actor=staff, contribution=contribution, thread=thread)
    return contribution


def test_staff_pages_cost_the_same_at_any_size(client, staff, cancer, primary_care):
    client.force_login(staff)
    counts = []
    for n in (2, 12):
        session = make_session(staff, cancer, primary_care, title=f"Session {n}")
        last = _fill(staff, session, n)
        counts.append(
            (
                _measure(client, reverse("staff:sessions")),
                _measure(client, reverse("staff:session", args=[session.pk])),
                _measure(client, reverse("staff:contribution", args=[last.pk])),
                _measure(client, reverse("staff:contribution", args=[record(staff, session, programme=cancer).pk])),
            )
        )
    # Signed in: session, user, groups. Then: the list and its programmes; the session, its
    # programmes, contributions, counts and imports; the contribution (with its session's
    # programmes) and its audit trail, plus the discussions it could go in when not yet placed.
    assert counts[0] == counts[1] == (6, 8, 6, 7)


@pytest.mark.parametrize("viewer", ["anonymous", "resident", "moderator"])
def test_thread_page_costs_the_same_with_offline_contributions_mixed_in(client, staff, viewer):
    from programmes.contributions import services

    counts = []
    for size, offline in ((10, 2), (60, 15)):
        board = Board.objects.get(programme__slug="mental-health", slug="experiences")
        seeded = volume_seed(
            boards=[board], threads=0, comments=0, authors=6, rng=random.Random(size), big_thread_comments=size
        )
        session = make_session(staff, board.programme, title=f"Roadshow {size}")
        for i in range(offline):
            contribution = record(staff, session, text=f"Offline words {i}", programme=board.programme)
            services.contribution_publish(actor=staff, contribution=contribution, thread=seeded.big_thread)
        _viewer(client, viewer)
        url = seeded.big_thread.get_absolute_url() + "?sort=newest"
        counts.append(_measure(client, url))
        assert "recorded by the partnership" in client.get(url).content.decode()
        client.logout()
    assert counts == [THREAD[viewer], THREAD[viewer]]
    assert Comment.objects.exclude(offline_marker="").count() == 17


def test_search_finds_a_published_offline_contribution_with_its_marker(client, staff, roadshow, cancer):
    from programmes.contributions import services

    thread = ThreadFactory(board=general_board("cancer"))
    services.contribution_publish(
        actor=staff,
        contribution=record(staff, roadshow, programme=cancer, text="Mobile xylophonic screening vans"),
        thread=thread,
    )
    record(staff, roadshow, programme=cancer, text="Unpublished xylophonic words", consent="analysis")
    html = client.get("/search/", {"q": "xylophonic"}).content.decode()
    assert "Said at the Brent roadshow" in html and staff.display_name not in html
    assert "Unpublished" not in html


def test_you_said_we_did_cites_what_was_said_offline(client, staff, roadshow, cancer):
    from programmes.responses import services as responses
    from programmes.contributions import services

    thread = ThreadFactory(board=general_board("cancer"))
    for text in ("First postcard", "Second postcard"):
        services.contribution_publish(
            actor=staff, contribution=record(staff, roadshow, programme=cancer, text=text), thread=thread
        )
    responses.thread_status_set(actor=staff, thread=thread, status="considering")
    html = client.get(reverse("programmes:you_said_we_did", args=["cancer"])).content.decode()
    assert "2 of them said at offline sessions" in html


def test_an_oversized_upload_is_refused_before_it_is_read(client, staff, roadshow, monkeypatch):
    from programmes.contributions import imports

    monkeypatch.setattr(imports, "MAX_BYTES", 1024 * 1024)
    client.force_login(staff)
    nonsense = SimpleUploadedFile("huge.csv", b"\xff\xfe" * (600 * 1024))
    response = client.post(reverse("staff:session_import", args=[roadshow.pk]), {"file": nonsense})
    assert response.status_code == 400 and "larger than 1 MB" in response.content.decode()
    assert not ContributionImport.objects.exists()
