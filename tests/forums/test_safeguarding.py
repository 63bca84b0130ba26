"""Safeguarding: crisis text that does not travel before a first look, the queue's wording and
actions, supportive messages, referrals, the safeguarding log, coalesced alerts and escalation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from forums import services
from forums.models import Comment, ThreadFollow, UnderReview, Visibility
from forums.moderation import safeguarding
from forums.moderation import services as moderation
from forums.moderation.models import FlaggedItem, Priority, Report, SafeguardingEntry, SafetyAlert
from talkhealth import signposting
from tests.factories import ModeratorFactory, UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory

pytestmark = pytest.mark.django_db
CRISIS = "Some days I want to end my life."


@pytest.fixture
def lead():
    return UserFactory(roles=["safeguarding"])


def _crisis_reply(thread=None, name=None):
    thread = thread or ThreadFactory()
    author = UserFactory(display_name=name) if name else UserFactory()
    return services.comment_post(actor=author, thread=thread, body=CRISIS)


def _alerts():
    return [m for m in mail.outbox if "at risk" in m.subject]


# crisis text stays on the site until a first look ----------------------------------------------


def test_crisis_text_is_published_but_no_excerpt_leaves_the_site_until_a_moderator_looks(
    django_capture_on_commit_callbacks, moderator
):
    thread = ThreadFactory()
    follower = UserFactory()
    ThreadFollow.objects.create(user=follower, thread=thread)
    with django_capture_on_commit_callbacks(execute=True):
        reply = _crisis_reply(thread)

    assert reply.visibility == Visibility.PUBLISHED
    assert Comment.objects.get(pk=reply.pk).under_review == UnderReview.CRISIS
    told = Notification.objects.filter(recipient__in=[follower, thread.author])
    assert told.count() == 2
    assert all("end my life" not in n.excerpt for n in told)
    assert all("end my life" not in m.body for m in mail.outbox)

    moderation.item_dismiss(actor=moderator, item=FlaggedItem.objects.get(comment=reply), reason="Supported them.")
    assert Comment.objects.get(pk=reply.pk).under_review == UnderReview.NO


def test_feeds_leave_out_crisis_text_until_a_moderator_looks(client, moderator):
    reply = _crisis_reply()
    CommentFactory(thread=reply.thread, body="An ordinary reply.")
    feed = client.get(reverse("forums:thread_feed", args=[reply.thread.pk])).content.decode()
    assert "An ordinary reply." in feed and "end my life" not in feed

    moderation.item_dismiss(actor=moderator, item=FlaggedItem.objects.get(comment=reply), reason="Looked.")
    assert "end my life" in client.get(reverse("forums:thread_feed", args=[reply.thread.pk])).content.decode()


def test_a_discussion_opened_with_crisis_words_keeps_its_title_out_of_feeds_and_notices(client):
    from tests.forums.factories import general_board

    mentioned = UserFactory(display_name="Kit Reader")
    thread = services.thread_create(actor=UserFactory(), board=general_board(), title="I want to end it all",
                                    body="Sorry @Kit Reader, I needed to say it.")
    feed = client.get(reverse("forums:thread_feed", args=[thread.pk])).content.decode()
    assert "end it all" not in feed
    note = Notification.objects.get(recipient=mentioned)
    assert "end it all" not in note.title and "needed to say" not in note.excerpt


def test_other_readers_see_a_help_line_beside_crisis_text_and_the_author_sees_the_card(client):
    reply = _crisis_reply()
    reader = UserFactory()
    client.force_login(reader)
    page = client.get(reply.thread.get_absolute_url()).content.decode()
    assert "Need help now?" in page and 'href="tel:116123"' in page

    client.force_login(reply.author)
    page = client.get(reply.thread.get_absolute_url()).content.decode()
    assert "Need help now?" not in page


def test_posting_crisis_text_without_javascript_lands_on_the_focused_urgent_help_card(client):
    thread = ThreadFactory()
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": CRISIS})
    assert response.status_code == 302 and response.url.endswith("#urgent-help")
    page = client.get(response.url).content.decode()
    assert 'id="urgent-help" tabindex="-1" autofocus' in page
    assert signposting.HEADING in page


def test_posting_crisis_text_with_htmx_answers_the_urgent_help_card_first(client):
    thread = ThreadFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": CRISIS}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.index('id="urgent-help"') < html.index("th-comment-form")
    assert "data-th-focus" in html


# the queue and item pages ------------------------------------------------------------------------


def test_the_queue_shows_the_text_the_screening_reason_and_how_long_it_has_waited(client, moderator):
    reply = _crisis_reply()
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "end my life" in page
    assert "Screening: crisis language" in page
    assert "0 reports" not in page
    assert "minute" in page


def test_an_nhs_number_posted_anyway_is_held_with_its_reason_on_the_item(client, moderator):
    thread = ThreadFactory()
    held = services.comment_post(actor=UserFactory(), thread=thread, body="My NHS number is 943 476 5919",
                                 personal_confirmed=True)
    item = FlaggedItem.objects.get(comment=held)
    client.force_login(moderator)
    page = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    assert "Held by screening:</strong> may contain an nhs number" in page


def test_a_held_post_is_approved_without_a_reason(client, moderator):
    held = services.comment_post(actor=UserFactory(), thread=ThreadFactory(), body="Call me on 07700 900123",
                                 personal_confirmed=True)
    item = FlaggedItem.objects.get(comment=held)
    client.force_login(moderator)
    response = client.post(reverse("moderation:item", args=[item.pk]), {"form": "decision", "action": "approve"})
    assert response.status_code == 302
    assert Comment.objects.get(pk=held.pk).visibility == Visibility.PUBLISHED


def test_held_posts_are_approved_in_bulk(client, moderator):
    thread = ThreadFactory()
    held = [services.comment_post(actor=UserFactory(), thread=thread, body=f"Text me on 07700 90012{i}",
                                  personal_confirmed=True) for i in range(3)]
    client.force_login(moderator)
    ids = list(FlaggedItem.objects.values_list("pk", flat=True))
    client.post(reverse("moderation:bulk"), {"items": ids, "action": "approve"})
    assert set(Comment.objects.filter(pk__in=[c.pk for c in held]).values_list("visibility", flat=True)) == {"published"}
    assert not FlaggedItem.objects.filter(status="pending").exists()


def test_a_warning_from_the_item_closes_it_and_upholds_its_reports(client, moderator):
    comment = CommentFactory()
    moderation.report_file(actor=UserFactory(), content=comment, reason="abuse")
    item = FlaggedItem.objects.get()
    client.force_login(moderator)
    client.post(reverse("moderation:item", args=[item.pk]),
                {"form": "sanction", "action": "warn", "house_rule": "1", "reason": "Be kinder."})
    item.refresh_from_db()
    assert item.status == FlaggedItem.Status.RESOLVED
    assert Report.objects.get().status == Report.Status.UPHELD


def test_a_held_post_its_author_deletes_leaves_the_queue():
    held = services.comment_post(actor=UserFactory(), thread=ThreadFactory(), body="Email me at a@example.com",
                                 personal_confirmed=True)
    services.comment_delete(actor=held.author, comment=held)
    assert FlaggedItem.objects.get(comment=held).status == FlaggedItem.Status.RESOLVED


def test_a_comment_hidden_by_a_decision_no_longer_says_it_is_under_review(client, moderator):
    comment = CommentFactory()
    for _ in range(3):
        moderation.report_file(actor=UserFactory(), content=comment, reason="abuse")
    client.force_login(comment.author)
    assert "hidden while a moderator reviews it" in client.get(comment.thread.get_absolute_url()).content.decode()

    moderation.item_hide(actor=moderator, item=FlaggedItem.objects.get(), reason="Rude", house_rule="1")
    page = client.get(comment.thread.get_absolute_url()).content.decode()
    assert "hidden while a moderator reviews it" not in page and "hidden by a moderator" in page


@pytest.mark.parametrize("kind", ["thread", "comment"])
def test_opening_moderate_on_a_post_writes_nothing_until_the_moderator_confirms(client, moderator, kind):
    comment = CommentFactory()
    url = reverse(f"moderation:{kind}", args=[comment.pk if kind == "comment" else comment.thread.pk])
    client.force_login(moderator)
    response = client.get(url)
    assert response.status_code == 200 and "Open it for review" in response.content.decode()
    assert not FlaggedItem.objects.exists()

    response = client.post(url)
    item = FlaggedItem.objects.get()
    assert response.url == reverse("moderation:item", args=[item.pk])
    assert client.get(url).url == reverse("moderation:item", args=[item.pk])


# The item, its post, the author's recent posts and decisions, earlier versions of a comment, reports, the
# safeguarding log and its forms: fixed whatever the history (13 since moderators read earlier
# versions here rather than on the residents' history page).
ITEM_QUERIES = 13


@pytest.mark.parametrize("size", [2, 40])
def test_an_at_risk_item_page_costs_the_same_however_long_its_history(client, moderator, lead,
                                                                      django_assert_num_queries, size):
    reply = _crisis_reply()
    item = FlaggedItem.objects.get(comment=reply)
    for i in range(size):
        moderation.report_file(actor=UserFactory(), content=reply, reason="at_risk", details=f"Worried {i}")
        safeguarding.referral_record(actor=moderator, item=item, referred_to=f"Team {i}")
    lead.groups.add(*moderator.groups.all())
    client.force_login(lead)
    client.get(reverse("moderation:item", args=[item.pk]))
    with django_assert_num_queries(ITEM_QUERIES):
        response = client.get(reverse("moderation:item", args=[item.pk]))
    assert response.status_code == 200
    assert "Record a safeguarding referral" in response.content.decode()


def test_the_header_shows_moderators_how_many_items_wait(client, moderator, resident):
    _crisis_reply()
    client.force_login(moderator)
    assert "1<span class=\"nhsuk-u-visually-hidden\"> waiting for review" in client.get(reverse("home")).content.decode()
    client.force_login(resident)
    assert "waiting for review" not in client.get(reverse("home")).content.decode()


# safeguarding actions and the log -----------------------------------------------------------------


def test_a_supportive_message_reaches_the_person_with_signposting_and_is_logged(client, moderator):
    reply = _crisis_reply(name="Ash Writer")
    item = FlaggedItem.objects.get(comment=reply)
    client.force_login(moderator)
    page = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    assert "Hello Ash Writer" in page

    client.post(reverse("moderation:item", args=[item.pk]), {"form": "support", "message": "Hello Ash, we are here."})
    note = Notification.objects.get(recipient=reply.author, title="A message from the Talk Health moderators")
    assert "Hello Ash, we are here." in note.excerpt and signposting.TEXT in note.excerpt
    entry = SafeguardingEntry.objects.get()
    assert (entry.kind, entry.actor, entry.subject) == ("message", moderator, reply.author)
    item.refresh_from_db()
    assert item.first_looked_at is not None and item.status == FlaggedItem.Status.PENDING


def test_a_referral_records_to_whom_the_reference_when_and_by_whom(moderator):
    item = FlaggedItem.objects.get(comment=_crisis_reply())
    when = timezone.now() - timedelta(minutes=10)
    entry = safeguarding.referral_record(actor=moderator, item=item, referred_to="Hackney safeguarding adults team",
                                         reference="SA-1234", referred_at=when)
    assert (entry.referred_to, entry.reference, entry.referred_at, entry.actor) == (
        "Hackney safeguarding adults team", "SA-1234", when, moderator)
    with pytest.raises(ValidationError):
        safeguarding.referral_record(actor=moderator, item=item, referred_to=" ")
    with pytest.raises(ValidationError):
        entry.save()


@pytest.mark.parametrize(("role", "status"), [("resident", 404), ("moderator", 404), ("lead", 200)])
def test_only_safeguarding_leads_read_the_safeguarding_log(client, role, status, lead):
    person = {"resident": UserFactory, "moderator": ModeratorFactory}.get(role, lambda: lead)()
    client.force_login(person)
    assert client.get(reverse("moderation:safeguarding")).status_code == status


@pytest.mark.parametrize("size", [1, 30])
def test_the_safeguarding_log_costs_the_same_however_long_it_is(client, lead, moderator, django_assert_num_queries, size):
    item = FlaggedItem.objects.get(comment=_crisis_reply())
    for i in range(size):
        safeguarding.referral_record(actor=moderator, item=item, referred_to=f"Team {i}", reference=f"R{i}")
    client.force_login(lead)
    client.get(reverse("moderation:safeguarding"))
    with django_assert_num_queries(5):
        response = client.get(reverse("moderation:safeguarding"))
    assert f"Team {size - 1}" in response.content.decode()


def test_grant_role_knows_the_safeguarding_lead_role():
    person = UserFactory()
    call_command("grant_role", person.email, "safeguarding")
    assert person.has_perm("forums.view_safeguarding_log")


# alerts, escalation and report limits ------------------------------------------------------------


def test_at_risk_alerts_are_coalesced_per_moderator_and_none_is_dropped(moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _crisis_reply()
    assert [m.to for m in _alerts()] == [[moderator.email]]
    mail.outbox.clear()

    for body in ("I want to end it all", "I can't go on"):
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_post(actor=UserFactory(), thread=ThreadFactory(), body=body)
    assert _alerts() == [], "a second email within the interval waits for the next send"
    assert SafetyAlert.objects.filter(sent_at=None).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert safeguarding.alerts_send(now=timezone.now() + timedelta(minutes=4)) == 2
    assert len(_alerts()) == 1 and "(2 items)" in _alerts()[0].subject
    assert _alerts()[0].body.count("/moderation/items/") == 2
    assert not SafetyAlert.objects.filter(sent_at=None).exists()


def test_at_risk_items_with_no_first_look_are_escalated_to_leads_once(
    lead, moderator, settings, django_capture_on_commit_callbacks
):
    settings.SAFEGUARDING_ESCALATE_AFTER_MINUTES = 60
    waiting = FlaggedItem.objects.get(comment=_crisis_reply())
    looked = FlaggedItem.objects.get(comment=_crisis_reply())
    safeguarding.person_support(actor=moderator, item=looked, message="We are here.")
    mail.outbox.clear()
    later = timezone.now() + timedelta(minutes=61)

    assert safeguarding.items_escalate(now=timezone.now()) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert safeguarding.items_escalate(now=later) == 1
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert f"/moderation/items/{waiting.pk}/" in mail.outbox[0].body
    assert SafeguardingEntry.objects.filter(kind="escalation", item=waiting).count() == 1
    assert safeguarding.items_escalate(now=later) == 0


def test_reports_are_limited_per_account(settings):
    settings.MODERATION_REPORT_LIMITS = [(600, 3)]
    reporter = UserFactory()
    for comment in CommentFactory.create_batch(3):
        moderation.report_file(actor=reporter, content=comment, reason="spam")
    with pytest.raises(ValidationError) as excinfo:
        moderation.report_file(actor=reporter, content=CommentFactory(), reason="at_risk")
    assert excinfo.value.code == "report_rate"
    assert FlaggedItem.objects.filter(priority=Priority.AT_RISK).count() == 0
