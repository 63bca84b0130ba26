"""Evidence pack build time for a programme with 100,000 comments; append the result to RESULTS.md.

    .venv/bin/python bench/evidence_pack.py [--comments 100000] [--reuse-db] [--no-record]
    .venv/bin/python bench/evidence_pack.py --database-url postgres://postgres@127.0.0.1:5432/talkhealth_pack_bench

By default a scratch SQLite file (var/bench/evidence_pack.sqlite3), so it needs no services. It
migrates, seeds the Cancer programme with `seed_volume` (threads, nested comments, likes) and gives
70% of the authors equality answers and a snapshot, as posting through the site would. Then it
times `evidence_pack_files` (the very function the Celery job and `manage.py evidence_pack` run)
over the whole seeded year, step by step, and checks the target: the pack within 60 s.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 60.0


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkhealth.settings.base")
    import django

    django.setup()


def _seed(comments: int, seed: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from accounts import equality
    from accounts.models import EqualityAnswers, EqualitySnapshot
    from forums.volume import volume_seed
    from forums.models import Board
    from programmes.models import Programme

    rng = random.Random(seed)
    programme = Programme.objects.get(slug="cancer")
    began = time.perf_counter()
    seeded = volume_seed(
        boards=list(Board.objects.filter(programme=programme, accepts_threads=True)),
        threads=max(comments // 33, 1),
        comments=comments,
        authors=max(comments // 50, 2),
        rng=rng,
    )
    choices = {f: [c for c in equality.CHOICES[f].values] for f in equality.CHOICES}
    today = timezone.localdate()
    with transaction.atomic():
        answers, snapshots = [], []
        for user_id in seeded.author_ids:
            if rng.random() >= 0.7:
                continue
            values = {f: rng.choice(options) for f, options in choices.items()}
            values["year_of_birth"] = rng.randint(1935, 2008)
            answers.append(EqualityAnswers(user_id=user_id, consented_at=timezone.now(), **values))
            snapshots.append(
                EqualitySnapshot(
                    user_id=user_id, programme=programme, day=today - timedelta(days=rng.randint(0, 360)),
                    borough=rng.choice(["hackney", "croydon", "newham", "barnet", "lambeth", ""]), **values,
                )
            )
        EqualityAnswers.objects.bulk_create(answers, batch_size=2000)
        EqualitySnapshot.objects.bulk_create(snapshots, batch_size=2000, ignore_conflicts=True)
    return {"seconds": time.perf_counter() - began, "authors": len(seeded.author_ids), "answered": len(answers)}


def _build() -> dict:
    from django.utils import timezone

    from forums.models import Comment
    from programmes.evidence.services import evidence_pack_files
    from programmes.models import Programme

    programme = Programme.objects.get(slug="cancer")
    end = timezone.localdate()
    start = end - timedelta(days=400)
    steps: list[tuple[str, float]] = []
    began = time.perf_counter()
    current = ["", began]

    def progress(percent, step):
        """Called as each step starts: the time since the last call belongs to the step before."""
        now = time.perf_counter()
        if current[0]:
            steps.append((current[0], now - current[1]))
        current[:] = [step, now]

    files = evidence_pack_files(programme=programme, start=start, end=end, progress=progress)
    steps.append((current[0], time.perf_counter() - current[1]))
    return {
        "seconds": time.perf_counter() - began,
        "steps": steps,
        "sizes": {name: len(files[name]) for name in ("pack.html", "pack.docx", "tables.zip")},
        "comments": Comment.objects.filter(thread__board__programme=programme).count(),
        "start": start,
        "end": end,
    }


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench' / 'evidence_pack.sqlite3'}")
    parser.add_argument("--reuse-db", action="store_true", help="Skip migrating and seeding.")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()

    if args.database_url.startswith("sqlite:///") and not args.reuse_db:
        path = Path(args.database_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
    _setup(args.database_url)
    from django.core.management import call_command

    from bench.run_pages import machine

    load_before = _load()
    seed = None
    if not args.reuse_db:
        call_command("migrate", verbosity=0)
        seed = _seed(args.comments, args.seed)
        print(f"seeded in {seed['seconds']:.1f} s: {seed['authors']:,} authors, {seed['answered']:,} answered")
    load_at_build = _load()
    result = _build()
    met = result["seconds"] < TARGET_SECONDS
    print(f"pack built in {result['seconds']:.1f} s ({'met' if met else 'MISSED'} < {TARGET_SECONDS:.0f} s)")
    for step, seconds in result["steps"]:
        print(f"  {seconds:6.1f} s  {step}")
    if not args.no_record:
        info = machine()
        engine = "SQLite (scratch file)" if args.database_url.startswith("sqlite") else "PostgreSQL"
        lines = [
            "",
            f"## Evidence pack, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {info['commit']}"
            + (f" (+{info['dirty']} uncommitted files)" if info["dirty"] else ""),
            "",
            f"- Machine: {info['nproc']} × {info['cpu']}, {info['memory']}, Python {info['python']}, {engine}.",
            f"- Machine load: {load_before} before seeding, {load_at_build} before the build "
            "(other helpers' test runs share this machine).",
            f"- Data: the Cancer programme with {result['comments']:,} comments"
            + (f", {seed['authors']:,} authors, {seed['answered']:,} with equality answers and a snapshot"
               if seed else " (database reused)")
            + f"; period {result['start']} to {result['end']}.",
            f"- Files: pack.html {result['sizes']['pack.html']:,} bytes, pack.docx {result['sizes']['pack.docx']:,} bytes, "
            f"tables.zip {result['sizes']['tables.zip']:,} bytes.",
            "",
            "| step | seconds |",
            "|---|---|",
            *[f"| {step} | {seconds:.1f} |" for step, seconds in result["steps"]],
            f"| **whole pack** | **{result['seconds']:.1f}** |",
            "",
            f"Target: the pack within {TARGET_SECONDS:.0f} s: {'met' if met else 'missed'}.",
        ]
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
