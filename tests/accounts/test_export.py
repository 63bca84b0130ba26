"""Download my data: a task builds a ZIP of JSON files, emails a link that only its owner can use,
and the file is deleted when the link expires."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import DataExport
from tests.accounts.conftest import EMAIL, NAME
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FILES = {
    "README.txt", "profile.json", "preferences.json", "notifications.json", "threads.json", "comments.json",
    "likes.json", "follows.json", "reports.json", "moderation.json", "programmes_followed.json",
    "poll_votes.json", "events.json", "equality.json",
}


def _request(client, person, django_capture_on_commit_callbacks):
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:export"))
    assert response.status_code == 302
    return DataExport.objects.get(user=person)


def _unzip(response) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {
        name: archive.read(name).decode() if name.endswith(".txt") else json.loads(archive.read(name))
        for name in archive.namelist()
    }


def test_the_download_holds_everything_about_the_person(client, active_person, django_capture_on_commit_callbacks):
    person, things = active_person
    export = _request(client, person, django_capture_on_commit_callbacks)
    assert export.status == DataExport.Status.READY
    assert export.file.startswith("private/exports/") and default_storage.exists(export.file)

    response = client.get(export.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment;" in response["Content-Disposition"] and "no-cache" in response["Cache-Control"]
    files = _unzip(response)

    assert set(files) == FILES
    profile = files["profile.json"]
    assert (profile["email"], profile["display_name"], profile["borough"]) == (EMAIL, NAME, "Hackney")
    assert profile["email_addresses"] == [{"email": EMAIL, "confirmed": True, "primary": True}]
    assert {t["title"] for t in files["threads.json"]} == {"Ramps at the clinic", "Late letters"}
    comments = {c["text"]: c for c in files["comments.json"]}
    assert comments["Glad it is not only me."]["earlier_versions"] == ["Glad it is not just me."]
    assert comments["Thanks for the tip about pharmacies."]["status"] == "Hidden"
    assert [like["discussion"] for like in files["likes.json"]["discussions"]] == ["Pharmacy hours"]
    assert len(files["likes.json"]["comments"]) == 1
    assert [f["discussion"] for f in files["follows.json"]["discussions"]] == [
        "Ramps at the clinic", "Late letters", "Pharmacy hours"
    ]
    assert files["reports.json"][0]["details"] == "I think this breaks rule 3."
    moderation = files["moderation.json"]
    assert {a["action"] for a in moderation["actions_about_you"]} == {"Hid content", "Warned author"}
    assert moderation["sanctions"][0]["sanction"] == "Warning"
    assert moderation["your_appeals"][0]["appeal"] == "It was the pharmacy's public number."
    assert any("replied" in n["title"] or "Other Resident" in n["title"] for n in files["notifications.json"])
    assert files["preferences.json"]["show_borough_on_profile"] is True
    assert "Replies to you" in files["preferences.json"]["email_notifications"]
    assert files["programmes_followed.json"][0]["programme"].startswith("Enabling all Londoners")
    assert files["poll_votes.json"] == [
        {
            "poll": "Should clinics open on Sundays?",
            "your_answers": ["Yes"],
            "borough_when_you_voted": "hackney",
            "voted": files["poll_votes.json"][0]["voted"],
        }
    ]
    assert [e["event"] for e in files["events.json"]] == ["Screening roadshow"]
    assert "Mod Erator" not in json.dumps(files), "the moderators who acted are not named"


def test_the_link_is_emailed_to_the_person(client, active_person, django_capture_on_commit_callbacks):
    person, _ = active_person
    export = _request(client, person, django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if "ready to download" in m.subject]
    assert message.to == [EMAIL]
    assert re.search(re.escape(export.get_absolute_url()), message.body)
    assert "expires in 7 days" in message.body


def test_only_its_owner_can_download_it(client, resident, django_capture_on_commit_callbacks):
    export = _request(client, resident, django_capture_on_commit_callbacks)
    client.logout()
    response = client.get(export.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(export.get_absolute_url()).status_code == 404


def test_the_link_stops_working_after_seven_days_and_the_file_goes(client, resident, django_capture_on_commit_callbacks):
    export = _request(client, resident, django_capture_on_commit_callbacks)
    assert export.expires_at - export.ready_at == timedelta(days=7)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(export.get_absolute_url()).status_code == 410
    assert services.data_exports_purge() == 1
    export.refresh_from_db()
    assert (export.status, export.file) == (DataExport.Status.EXPIRED, "")
    assert not default_storage.exists(f"private/exports/{export.token}.zip")
    assert client.get(export.get_absolute_url()).status_code == 410


def test_asking_again_while_one_is_being_prepared_does_not_queue_another(client, resident, django_capture_on_commit_callbacks):
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("accounts:export"))
        client.post(reverse("accounts:export"))
    assert DataExport.objects.filter(user=resident).count() == 1


def test_the_page_lists_requests_with_their_links(client, resident, django_capture_on_commit_callbacks):
    export = _request(client, resident, django_capture_on_commit_callbacks)
    content = client.get(reverse("accounts:export")).content.decode()
    assert export.get_absolute_url() in content and "Request a download" in content


def test_the_page_needs_sign_in(client):
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_building_twice_builds_once(client, resident, django_capture_on_commit_callbacks):
    export = _request(client, resident, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    services.data_export_build(export_id=export.pk)
    assert len(mail.outbox) == sent


def test_deleting_the_account_deletes_its_downloads(client, resident, django_capture_on_commit_callbacks):
    export = _request(client, resident, django_capture_on_commit_callbacks)
    services.account_delete(actor=resident, user=resident, erase_posts=False)
    assert not DataExport.objects.exists()
    assert not default_storage.exists(export.file)
