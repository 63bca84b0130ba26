"""A synthetic corpus with planted themes, written for Talk Health's theme tests and bench.

Each item is two or three sentences: most from its planted theme's phrases, one often from a pool
every theme shares (so themes overlap as real comments do), with words in varied order. The
generator is seeded, so a corpus is the same every time it is built.
"""

import random

PLANTED = {
    "waiting": [
        "I waited {n} weeks for a GP appointment",
        "the waiting list for my referral is far too long",
        "getting an appointment at the surgery takes weeks",
        "phoning at eight for an appointment is hopeless, the line is always engaged",
        "the wait to see a consultant was months",
        "appointments are booked up weeks ahead at our practice",
    ],
    "transport": [
        "the bus to the hospital takes over an hour",
        "parking at the hospital costs too much",
        "there is no step free route from the station to the clinic",
        "I cannot drive and the hospital is two buses away",
        "patient transport did not turn up for my mother",
        "the journey across the borough by bus is exhausting",
    ],
    "mental": [
        "my son waited months for counselling from CAMHS",
        "talking therapy helped my anxiety and depression",
        "there is no crisis support for mental health at night",
        "the counselling sessions ended just as they started to help",
        "anxiety groups at the community centre were a lifeline",
        "young people need mental health support in schools",
    ],
    "digital": [
        "the NHS app would not let me book online",
        "not everyone has a smartphone or internet at home",
        "online forms are confusing for my grandmother",
        "video consultations save me a trip but the connection drops",
        "the website login and passwords are a nightmare",
        "my records online were out of date in the app",
    ],
    "language": [
        "my mother needs an interpreter and there was none",
        "leaflets should be translated into Bengali, Polish and Somali",
        "the interpreter was booked for the wrong language",
        "English is not my first language and letters confuse me",
        "staff who speak Turkish made my father feel welcome",
        "a translated leaflet in Urdu would help our community",
    ],
}
SHARED = [
    "I hope someone reads this.",
    "This matters to our whole family.",
    "The staff were kind though.",
    "It has been like this for a while.",
    "Something has to change.",
    "Thank you for asking us.",
]


def planted_corpus(per_theme: int = 60, *, seed: int = 16) -> list[tuple[str, str]]:
    """[(planted theme, text)] with `per_theme` items for each theme, shuffled."""
    rng = random.Random(seed)
    items = []
    for theme, phrases in PLANTED.items():
        for _ in range(per_theme):
            picked = rng.sample(phrases, rng.choice((2, 2, 3)))
            sentences = [p.format(n=rng.randint(2, 12)).capitalize() + "." for p in picked]
            if rng.random() < 0.6:
                sentences.insert(rng.randint(0, len(sentences)), rng.choice(SHARED))
            items.append((theme, " ".join(sentences)))
    rng.shuffle(items)
    return items
