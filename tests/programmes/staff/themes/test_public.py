"""Closing the loop both ways: a decision's page links to the theme that fed it, the theme's public
page links to the decision and, for each contributor signed in, to their own words."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from forums import services as forum_services
from forums.models import Comment
from programmes.themes import outcomes, services
from programmes.themes.models import Coding, CodingStatus
from tests.factories import UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory, general_board

from ..factories import published_update
from .conftest import seed_planted

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded(staff, cancer):
    """A theme with two discussions' words coded, one of them quoted; no decision yet."""
    thread = ThreadFactory(board=general_board("cancer"), title="Clinic hours", body="Open the clinic after six.")
    comments = [CommentFactory(thread=thread, body=f"Evenings would help me, reason {n}.") for n in range(3)]
    theme = services.theme_create(actor=staff, programme=cancer, name="Evening clinics", description="Later hours.")
    keys = [f"thread:{thread.pk}", *(f"comment:{c.pk}" for c in comments)]
    services.items_code(actor=staff, programme=cancer, codes={k: {theme.pk} for k in keys})
    outcomes.quote_choose(actor=staff, theme=theme, key=f"comment:{comments[0].pk}")
    return theme, thread, comments


def _link_update(staff, theme, capture, **fields):
    with capture(execute=True):
        update = published_update(staff, "cancer", **fields)
        outcomes.theme_decision_link(actor=staff, theme=theme, update=update)
    return update


def test_a_theme_is_public_only_once_it_fed_a_public_decision(client, staff, coded, django_capture_on_commit_callbacks):
    theme, _, _ = coded
    url = theme.get_public_url()
    assert url == reverse("programmes:theme", kwargs={"slug": "cancer", "pk": theme.pk})
    assert client.get(url).status_code == 404
    update = _link_update(staff, theme, django_capture_on_commit_callbacks)
    page = client.get(url)
    assert page.status_code == 200
    assert "Evening clinics" in page.text and "Later hours." in page.text
    assert f'href="{update.get_absolute_url()}"' in page.text
    assert "Evenings would help me, reason 0." in page.text  # the quote, read live
    assert "fewer than 10 people online" in page.text  # four people: the small-numbers rule
    assert reverse("programmes:theme", kwargs={"slug": "mental-health", "pk": theme.pk}) != url
    assert client.get(reverse("programmes:theme", kwargs={"slug": "mental-health", "pk": theme.pk})).status_code == 404
    services.theme_retire(actor=staff, theme=theme)
    assert client.get(url).status_code == 404


