"""What the volume seeder writes: names, tags, titles and bodies, and the shape of the data."""

SEED_PASSWORD = "talkhealth-volume"
HISTORY_DAYS = 365
THREAD_ACTIVE_DAYS = 45
TOP_LEVEL_SHARE = 0.45
BIG_THREAD_TOP_LEVEL_SHARE = 0.4
MAX_COMMENT_LIKES = 150
MAX_THREAD_LIKES = 300

FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Efua", "Femi", "Grace", "Hassan", "Ines", "Jamal", "Kasia", "Leon", "Mei",
    "Niamh", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Viktor", "Wen", "Yusuf", "Zara", "Aoife",
    "Bilal", "Carmen", "Dami", "Eilidh", "Farah", "Gus", "Hana", "Ivo", "Joy", "Kofi", "Lina", "Marek", "Nadia",
]
INITIALS = "ABCDEFGHJKLMNOPRSTUWY"

TAG_NAMES = [
    "gp appointments", "waiting times", "mental health", "a&e", "pharmacy", "dentists", "maternity", "carers",
    "children and young people", "cancer screening", "diabetes", "social prescribing", "nhs app", "111",
    "interpreters", "accessibility", "homelessness", "community services", "hospital discharge", "vaccinations",
    "physiotherapy", "long covid", "health visitors", "school nurses", "care homes", "online consultations",
    "patient records", "transport", "loneliness", "healthy eating",
]

TITLE_SUBJECTS = [
    "GP appointments", "waiting for a referral", "A&E at night", "the NHS App", "repeat prescriptions",
    "finding an NHS dentist", "mental health support for teenagers", "care after a hospital stay",
    "cancer screening letters", "health visitors", "community pharmacies", "interpreters at appointments",
    "step-free access to clinics", "support for unpaid carers", "online consultations", "walk-in centres",
    "physiotherapy waiting lists", "school nurses", "diabetes check-ups", "vaccination clinics",
]
TITLE_FORMS = [
    "What has your experience of {} been?", "Ideas to improve {}", "How could {} work better in our borough?",
    "Is anyone else struggling with {}?", "Good news about {}", "Questions about {}",
    "{}: what would you change?", "A thank you about {}", "Confused about {}", "{} for people who work shifts",
]

THREAD_BODIES = [
    "I have lived in the borough for twelve years and this is the first time I have had real trouble.\n\n"
    "It took three weeks to get anywhere, and each time I was told something different. I would like to "
    "hear whether this is normal now, and what has helped other people.",
    "Here is an idea that I think would make a **real difference**:\n\n"
    "- a single number to call that actually knows what is going on\n"
    "- a text message when things change\n- somebody to ask when you are not sure\n\n"
    "Would this work where you live?",
    "My mum is 84 and does not use a smartphone. Everything seems to assume you can book online.\n\n"
    "> Please use the app to manage your appointment\n\nWhat do people without the app do?",
    "Short version: it went *much* better than I expected. The staff were kind, explained everything and "
    "followed up the next day. I wanted to say so, because we usually only hear the bad stories.",
    "I work nights, so daytime appointments are hard. Has anyone found a service with evening or weekend "
    "slots? There is some information at https://www.nhs.uk/ but it is not clear what applies in London.",
    "We are a small carers' group in the east of the borough. Three things keep coming up:\n\n"
    "1. nobody tells carers when someone is discharged\n2. the forms are long\n3. respite is hard to find\n\n"
    "What would you add?",
]

COMMENT_BODIES = [
    "Same here. I rang at 8 on the dot and was still told to call back tomorrow.",
    "Thank you for posting this, it helps to know I am not the only one.",
    "Our surgery changed the system last spring. It is better now: you fill in a short form online and "
    "somebody calls you back the same day. It is not perfect, but it beats the phone queue.",
    "I think the problem is less the staff and more that there are simply not enough of them. Everyone I "
    "have met has been doing their best.",
    "Have you tried asking the pharmacist? They sorted out my prescription question in five minutes.",
    "**Tip:** if you need an interpreter, say so when you book. They can arrange one, but only if they "
    "know in advance.",
    "This happened to my neighbour too. In the end the practice manager was the person who fixed it, so "
    "it might be worth writing to them directly.",
    "I agree with most of this, but I would add that:\n\n- letters still arrive after the appointment\n"
    "- the phone line closes at 6\n\nBoth are easy things to fix.",
    "> nobody tells carers when someone is discharged\n\nThis was exactly our experience. We found out "
    "from a neighbour that Dad was home.",
    "Does anyone know whether this applies to children as well, or only adults?",
    "The NHS App has been great for me, but I can see it does not suit everyone. There should always be "
    "another way in.",
    "I went to the walk-in centre instead and was seen within an hour. Worth knowing about if you can get "
    "there.",
    "Please do share this with the programme team. They said at the last meeting that they read these "
    "discussions.",
    "My experience was the opposite, to be fair. Quick, friendly and they rang afterwards to check on me.",
    "It would help if the website said clearly which services are open at weekends. I spent ages looking.",
    "As someone who uses a wheelchair: step-free access is listed, but the lift was broken both times I "
    "went. A way to report that would be useful.",
    "I waited 14 weeks for physio. By the time I was seen, I had mostly got better on my own, which "
    "seems a waste for everybody.",
    "Good idea. A text when things change would have saved me two wasted journeys.",
    "I work in a practice, speaking only for myself: the online form is read by a clinician every "
    "morning, so it really is the fastest route for most things.",
    "Could the programme share what it has changed so far because of these discussions? That would "
    "encourage more people to take part.",
    "Yes, ask for a *double* appointment if you have more than one thing to talk about.",
    "There is a carers' café at the library on Thursdays. They know a lot about what support exists.",
    "I have been going back and forth on this. On balance I think the change was the right one, but it "
    "needed explaining much better, especially to older patients.",
    "Agreed.",
]
