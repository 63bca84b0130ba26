"""Following a programme from its hub, and telling its followers about an update."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied

from accounts.models import EmailStatus, Notification, NotificationFanOut
from accounts.notifications import Category, Frequency, notification_preferences_set
from programmes import services
from programmes.models import Programme, ProgrammeFollow
from programmes.notifications import programme_followers_notify
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cancer(db):
    return Programme.objects.get(slug="cancer")


def test_follow_and_unfollow_from_the_hub_without_javascript(client, resident, cancer):
    client.force_login(resident)
    hub = client.get("/programmes/cancer/").content.decode()
    assert 'action="/programmes/cancer/follow/"' in hub and ">Follow<" in hub

    response = client.post("/programmes/cancer/follow/", {"follow": "1"}, follow=True)
    assert f"You are following {cancer.short_name}." in response.content.decode()
    assert ProgrammeFollow.objects.filter(user=resident, programme=cancer).exists()
    assert ">Unfollow<" in client.get("/programmes/cancer/").content.decode()

    client.post("/programmes/cancer/follow/", {"follow": "0"})
    assert not ProgrammeFollow.objects.exists()


def test_follow_with_htmx_swaps_the_button(client, resident, cancer):
    client.force_login(resident)
    response = client.post("/programmes/cancer/follow/", {"follow": "1"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<form class="th-follow"') and ">Unfollow<" in body


def test_following_twice_is_one_follow(resident, cancer):
    services.programme_follow_set(actor=resident, programme=cancer, follow=True)
    services.programme_follow_set(actor=resident, programme=cancer, follow=True)
    assert ProgrammeFollow.objects.count() == 1


def test_visitors_are_asked_to_sign_in(client, cancer):
    assert "to follow this programme" in client.get("/programmes/cancer/").content.decode()
    assert client.post("/programmes/cancer/follow/", {"follow": "1"}).status_code == 302
    with pytest.raises(PermissionDenied):
        services.programme_follow_set(actor=AnonymousUser(), programme=cancer, follow=True)


def test_an_update_reaches_every_follower_once_in_their_chosen_way(
    cancer, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_FAN_OUT_INLINE = 0  # written by the task, in chunks
    settings.NOTIFICATIONS_FAN_OUT_CHUNK = 2
    staff = StaffFactory()
    daily, immediate, unverified, other = UserFactory(), UserFactory(), UserFactory(unverified=True), UserFactory()
    for person in (daily, immediate, unverified, staff):
        services.programme_follow_set(actor=person, programme=cancer, follow=True)
    notification_preferences_set(
        actor=immediate, user=immediate, frequencies={Category.PROGRAMME_UPDATE: Frequency.IMMEDIATELY}
    )

    with django_capture_on_commit_callbacks(execute=True):
        fan_out = programme_followers_notify(
            programme=cancer,
            event_key="programmes.update:1",
            title="New screening vans in Barking",
            url="/programmes/cancer/#update-1",
            excerpt="<p>Vans will visit <strong>four</strong> boroughs.</p>",
            actor=staff,
        )

    assert NotificationFanOut.objects.get(pk=fan_out.pk).completed_at is not None
    rows = {row.recipient_id: row for row in Notification.objects.filter(event_key="programmes.update:1")}
    assert set(rows) == {daily.pk, immediate.pk, unverified.pk}
    assert rows[daily.pk].email_status == EmailStatus.DIGEST
    assert rows[immediate.pk].email_status == EmailStatus.SENT
    assert rows[unverified.pk].email_status == EmailStatus.SKIPPED
    row = rows[daily.pk]
    assert (row.category, row.section, row.topic, row.excerpt) == (
        Category.PROGRAMME_UPDATE,
        "Cancer",
        "New screening vans in Barking",
        "Vans will visit four boroughs.",
    )
    [message] = mail.outbox
    assert message.to == [immediate.email]
    assert f"{settings.SITE_URL}/programmes/cancer/#update-1" in message.body
    assert not Notification.objects.filter(recipient=other).exists()


def test_publishing_to_more_followers_than_fit_tells_the_first_at_once_and_the_rest_after_commit(
    cancer, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_FAN_OUT_INLINE = 2
    for _ in range(3):
        services.programme_follow_set(actor=UserFactory(), programme=cancer, follow=True)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        programme_followers_notify(programme=cancer, event_key="programmes.update:2", title="News", url="/x/")

    assert Notification.objects.count() == 2 and len(callbacks) == 1
    callbacks[0]()
    assert Notification.objects.count() == 3


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        (lambda: AnonymousUser(), False),
        (lambda: UserFactory(unverified=True), True),
        (lambda: UserFactory(), True),
        (lambda: UserFactory(roles=["moderator"]), True),
        (lambda: UserFactory(roles=["staff"]), True),
    ],
    ids=["anonymous", "unverified", "resident", "moderator", "staff"],
)
def test_anyone_signed_in_may_follow_a_programme(person, allowed):
    assert person().has_perm("programmes.follow_programme") is allowed
