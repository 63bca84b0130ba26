"""Import offline contributions from a CSV or XLSX file, as the staff area does, or write the
blank template. Exits non-zero when the file or any row is refused."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from programmes.contributions import imports
from programmes.contributions.models import EngagementSession


class Command(BaseCommand):
    help = "Import offline contributions for a session from CSV or XLSX, or write the blank template."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to import, or where to write the template.")
        parser.add_argument("--session", type=int, help="The engagement session's id.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and save nothing.")
        parser.add_argument("--template", action="store_true", help="Write the blank template (.csv or .xlsx).")
        parser.add_argument(
            "--by", help="The email of the staff member recorded as entering them (default: who recorded the session)."
        )

    def handle(self, *args, path, session, dry_run, template, by, **options):
        if template:
            data = imports.template_xlsx() if path.lower().endswith(".xlsx") else imports.template_csv()
            Path(path).write_bytes(data)
            self.stdout.write(f"Wrote the template to {path}: columns {', '.join(imports.COLUMNS)}.")
            return
        if session is None:
            raise CommandError("Give the session: --session ID.")
        found = EngagementSession.objects.filter(pk=session).select_related("created_by").first()
        if found is None:
            raise CommandError(f"There is no engagement session {session}.")
        actor = found.created_by
        if by:
            actor = get_user_model().objects.filter(email__iexact=by).first()
            if actor is None or not actor.has_perm("programmes.record_offline"):
                raise CommandError(f"{by} is not partnership staff.")
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            checked = imports.check(session=found, data=data, name=Path(path).name)
        except imports.FileRefused as refused:
            raise CommandError(str(refused)) from None
        for row, column, message in checked.problems:
            self.stdout.write(f"row {row}\t{column}\t{message}")
        self.stdout.write(f"{len(checked.rows)} rows: {len(checked.valid)} valid, {len(checked.refused)} refused.")
        if not dry_run:
            created, skipped = imports.save_rows(actor=actor, session=found, rows=checked.valid)
            self.stdout.write(f"Imported {created}; {skipped} were already imported.")
        if checked.refused:
            raise CommandError(f"{len(checked.refused)} row(s) refused.", returncode=1)
