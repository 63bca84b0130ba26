"""`seed_volume`: realistic discussion volume for load tests and query-count tests, in minutes.

The work is in `forums.volume`; this command reads the options and reports what was made.
"""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forums.models import Board, Comment
from forums.volume import SEED_PASSWORD, statistics_refresh, volume_seed


class Command(BaseCommand):
    help = "Create realistic discussion volume (people, threads, nested comments, likes, tags) for load tests."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=100)
        parser.add_argument("--comments", type=int, default=2000, help="Shared among the threads, unevenly.")
        parser.add_argument("--authors", type=int, default=200, help="New people to create, all verified.")
        parser.add_argument("--programme", help="Only this programme's boards (slug).")
        parser.add_argument("--board", help="Only this board (slug); needs --programme.")
        parser.add_argument(
            "--big-thread-comments", type=int, default=0, help="Also one thread of exactly N comments, for benchmarks."
        )
        parser.add_argument("--seed", type=int, help="Random seed, to repeat a run exactly.")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options):
        if settings.TALKHEALTH_ENVIRONMENT == "production":
            raise CommandError("seed_volume refuses to run with production settings: seeded passwords are public.")
        if options["board"] and not options["programme"]:
            raise CommandError("--board needs --programme: board slugs repeat in every programme.")
        if min(options["threads"], options["comments"], options["big_thread_comments"]) < 0:
            raise CommandError("Counts cannot be negative.")
        boards = Board.objects.select_related("programme").order_by("programme__position", "position")
        if options["programme"]:
            boards = boards.filter(programme__slug=options["programme"])
        if options["board"]:
            boards = boards.filter(slug=options["board"])
        boards = list(boards)
        if not boards:
            raise CommandError("No boards match. Run migrate first, and check the programme and board slugs.")

        started = time.monotonic()
        try:
            seeded = volume_seed(
                boards=boards,
                threads=options["threads"],
                comments=options["comments"],
                authors=options["authors"],
                rng=random.Random(options["seed"]),
                batch_size=options["batch_size"],
                big_thread_comments=options["big_thread_comments"],
                stdout=self.stdout,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        statistics_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(seeded.author_ids):,} people, {len(seeded.thread_ids):,} threads, "
                f"{seeded.comments:,} comments, {seeded.comment_likes:,} comment likes, "
                f"{seeded.thread_likes:,} thread likes and {seeded.follows:,} follows "
                f"in {time.monotonic() - started:.1f}s."
            )
        )
        self.stdout.write(f"Seeded people sign in with the password: {SEED_PASSWORD}")
        for board in boards[:3]:
            self.stdout.write(f"Board: {settings.SITE_URL}{board.get_absolute_url()}")
        if seeded.big_thread is not None:
            big = seeded.big_thread
            self.stdout.write(
                f"Big thread ({Comment.objects.filter(thread=big).count():,} comments, "
                f"{big.top_level_count:,} top-level): {settings.SITE_URL}{big.get_absolute_url()}"
            )
