"""Text people type: control characters never reach storage, invisible-only text counts as empty,
look-alike names cannot impersonate, and what is stored cannot break a feed or a calendar."""

import importlib
import inspect
import pkgutil
from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from accounts.forms import SignupForm, clean_display_name
from accounts.names import skeleton, validate_display_name
from forums.forms import CommentForm, ThreadForm
from forums.models import Comment, Thread
from programmes.events.ical import event_ics
from programmes.events.models import Event
from talkhealth.forms import CleanTextMixin, clean_text, is_invisible
from tests.factories import ModeratorFactory, UserFactory
from tests.forums.factories import CommentFactory, ThreadFactory
from tests.programmes.staff.factories import published_update, upcoming_event

INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u3164", "\u2800", "\u200f\u200e", "\u200b \u2060\n\ufeff", "\u202e"]


PROJECT_APPS = ("talkhealth", "accounts", "forums", "programmes")


def project_forms() -> list[type]:
    """Every form class defined in any module of Talk Health's own apps that is named forms.py."""
    found = set()
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if info.name.rsplit(".", 1)[-1] != "forms":
                continue
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def test_every_form_in_the_project_cleans_its_text():
    found = project_forms()
    assert len(found) >= 20
    assert [f"{cls.__module__}.{cls.__name__}" for cls in found if not issubclass(cls, CleanTextMixin)] == []


def test_control_characters_go_but_tab_and_line_ends_stay_as_newlines():
    assert clean_text("a\x00b\x07c\x1bd\x7fe\x85f\tg\r\nh\ri\nj") == "abcdef\tg\nh\ni\nj"


@pytest.mark.parametrize("text", INVISIBLE)
def test_text_made_only_of_invisible_characters_is_invisible(text):
    assert is_invisible(text)
    assert not is_invisible(text + "a")


@pytest.mark.parametrize("text", INVISIBLE)
def test_an_invisible_title_or_reply_is_refused_as_empty(text, db):
    thread = ThreadForm(data={"title": text, "body": text})
    reply = CommentForm(data={"body": text})

    assert not thread.is_valid() and not reply.is_valid()
    assert thread.errors["title"] == ["Give your discussion a title."]
    assert thread.errors["body"] == ["Write something before posting."]
    assert reply.errors["body"] == ["Write something before posting."]


def test_a_field_without_its_own_message_says_enter_in_govuk_style():
    class Form(CleanTextMixin, forms.Form):
        title = forms.CharField(label="Title")
        reply = forms.CharField(label="Your reply")
        reason = forms.CharField(label="Reason")

    form = Form(data={"title": "\u200b", "reply": "\u3164", "reason": "\u2800"})

    assert not form.is_valid()
    assert form.errors == {"title": ["Enter a title"], "reply": ["Enter your reply"], "reason": ["Enter a reason"]}


def test_a_reply_with_control_characters_is_stored_without_them(client, db, settings):
    settings.FORUMS_RATE_LIMITS = [(1, 10_000)]
    person = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    thread = ThreadFactory()
    client.force_login(person)

    client.post(reverse("forums:comment_create", args=[thread.pk]), {"body": "Ring\x07 the\x01 bell\r\nplease\rnow"})

    assert Comment.objects.get(thread=thread, author=person).body == "Ring the bell\nplease\nnow"


def test_passwords_are_kept_exactly_as_typed(db):
    form = SignupForm(data={"email": "p@example.com", "display_name": "Pat Jones", "password1": "pass\x07word-long-1",
                            "password2": "pass\x07word-long-1"})
    form.is_valid()
    assert form.data["password1"] == "pass\x07word-long-1"


@pytest.mark.parametrize("name", ["Mоderator", "NНS Helper", "Jоrdan Ellis", "Аdmin Team", "Dеleted user"])
def test_look_alike_names_mixing_alphabets_are_refused(name):
    with pytest.raises(forms.ValidationError):
        validate_display_name(name)


@pytest.mark.parametrize("name", ["Zoë Ng", "Анна Петрова", "Σοφία", "Siobhán O'Neill", "李小龙"])
def test_names_in_one_alphabet_are_welcome(name):
    validate_display_name(name)


def test_a_name_that_looks_like_someone_elses_is_taken(db):
    ModeratorFactory(display_name="Jordan Ellis")

    assert skeleton("Jordan EIlis") == skeleton("jordan ellis") == skeleton("Jordan  E1lis")
    for copy in ("Jordan EIlis", "JORDAN ELLIS", "Jordan E1lis"):
        with pytest.raises(forms.ValidationError, match="already taken"):
            clean_display_name(copy)
    assert clean_display_name("Jordan Elms") == "Jordan Elms"


def test_a_bell_stored_before_cleaning_does_not_break_the_feeds(client, db, settings):
    settings.FORUMS_RATE_LIMITS = [(1, 10_000)]
    comment = CommentFactory()
    Comment.objects.filter(pk=comment.pk).update(body="Ding\x07", body_html="<p>Ding\x07</p>")
    Thread.objects.filter(pk=comment.thread_id).update(title="Bell\x01 title")

    for name in ("forums:thread_feed", "forums:thread_atom"):
        response = client.get(reverse(name, args=[comment.thread_id]))
        assert response.status_code == 200
        assert b"\x07" not in response.content and b"\x01" not in response.content


def test_an_update_summary_reaches_feed_readers_as_text_not_html(client, staff):
    published_update(staff, summary="<img src=x onerror=alert(1)> & more")

    body = client.get(reverse("updates_atom")).content.decode()

    assert "&amp;lt;img src=x onerror=alert(1)&amp;gt; &amp;amp; more" in body
    assert "&lt;img" not in body.replace("&amp;lt;img", "")


def test_a_lone_carriage_return_cannot_start_a_calendar_line(staff):
    event = upcoming_event(staff)
    Event.objects.filter(pk=event.pk).update(
        title="Talk\rBEGIN:VALARM", description="One\rTwo;three,four\\", description_html="<p>One\rTwo;three,four\\</p>"
    )
    event.refresh_from_db()

    ics = event_ics(event)

    assert "\r" not in ics.replace("\r\n", "")
    assert not any(line.startswith("BEGIN:VALARM") for line in ics.split("\r\n"))
    unfolded = ics.replace("\r\n ", "")
    assert "SUMMARY:Talk\\nBEGIN:VALARM" in unfolded
    assert "One\\nTwo\\;three\\,four\\\\" in unfolded


def test_an_absurd_number_or_row_id_is_a_form_error_not_a_database_error(db):
    from programmes.models import Programme

    class Form(CleanTextMixin, forms.Form):
        programmes = forms.ModelMultipleChoiceField(queryset=Programme.objects.all())
        programme = forms.ModelChoiceField(queryset=Programme.objects.all())
        attendance = forms.IntegerField(required=False, min_value=0)

    form = Form(data={"programmes": ["9" * 20, "x"], "programme": "9" * 20, "attendance": "9" * 20})

    assert not form.is_valid()
    assert set(form.errors) == {"programmes", "programme", "attendance"}
    assert "less than or equal to" in str(form.errors["attendance"])
