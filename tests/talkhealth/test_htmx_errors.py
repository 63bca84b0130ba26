"""Every htmx request that fails gets something to show in place (talkhealth.htmx), and the crisis
wording comes from one source (talkhealth.signposting)."""

import pytest
from django.urls import reverse

from forums.moderation import services as moderation
from talkhealth import signposting
from tests.factories import ModeratorFactory, UserFactory
from tests.forums.factories import CommentFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_report_with_errors_answers_its_form_in_place_for_htmx(client, resident):
    comment = CommentFactory()
    client.force_login(resident)
    response = client.post(reverse("forums:comment_report", args=[comment.pk]), {"reason": ""}, **HTMX)
    assert response.status_code == 400
    assert not response.has_header("HX-Retarget")
    assert b'class="th-report-form"' in response.content
    assert b"nhsuk-error-summary" in response.content
    assert b"<html" not in response.content


def test_a_refusal_raised_as_permission_denied_becomes_an_error_summary_beside_the_element(client):
    person = UserFactory()
    moderation.user_suspend(actor=ModeratorFactory(), user=person, days=3, reason="Abuse")
    comment = CommentFactory()
    client.force_login(person)
    response = client.post(reverse("forums:comment_like", args=[comment.pk]), **HTMX)
    assert response.status_code == 403
    assert response["HX-Retarget"] == "this"
    assert response["HX-Reswap"] == "afterend"
    assert b"suspended your posting until" in response.content
    assert b"th-htmx-refusal" in response.content


def test_a_like_refused_without_javascript_says_why_back_on_the_page(client):
    person = UserFactory()
    moderation.user_suspend(actor=ModeratorFactory(), user=person, days=3, reason="Abuse")
    client.force_login(person)
    response = client.post(reverse("forums:comment_like", args=[CommentFactory().pk]), follow=True)
    assert response.status_code == 200
    assert b"suspended your posting until" in response.content


def test_a_permission_denied_page_says_why(client, unverified):
    client.force_login(unverified)
    response = client.post(reverse("forums:thread_follow", args=[CommentFactory().thread.pk]), {"follow": "1"})
    assert response.status_code == 403
    assert b"Confirm your email address to follow discussions." in response.content


def test_liking_your_own_post_with_htmx_is_refused_in_place_not_by_a_redirect(client):
    comment = CommentFactory()
    client.force_login(comment.author)
    response = client.post(reverse("forums:comment_like", args=[comment.pk]), **HTMX)
    assert response.status_code == 400
    assert b"You cannot like your own post." in response.content
    assert b"<html" not in response.content


def test_a_whole_error_page_answering_htmx_is_replaced_by_a_short_summary(client, resident):
    client.force_login(resident)
    response = client.get(reverse("forums:comment_reply", args=[987654]), **HTMX)
    assert response.status_code == 404
    assert response["HX-Retarget"] == "this"
    assert b"This is no longer available" in response.content
    assert b"<html" not in response.content


def test_pages_without_htmx_keep_their_full_error_pages(client, resident):
    client.force_login(resident)
    response = client.get(reverse("forums:comment_reply", args=[987654]))
    assert response.status_code == 404
    assert b"<html" in response.content


def test_htmx_is_configured_to_swap_4xx_answers(client):
    response = client.get(reverse("home"))
    assert b'name="htmx-config"' in response.content
    assert b'{"code": "4..", "swap": true, "error": false}' in response.content


def test_the_urgent_help_card_links_every_number():
    from django.template.loader import render_to_string

    html = render_to_string("includes/_urgent_help.html", {"heading": signposting.HEADING,
                                                             "services": signposting.SERVICES, "level": 2})
    for href in ('href="tel:999"', 'href="tel:111"', 'href="tel:116123"', 'href="sms:85258?body=SHOUT"'):
        assert href in html
    assert "A&amp;E" in html
    assert "nhsuk-card--care--urgent" in html


def test_crisis_wording_has_one_source_in_code_and_templates():
    """No template or module words the help itself; they all render talkhealth.signposting."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offenders = []
    for folder in ("templates", "jinja2", "forums", "accounts", "programmes"):
        for path in (root / folder).rglob("*"):
            if path.suffix in (".html", ".jinja", ".txt", ".py") and "migrations" not in path.parts:
                text = path.read_text(encoding="utf-8")
                if "116 123" in text or "116123" in text or "85258" in text:
                    offenders.append(str(path.relative_to(root)))
    assert offenders == []
