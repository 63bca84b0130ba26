"""Sessions and offline contributions: recording, the personal-information guard, publishing into
a discussion with the marker, editing, and the audit trail."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forums.models import Comment, Visibility
from programmes.contributions import services
from programmes.contributions.models import ContributionAudit, EngagementSession
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory, general_board

from .conftest import make_session, past_event, record

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_session_keeps_its_programmes_support_and_details(roadshow, cancer, primary_care):
    session = EngagementSession.objects.get(pk=roadshow.pk)
    assert set(session.programmes.all()) == {cancer, primary_care}
    assert session.support == ["British Sign Language"]
    assert session.said_at.hour == 12 and session.said_at.date() == date(2026, 5, 12)


def test_a_session_in_the_future_is_refused(staff, cancer):
    with pytest.raises(ValidationError) as error:
        make_session(staff, cancer, date=timezone.localdate() + timedelta(days=2))
    assert "date" in error.value.message_dict


@pytest.mark.parametrize("who", ["resident", "moderator"])
def test_only_staff_record_sessions_and_contributions(who, request, roadshow, cancer):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        make_session(person, cancer)
    with pytest.raises(PermissionDenied):
        record(person, roadshow)


def test_an_event_that_has_happened_becomes_its_session(staff, cancer):
    event = past_event(staff, cancer, "Lewisham drop-in", borough="lewisham")
    initial = services.session_initial_from_event(event)
    session = services.session_save(
        actor=staff, event=event, programmes=[cancer], **{k: v for k, v in initial.items() if k != "programmes"}
    )
    assert session.event == event and session.borough == "lewisham" and session.title == "Lewisham drop-in"
    with pytest.raises(ValidationError):
        services.session_save(
            actor=staff, event=event, programmes=[cancer], **{k: v for k, v in initial.items() if k != "programmes"}
        )


def test_recording_a_contribution_audits_who_entered_it(staff, roadshow):
    contribution = record(staff, roadshow, language="Polish", is_translation=True, borough="brent")
    assert contribution.transcribed_by == staff and contribution.is_translation
    assert list(contribution.audit.values_list("action", "actor")) == [("entered", staff.pk)]


def test_the_personal_information_guard_asks_for_redaction_first(staff, roadshow):
    with pytest.raises(ValidationError) as error:
        record(staff, roadshow, text="Call me on 07700 900123 about my surgery.")
    assert error.value.error_dict["text"][0].code == "personal_info"
    record(staff, roadshow, text="Call me on [removed] about my surgery.")


def test_a_contribution_must_belong_to_one_of_the_sessions_programmes(staff, roadshow):
    from programmes.models import Programme

    with pytest.raises(ValidationError) as error:
        record(staff, roadshow, programme=Programme.objects.get(slug="digital"))
    assert "programme" in error.value.message_dict


def test_only_images_under_the_cap_are_kept_as_originals(staff, roadshow, settings):
    kept = record(staff, roadshow, original=SimpleUploadedFile("Jane Smith postcard.png", PNG))
    assert kept.original.name.endswith(".png") and "Jane" not in kept.original.name
    with pytest.raises(ValidationError):
        record(staff, roadshow, original=SimpleUploadedFile("postcard.png", b"<svg onload=alert(1)>"))
    with pytest.raises(ValidationError):
        record(staff, roadshow, original=SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024)))


def test_publishing_places_it_in_a_thread_with_the_marker_and_residents_can_reply(staff, roadshow, cancer):
    thread = ThreadFactory(board=general_board("cancer"))
    contribution = record(staff, roadshow, programme=cancer)
    comment = services.contribution_publish(actor=staff, contribution=contribution, thread=thread)
    assert comment.offline_marker == "Said at the Brent roadshow, 12 May 2026 · recorded by the partnership"
    assert comment.body == contribution.text and comment.visibility == Visibility.PUBLISHED
    reply = CommentFactory(parent=comment, body="I agree with this postcard.")
    assert reply.parent_id == comment.pk
    contribution.refresh_from_db()
    assert contribution.comment == comment
    assert [a.action for a in contribution.audit.all()] == ["entered", "published"]
    thread.refresh_from_db()
    assert thread.reply_count == 2


def test_analysis_only_words_are_never_published(staff, roadshow, cancer):
    thread = ThreadFactory(board=general_board("cancer"))
    contribution = record(staff, roadshow, programme=cancer, consent="analysis")
    with pytest.raises(ValidationError):
        services.contribution_publish(actor=staff, contribution=contribution, thread=thread)
    assert not Comment.objects.filter(offline_marker__gt="").exists()


def test_publishing_into_another_programmes_discussion_is_refused(staff, roadshow, cancer):
    thread = ThreadFactory(board=general_board("digital"))
    with pytest.raises(ValidationError):
        services.contribution_publish(
            actor=staff, contribution=record(staff, roadshow, programme=cancer), thread=thread
        )


def test_editing_audits_the_fields_changed(staff, roadshow, cancer):
    contribution = record(staff, roadshow, programme=cancer)
    services.contribution_edit(
        actor=staff,
        contribution=contribution,
        programme=cancer,
        channel="letter",
        consent="analysis",
        text=contribution.text,
        borough="brent",
    )
    entry = contribution.audit.get(action=ContributionAudit.Action.EDITED)
    assert entry.detail == "Changed: channel, consent, borough"


def test_words_shown_in_a_discussion_are_not_changed_behind_it(staff, roadshow, cancer):
    thread = ThreadFactory(board=general_board("cancer"))
    contribution = record(staff, roadshow, programme=cancer)
    services.contribution_publish(actor=staff, contribution=contribution, thread=thread)
    with pytest.raises(ValidationError):
        services.contribution_edit(
            actor=staff, contribution=contribution, programme=cancer, channel="postcard", consent="publish", text="New"
        )


def test_moderators_treat_a_placed_contribution_like_any_post(staff, roadshow, cancer, moderator):
    from forums.moderation import services as moderation

    thread = ThreadFactory(board=general_board("cancer"))
    comment = services.contribution_publish(
        actor=staff, contribution=record(staff, roadshow, programme=cancer), thread=thread
    )
    item = moderation.item_for(actor=moderator, content=comment)
    moderation.item_remove(actor=moderator, item=item, reason="Off topic for this discussion.")
    comment.refresh_from_db()
    assert comment.visibility == Visibility.REMOVED


def test_a_resident_cannot_place_offline_words(roadshow, cancer, staff):
    thread = ThreadFactory(board=general_board("cancer"))
    contribution = record(staff, roadshow, programme=cancer)
    with pytest.raises(PermissionDenied):
        services.contribution_publish(actor=UserFactory(), contribution=contribution, thread=thread)


def test_the_demo_has_two_sessions_across_several_programmes_once():
    from django.core.management import call_command

    from programmes.contributions.models import OfflineContribution

    call_command("seed_demo")
    call_command("seed_demo")
    assert EngagementSession.objects.count() == 2
    assert OfflineContribution.objects.values("programme").distinct().count() >= 4
    assert OfflineContribution.objects.count() == 9


@pytest.mark.parametrize("perm", ["programmes.record_offline", "programmes.publish_offline"])
@pytest.mark.parametrize(
    "who, allowed",
    [("anonymous", False), ("unverified", False), ("resident", False), ("moderator", False), ("staff", True)],
)
def test_only_partnership_staff_hold_the_offline_permissions(request, perm, who, allowed):
    from django.contrib.auth.models import AnonymousUser

    person = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    assert person.has_perm(perm) is allowed
