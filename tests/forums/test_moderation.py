"""Moderation services: screening, reports, the queue, actions, sanctions, appeals and the audit log."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from forums import services
from forums.models import Comment, Thread, Visibility
from forums.moderation import safety
from forums.moderation import services as moderation
from forums.moderation.models import (
    FlaggedItem,
    ModerationAction,
    ModerationConfig,
    ModeratorScope,
    Priority,
    Report,
    WordRule,
)
from programmes.models import Programme
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(db):
    return CommentFactory()


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _report(content, n, reason="abuse"):
    for _ in range(n):
        moderation.report_file(actor=UserFactory(), content=content, reason=reason)


# screening ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("digits", "valid"), [("9434765919", True), ("9434765918", False), ("4010232137", True),
                                                ("1234567890", False), ("943476591", False)])
def test_nhs_numbers_are_recognised_by_their_check_digit(digits, valid):
    assert safety.nhs_number_is_valid(digits) is valid


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("My NHS number is 943 476 5919", ["an NHS number"]),
        ("Call me on 07700 900123", ["a phone number"]),
        ("Ring +44 20 7946 0958 any time", ["a phone number"]),
        ("Write to jo.bloggs@example.com", ["an email address"]),
        ("DOB: 12/03/1980", ["a date of birth"]),
        ("I was born on 3 March 1980", ["a date of birth"]),
        ("The clinic opened in 1980 and sees 1234567890 people", []),
    ],
)
def test_personal_information_is_found_in_text(text, found):
    assert safety.personal_information(text) == found


def test_a_reply_with_an_nhs_number_asks_the_person_to_remove_it(comment, resident):
    with pytest.raises(ValidationError) as excinfo:
        services.comment_post(actor=resident, thread=comment.thread, body="My number is 9434765919")
    assert excinfo.value.code == "personal_info"
    assert "an NHS number" in excinfo.value.messages[0]
    assert not Comment.objects.filter(author=resident).exists()


def test_posting_personal_information_anyway_holds_it_for_review(comment, resident):
    reply = services.comment_post(
        actor=resident, thread=comment.thread, body="My number is 9434765919", personal_confirmed=True
    )

    assert reply.visibility == Visibility.HELD
    item = FlaggedItem.objects.get(comment=reply)
    assert (item.priority, item.held) == (Priority.HELD, True)
    assert _fresh(comment.thread).reply_count == 1, "a held reply does not count until approved"


def test_a_new_accounts_first_two_posts_wait_for_approval(comment):
    ModerationConfig.objects.update_or_create(pk=1, defaults={"premoderated_posts": 2})
    newcomer = UserFactory()
    first = services.comment_post(actor=newcomer, thread=comment.thread, body="Hello, first post")
    second = services.comment_post(actor=newcomer, thread=comment.thread, body="Second one")
    with override_settings(FORUMS_NEW_ACCOUNT_RATE_LIMITS=[(1, 100)]):
        third = services.comment_post(actor=newcomer, thread=comment.thread, body="Third is published")

    assert [first.visibility, second.visibility, third.visibility] == ["held", "held", "published"]


def test_the_first_posts_count_discussions_and_replies_together(comment):
    ModerationConfig.objects.update_or_create(pk=1, defaults={"premoderated_posts": 2})
    newcomer = UserFactory()
    started = services.thread_create(actor=newcomer, board=comment.thread.board, title="New here", body="Hello all")
    with override_settings(FORUMS_NEW_ACCOUNT_RATE_LIMITS=[(1, 100)]):
        first_reply = services.comment_post(actor=newcomer, thread=comment.thread, body="A first reply")
        second_reply = services.comment_post(actor=newcomer, thread=comment.thread, body="A second reply")

    assert [started.visibility, first_reply.visibility, second_reply.visibility] == ["held", "held", "published"]


def test_crisis_language_is_queued_at_top_priority_and_emails_moderators(
    comment, resident, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment_post(actor=resident, thread=comment.thread, body="Some days I want to die.")

    assert reply.visibility == Visibility.PUBLISHED
    assert reply.screening.crisis
    assert FlaggedItem.objects.get(comment=reply).priority == Priority.AT_RISK
    alert = next(m for m in mail.outbox if m.to == [moderator.email])
    assert "Urgent: someone may be at risk" in alert.subject
    assert "/moderation/items/" in alert.body


def test_block_list_words_refuse_the_post_and_hold_list_words_hold_it(comment, resident):
    WordRule.objects.create(phrase="buy now", kind=WordRule.Kind.BLOCK)
    WordRule.objects.create(phrase="miracle cure", kind=WordRule.Kind.HOLD)

    with pytest.raises(ValidationError) as excinfo:
        services.comment_post(actor=resident, thread=comment.thread, body="BUY   NOW cheap pills")
    assert excinfo.value.code == "blocked"

    held = services.comment_post(actor=resident, thread=comment.thread, body="Is this a Miracle Cure?")
    assert held.visibility == Visibility.HELD


# reports ------------------------------------------------------------------------------------


def test_one_open_report_per_person_per_item(comment, resident):
    moderation.report_file(actor=resident, content=comment, reason="spam")
    with pytest.raises(ValidationError) as excinfo:
        moderation.report_file(actor=resident, content=comment, reason="abuse")
    assert excinfo.value.code == "duplicate"


def test_something_else_needs_details_and_own_posts_cannot_be_reported(comment, resident):
    with pytest.raises(ValidationError, match="Tell us what is wrong"):
        moderation.report_file(actor=resident, content=comment, reason="other", details="  ")
    with pytest.raises(ValidationError, match="cannot report your own"):
        moderation.report_file(actor=comment.author, content=comment, reason="spam")


def test_unverified_people_cannot_report(comment, unverified):
    with pytest.raises(PermissionDenied):
        moderation.report_file(actor=unverified, content=comment, reason="spam")


def test_three_reports_from_different_people_hide_the_comment_pending_review(comment):
    _report(comment, 2)
    assert _fresh(comment).visibility == Visibility.PUBLISHED

    _report(comment, 1)

    assert _fresh(comment).visibility == Visibility.HIDDEN
    assert _fresh(comment.thread).reply_count == 0
    auto = ModerationAction.objects.get(kind=ModerationAction.Kind.AUTO_HIDE)
    assert (auto.actor, auto.before["visibility"], auto.after["visibility"]) == (None, "published", "hidden")


def test_a_hidden_comment_shows_a_notice_to_others_and_its_text_to_its_author(client, comment, moderator):
    _report(comment, 3)
    url = comment.thread.get_absolute_url()

    others = client.get(url).content.decode()
    client.force_login(comment.author)
    author = client.get(url).content.decode()
    client.force_login(moderator)
    moderators = client.get(url).content.decode()

    assert "This comment is hidden while a moderator reviews it" in others
    assert comment.body_html not in others
    assert comment.body_html in author and comment.body_html in moderators


def test_an_at_risk_report_goes_to_the_top_and_alerts_moderators(comment, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report_file(actor=UserFactory(), content=comment, reason="at_risk")
    assert FlaggedItem.objects.get().priority == Priority.AT_RISK
    assert any(m.to == [moderator.email] and "Urgent" in m.subject for m in mail.outbox)


def test_the_queue_puts_at_risk_first_then_held_then_most_reported_then_oldest(moderator, resident):
    few, many, risky = CommentFactory(), CommentFactory(), CommentFactory()
    _report(few, 1)
    _report(many, 2)
    moderation.report_file(actor=UserFactory(), content=risky, reason="at_risk")
    held = services.comment_post(actor=resident, thread=few.thread, body="I am 9434765919", personal_confirmed=True)

    from forums.moderation import selectors

    order = [i.target.pk for i in selectors.queue(user=moderator)["page"].object_list]
    assert order == [risky.pk, held.pk, many.pk, few.pk]


# actions ------------------------------------------------------------------------------------


def test_dismissing_reports_brings_hidden_content_back_and_tells_reporters(
    comment, moderator, django_capture_on_commit_callbacks
):
    _report(comment, 3)
    item = FlaggedItem.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_dismiss(actor=moderator, item=item, reason="Robust but within the rules")

    assert _fresh(comment).visibility == Visibility.PUBLISHED
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    assert len(mail.outbox) == 3


def test_every_action_needs_a_reason(comment, moderator):
    _report(comment, 1)
    with pytest.raises(ValidationError, match="Enter a reason"):
        moderation.item_hide(actor=moderator, item=FlaggedItem.objects.get(), reason="   ", house_rule="1")


def test_hiding_records_the_rule_and_tells_the_author_how_to_appeal(comment, moderator, django_capture_on_commit_callbacks):
    _report(comment, 1)
    with django_capture_on_commit_callbacks(execute=True):
        action = moderation.item_hide(actor=moderator, item=FlaggedItem.objects.get(), reason="Personal attack", house_rule="1")

    assert _fresh(comment).visibility == Visibility.HIDDEN
    to_author = next(m for m in mail.outbox if m.to == [comment.author.email])
    assert "Personal attack" in to_author.body and "1. Be kind and respectful" in to_author.body
    assert f"/moderation/decisions/{action.pk}/" in to_author.body


def test_a_moderator_scoped_to_another_programme_cannot_act(comment):
    elsewhere = UserFactory(roles=["moderator"])
    ModeratorScope.objects.create(moderator=elsewhere, programme=Programme.objects.exclude(
        pk=comment.thread.board.programme_id).first())
    _report(comment, 1)

    with pytest.raises(PermissionDenied):
        moderation.item_hide(actor=elsewhere, item=FlaggedItem.objects.get(), reason="x", house_rule="1")


def test_an_item_already_decided_cannot_be_decided_again(comment, moderator):
    _report(comment, 1)
    item = FlaggedItem.objects.get()
    moderation.item_dismiss(actor=moderator, item=item, reason="Fine")
    with pytest.raises(ValidationError, match="already dealt with"):
        moderation.item_hide(actor=UserFactory(roles=["moderator"]), item=item, reason="No", house_rule="1")


def test_approving_held_content_publishes_it_and_counts_it(comment, resident, moderator):
    held = services.comment_post(actor=resident, thread=comment.thread, body="Me: 9434765919", personal_confirmed=True)
    moderation.item_approve(actor=moderator, item=FlaggedItem.objects.get(), reason="Number is made up")
    assert _fresh(held).visibility == Visibility.PUBLISHED
    assert _fresh(comment.thread).reply_count == 2


def test_a_moderator_edit_keeps_the_original(comment, moderator):
    original = comment.body
    action = moderation.content_edit(actor=moderator, content=comment, body="[personal details removed]",
                                     reason="Removed a phone number")
    assert _fresh(comment).body == "[personal details removed]"
    assert comment.revisions.get().body == original
    assert action.before["body"] == original


def test_lock_and_move_are_logged(moderator):
    thread = ThreadFactory()
    from forums.models import Board

    target = Board.objects.get(programme__slug="cancer", slug="ideas")
    moderation.thread_lock_set(actor=moderator, thread=thread, locked=True, reason="Going round in circles")
    moderation.thread_move(actor=moderator, thread=thread, board=target, reason="Better fit")

    assert _fresh(thread).is_locked and _fresh(thread).board == target
    assert list(ModerationAction.objects.values_list("kind", flat=True)) == ["move", "lock"]


def test_bulk_dismiss_skips_nothing_and_logs_each(moderator):
    comments = [CommentFactory() for _ in range(3)]
    for c in comments:
        _report(c, 1)
    done = moderation.items_bulk(actor=moderator, items=list(FlaggedItem.objects.all()), action="dismiss", reason="Spam wave was a false alarm")
    assert done == 3
    assert ModerationAction.objects.filter(kind="dismiss").count() == 3


def test_the_audit_log_cannot_be_changed_or_deleted(comment, moderator):
    action = moderation.thread_lock_set(actor=moderator, thread=comment.thread, locked=True, reason="Heated")
    action.reason = "rewritten"
    with pytest.raises(ValidationError):
        action.save()
    with pytest.raises(ValidationError):
        action.delete()
    assert ModerationAction.objects.get().reason == "Heated"


# sanctions ----------------------------------------------------------------------------------


def test_a_suspended_person_cannot_post_until_the_date(comment, moderator):
    author = comment.author
    moderation.user_suspend(actor=moderator, user=author, days=7, reason="Repeated abuse", house_rule="1")

    fresh = type(author).objects.get(pk=author.pk)
    assert not fresh.has_perm("forums.add_comment")
    with pytest.raises(PermissionDenied):
        services.comment_post(actor=fresh, thread=comment.thread, body="Let me back in")


def test_a_ban_closes_the_account(comment, moderator):
    moderation.user_ban(actor=moderator, user=comment.author, reason="Spam account", house_rule="4")
    assert not type(comment.author).objects.get(pk=comment.author_id).is_active


def test_moderators_cannot_sanction_staff_or_themselves(moderator, staff):
    with pytest.raises(ValidationError):
        moderation.user_warn(actor=moderator, user=staff, reason="x")
    with pytest.raises(ValidationError):
        moderation.user_warn(actor=moderator, user=moderator, reason="x")


# appeals ------------------------------------------------------------------------------------


def test_an_appeal_goes_to_a_different_moderator_who_can_reverse_it(comment, moderator, django_capture_on_commit_callbacks):
    _report(comment, 1)
    action = moderation.item_hide(actor=moderator, item=FlaggedItem.objects.get(), reason="Rude", house_rule="1")
    appeal = moderation.appeal_file(actor=comment.author, action=action, text="I was quoting the letter I got.")

    with pytest.raises(PermissionDenied):
        moderation.appeal_decide(actor=moderator, appeal=appeal, reverse=True, reason="Changed my mind")

    second = UserFactory(roles=["moderator"])
    with django_capture_on_commit_callbacks(execute=True):
        moderation.appeal_decide(actor=second, appeal=appeal, reverse=True, reason="It was a quotation")

    assert _fresh(comment).visibility == Visibility.PUBLISHED
    assert _fresh(appeal).status == "reversed"
    assert any("reversed" in m.body for m in mail.outbox if m.to == [comment.author.email])


def test_only_the_subject_can_appeal_and_only_once(comment, moderator, resident):
    _report(comment, 1)
    action = moderation.item_remove(actor=moderator, item=FlaggedItem.objects.get(), reason="Spam", house_rule="4")
    with pytest.raises(PermissionDenied):
        moderation.appeal_file(actor=resident, action=action, text="Not me but unfair")
    moderation.appeal_file(actor=comment.author, action=action, text="Not spam")
    with pytest.raises(ValidationError, match="already appealed"):
        moderation.appeal_file(actor=comment.author, action=action, text="Again")


def test_upholding_keeps_the_content_hidden(comment, moderator):
    _report(comment, 1)
    action = moderation.item_hide(actor=moderator, item=FlaggedItem.objects.get(), reason="Rude", house_rule="1")
    appeal = moderation.appeal_file(actor=comment.author, action=action, text="Please")
    moderation.appeal_decide(actor=UserFactory(roles=["moderator"]), appeal=appeal, reverse=False, reason="It was rude")
    assert _fresh(comment).visibility == Visibility.HIDDEN
    assert Thread.objects.count() == 1


# edits are screened like new posts ------------------------------------------------------------


def test_an_author_cannot_edit_personal_details_into_a_comment_unasked(comment):
    with pytest.raises(ValidationError) as excinfo:
        services.comment_edit(actor=comment.author, comment=comment, body="Ring me on 07700 900123 please")
    assert excinfo.value.code == "personal_info"
    assert _fresh(comment).body != "Ring me on 07700 900123 please"


def test_an_edit_posted_anyway_with_personal_details_waits_for_a_moderator(comment):
    services.comment_edit(actor=comment.author, comment=comment, body="Ring me on 07700 900123", personal_confirmed=True)

    assert _fresh(comment).visibility == Visibility.HELD
    assert _fresh(comment.thread).reply_count == 0
    assert FlaggedItem.objects.get(comment=comment).held


def test_an_edit_cannot_bring_in_blocked_words_and_a_reported_comment_keeps_one_queue_item(comment):
    WordRule.objects.create(phrase="buy now", kind=WordRule.Kind.BLOCK)
    WordRule.objects.create(phrase="miracle cure", kind=WordRule.Kind.HOLD)
    with pytest.raises(ValidationError):
        services.comment_edit(actor=comment.author, comment=comment, body="buy now")

    _report(comment, 1)
    services.comment_edit(actor=comment.author, comment=comment, body="A miracle cure, honestly")

    item = FlaggedItem.objects.get()
    assert (item.held, item.open_reports, item.priority) == (True, 1, Priority.HELD)


def test_decisions_reach_the_inbox_and_respect_email_settings(comment, moderator, django_capture_on_commit_callbacks):
    from accounts import notifications
    from accounts.models import Notification

    notifications.notification_preferences_set(
        actor=comment.author, user=comment.author, frequencies={notifications.Category.MODERATION: "off"}
    )
    _report(comment, 1)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_hide(actor=moderator, item=FlaggedItem.objects.get(), reason="Rude", house_rule="1")

    notice = Notification.objects.get(recipient=comment.author)
    assert notice.category == notifications.Category.MODERATION
    assert not any(m.to == [comment.author.email] for m in mail.outbox)


def test_approving_a_held_reply_tells_the_person_it_answers(comment, resident, moderator, django_capture_on_commit_callbacks):
    from accounts.models import Notification

    held = services.comment_post(actor=resident, thread=comment.thread, body="Me: 9434765919", personal_confirmed=True,
                                 parent=comment)
    assert not Notification.objects.filter(recipient=comment.author).exists()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.item_approve(actor=moderator, item=FlaggedItem.objects.get(), reason="Made-up number")

    assert Notification.objects.filter(recipient=comment.author, url__contains=str(held.pk)).exists()


def test_approving_held_content_raises_every_unread_count_in_one_statement(comment, resident, moderator):
    """The approval tells the author of its decision, and the discussion's author and followers of
    the comment: two events, one update of their unread counts, locked in id order as a reply's are
    (accounts.notifications.unread_counts_together), so it cannot deadlock with a reply."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    held = services.comment_post(actor=resident, thread=comment.thread, body="Me: 9434765919", personal_confirmed=True)
    told = [resident, held.thread.author, comment.author]
    before = [_fresh(person).unread_notification_count for person in told]

    with CaptureQueriesContext(connection) as queries:
        moderation.item_approve(actor=moderator, item=FlaggedItem.objects.get(), reason="Number is made up")

    raised = [query["sql"] for query in queries.captured_queries if query["sql"].startswith('UPDATE "accounts_user"')]
    assert len(raised) == 1, raised
    assert [_fresh(person).unread_notification_count - was for person, was in zip(told, before)] == [1, 1, 1]


