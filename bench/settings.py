"""Production settings for the page bench, plus two bench-only switches.

STATIC_ROOT moves to a scratch directory (base settings fix it under var/, which the checkout
shares), and BENCH_FLOOR_VIEW mounts /bench/floor/, the no-database page the others are compared
with. Everything else is exactly talkhealth.settings.production.
"""

from talkhealth.settings.base import env
from talkhealth.settings.production import *  # noqa: F403

STATIC_ROOT = env("BENCH_STATIC_ROOT")
BENCH_FLOOR_VIEW = env.bool("BENCH_FLOOR_VIEW", default=False)