def test_the_decision_pages_link_back_to_the_theme(client, staff, coded, django_capture_on_commit_callbacks):
    theme, thread, _ = coded
    # Read first so the anonymous pages are cached: linking must make them stale.
    said = reverse("programmes:you_said_we_did", kwargs={"slug": "cancer"})
    client.get(said)
    with django_capture_on_commit_callbacks(execute=True):
        response = forum_services.comment_post(actor=staff, thread=thread, body="We will open later.", official=True)
    client.get(thread.get_absolute_url())
    update = _link_update(staff, theme, django_capture_on_commit_callbacks, title="Clinics open until eight")
    client.get(update.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        outcomes.theme_decision_link(actor=staff, theme=theme, response=response)
    link = f'href="{theme.get_public_url()}"'
    update_page = client.get(update.get_absolute_url()).text
    assert "What you told us that led to this" in update_page and link in update_page
    thread_page = client.get(thread.get_absolute_url()).text
    assert "This response answers what Londoners told us about" in thread_page and link in thread_page
    said_page = client.get(said).text
    assert link in said_page and f'href="{update.get_absolute_url()}"' in said_page
    # A rename reaches every one of those pages, cached or not.
    with django_capture_on_commit_callbacks(execute=True):
        services.theme_edit(actor=staff, theme=theme, name="Later opening", description="", inclusion_notes="")
    for url in (update.get_absolute_url(), thread.get_absolute_url(), said):
        assert "Later opening" in client.get(url).text, url


def test_contributors_see_their_own_words_and_nobody_else_does(client, staff, coded, django_capture_on_commit_callbacks):
    theme, thread, comments = coded
    _link_update(staff, theme, django_capture_on_commit_callbacks)
    client.force_login(comments[1].author)
    page = client.get(theme.get_public_url()).text
    assert "Your words fed this theme" in page and f'href="{comments[1].path}"' in page
    assert comments[2].path not in page
    client.force_login(thread.author)
    page = client.get(theme.get_public_url()).text
    assert f'href="{thread.get_absolute_url()}"' in page and "Your discussion “Clinic hours”" in page
    client.force_login(UserFactory())
    assert "Your words fed this theme" not in client.get(theme.get_public_url()).text


def test_the_notification_links_to_the_decision_and_the_theme(
    client, staff, coded, mailoutbox, django_capture_on_commit_callbacks
):
    theme, _, comments = coded
    update = _link_update(staff, theme, django_capture_on_commit_callbacks)
    notice = Notification.objects.get(recipient=comments[0].author, event_key__startswith="themes.decision:")
    assert notice.url == update.get_absolute_url()
    assert notice.topic_url == theme.get_public_url()
    client.force_login(comments[0].author)
    inbox = client.get(reverse("notifications:inbox")).text
    assert f'href="{theme.get_public_url()}"' in inbox
    assert f'href="{reverse("notifications:open", kwargs={"pk": notice.pk})}"' in inbox
    emails = [m for m in mailoutbox if comments[0].author.email in m.to and "fed a decision" in m.subject]
    assert emails, "the contributor is emailed (their default is straight away for official responses)"
    html = emails[0].alternatives[0][0]
    assert theme.get_public_url() in html and theme.get_public_url() in emails[0].body


def test_a_thread_with_an_official_response_costs_the_same_queries_at_two_sizes(
    client, staff, coded, django_assert_num_queries, django_capture_on_commit_callbacks
):
    theme, thread, _ = coded
    response = forum_services.comment_post(actor=staff, thread=thread, body="We will open later.", official=True)
    with django_capture_on_commit_callbacks(execute=True):
        outcomes.theme_decision_link(actor=staff, theme=theme, response=response)
    for n in range(2):
        for _ in range(10 * n):
            CommentFactory(thread=thread)
        with django_assert_num_queries(5):
            page = client.get(thread.get_absolute_url())
        assert f'href="{theme.get_public_url()}"' in page.text


def test_words_taken_down_leave_the_theme_page(client, staff, coded, django_capture_on_commit_callbacks):
    theme, _, comments = coded
    _link_update(staff, theme, django_capture_on_commit_callbacks)
    assert "Evenings would help me, reason 0." in client.get(theme.get_public_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.comment_delete(actor=comments[0].author, comment=comments[0])
    page = client.get(theme.get_public_url()).text
    assert "Evenings would help me, reason 0." not in page
    # Edited to hold personal information after it was chosen: no longer quoted.
    outcomes.quote_choose(actor=staff, theme=theme, key=f"comment:{comments[1].pk}")
    assert "reason 1." in client.get(theme.get_public_url()).text
    Comment.objects.filter(pk=comments[1].pk).update(body="Ring me on 020 7946 0018, reason 1.")
    assert "reason 1." not in client.get(theme.get_public_url()).text


def test_a_withdrawn_or_unpublished_decision_is_not_shown(client, staff, coded, django_capture_on_commit_callbacks):
    from programmes.updates import services as update_services

    theme, _, _ = coded
    update = _link_update(staff, theme, django_capture_on_commit_callbacks)
    update_services.update_unpublish(actor=staff, update=update)
    assert client.get(theme.get_public_url()).status_code == 404


def test_the_theme_page_costs_the_same_queries_at_two_sizes(
    client, staff, cancer, django_assert_num_queries, django_capture_on_commit_callbacks
):
    theme = services.theme_create(actor=staff, programme=cancer, name="Waiting")
    _link_update(staff, theme, django_capture_on_commit_callbacks)
    reader = UserFactory()
    for size in (3, 30):
        planted = seed_planted(cancer, per_theme=size, seed=size)
        keys = sorted(planted)[: size * 2]
        services.items_code(actor=staff, programme=cancer, codes={k: {theme.pk} for k in keys})
        for key in keys[:3]:
            outcomes.quote_choose(actor=staff, theme=theme, key=key)
        assert Coding.objects.filter(theme=theme, status=CodingStatus.CONFIRMED).count() >= size * 2
        client.logout()
        with django_assert_num_queries(8):
            assert client.get(theme.get_public_url()).status_code == 200
        client.force_login(reader)
        with django_assert_num_queries(13):
            assert client.get(theme.get_public_url()).status_code == 200
