"""Demo activity in every programme hub for `seed_demo`, so a newcomer sees the product working
everywhere: a discussion with nested replies and likes, a published update, and in several
programmes a poll, an event, an official response or a discussion that led to a change.

Written for the demo in our own words; every place and figure is illustrative. Safe to run again:
a programme that already has its demo discussion is left alone.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.test.utils import override_settings
from django.utils import timezone

from forums import services as forum_services
from forums.models import Board, Comment, ModerationConfig, Thread, ThreadStatus

from .events import services as event_services
from .models import Programme
from .polls import services as poll_services
from .responses import services as responses
from .updates import services as update_services

STAFF_EMAIL = "kemi@example.com"
RESIDENTS = ["alex@example.com", "priya@example.com", "tomasz@example.com", "grace@example.com"]


@dataclass
class Hub:
    """One programme's demo activity. Replies are (author, body, index of the reply answered or None)."""

    programme: str
    board: str
    author: str
    title: str
    body: str
    tags: list[str]
    days_ago: int
    replies: list[tuple[str, str, int | None]]
    update: tuple[str, str, str]
    poll: tuple[str, list[str]] | None = None
    event: tuple[str, str, str, str] | None = None
    official: str = ""
    changed: bool = False
    likes: dict = field(default_factory=lambda: {"thread": 3, "replies": 2})


