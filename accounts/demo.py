"""Demo people for `seed_demo`. Passwords are public on purpose: never load these in production."""

from allauth.account.models import EmailAddress

from . import services
from .models import User
from .roles import Role

DEMO_PASSWORD = "talkhealth-demo"

DEMO_PEOPLE = [
    # email, display name, borough, role
    ("alex@example.com", "Alex Morgan", "hackney", None),
    ("priya@example.com", "Priya S", "croydon", None),
    ("tomasz@example.com", "Tomasz W", "ealing", None),
    ("grace@example.com", "Grace O", "", None),
    ("jordan@example.com", "Jordan Ellis", "camden", Role.MODERATOR),
    ("kemi@example.com", "Kemi Adebayo", "southwark", Role.STAFF),
]


def demo_people_ensure() -> list[tuple[User, Role | None]]:
    """Create (or repair) each demo person with a confirmed email and the demo password."""
    people = []
    for email, display_name, borough, role in DEMO_PEOPLE:
        user, _ = User.objects.get_or_create(
            email=email, defaults={"display_name": display_name, "borough": borough, "email_verified": True}
        )
        user.display_name, user.borough, user.email_verified = display_name, borough, True
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role is not None:
            services.role_grant(actor=None, user=user, role=role)
        people.append((user, role))
    return people