def test_a_lock_is_in_the_audit_log_with_its_reason(staff):
    thread = ThreadFactory()
    moderation.thread_lock_set(actor=staff, thread=thread, locked=True, reason="Going round in circles")

    entry = ModerationAction.objects.get()
    assert (entry.kind, entry.actor, entry.reason) == ("lock", staff, "Going round in circles")
    assert (entry.before["is_locked"], entry.after["is_locked"]) == (False, True)


def test_a_pin_is_in_the_audit_log_with_its_reason(staff):
    thread = ThreadFactory()
    moderation.thread_pin_set(actor=staff, thread=thread, pinned=True, reason="Answers the common question")
    moderation.thread_pin_set(actor=staff, thread=thread, pinned=False, reason="No longer current")

    assert _fresh(thread).is_pinned is False
    kinds = list(ModerationAction.objects.order_by("id").values_list("kind", "before", "after"))
    assert kinds == [("pin", {"is_pinned": False}, {"is_pinned": True}), ("unpin", {"is_pinned": True}, {"is_pinned": False})]


def test_a_pin_needs_a_reason(staff):
    thread = ThreadFactory()

    with pytest.raises(ValidationError, match="Enter a reason"):
        moderation.thread_pin_set(actor=staff, thread=thread, pinned=True, reason=" ")

    assert not _fresh(thread).is_pinned and not ModerationAction.objects.exists()
