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
    assert Thread.objects.count() == 5  # four discussions and the demo update's
    assert Comment.objects.count() == 8  # seven replies and one official response
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
