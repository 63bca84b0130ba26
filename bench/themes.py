"""Theme discovery at volume: 100,000 comments with planted themes through the same analysis the
Celery job and `manage.py discover_themes` run (TF-IDF, NMF, k chosen by stability), timed, with
the purity of what it found, appended to RESULTS.md.

    .venv/bin/python -m bench.themes [--comments 100000] [--k N] [--no-record]
    DATABASE_URL=... .venv/bin/python -m bench.themes --programme cancer   # the whole job on a seeded database

With --programme the contributions come from the database through corpus_items(), as the Celery
job reads them (seed one with `manage.py seed_volume --programme cancer --comments 100000`); the
time to read them is shown apart from the analysis, and there is no purity (nothing is planted).

Target: under 60 s on a 2-CPU machine. The analysis runs on one thread by design (deterministic
output), so other load on the machine slows it directly: the load average is recorded with it.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from programmes.themes import analysis  # noqa: E402
from tests.programmes.staff.themes.synthetic import PLANTED, planted_corpus  # noqa: E402

TARGET_S = 60
RESULTS = Path(__file__).with_name("RESULTS.md")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--k", type=int)
    parser.add_argument("--programme", help="Read this programme's contributions from the database.")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()
    reading = 0.0
    if args.programme:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkhealth.settings.base")
        import django

        django.setup()
        from programmes.models import Programme
        from programmes.themes.discovery import corpus

        started = time.perf_counter()
        _, keys, texts = corpus(Programme.objects.get(slug=args.programme))
        reading = time.perf_counter() - started
        items = None
    else:
        items = planted_corpus(args.comments // len(PLANTED))
        keys = [f"comment:{i + 1}" for i in range(len(items))]
        texts = [text for _, text in items]
    started = time.perf_counter()
    found = analysis.discover(keys, texts, k=args.k)
    seconds = time.perf_counter() - started
    load_after = os.getloadavg()
    purity = "–"
    if items is not None:
        clusters: dict = {}
        for strongest, (truth, _) in zip(found.strongest, items, strict=True):
            clusters.setdefault(strongest, Counter())[truth] += 1
        purity = f"{sum(c.most_common(1)[0][1] for c in clusters.values()) / len(items):.3f}"
    source = f"database, {args.programme} (read in {reading:.1f} s)" if args.programme else "synthetic, planted"
    total = seconds + reading
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    line = (
        f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | {commit} | {source} | {len(keys):,} | "
        f"{found.k} ({found.k_chosen_by}) | {seconds:.1f} | {total:.1f} | {purity} | "
        f"{load_before[0]:.2f} / {load_after[0]:.2f} | "
        f"{'met' if total < TARGET_S else 'missed'} |"
    )
    print(line)
    print("themes:", "; ".join(f"{t.name} ({t.size})" for t in found.themes))
    if not args.no_record:
        header = (
            "\n## Theme discovery: `bench/themes.py`\n\n"
            f"Synthetic comments with {len(PLANTED)} planted themes (tests/programmes/staff/themes/synthetic.py) "
            "through programmes.themes.analysis.discover: TF-IDF (1-2 grams, up to 20,000 terms), k chosen by "
            "stability (k 3-10, 5 seeds, on a 4,000-item sample), then NMF on everything, on one thread. "
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs; load average is the 1-minute figure "
            f"before / after the run (other helpers' work on the same machine). Target: under {TARGET_S} s.\n\n"
            "'analysis s' is discover() alone; 'total s' adds reading the contributions from the "
            "database.\n\n"
            "| when (UTC) | commit | contributions from | comments | themes | analysis s | total s | purity "
            "| load avg | target |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n"
        )
        text = RESULTS.read_text().rstrip("\n") + "\n"
        if "## Theme discovery" not in text:
            text += header
        RESULTS.write_text(text.rstrip("\n") + "\n" + line + "\n")


if __name__ == "__main__":
    main()
