from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User
from accounts.roles import Role


class Command(BaseCommand):
    help = "Give a person the moderator, partnership staff or safeguarding lead role (or take it away with --revoke)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=[r.value for r in Role])
        parser.add_argument("--revoke", action="store_true", help="Remove the role instead of granting it.")

    def handle(self, *args, email, role, revoke, **options):
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist:
            raise CommandError(f"No account has the email address {email!r}.") from None
        role = Role(role)
        if revoke:
            services.role_revoke(actor=None, user=user, role=role)
            self.stdout.write(self.style.SUCCESS(f"{user.display_name} is no longer in {role.group_name}."))
        else:
            services.role_grant(actor=None, user=user, role=role)
            self.stdout.write(self.style.SUCCESS(f"{user.display_name} is now in {role.group_name}."))
