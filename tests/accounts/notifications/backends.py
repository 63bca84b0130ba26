"""Email backends for the delivery tests: one that fails a set number of times, one that is slow
enough to kill a worker mid-batch, one that counts connections. State that must survive across
processes lives in files named by environment variables."""

import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyFileBackend(FileBackend):
    """Refuses the first FLAKY_FAILURES sends, as an SMTP server that is down would, then writes files.

    Failures so far are counted in the file FLAKY_STATE (one byte per failure).
    """

    def send_messages(self, email_messages):
        state = Path(os.environ["FLAKY_STATE"])
        failures = state.stat().st_size if state.exists() else 0
        if failures < int(os.environ.get("FLAKY_FAILURES", "0")):
            with state.open("ab") as handle:
                handle.write(b"x")
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed (test)")
        return super().send_messages(email_messages)


class SlowFileBackend(FileBackend):
    """Takes SLOW_SECONDS over each message before writing it, and notes each start in SLOW_STARTED."""

    def send_messages(self, email_messages):
        with Path(os.environ["SLOW_STARTED"]).open("ab") as handle:
            handle.write(b"x")
        time.sleep(float(os.environ.get("SLOW_SECONDS", "0.3")))
        return super().send_messages(email_messages)


class CountingBackend(LocmemBackend):
    """Locmem, also counting connections made (get_connection() once per batch is the point), and
    failing the next `fail_next` sends."""

    opened = 0
    fail_next = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CountingBackend.opened += 1

    def send_messages(self, messages):
        if CountingBackend.fail_next:
            CountingBackend.fail_next -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed (test)")
        return super().send_messages(messages)
