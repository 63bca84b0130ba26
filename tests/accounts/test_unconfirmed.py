"""Accounts whose email address is never confirmed are deleted 14 days after sign-up, by a beat task."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts import tasks
from accounts.models import AccountDeletion, User
from talkhealth.celery import app as celery_app
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _joined(days_ago: float, **kwargs):
    user = UserFactory(**kwargs)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days_ago))
    return user


def test_unconfirmed_accounts_go_after_fourteen_days_and_no_sooner():
    stale = _joined(14.1, unverified=True)
    fresh = _joined(13.9, unverified=True)
    confirmed = _joined(100)
    staff = _joined(100, unverified=True)
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    signed_in = Client()
    signed_in.force_login(stale)

    tasks.users_purge_unconfirmed.delay()

    assert set(User.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk, staff.pk}
    record = AccountDeletion.objects.get()
    assert (record.reason, record.posts, record.account_id) == ("unconfirmed", "none", None)
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(stale.pk) for s in Session.objects.all())


def test_someone_with_a_confirmed_address_is_kept_even_if_the_flag_lags():
    person = _joined(30, unverified=True)
    person.emailaddress_set.update(verified=True)
    tasks.users_purge_unconfirmed.delay()
    assert User.objects.filter(pk=person.pk).exists()


def test_the_clean_up_tasks_are_on_the_beat_schedule():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"accounts.users_purge_unconfirmed", "accounts.data_exports_purge"} <= scheduled
    assert {"accounts.users_purge_unconfirmed", "accounts.data_exports_purge"} <= set(celery_app.tasks)
