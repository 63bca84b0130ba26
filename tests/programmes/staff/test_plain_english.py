"""The plain-English check staff see while writing an update."""

import pytest

from programmes.updates import plain_english


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("cat", 1),
        ("the", 1),
        ("table", 2),
        ("health", 1),
        ("people", 2),
        ("hospital", 3),
        ("community", 4),
        ("waited", 2),
        ("booked", 1),
        ("services", 3),
        ("appointment", 3),
        ("care", 1),
    ],
)
def test_syllables_are_counted_well_enough_for_a_reading_age(word, count):
    assert plain_english.syllables(word) == count


def test_short_everyday_sentences_have_a_low_reading_age():
    check = plain_english.check(
        "Book a GP visit.", "It is quick.", "<p>You can do it online. It takes five minutes.</p>"
    )
    assert check.sentences == 4 and check.words == 16
    assert check.reading_age <= 9 and not check.too_hard


def test_long_technical_sentences_are_flagged():
    text = (
        "<p>The transformation programme will operationalise integrated multidisciplinary commissioning "
        "arrangements, facilitating collaborative accountability frameworks across organisational "
        "boundaries and optimising population health management capabilities for stakeholders and "
        "residents throughout the capital city of London.</p>"
    )
    check = plain_english.check("Update", "", text)
    assert check.reading_age > 16 and check.too_hard and check.long_sentences == 1


def test_empty_text_has_no_reading_age():
    assert plain_english.check("", "", "").reading_age is None


@pytest.mark.parametrize(
    ("text", "unexplained"),
    [
        ("Talk to your CCG about it.", ["CCG"]),
        ("Your clinical commissioning group (CCG) decides. The CCG meets monthly.", []),
        ("The CCG (clinical commissioning group) decides.", []),
        ("Ask the ICBs (integrated care boards) and the STP.", ["STP"]),
        ("The NHS, your GP and A&E are here for you. GPs too.", []),
        ("Our ICS plans. Later: integrated care system (ICS).", ["ICS"]),
        ("I think it is OK in the UK.", []),
    ],
)
def test_acronyms_need_explaining_the_first_time_they_are_used(text, unexplained):
    assert plain_english.unexplained_acronyms(text) == unexplained


def test_the_check_quotes_each_long_sentence_and_names_words_to_avoid():
    long = (
        "The operationalisation of the new pathway, utilising commensurate resources in order to support "
        "care before discharge, will be watched by the board and by residents in every borough this year."
    )

    check = plain_english.check("Update", "", f"<p>{long} Short one.</p>")

    assert check.long_sentence_starts == ["The operationalisation of the new pathway, utilising commensurate…"]
    assert [word for word, _ in check.hard_words] == ["operationalisation", "utilising", "commensurate", "in order to"]
    assert dict(check.hard_words)["utilising"] == "use"


def test_the_check_shown_to_staff_points_at_the_long_sentence_and_the_hard_words(client, staff):
    client.force_login(staff)
    body = (
        "We are utilising a commensurate approach to the operationalisation of evening appointments across "
        "every practice in the borough, starting with the busiest ones first, from June."
    )

    page = client.post("/staff/updates/plain-english/", {"title": "Evening", "summary": "Later", "body": body}).content.decode()

    assert "“We are utilising a commensurate approach to the…”" in page
    assert "“utilising”: try “use”" in page
    assert "“operationalisation”: try “put into practice”" in page
