import os
import socket
import time

import pytest
from django.db import OperationalError

from talkhealth import health
from talkhealth.celery import app as celery_app

pytestmark = pytest.mark.django_db

NO_BROKER = "not configured (tasks run in-process)"


@pytest.fixture
def broker_at(settings, monkeypatch):
    """Point both the settings and the Celery app at a broker URL for one test."""

    def point(url: str) -> None:
        settings.REDIS_URL = url
        monkeypatch.setitem(celery_app.conf, "broker_url", url)

    return point


@pytest.fixture
def silent_port():
    """A TCP port that accepts connections and never says a word, like a firewalled or wedged Redis."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def get_healthz(client):
    started = time.monotonic()
    response = client.get("/healthz")
    return response, time.monotonic() - started


def test_healthz_is_200_with_the_database_answering_and_no_broker_configured(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": NO_BROKER}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_fails(client, settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr(health, "database_ok", lambda: False)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "failing", "broker": NO_BROKER}}


def test_database_check_reports_an_error_as_failing_rather_than_raising(monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)

    assert health.database_ok() is False


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL")
def test_healthz_reports_the_broker_ok_when_redis_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


def test_healthz_is_503_quickly_when_the_broker_refuses_connections(client, broker_at):
    broker_at("redis://127.0.0.1:1/0")

    response, took = get_healthz(client)

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "failing"}
    assert took < 5


def test_healthz_is_503_quickly_when_the_broker_never_answers(client, broker_at, silent_port):
    broker_at(f"redis://127.0.0.1:{silent_port}/0")

    response, took = get_healthz(client)

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failing"
    assert took < 5
