"""Screening of new posts, scored against a labelled corpus written for Talk Health.

The corpus (screening_corpus.tsv) holds crisis language, personal details, and near misses that
must not be flagged ("I can't go on holiday", "suicide prevention week", "the E8 area").
"""

from pathlib import Path

import pytest

from forums.moderation import safety

CORPUS = Path(__file__).with_name("screening_corpus.tsv")


def _corpus() -> list[tuple[str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((label, text))
    return rows


def test_the_corpus_has_at_least_300_labelled_sentences_of_each_kind():
    rows = _corpus()
    labels = [label for label, _ in rows]
    assert len(rows) >= 300
    assert len(set(text for _, text in rows)) == len(rows)
    assert set(labels) == {"crisis", "personal", "none"}
    assert min(labels.count(kind) for kind in ("crisis", "personal", "none")) >= 80


def test_screening_recall_and_false_positive_rate_on_the_corpus(capsys):
    """Recall at least 0.95 for crisis language and for personal details; at most 5% of near misses flagged."""
    rows = _corpus()
    crisis = [text for label, text in rows if label == "crisis"]
    personal = [text for label, text in rows if label == "personal"]
    negatives = [text for label, text in rows if label == "none"]

    crisis_recall = sum(safety.crisis_language(t) for t in crisis) / len(crisis)
    personal_recall = sum(bool(safety.personal_information(t)) for t in personal) / len(personal)
    flagged = [t for t in negatives if safety.crisis_language(t) or safety.personal_information(t)]
    false_positive_rate = len(flagged) / len(negatives)
    with capsys.disabled():
        print(
            f"\nscreening corpus: {len(rows)} sentences; crisis recall {crisis_recall:.3f} ({len(crisis)}), "
            f"personal details recall {personal_recall:.3f} ({len(personal)}), "
            f"false positives {false_positive_rate:.1%} ({len(flagged)} of {len(negatives)})"
        )
    assert crisis_recall >= 0.95, [t for t in crisis if not safety.crisis_language(t)]
    assert personal_recall >= 0.95, [t for t in personal if not safety.personal_information(t)]
    assert false_positive_rate <= 0.05, flagged


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("I can’t go on", "i can't go on"),
        ("“Quoted”  words\u00a0and\ttabs", '"quoted" words and tabs'),
        ("end\u200b my\u2060 li\ufefffe", "end my life"),
        ("ＦＵＬＬ width", "full width"),
    ],
)
def test_text_is_normalised_before_matching(raw, normal):
    assert safety.normalise(raw) == normal


@pytest.mark.parametrize(
    "text",
    ["I can’t go on", "I cant go on", "I want to end it all", "I don't want to be here any more",
     "I w\u200bant to end my life"],
)
def test_the_crisis_language_the_issue_found_missing_is_detected(text):
    assert safety.crisis_language(text)


@pytest.mark.parametrize(
    "text", ["I can't go on holiday this year", "Suicide prevention week starts on Monday", "The A406 was closed"]
)
def test_near_misses_are_not_flagged(text):
    assert not safety.crisis_language(text)
    assert safety.personal_information(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("my date of birth is 12/03/1985", ["a date of birth"]),
        ("UK postcodes such as SW1A 2AA", ["a postcode"]),
        ("I live at 5 Acacia Avenue", ["a street address"]),
        ("My NHS number is 9 4 3 4 7 6 5 9 1 9", ["an NHS number"]),
        ("My NHS number is 943-476-5919, ring 020 7946 0018", ["an NHS number", "a phone number"]),
        ("An invalid NHS number 943 476 5918 is not one", []),
    ],
)
def test_personal_details_in_common_forms_are_found(text, found):
    assert safety.personal_information(text) == found


@pytest.mark.django_db
def test_moderators_crisis_phrases_match_after_normalising():
    from forums.moderation.models import WordRule

    WordRule.objects.create(phrase="Can’t   face  tomorrow", kind=WordRule.Kind.CRISIS)
    assert safety.check("I cant face tomorrow").crisis
    assert not safety.check("I can face tomorrow").crisis
