"""The floor page's items: shared by bench/floor (bare Django) and talkhealth.bench_views."""

ITEMS = [
    {
        "number": number,
        "title": f"Discussion {number}: how could local services work better for you?",
        "summary": "A short summary of a conversation between Londoners, written in plain English, with a "
        "couple of sentences about what people said and what the programme team is doing next.",
        "replies": number * 3 % 17,
        "likes": number * 7 % 23,
    }
    for number in range(1, 16)
]
