"""Equality questions: the GSS harmonised standards as asked in Census 2021, so the answers compare
with the London baseline. Every question may be answered "Prefer not to say", and every answer is
optional. The answers are special-category data: kept only with explicit consent, seen by no one
but the person, and used by staff only as counts (talkhealth.figures suppresses small ones).

The same field names (`year_of_birth`, `sex`, `ethnic_group`, `disability`, `carer`) and codes are
used on a person's answers, on their snapshots and on offline contributions. Blank means not asked
or not answered; PREFER_NOT means the person chose not to say.
"""

from datetime import date

from django.db import models

PREFER_NOT = "prefer-not"
PREFER_NOT_LABEL = "Prefer not to say"
YEAR_PREFER_NOT = 0  # year_of_birth is a number: 0 stands for "Prefer not to say"
OLDEST_YEAR = 1900
MINIMUM_AGE = 16


class Sex(models.TextChoices):
    """GSS harmonised sex question (Census 2021): "What is your sex?"."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = PREFER_NOT, PREFER_NOT_LABEL


class EthnicGroup(models.TextChoices):
    """The 19 ethnic groups of Census 2021 (England), each in one of the 5 high-level groups."""

    WHITE_BRITISH = "white-british", "English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white-irish", "Irish"
    WHITE_GYPSY_TRAVELLER = "white-gypsy-traveller", "Gypsy or Irish Traveller"
    WHITE_ROMA = "white-roma", "Roma"
    WHITE_OTHER = "white-other", "Any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed-white-black-caribbean", "White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "mixed-white-black-african", "White and Black African"
    MIXED_WHITE_ASIAN = "mixed-white-asian", "White and Asian"
    MIXED_OTHER = "mixed-other", "Any other Mixed or Multiple ethnic background"
    ASIAN_INDIAN = "asian-indian", "Indian"
    ASIAN_PAKISTANI = "asian-pakistani", "Pakistani"
    ASIAN_BANGLADESHI = "asian-bangladeshi", "Bangladeshi"
    ASIAN_CHINESE = "asian-chinese", "Chinese"
    ASIAN_OTHER = "asian-other", "Any other Asian background"
    BLACK_CARIBBEAN = "black-caribbean", "Caribbean"
    BLACK_AFRICAN = "black-african", "African"
    BLACK_OTHER = "black-other", "Any other Black, Black British or Caribbean background"
    OTHER_ARAB = "other-arab", "Arab"
    OTHER_ANY = "other-any", "Any other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT, PREFER_NOT_LABEL


class HighLevelGroup(models.TextChoices):
    """Census 2021's five high-level ethnic groups, the columns of the London baseline."""

    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or Multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    OTHER = "other", "Other ethnic group"


def high_level_group(ethnic_group: str) -> str:
    """"asian-chinese" -> "asian"; "" for no answer or "Prefer not to say"."""
    if not ethnic_group or ethnic_group == PREFER_NOT:
        return ""
    return ethnic_group.split("-", 1)[0]


ETHNIC_GROUP_CHOICES = [
    (label, [(code, name) for code, name in EthnicGroup.choices if high_level_group(code) == high])
    for high, label in HighLevelGroup.choices
] + [(PREFER_NOT, PREFER_NOT_LABEL)]


class Disability(models.TextChoices):
    """GSS harmonised activity-limitation question, as in Census 2021."""

    LIMITED_A_LOT = "yes-a-lot", "Yes, limited a lot"
    LIMITED_A_LITTLE = "yes-a-little", "Yes, limited a little"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT, PREFER_NOT_LABEL


class Carer(models.TextChoices):
    """Census 2021 unpaid care question."""

    NO = "no", "No"
    UNDER_10 = "yes-under-10", "Yes, 9 hours a week or less"
    FROM_10_TO_19 = "yes-10-19", "Yes, 10 to 19 hours a week"
    FROM_20_TO_34 = "yes-20-34", "Yes, 20 to 34 hours a week"
    FROM_35_TO_49 = "yes-35-49", "Yes, 35 to 49 hours a week"
    FROM_50 = "yes-50-plus", "Yes, 50 or more hours a week"
    PREFER_NOT_TO_SAY = PREFER_NOT, PREFER_NOT_LABEL


QUESTIONS = {
    "year_of_birth": "What is your year of birth?",
    "sex": "What is your sex?",
    "ethnic_group": "What is your ethnic group?",
    "disability": "Are your day-to-day activities limited because of a health problem or disability which has "
    "lasted, or is expected to last, at least 12 months?",
    "carer": "Do you look after, or give any help or support to, anyone because they have long-term physical or "
    "mental health conditions or illnesses, or problems related to old age?",
}
FIELDS = tuple(QUESTIONS)
CHOICES = {"sex": Sex, "ethnic_group": EthnicGroup, "disability": Disability, "carer": Carer}

# Census 2021 age bands for people aged 16 and over (the baseline's columns).
AGE_BANDS = [
    ("16-24", "16 to 24", 16, 24),
    ("25-34", "25 to 34", 25, 34),
    ("35-44", "35 to 44", 35, 44),
    ("45-54", "45 to 54", 45, 54),
    ("55-64", "55 to 64", 55, 64),
    ("65-74", "65 to 74", 65, 74),
    ("75-84", "75 to 84", 75, 84),
    ("85-plus", "85 and over", 85, 200),
]


def age_band(year_of_birth: int | None, on: date) -> str:
    """The band of the age a person reaches in the year `on` falls in; "" if unknown or under 16.
    Banded at analysis time from the year of birth, so only the year is ever stored."""
    if not year_of_birth:
        return ""
    age = on.year - year_of_birth
    for code, _label, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    return ""


def answered(field: str, value) -> bool:
    """An answer that counts in analysis: given, and not "Prefer not to say"."""
    return bool(value) and value != PREFER_NOT


def label(field: str, value) -> str:
    """How an answer reads: its label, the year itself, or "Not answered"."""
    if value in (None, ""):
        return "Not answered"
    if value in (PREFER_NOT, YEAR_PREFER_NOT):
        return PREFER_NOT_LABEL
    if field == "year_of_birth":
        return str(value)
    return str(CHOICES[field](value).label) if value in CHOICES[field].values else str(value)