HUBS = [
    Hub(
        "prevention", "ideas", "grace@example.com",
        "Free swimming for over-60s in every borough",
        "Our leisure centre used to run free early swims for older people and it got my whole street moving. "
        "It stopped two years ago. Could the partnership make the case for bringing it back?",
        ["physical activity", "older people"], 9,
        [
            ("tomasz@example.com", "Ealing still has it on Tuesday mornings. The pool is packed, which says a lot.", None),
            ("grace@example.com", "That is good to hear. Do you know who pays for it there?", 0),
            ("priya@example.com", "Walking groups are another cheap option. Ours meets at the park café.", None),
        ],
        ("Healthy walks: a new map of free local walking groups",
         "We have listed free walking groups in all 32 boroughs so you can find one near you.",
         "Many of you asked for simple, free ways to get active. Walking groups are friendly, free and "
         "go at a gentle pace.\n\n## How to join\n\n- Find your borough on the map\n- Turn up at the meeting "
         "point: you do not need to book\n\nTell us below which other activities you would like listed."),
        poll=("Which free activity would you be most likely to try?",
              ["Walking group", "Swimming", "Chair-based exercise", "Cycling lessons"]),
    ),
    Hub(
        "cancer", "experiences", "priya@example.com",
        "Getting results by text message instead of waiting for a letter",
        "After my mammogram I waited three weeks for a letter, checking the post every day. A text saying "
        "“your results are ready, nothing to worry about” would have saved me a lot of sleepless nights.",
        ["screening", "results"], 14,
        [
            ("alex@example.com", "Same with my mum's bowel screening kit. The worry was worse than the test.", None),
            ("priya@example.com", "> The worry was worse than the test.\n\nExactly this.", 0),
            ("kemi@example.com", "Thank you for telling us. Texting results is being piloted in two screening "
             "services, and what you have written here is going into the review.", None),
        ],
        ("Screening results by text: a pilot in north-east London",
         "People screened in two services can now choose to get clear results by text message.",
         "You told us that waiting for a letter made a worrying time worse.\n\n## What is changing\n\n"
         "From this month, people screened at two services in north-east London can choose a text message "
         "for a clear result. Anyone who needs a follow-up will still get a phone call first.\n\n"
         "We will report back on how the pilot went."),
        official="Thank you all. Your posts helped make the case for the texting pilot described in "
        "our latest update.",
        changed=True,
    ),
    Hub(
        "homeless-health", "general", "tomasz@example.com",
        "Registering with a GP without a fixed address",
        "A friend who is sofa-surfing was told he could not register without proof of address. I thought "
        "anyone could register with a GP. Who is right?",
        ["gp registration", "homelessness"], 6,
        [
            ("kemi@example.com", "Anyone can register with a GP practice, and you do not need proof of address "
             "or ID. A practice can use its own address or a day centre's. If a practice refuses, ask them to "
             "put the reason in writing.", None),
            ("tomasz@example.com", "Thank you, I will tell him. Is there a card he can show at reception?", 0),
            ("grace@example.com", "Some day centres hand out cards explaining the right to register. Ours did.", 1),
        ],
        ("Health drop-ins at day centres this winter",
         "Nurses and GPs will hold weekly drop-ins at day centres across London from December.",
         "People without a settled home often find it hard to see a doctor. This winter, nurses and GPs will "
         "hold weekly drop-ins at day centres.\n\n## What you can get\n\n- Health checks and vaccinations\n"
         "- Help registering with a GP\n- Advice on mental health and drug and alcohol services"),
        event=("Winter health drop-in, Southwark day centre",
               "A nurse and a GP will be here for health checks, flu jabs and help registering with a GP. "
               "Tea and biscuits provided; no appointment needed.",
               "Blackfriars Road Day Centre, Southwark SE1", "southwark"),
    ),
    Hub(
        "specialised-care", "experiences", "alex@example.com",
        "Travelling across London for specialist appointments",
        "My daughter sees a specialist team on the other side of the city. Each visit is a whole day off "
        "school and work. Could some follow-ups be done by video?",
        ["travel", "children's services"], 20,
        [
            ("priya@example.com", "Our renal clinic offers video for routine checks. Worth asking.", None),
            ("alex@example.com", "I did not know you could ask. Thank you.", 0),
            ("tomasz@example.com", "Check if you can claim travel costs too. The hospital helped us with fares.", None),
        ],
        ("Video follow-ups for specialist clinics",
         "Specialist clinics will offer a video appointment for routine follow-ups where it is safe.",
         "Travelling for a short check-up can take a whole day. Specialist clinics across London will now "
         "offer video for routine follow-ups where it is safe.\n\n## How to ask\n\nAsk the clinic when your "
         "next appointment is booked. You can always choose to come in person."),
    ),
    Hub(
        "estates", "ideas", "grace@example.com",
        "Use empty clinic rooms for community groups in the evening",
        "Our health centre is locked from 6pm but the rooms would be perfect for a carers' group or a "
        "baby café. Could spare space be opened up?",
        ["community space", "health centres"], 11,
        [
            ("priya@example.com", "Yes. Our carers' group pays for a church hall because nothing else is free.", None),
            ("tomasz@example.com", "Someone would need to lock up, but volunteers would do it.", 0),
        ],
        ("Opening health buildings to community groups",
         "A trial will let local groups book spare rooms in three health centres in the evening.",
         "Several of you pointed out that health centre rooms sit empty in the evening.\n\n## The trial\n\n"
         "Three health centres will let community health groups book spare rooms free of charge from "
         "6pm to 9pm. We will share what we learn before deciding whether to do more."),
        poll=("What would you use an evening room at your health centre for?",
              ["A support group", "An exercise class", "A parents' group", "Something else"]),
    ),
    Hub(
        "funding", "general", "priya@example.com",
        "How is money shared between boroughs?",
        "I keep reading that some boroughs get more health funding per person than others. How is it "
        "decided, and can residents have a say?",
        ["budgets", "fairness"], 25,
        [
            ("kemi@example.com", "Funding follows a national formula based on population, age and need. "
             "We are writing a plain-English guide to how it works and will publish it here.", None),
            ("alex@example.com", "A guide would help. Please include what residents can actually influence.", 0),
        ],
        ("A plain-English guide to how health funding is shared",
         "We have published a short guide to how health and care money is shared across London.",
         "You asked how money is shared between boroughs.\n\n## In short\n\n- Funding follows population, "
         "age and health need\n- Local boards decide how to spend it on services\n- Residents can speak at "
         "the boards' meetings in public\n\nThe guide lists when and where those meetings happen."),
        official="The guide promised above is now published in our latest update.",
    ),
    Hub(
        "workforce", "experiences", "alex@example.com",
        "Thank you to the community nurses",
        "The district nurses who visited my dad every day last winter were brilliant: kind, quick and never "
        "rushed him. I wanted to say so somewhere people would see it.",
        ["nursing", "thanks"], 5,
        [
            ("grace@example.com", "Lovely to read. Ours were the same with my gran.", None),
            ("tomasz@example.com", "Is there a way to pass thanks on to the team itself?", None),
            ("kemi@example.com", "Yes: tell us the borough and we will pass it on to the team's manager.", 1),
        ],
        ("Training more community nurses in London",
         "A new scheme will help healthcare assistants train as community nurses while they work.",
         "London needs more community nurses.\n\n## The scheme\n\nHealthcare assistants can now train as "
         "nurses while they keep working, with their course fees paid. The first group starts in the autumn."),
        event=("Careers evening: working in community health",
               "Meet nurses, therapists and healthcare assistants and find out how to train. Open to anyone "
               "thinking about a job in health and care.",
               "City Hall, Kamal Chunchie Way, London E16 1ZE", "newham"),
    ),
    Hub(
        "digital", "ideas", "tomasz@example.com",
        "Let me see my hospital letters in the NHS App",
        "I get hospital letters on paper, often after the appointment has happened. Could they appear in the "
        "NHS App, like my GP record does?",
        ["nhs app", "letters"], 8,
        [
            ("priya@example.com", "Some hospitals already do this. Mine sends a text with a link.", None),
            ("tomasz@example.com", "Which hospital? I will ask mine why it cannot.", 0),
            ("alex@example.com", "Please keep paper as an option. My dad does not use a smartphone.", None),
        ],
        ("Hospital letters in the NHS App",
         "More London hospitals will send appointment letters to the NHS App, with paper still available.",
         "You asked to see hospital letters in the NHS App.\n\n## What is changing\n\nFive more hospitals will "
         "send letters to the NHS App this year. Anyone can ask to keep getting paper letters."),
        poll=("How would you like to get hospital letters?",
              ["In the NHS App", "By email", "On paper", "A mix"]),
    ),
    Hub(
        "engagement", "general", "grace@example.com",
        "Holding meetings in the evening so working people can come",
        "The public meetings about local services are always at 2pm on a weekday. Many of us cannot come. "
        "Could some be held in the evening, or online?",
        ["public meetings", "involvement"], 4,
        [
            ("alex@example.com", "Online would help carers too. I cannot leave my son for long.", None),
            ("kemi@example.com", "This is fair. We are moving some meetings to the evening and will stream them.", None),
            ("grace@example.com", "Thank you. Will the recordings be kept online?", 1),
        ],
        ("Evening and online public meetings",
         "Half of our public meetings will now be held in the evening, and all of them streamed.",
         "You told us daytime meetings shut many people out.\n\n## From next month\n\n- Half the meetings "
         "start at 6:30pm\n- Every meeting is streamed, with live captions\n- Recordings stay online for a year"),
        official="Thank you for raising this. The changes are in our latest update.",
        changed=True,
    ),
    Hub(
        "children", "ideas", "priya@example.com",
        "Health visitor drop-ins at the library",
        "Our library has a baby rhyme time every week. If a health visitor came once a month, parents "
        "could ask questions without booking.",
        ["health visitors", "babies"], 7,
        [
            ("grace@example.com", "Great idea. Weighing clinics near us closed and the next is two buses away.", None),
            ("alex@example.com", "Our children's centre does this. It is always busy.", 0),
        ],
        ("Asthma plans in every London school",
         "Every school will be asked to keep an asthma plan for each pupil with asthma.",
         "Parents told us school asthma plans vary a lot.\n\n## What schools will do\n\n- Keep a written plan "
         "for each child with asthma\n- Hold spare inhalers\n- Train staff to spot an attack"),
    ),
    Hub(
        "urgent-care", "experiences", "priya@example.com",
        "NHS 111 booked me a slot at the urgent treatment centre",
        "I rang 111 with a bad cut on a Sunday. They booked me a time at the urgent treatment centre and I "
        "was seen within 20 minutes of arriving. Sharing in case others do not know they can do that.",
        ["nhs 111", "urgent treatment centre"], 2,
        [
            ("tomasz@example.com", "I had no idea. I always just went to A&E and waited hours.", None),
            ("grace@example.com", "Same experience here with my son's sprained wrist.", 0),
        ],
        ("Book through NHS 111 before you go",
         "NHS 111 can now book a time at any urgent treatment centre in London.",
         "NHS 111, online or by phone, can book you a time at an urgent treatment centre.\n\n## When to use it\n\n"
         "Use 111 for urgent problems that are not life-threatening. For emergencies, call 999."),
    ),
    Hub(
        "primary-care", "experiences", "grace@example.com",
        "Seeing the practice pharmacist instead of waiting for a GP",
        "I was offered the practice pharmacist for my blood pressure review and was seen the same week. "
        "She had more time than I expected and explained my tablets properly.",
        ["pharmacy", "gp appointments"], 10,
        [
            ("alex@example.com", "Good to know they can do reviews. I thought it was only prescriptions.", None),
            ("priya@example.com", "Physiotherapists at the practice are great too, for back pain.", 0),
        ],
        ("Who else can help at your GP practice",
         "Pharmacists, physiotherapists and care coordinators now work in most London practices.",
         "Your practice team is more than GPs.\n\n## Who you might see\n\n- Pharmacists, for medicine "
         "reviews\n- Physiotherapists, for joint and back pain\n- Care coordinators, to join up your care"),
        event=("Meet your practice team, Hackney",
               "Drop in to meet the pharmacist, physiotherapist and care coordinator at your practice, and "
               "ask how to book them.",
               "Hackney Central Library, Reading Lane, London E8 1GQ", "hackney"),
    ),
    Hub(
        "mental-health", "ideas", "tomasz@example.com",
        "Crisis cafés open later at weekends",
        "The crisis café near me closes at 10pm on Saturdays. Some of the hardest hours are after that. "
        "Could weekend hours be longer?",
        ["crisis support", "opening hours"], 6,
        [
            ("priya@example.com", "Agreed. Friday and Saturday nights are when people need somewhere to go.", None),
            ("grace@example.com", "Is the helpline open all night? That helped me once.", None),
            ("kemi@example.com", "Yes: NHS 111, option 2, answers 24 hours a day for urgent mental health help.", 1),
        ],
        ("Crisis café opening hours this winter",
         "Five crisis cafés will stay open until 2am on Fridays and Saturdays from January.",
         "You told us weekend nights are the hardest time to find support.\n\n## From January\n\nFive crisis "
         "cafés will stay open until 2am on Fridays and Saturdays. NHS 111, option 2, is open all day and night."),
    ),
]


