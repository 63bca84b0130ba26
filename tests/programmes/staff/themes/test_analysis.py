"""Discovery and suggestions on a synthetic corpus with planted themes (online and offline items)."""

import json
import socket
from collections import Counter

import pytest

from programmes.themes import analysis

from .synthetic import PLANTED, planted_corpus


def _corpus(per_theme=60):
    """Keys as the corpus names them: thread openers, comments and offline contributions mixed."""
    items = planted_corpus(per_theme)
    kinds = ("comment", "offline", "comment", "thread")
    keys = [f"{kinds[i % len(kinds)]}:{i + 1}" for i in range(len(items))]
    return keys, [text for _, text in items], [theme for theme, _ in items]


def purity(strongest, planted) -> float:
    clusters: dict = {}
    for found, truth in zip(strongest, planted, strict=True):
        clusters.setdefault(found, Counter())[truth] += 1
    return sum(c.most_common(1)[0][1] for c in clusters.values()) / len(planted)


def test_discovered_themes_match_the_planted_ones():
    keys, texts, planted = _corpus()
    assert {k.split(":")[0] for k in keys} == {"comment", "offline", "thread"}
    found = analysis.discover(keys, texts)
    assert found.k == len(PLANTED)
    assert found.k_chosen_by == "stability"
    assert purity(found.strongest, planted) >= 0.8
    for theme in found.themes:
        assert len(theme.terms) == analysis.TOP_TERMS
        assert len(theme.examples) == analysis.EXAMPLES
        assert theme.name


def test_staff_can_set_the_number_of_themes():
    keys, texts, _ = _corpus(20)
    found = analysis.discover(keys, texts, k=3)
    assert (found.k, found.k_chosen_by, len(found.themes)) == (3, "staff", 3)


def test_two_runs_give_identical_output():
    keys, texts, _ = _corpus(30)
    first = json.dumps(analysis.discover(keys, texts).as_json(keys), sort_keys=True)
    second = json.dumps(analysis.discover(keys, texts).as_json(keys), sort_keys=True)
    assert first == second
    assert analysis.corpus_hash(keys, texts) == analysis.corpus_hash(list(keys), list(texts))
    assert analysis.corpus_hash(keys, texts) != analysis.corpus_hash(keys, [*texts[:-1], texts[-1] + "!"])


def test_suggested_codes_reach_the_precision_target_at_the_default_confidence():
    keys, texts, planted = _corpus()
    themes = sorted(PLANTED)
    # People have coded 25 items of each theme; the rest are left for the classifier.
    coded, seen = {}, Counter()
    for key, theme in zip(keys, planted, strict=True):
        if seen[theme] < 25:
            coded[key] = {themes.index(theme)}
            seen[theme] += 1
    found = analysis.suggest(keys, texts, coded=coded)
    truth = dict(zip(keys, planted, strict=True))
    right = sum(1 for s in found if themes[s.theme_id] == truth[s.key])
    assert len(found) >= 100
    assert right / len(found) >= 0.85
    assert all(s.key not in coded and s.confidence >= analysis.DEFAULT_CONFIDENCE for s in found)


def test_no_suggestions_before_a_theme_has_twenty_coded_items():
    keys, texts, planted = _corpus(30)
    coded = {k: {0} for k, t in list(zip(keys, planted, strict=True))[:40] if t == "waiting"}
    assert len(coded) < analysis.SUGGEST_MIN_CODED
    assert analysis.suggest(keys, texts, coded=coded) == []


def test_a_rejected_suggestion_is_not_made_again():
    keys, texts, planted = _corpus(40)
    themes = sorted(PLANTED)
    coded = {k: {themes.index(t)} for k, t in list(zip(keys, planted, strict=True))[:150]}
    first = analysis.suggest(keys, texts, coded=coded)
    refused = first[0]
    again = analysis.suggest(keys, texts, coded=coded, rejected={refused.theme_id: {refused.key}})
    assert (refused.key, refused.theme_id) not in {(s.key, s.theme_id) for s in again}


def test_nothing_opens_a_network_socket(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("theme analysis tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    keys, texts, planted = _corpus(30)
    analysis.discover(keys, texts)
    themes = sorted(PLANTED)
    analysis.suggest(keys, texts, coded={k: {themes.index(t)} for k, t in zip(keys[:120], planted[:120], strict=True)})


def test_chi_square_leaves_small_cells_out():
    table = {
        "a": {"x": 40, "y": 12, "z": 3},
        "b": {"x": 15, "y": 35, "z": 2},
        "c": {"x": 4, "y": 1, "z": 0},
    }
    result = analysis.chi_square(table, small=10)
    assert result.rows == ["a", "b"] and result.columns == ["x", "y"]
    assert result.dof == 1 and result.p_value < 0.001
    assert analysis.chi_square({"a": {"x": 9, "y": 30}, "b": {"x": 30, "y": 30}}, small=10) is None


@pytest.mark.parametrize(
    "terms, name", [(["gp appointment", "wait"], "Gp appointment"), (["bus", "hospital"], "Bus and hospital")]
)
def test_a_suggested_name_comes_from_the_top_terms(terms, name):
    assert analysis.suggested_name(terms) == name
