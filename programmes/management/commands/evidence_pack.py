"""Build a programme's evidence pack in the foreground: pack.html, pack.docx and tables.zip in DIR,
the same files the staff page's background job makes."""

import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programmes.evidence.services import evidence_pack_write
from programmes.models import Programme


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date like 2026-04-01.") from error


class Command(BaseCommand):
    help = "Write a programme's evidence pack for a period (pack.html, pack.docx, tables.zip)."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="The programme's slug, e.g. cancer.")
        parser.add_argument("--start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, help="Last day (included), YYYY-MM-DD.")
        parser.add_argument("--out", required=True, help="Folder to write the three files to.")

    def handle(self, *args, programme, start, end, out, **options):
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            slugs = ", ".join(Programme.objects.values_list("slug", flat=True))
            raise CommandError(f"No programme {programme!r}. Slugs: {slugs}.")
        first, last = _date(start), _date(end)
        if last < first:
            raise CommandError("The end date must be on or after the start date.")
        began = time.perf_counter()
        for path in evidence_pack_write(programme=found, start=first, end=last, out=Path(out)):
            self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
        self.stdout.write(f"Built in {time.perf_counter() - began:.1f} s.")
