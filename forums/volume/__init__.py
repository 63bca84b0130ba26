"""The volume seeder: realistic discussion volume for load tests and query-count tests, in minutes.

Rows go in with bulk_create in batches, and each distinct text is rendered to HTML once. Stored
counters are then recomputed from the rows with set-based UPDATEs, so they agree with the data
whatever was generated. Seeded people share the public password SEED_PASSWORD, so the command
refuses to run with production settings.

The command `manage.py seed_volume` and the bench scripts call `volume_seed`.
"""

from .seed import Seeded, TextProgress, authors_create, counters_fix, statistics_refresh, tags_ensure, volume_seed
from .texts import SEED_PASSWORD

__all__ = [
    "SEED_PASSWORD",
    "Seeded",
    "TextProgress",
    "authors_create",
    "counters_fix",
    "statistics_refresh",
    "tags_ensure",
    "volume_seed",
]
