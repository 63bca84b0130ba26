import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from talkhealth.links import _reverse_remembered, reverse_cached


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_url_tag_gives_what_django_reverse_gives_and_reverses_each_url_once():
    _reverse_remembered.cache_clear()
    source = "{% url 'forums:thread_short' pk %} {% url 'home' %} {% url 'forums:thread_short' pk as link %}[{{ link }}]"

    first = render(source, pk=7)
    again = render(source, pk=7)

    expected = reverse("forums:thread_short", args=[7])
    assert first == again == f"{expected} {reverse('home')} [{expected}]"
    assert _reverse_remembered.cache_info().misses == 2


def test_the_url_tag_still_refuses_a_url_that_does_not_exist():
    with pytest.raises(NoReverseMatch):
        render("{% url 'forums:no_such_page' %}")
    assert render("{% url 'forums:no_such_page' as link %}[{{ link }}]") == "[]"


def test_a_different_script_prefix_is_a_different_url():
    plain = reverse_cached("home")
    set_script_prefix("/talkhealth/")
    try:
        assert reverse_cached("home") == "/talkhealth/"
    finally:
        set_script_prefix("/")
    assert reverse_cached("home") == plain == "/"
