import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.rules import is_moderator, is_partnership_staff
from forums.models import Comment, Thread

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_people_with_roles_and_discussions_once(capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    out = capsys.readouterr().out
    assert "talkhealth-demo" in out
    assert User.objects.filter(email__endswith="@example.com", email_verified=True).count() == 6
    assert is_moderator(User.objects.get(email="jordan@example.com"))
    assert is_partnership_staff(User.objects.get(email="kemi@example.com"))
    assert Thread.objects.filter(board__accepts_threads=True).count() == 4 + 13  # the first four and one per hub
    nested = Comment.objects.get(body__startswith="Thank you both")
    assert nested.depth == 2


def test_demo_people_can_sign_in_with_the_documented_password(client):
    call_command("seed_demo")
    response = client.post("/accounts/login/", {"login": "alex@example.com", "password": "talkhealth-demo"})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


def test_seed_demo_posts_even_with_pre_moderation_on_and_leaves_it_on():
    from forums.models import ModerationConfig, Visibility

    ModerationConfig.objects.update_or_create(pk=1, defaults={"premoderated_posts": 2})

    call_command("seed_demo")

    assert not Comment.objects.exclude(visibility=Visibility.PUBLISHED).exists()
    assert ModerationConfig.current().premoderated_posts == 2


def test_every_programme_hub_shows_the_product_working_after_seeding(client):
    from programmes.events.models import Event
    from programmes.models import Programme
    from programmes.polls.models import Poll
    from programmes.updates.models import Update

    call_command("seed_demo")

    for programme in Programme.objects.all():
        threads = Thread.objects.filter(board__programme=programme, board__accepts_threads=True)
        assert threads.filter(like_count__gt=0).exists(), programme.slug
        assert Comment.objects.filter(thread__in=threads, depth=2).exists(), programme.slug
        assert Update.objects.filter(programme=programme, status="published").exists(), programme.slug
        page = client.get(f"/programmes/{programme.slug}/").content.decode()
        assert "No one has started a discussion here yet" not in page
    assert Poll.objects.values("programme").distinct().count() >= 4
    assert Event.objects.values("programme").distinct().count() >= 4
    assert Thread.objects.filter(status="changed").count() >= 3
    assert Comment.objects.filter(is_official=True).count() >= 4