@contextmanager
def _as_established_members():
    """Demo people post as established members: rate limits and first-post pre-moderation relaxed."""
    config = ModerationConfig.current()
    premoderated, config.premoderated_posts = config.premoderated_posts, 0
    config.save(update_fields=["premoderated_posts"])
    try:
        with override_settings(FORUMS_RATE_LIMITS=[(1, 1000)], FORUMS_NEW_ACCOUNT_RATE_LIMITS=[(1, 1000)]):
            yield
    finally:
        config.premoderated_posts = premoderated
        config.save(update_fields=["premoderated_posts"])


def demo_hubs_ensure(people_by_email: dict) -> int:
    """Seed each programme's hub once; returns how many programmes were seeded."""
    seeded = 0
    with _as_established_members():
        for hub in HUBS:
            if Thread.objects.filter(title=hub.title).exists():
                continue
            _seed(hub, people_by_email)
            seeded += 1
    return seeded


def _seed(hub: Hub, people: dict) -> None:
    staff = people[STAFF_EMAIL]
    programme = Programme.objects.get(slug=hub.programme)
    thread = _discussion(hub, programme, people)
    title, summary, body = hub.update
    update = update_services.update_save(
        actor=staff, programme=programme, title=title, summary=summary, body=body, tags=", ".join(hub.tags)
    )
    update = update_services.update_publish(actor=staff, update=update)
    now = timezone.localtime()
    if hub.poll:
        question, choices = hub.poll
        poll_services.poll_save(
            actor=staff, programme=programme, question=question, kind="single", choices=choices,
            opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=28),
        )
    if hub.event:
        event_title, description, venue, borough = hub.event
        start = (now + timedelta(days=10 + hub.days_ago)).replace(hour=18, minute=0, second=0, microsecond=0)
        event_services.event_save(
            actor=staff, programme=programme, title=event_title, description=description, venue=venue,
            borough=borough, starts_at=start, ends_at=start + timedelta(hours=2), capacity=40,
            accessibility="Step-free access, a hearing loop and accessible toilets.",
        )
    if hub.official:
        forum_services.comment_post(actor=staff, thread=thread, body=hub.official, official=True)
    if hub.changed:
        responses.thread_status_set(actor=staff, thread=thread, status=ThreadStatus.CHANGED, update=update)
    elif hub.official:
        responses.thread_status_set(actor=staff, thread=thread, status=ThreadStatus.RESPONDED)


