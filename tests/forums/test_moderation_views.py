"""Moderation pages: who may see them, the report form, the queue's fixed cost and the CSV export."""

import pytest
from django.urls import reverse

from forums.models import Comment
from forums.moderation import services as moderation
from forums.moderation.models import FlaggedItem, ModeratorScope, Report
from programmes.models import Programme
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged():
    comment = CommentFactory()
    moderation.report_file(actor=UserFactory(), content=comment, reason="abuse")
    return FlaggedItem.objects.get()


def _person(role, item):
    match role:
        case "anonymous":
            return None
        case "resident":
            return UserFactory()
        case "suspended":
            person = UserFactory()
            moderation.user_suspend(actor=UserFactory(roles=["moderator"]), user=person, days=3, reason="Abuse")
            return person
        case "author":
            return item.target.author
        case "scoped_elsewhere":
            person = UserFactory(roles=["moderator"])
            ModeratorScope.objects.create(moderator=person, programme=Programme.objects.exclude(pk=item.programme_id).first())
            return person
        case "moderator" | "staff":
            return UserFactory(roles=[role])
    raise AssertionError(role)


PAGES = ["queue", "item", "log", "appeals"]
#                     anonymous resident suspended author scoped_elsewhere moderator staff
ALLOWED = {
    "queue":   (False, False, False, False, True,  True, True),
    "item":    (False, False, False, False, False, True, True),
    "log":     (False, False, False, False, True,  True, True),
    "appeals": (False, False, False, False, True,  True, True),
}  # fmt: skip
ROLES = ["anonymous", "resident", "suspended", "author", "scoped_elsewhere", "moderator", "staff"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_moderation_pages_are_404_for_everyone_but_moderators_and_staff(client, flagged, page, role):
    person = _person(role, flagged)
    if person:
        client.force_login(person)
    url = reverse(f"moderation:{page}", args=[flagged.pk] if page == "item" else [])

    response = client.get(url)

    assert response.status_code == (200 if ALLOWED[page][ROLES.index(role)] else 404)


@pytest.mark.parametrize("role", ROLES)
def test_deciding_an_item_through_the_page_is_allowed_only_in_scope(client, flagged, role):
    person = _person(role, flagged)
    if person:
        client.force_login(person)
    allowed = role in ("moderator", "staff")

    response = client.post(reverse("moderation:item", args=[flagged.pk]),
                           {"form": "decision", "action": "hide", "house_rule": "1", "reason": "Rude"})

    flagged.refresh_from_db()
    assert (flagged.status == "resolved") is allowed
    if role == "scoped_elsewhere":
        assert response.status_code == 404
    elif not allowed:
        assert response.status_code == 404


def test_a_decision_without_a_reason_is_explained_and_nothing_changes(client, flagged, moderator):
    client.force_login(moderator)
    response = client.post(reverse("moderation:item", args=[flagged.pk]), {"form": "decision", "action": "hide", "reason": ""})
    assert response.status_code == 400
    assert "Enter a reason" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.status == "pending"


def test_a_resident_reports_a_comment_through_the_page(client, resident):
    comment = CommentFactory()
    client.force_login(resident)

    form = client.get(reverse("forums:comment_report", args=[comment.pk]))
    response = client.post(reverse("forums:comment_report", args=[comment.pk]), {"reason": "spam"})

    assert form.status_code == 200 and "Someone may be at risk" in form.content.decode()
    assert response.status_code == 302
    assert FlaggedItem.objects.get().open_reports == 1


def test_reporting_with_something_else_and_no_details_keeps_the_form(client, resident):
    comment = CommentFactory()
    client.force_login(resident)
    response = client.post(reverse("forums:comment_report", args=[comment.pk]), {"reason": "other", "details": ""})
    assert response.status_code == 400
    assert "Tell us what is wrong with this post." in response.content.decode()


def test_anonymous_people_are_asked_to_sign_in_to_report(client):
    comment = CommentFactory()
    response = client.get(reverse("forums:comment_report", args=[comment.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def _queue_with(n):
    """n pending reported comments, written in bulk (the same rows report_file writes)."""
    thread = CommentFactory().thread
    authors = [UserFactory() for _ in range(5)]
    reporter = UserFactory()
    comments = Comment.objects.bulk_create(
        Comment(thread=thread, author=authors[i % 5], body=f"Reply {i}", body_html=f"<p>Reply {i}</p>") for i in range(n)
    )
    items = FlaggedItem.objects.bulk_create(
        FlaggedItem(thread=thread, comment=c, programme_id=thread.board.programme_id, content_key=f"comment:{c.pk}",
                    open_reports=1)
        for c in comments
    )
    Report.objects.bulk_create(
        Report(item=item, reporter=reporter, content_key=item.content_key, reason="spam") for item in items
    )


@pytest.mark.parametrize("size", [10, 1000])
def test_the_queue_page_costs_the_same_however_many_items_wait(client, moderator, django_assert_num_queries, size):
    _queue_with(size)
    client.force_login(moderator)
    client.get(reverse("moderation:queue"))
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("moderation:queue"))
    assert response.status_code == 200


QUEUE_QUERIES = 12


def test_the_audit_log_exports_csv_with_formula_cells_neutralised(client, moderator, flagged):
    moderation.item_hide(actor=moderator, item=flagged, reason="=HYPERLINK(\"http://evil\")", house_rule="1")
    client.force_login(moderator)

    response = client.get(reverse("moderation:log") + "?format=csv")

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Hid content" in body and "'=HYPERLINK" in body


def test_the_author_sees_the_decision_and_appeals_it(client, moderator, flagged):
    action = moderation.item_hide(actor=moderator, item=flagged, reason="Rude", house_rule="1")
    client.force_login(flagged.target.author)

    page = client.get(reverse("moderation:decision", args=[action.pk]))
    response = client.post(reverse("moderation:decision", args=[action.pk]), {"text": "It was a quote"})

    assert "1. Be kind and respectful" in page.content.decode()
    assert response.status_code == 302
    assert action.appeal.text == "It was a quote"


def test_someone_elses_decision_is_404(client, moderator, flagged, resident):
    action = moderation.item_hide(actor=moderator, item=flagged, reason="Rude", house_rule="1")
    client.force_login(resident)
    assert client.get(reverse("moderation:decision", args=[action.pk])).status_code == 404


def test_the_public_figures_page_counts_reports_by_reason_and_decisions(client, flagged, moderator):
    moderation.item_hide(actor=moderator, item=flagged, reason="Rude", house_rule="1")
    slug = flagged.programme.slug

    response = client.get(reverse("forums:moderation_figures", args=[slug]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Abusive or offensive" in body
    from forums.moderation import selectors

    month = selectors.monthly_figures(programme=flagged.programme)[0]
    assert (month["reports"], month["taken_down"]) == (1, 1)
    assert dict(month["reasons"])["Abusive or offensive"] == 1
    assert month["median_hours"] is not None


def test_an_unknown_programme_has_no_figures_page(client):
    assert client.get(reverse("forums:moderation_figures", args=["nope"])).status_code == 404


def test_a_suspended_person_sees_why_and_until_when(client, moderator):
    from django.utils import timezone

    comment = CommentFactory()
    person = UserFactory()
    sanction = moderation.user_suspend(actor=moderator, user=person, days=5, reason="Repeated name-calling", house_rule="1")
    client.force_login(person)

    thread_page = client.get(comment.thread.get_absolute_url()).content.decode()
    new_thread = client.get(reverse("forums:thread_create", args=["prevention", "general"]))

    for body in (thread_page, new_thread.content.decode()):
        assert "suspended your posting until" in body
        assert "Repeated name-calling" in body
        assert f"/moderation/decisions/{sanction.action_id}/" in body
    assert new_thread.status_code == 403
    assert sanction.until > timezone.now()
