"""gunicorn's hooks, which a command line cannot carry: the Procfile loads this module with
`--config python:talkhealth.gunicorn_config` (its other settings stay on the command line).

A worker that stops normally (it has served --max-requests, or a graceful restart) leaves with
os._exit once it has closed its connections and flushed its logs, instead of through the
interpreter's clean-up. That clean-up frees every object the worker inherited from the master
(--preload): each free writes to a page the two still share, so the kernel first copies it, and
the CPU it takes is taken from the workers still serving (about 50 ms a worker). With 2 workers
replaced every 5,000 requests, readers lost 5% of their throughput with the usual exit and 3% with
this one (bench/recycling.py; RESULTS.md, 2026-12-03 10:08). Instagram found the same and left the
same way ("Dismissing Python Garbage Collection at Instagram", 2017). A worker that fails or is
killed still exits the usual way, with its own status, which the master reads.
"""

import logging
import os
import sys


def post_fork(server, worker) -> None:
    run = worker.run

    def run_then_leave():
        run()  # returns only when the worker stops normally; a failure raises past the exit below
        leave(server, worker)

    worker.run = run_then_leave


def leave(server, worker) -> None:
    """What the worker's normal exit must still do, then exit at once with status 0."""
    try:
        from django.core.cache import close_caches
        from django.db import connections

        connections.close_all()  # the database sees a goodbye, not a dropped socket
        close_caches()
        server.log.info("Worker exiting (pid: %s), leaving its clean-up to the kernel", worker.pid)
        worker.tmp.close()
        server.cfg.worker_exit(server, worker)
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        server.log.exception("Worker %s could not tidy up before leaving", worker.pid)
    finally:
        os._exit(0)