def _discussion(hub: Hub, programme, people: dict) -> Thread:
    """The discussion with its replies, backdated so times vary, and liked by the others."""
    board = Board.objects.get(programme=programme, slug=hub.board)
    thread = forum_services.thread_create(
        actor=people[hub.author], board=board, title=hub.title, body=hub.body, tags=hub.tags
    )
    started = timezone.now() - timedelta(days=hub.days_ago)
    replies = []
    for hours, (author, body, parent) in enumerate(hub.replies, start=1):
        reply = forum_services.comment_post(
            actor=people[author], thread=thread, body=body, parent=replies[parent] if parent is not None else None
        )
        Comment.objects.filter(pk=reply.pk).update(created_at=started + timedelta(hours=hours * 3))
        replies.append(reply)
    Thread.objects.filter(pk=thread.pk).update(
        created_at=started, last_activity_at=started + timedelta(hours=len(hub.replies) * 3)
    )
    others = [email for email in RESIDENTS if email != hub.author]
    for email in others[: hub.likes["thread"]]:
        forum_services.thread_like_toggle(actor=people[email], thread=thread)
    for reply in replies[:1]:
        for email in [e for e in RESIDENTS if people[e].pk != reply.author_id][: hub.likes["replies"]]:
            forum_services.comment_like_toggle(actor=people[email], comment=reply)
    return thread
