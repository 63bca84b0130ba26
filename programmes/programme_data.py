"""The 13 programmes as first published. Read by the seeding migration; edit live data in admin."""

PROGRAMMES = [
    (
        "prevention",
        "Preventing ill health and making Londoners healthier",
        "Prevention",
        "Helping people in London stay well for longer: less smoking and harmful drinking, more "
        "physical activity, healthier weight, and spotting conditions such as high blood pressure early.",
    ),
    (
        "children",
        "Giving London's children the best start in life",
        "Children and young people",
        "Better care for babies, children and young people, from maternity and early years to asthma, "
        "mental wellbeing and the move into adult services, so every child in London gets a good start.",
    ),
    (
        "mental-health",
        "Transforming care for Londoners experiencing mental illness",
        "Mental health",
        "Faster help in a crisis, care closer to home, and treating mental and physical health with the "
        "same importance, so people with mental illness get support that fits their lives.",
    ),
    (
        "cancer",
        "Enabling all Londoners to access the best cancer care in the world",
        "Cancer",
        "Finding cancer earlier through screening and quicker tests, cutting waits for treatment, and "
        "supporting people to live well during and after cancer, wherever they live in London.",
    ),
    (
        "homeless-health",
        "Joining up services to transform the lives of the homeless",
        "Homeless health",
        "Making health care easier to reach for people who are homeless or sleeping rough, and joining "
        "up hospitals, GPs, councils and charities so nobody is discharged back onto the street.",
    ),
    (
        "urgent-care",
        "Transforming London's urgent and emergency care system",
        "Urgent and emergency care",
        "Getting people to the right place first time when they need care urgently: NHS 111, urgent "
        "treatment centres, ambulances and A&E working together so emergency departments can focus on emergencies.",
    ),
    (
        "primary-care",
        "Transforming London's primary care",
        "Primary care",
        "Making it easier to see a GP, nurse or pharmacist, with longer opening hours, practices working "
        "together, and more care for long-term conditions delivered close to home.",
    ),
    (
        "specialised-care",
        "Creating world class specialised care services",
        "Specialised care",
        "Organising specialist services, such as care for rare conditions, complex surgery and major "
        "trauma, so Londoners reach experts quickly and outcomes match the best in the world.",
    ),
    (
        "estates",
        "Making more efficient use of NHS buildings and land",
        "NHS buildings and land",
        "Making sure NHS buildings in London are fit for modern care, and that empty or poorly used "
        "sites are improved or released so money goes back into services.",
    ),
    (
        "funding",
        "Aligning funding and incentives to encourage transformation of care",
        "Funding and incentives",
        "Changing how money flows around the health system so that organisations are rewarded for "
        "keeping people well and working together, not only for treating illness.",
    ),
    (
        "workforce",
        "Developing London's workforce to enable transformation of care",
        "Workforce",
        "Recruiting, training and keeping the doctors, nurses, carers and other staff London needs, "
        "and giving them the skills to work in new ways across services.",
    ),
    (
        "digital",
        "Connecting Londoners and health and care providers to allow for access to records and information",
        "Digital and records",
        "Letting people see their own health records and book care online, and letting the services "
        "that look after them share information safely so people do not have to repeat their story.",
    ),
    (
        "engagement",
        "Ensuring that Londoners are engaged and involved in their own health and the health of their city",
        "Engagement",
        "Giving Londoners a real say in how health services change, and support to look after their own "
        "health, through conversations like the ones on this site.",
    ),
]
