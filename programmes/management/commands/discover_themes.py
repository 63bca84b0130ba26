"""Theme discovery in the foreground: `manage.py discover_themes --programme SLUG [--k N] [--json PATH]`.

Prints the proposed themes; with --json, writes them (top terms, suggested name) and, for each
contribution, its id, kind and strongest theme. Nothing is stored and nothing leaves the machine."""

import json

from django.core.management.base import BaseCommand, CommandError

from programmes.models import Programme
from programmes.themes import analysis
from programmes.themes.discovery import corpus


class Command(BaseCommand):
    help = "Propose themes for a programme's contributions (TF-IDF and NMF, on this machine)."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="The programme's slug, e.g. cancer.")
        parser.add_argument("--k", type=int, help="How many themes (default: the most stable number).")
        parser.add_argument("--json", dest="json_path", help="Write the themes and each item's strongest theme here.")

    def handle(self, *args, programme, k=None, json_path=None, **options):
        try:
            programme = Programme.objects.get(slug=programme)
        except Programme.DoesNotExist:
            raise CommandError(f"No programme with the slug {programme!r}.") from None
        if k is not None and k < 2:
            raise CommandError("--k must be 2 or more.")
        _, keys, texts = corpus(programme)
        if len(keys) < 10:
            raise CommandError(f"{programme.short_name} has {len(keys)} contributions: at least 10 are needed.")
        found = analysis.discover(keys, texts, k=k)
        self.stdout.write(
            f"{len(keys)} contributions, {found.k} themes ({found.k_chosen_by}), {found.duration_ms} ms, "
            f"corpus sha256 {analysis.corpus_hash(keys, texts)}"
        )
        for theme in found.themes:
            self.stdout.write(f"{theme.index + 1}. {theme.name} ({theme.size}): {', '.join(theme.terms)}")
        if json_path:
            data = {
                "programme": programme.slug,
                "corpus_size": len(keys),
                "corpus_sha256": analysis.corpus_hash(keys, texts),
                "parameters": found.parameters,
                "versions": analysis.versions(),
                **found.as_json(keys),
            }
            with open(json_path, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, ensure_ascii=False)
            self.stdout.write(f"Wrote {json_path}")
