"""Demo offline voices for `seed_demo`: a roadshow and a postcard campaign, with contributions
across several programmes. Safe to run again: each session is made once."""

from datetime import timedelta

from django.utils import timezone

from ..models import Programme
from . import services

STAFF_EMAIL = "kemi@example.com"
SESSIONS = [
    {
        "kind": "roadshow",
        "title": "Brent roadshow",
        "days_ago": 20,
        "programmes": ["primary-care", "urgent-care", "mental-health"],
        "borough": "brent",
        "venue": "Brent Civic Centre, Engineers Way, Wembley HA9 0FJ",
        "facilitators": "Kemi Adebayo and the Brent community champions",
        "attendance": 64,
        "interpreter_languages": "Somali, Gujarati",
        "bsl": True,
        "hearing_loop": True,
        "contributions": [
            ("primary-care", "spoken", "publish", "English", False, "brent",
             "I can never get through to my surgery at 8am. Online booking that works would change everything."),
            ("primary-care", "spoken", "publish", "Somali", True, "brent",
             "My mother needs an interpreter at every appointment and it is not always booked. She stops going."),
            ("urgent-care", "interview", "analysis", "English", False, "harrow",
             "I went to A&E because I did not know the urgent treatment centre was open at night."),
            ("mental-health", "spoken", "publish", "Gujarati", True, "brent",
             "Young people talk to each other before a doctor. Put support where they already are."),
            ("mental-health", "easy_read", "analysis", "English", False, "",
             "I liked the easy-read leaflet. I want to see the same nurse each time."),
        ],
    },
    {
        "kind": "postcards",
        "title": "Lewisham postcard campaign",
        "days_ago": 35,
        "programmes": ["children", "prevention"],
        "borough": "lewisham",
        "venue": "Libraries and children's centres across Lewisham",
        "facilitators": "Lewisham Healthwatch volunteers",
        "attendance": None,
        "easy_read": True,
        "contributions": [
            ("children", "postcard", "publish", "English", False, "lewisham",
             "More health visitors in the first year, please. I felt alone after my baby was born."),
            ("children", "postcard", "publish", "English", False, "lewisham",
             "Free swimming for under-fives would get families moving."),
            ("prevention", "postcard", "publish", "English", False, "",
             "Fewer fast food shops next to schools."),
            ("prevention", "paper_form", "analysis", "Polish", True, "lewisham",
             "I would use a stop smoking service if it was open on Saturdays."),
        ],
    },
]  # fmt: skip


def demo_offline_ensure(people_by_email: dict) -> list[str]:
    """Make whichever demo session is missing, with its contributions; return what was made."""
    from .models import EngagementSession

    staff = people_by_email[STAFF_EMAIL]
    made = []
    for spec in SESSIONS:
        if EngagementSession.objects.filter(title=spec["title"]).exists():
            continue
        spec = dict(spec)
        slugs, rows = spec.pop("programmes"), spec.pop("contributions")
        programmes = {p.slug: p for p in Programme.objects.filter(slug__in=slugs)}
        session = services.session_save(
            actor=staff,
            programmes=list(programmes.values()),
            date=timezone.localdate() - timedelta(days=spec.pop("days_ago")),
            **spec,
        )
        for slug, channel, consent, language, translated, borough, text in rows:
            services.contribution_record(
                actor=staff,
                session=session,
                programme=programmes[slug],
                channel=channel,
                consent=consent,
                language=language,
                is_translation=translated,
                borough=borough,
                text=text,
            )
        made.append(f"the {session.title} ({len(rows)} contributions)")
    return made
