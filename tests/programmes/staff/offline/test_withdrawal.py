"""Withdrawal of consent: the words are gone from every table, export and cache."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from programmes.contributions import services
from programmes.contributions.corpus import corpus_items
from programmes.contributions.models import Consent
from programmes.reports import exports
from programmes.reports.models import DiscussionExport
from tests.forums.factories import CommentFactory, ThreadFactory, general_board
from tests.textscan import found_anywhere

from .conftest import record

pytestmark = pytest.mark.django_db

MARKER = "zanzibar-quokka-7731"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _cached_pages() -> list[bytes]:
    backend = caches["default"]
    return [backend._cache[key] for key in backend._cache if ":pagecache:" in key]


def test_withdrawal_leaves_the_words_in_no_table_export_or_cached_page(
    staff, roadshow, cancer, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    caches["default"].clear()
    thread = ThreadFactory(board=general_board("cancer"))
    contribution = record(
        staff,
        roadshow,
        programme=cancer,
        text=f"My words {MARKER} about screening.",
        borough="brent",
        sex="female",
        original=SimpleUploadedFile("card.png", PNG),
    )
    photo = contribution.original.name
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.contribution_publish(actor=staff, contribution=contribution, thread=thread)
    reply = CommentFactory(parent=comment, body="A reply that stays.")
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(actor=staff, programme=cancer)
    export.refresh_from_db()
    assert MARKER in export.file.open("rb").read().decode()
    page = Client().get(thread.get_absolute_url())
    assert MARKER in page.content.decode() and any(MARKER.encode() in str(v).encode() for v in _cached_pages())
    assert set(found_anywhere(MARKER)) >= {"programmes_offlinecontribution.text", "forums_comment.body"}

    with django_capture_on_commit_callbacks(execute=True):
        services.contribution_withdraw(actor=staff, contribution=contribution)

    assert found_anywhere(MARKER) == []
    contribution.refresh_from_db()
    assert contribution.consent == Consent.WITHDRAWN and not contribution.original and contribution.sex == ""
    assert not contribution.original.storage.exists(photo)
    export.refresh_from_db()
    assert export.status == DiscussionExport.Status.EXPIRED and not export.file
    assert not any(MARKER.encode() in str(v).encode() for v in _cached_pages())
    page = Client().get(thread.get_absolute_url())
    assert MARKER not in page.content.decode() and "A reply that stays." in page.content.decode()
    assert all(item.pk != contribution.pk for item in corpus_items() if item.kind == "offline")
    assert [a.action for a in contribution.audit.all()][-1] == "withdrawn"
    reply.refresh_from_db()
    assert reply.parent_id == comment.pk


def test_re_importing_the_row_after_withdrawal_does_not_bring_the_words_back(
    staff, roadshow, django_capture_on_commit_callbacks
):
    from programmes.contributions import jobs

    data = f"text,channel,consent,programme\n{MARKER},postcard,publish,cancer\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.import_decide(
            actor=staff, job=jobs.import_upload(actor=staff, session=roadshow, name="a.csv", data=data), mode="valid"
        )
    contribution = roadshow.contributions.get()
    services.contribution_withdraw(actor=staff, contribution=contribution)
    from programmes.contributions import imports

    created, skipped = imports.save_rows(
        actor=staff, session=roadshow, rows=imports.check(session=roadshow, data=data).valid
    )
    assert (created, skipped) == (0, 1)
    assert found_anywhere(MARKER) == []


def test_an_upload_waiting_for_a_decision_is_dropped_on_withdrawal(staff, roadshow):
    from programmes.contributions import jobs

    contribution = record(staff, roadshow, text=f"Words {MARKER}")
    data = f"text,channel,consent,programme\nWords {MARKER},postcard,publish,cancer\n".encode()
    waiting = jobs.import_upload(actor=staff, session=roadshow, name="later.csv", data=data)
    stored = waiting.file.name
    services.contribution_withdraw(actor=staff, contribution=contribution)
    waiting.refresh_from_db()
    assert waiting.status == "cancelled" and not waiting.file and not waiting.file.storage.exists(stored)
