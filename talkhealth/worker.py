"""`python -m talkhealth.worker [options]`: a Celery worker for Talk Health, as the Procfile's worker
and analysis processes start it. It takes every option of `celery worker` (`--help` lists them),
and their CELERY_WORKER_* environment variables, because it runs Celery's own `worker` command.

What it leaves out is the rest of Celery's command line. `celery -A talkhealth worker` first builds
every command Celery has, and its `amqp` shell brings prompt_toolkit and pygments with it: memory
that the worker's parent process, and each pool process forked from it, would hold and never use.
Started idle on this project, a prefork worker's parent was 94.8 MB resident through `celery` and
87.4 MB through this module, its pool process 80.6 MB and 73.7 MB (bench/RESULTS.md, 2026-12-03).
`celery -A talkhealth beat`, one process, keeps the usual command.
"""

import sys

from celery import maybe_patch_concurrency
from celery.bin.base import CLIContext
from celery.bin.worker import worker


def main(argv: list[str] | None = None) -> None:
    """Run `celery worker` with `argv` (else the command line) for Talk Health's Celery app."""
    argv = sys.argv[1:] if argv is None else argv
    maybe_patch_concurrency(["worker", *argv])  # as `celery` does first: eventlet and gevent patch early

    from talkhealth.celery import app

    worker.params.extend(app.user_options.get("worker", ()))  # as `celery` adds an app's own options
    worker.main(
        args=argv,
        prog_name="python -m talkhealth.worker",
        auto_envvar_prefix="CELERY_WORKER",  # the variables `celery worker` reads: CELERY_WORKER_CONCURRENCY...
        obj=CLIContext(app=app, no_color=False, workdir=None),
    )


if __name__ == "__main__":
    main()
