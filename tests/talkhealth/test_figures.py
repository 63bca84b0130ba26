import pytest

from talkhealth import figures


@pytest.mark.parametrize("count, text", [(0, "fewer than 10"), (1, "fewer than 10"), (9, "fewer than 10"),
                                         (None, "fewer than 10"), (10, "10"), (1234, "1,234")])
def test_counts_of_people_under_ten_are_shown_as_fewer_than_ten(count, text):
    assert figures.people(count) == text


def test_a_share_is_withheld_when_either_count_is_small():
    assert figures.share(1, 1) is None
    assert figures.share(9, 500) is None
    assert figures.share(10, 9) is None
    assert figures.share(10, 40) == 0.25
    assert figures.percent(1, 1) == "fewer than 10"
    assert figures.percent(10, 40) == "25%"


def test_the_template_filter_uses_the_same_rule():
    from django.template import engines

    template = engines["django"].from_string("{% load talkhealth %}{{ a|people }} / {{ b|people }}")
    assert template.render({"a": 3, "b": 12000}) == "fewer than 10 / 12,000"
