import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from accounts import services as account_services
from forums import services as forum_services
from forums.moderation import services as moderation
from programmes.models import Programme, ProgrammeFollow
from programmes.events import services as event_services
from programmes.polls import services as poll_services
from tests.factories import ModeratorFactory, StaffFactory, UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory
from tests.programmes.staff.factories import open_poll, upcoming_event

EMAIL = "quillon.farthingale@example.org"
NAME = "Quillon Farthingale"


@pytest.fixture
def active_person(db, django_capture_on_commit_callbacks):
    """Someone who has done a bit of everything, with a name and email found nowhere else.

    Returns (person, things): things names what they wrote and what others wrote around it.
    """
    person = UserFactory(email=EMAIL, display_name=NAME, borough="hackney", show_borough=True)
    other = UserFactory(display_name="Other Resident")
    moderator = ModeratorFactory(display_name="Mod Erator")
    with django_capture_on_commit_callbacks(execute=True):
        lonely = ThreadFactory(author=person, title="Ramps at the clinic", body="Nobody answered this one.")
        discussed = ThreadFactory(author=person, title="Late letters", body="Mine came after the appointment.")
        others_reply = CommentFactory(thread=discussed, author=other, body="Same for me, sadly.")
        own_reply = CommentFactory(thread=discussed, author=person, parent=others_reply, body="Glad it is not just me.")
        forum_services.comment_edit(actor=person, comment=own_reply, body="Glad it is not only me.")
        reply_to_them = CommentFactory(thread=discussed, author=other, parent=own_reply, body="You are welcome.")
        elsewhere = ThreadFactory(author=other, title="Pharmacy hours", body="Open late now.")
        their_comment = CommentFactory(thread=elsewhere, author=person, body="Thanks for the tip about pharmacies.")
        forum_services.thread_like_toggle(actor=person, thread=elsewhere)
        forum_services.comment_like_toggle(actor=person, comment=others_reply)
        forum_services.comment_like_toggle(actor=other, comment=their_comment)
        forum_services.thread_follow_set(actor=person, thread=elsewhere, follow=True)
        ProgrammeFollow.objects.create(user=person, programme=Programme.objects.get(slug="cancer"))
        staff = StaffFactory(display_name="Team Member")
        poll = open_poll(staff, question="Should clinics open on Sundays?")
        poll_services.poll_vote(actor=person, poll=poll, choice_ids=[poll.choices.get(text="Yes").pk])
        event = upcoming_event(staff, title="Screening roadshow")
        event_services.event_attend(actor=person, event=event)
        report = moderation.report_file(
            actor=person, content=elsewhere, reason="other", details="I think this breaks rule 3."
        )
        item = moderation.item_for(actor=moderator, content=their_comment)
        hidden = moderation.item_hide(
            actor=moderator, item=item, reason=f"{NAME} shared a phone number.", house_rule="2"
        )
        moderation.appeal_file(actor=person, action=hidden, text="It was the pharmacy's public number.")
        moderation.user_warn(actor=moderator, user=person, reason=f"Please be careful, {NAME}.")
        account_services.user_update_profile(
            actor=person, user=person, display_name=NAME, borough="hackney", show_borough=True
        )
    LogEntry.objects.create(
        user=moderator,
        content_type=ContentType.objects.get_for_model(person),
        object_id=str(person.pk),
        object_repr=f"{NAME} <{EMAIL}>",
        action_flag=CHANGE,
        change_message="Changed borough.",
    )
    person.refresh_from_db()
    things = {
        "lonely": lonely,
        "discussed": discussed,
        "others_reply": others_reply,
        "own_reply": own_reply,
        "reply_to_them": reply_to_them,
        "elsewhere": elsewhere,
        "their_comment": their_comment,
        "report": report,
        "other": other,
        "moderator": moderator,
        "poll": poll,
        "event": event,
    }
    return person, things
