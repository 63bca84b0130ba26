from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, demo_people_ensure
from forums.demo import demo_discussions_ensure
from programmes.contributions.demo import demo_offline_ensure
from programmes.demo import demo_partnership_ensure
from programmes.demo_hubs import demo_hubs_ensure


class Command(BaseCommand):
    help = "Load demo people and content for trying Talk Health locally. Safe to run again."

    def handle(self, *args, **options):
        if settings.TALKHEALTH_ENVIRONMENT == "production":
            raise CommandError("seed_demo refuses to run with production settings: demo passwords are public.")
        with transaction.atomic():
            people = demo_people_ensure()
            by_email = {user.email: user for user, _ in people}
            threads = demo_discussions_ensure(by_email)
            partnership = demo_partnership_ensure(by_email)
            offline = demo_offline_ensure(by_email)
            hubs = demo_hubs_ensure(by_email)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in at /accounts/login/ as:"))
        for user, role in people:
            self.stdout.write(f"  {user.email:<22} {user.display_name:<16} {role.label if role else 'Resident'}")
        self.stdout.write(f"Every demo password is: {DEMO_PASSWORD}")
        if threads:
            self.stdout.write(f"Posted {threads} demo discussions.")
        if hubs:
            self.stdout.write(f"Added a discussion and an update to {hubs} programme hubs.")
        if partnership:
            self.stdout.write(f"Added {', '.join(partnership)} from the Mental health team.")
        if offline:
            self.stdout.write(f"Recorded {' and '.join(offline)} offline.")
