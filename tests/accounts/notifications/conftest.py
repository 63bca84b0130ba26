import uuid

import pytest
from django.conf import settings

from talkhealth.celery import app as celery_app
from tests.forums.factories import general_board
from tests.talkhealth.conftest import Worker, forget_queue, worker_services, worker_spawn  # noqa: F401

WORKER_SITE_URL = "https://talkhealth.test"


@pytest.fixture
def board(db):
    return general_board()


@pytest.fixture
def start_worker(worker_services, tmp_path):  # noqa: F811
    """Start `celery worker` subprocesses on one queue for this test, with chosen email settings.

    `start_worker(backend=..., **env)` returns a Worker writing emails under tmp_path/mail; call it
    again for a second worker on the same queue (after killing the first, say). Celery in this
    process publishes to that queue, not eagerly, until the test ends.
    """
    queue = f"talkhealth-test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    workers: list[Worker] = []
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_default_queue

    def start(backend: str = "django.core.mail.backends.filebased.EmailBackend", **extra_env) -> Worker:
        number = len(workers) + 1
        env = {
            "DJANGO_SETTINGS_MODULE": "tests.accounts.notifications.worker_settings",
            "TEST_EMAIL_BACKEND": backend,
            "SITE_URL": WORKER_SITE_URL,
            "TEST_QUEUE": queue,
            "SECRET_KEY": settings.SECRET_KEY,
            **{key: str(value) for key, value in extra_env.items()},
        }
        log_path = tmp_path / f"worker-{number}.log"
        worker = worker_spawn(queue=queue, name=f"{queue}-{number}", mail_dir=mail_dir, log_path=log_path, env=env)
        workers.append(worker)
        worker.wait_until_ready()
        conf.task_always_eager, conf.task_default_queue = False, queue
        return worker

    try:
        yield start
    finally:
        conf.task_always_eager, conf.task_default_queue = saved
        for worker in workers:
            worker.stop()
            print(f"----- worker {worker.queue} -----\n{worker.log()}")
        forget_queue(queue)
