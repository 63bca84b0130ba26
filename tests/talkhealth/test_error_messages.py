"""Error messages as GOV.UK and NHS.UK write them, on every form, allauth's included."""

import pytest
from django import forms

pytestmark = pytest.mark.django_db


class Plain(forms.Form):
    name = forms.CharField(label="Full name", max_length=5)
    email = forms.EmailField(label="Email address")
    colour = forms.ChoiceField(label="Favourite colour", choices=[("red", "Red")])
    age = forms.IntegerField(label="Age", min_value=18)
    own = forms.CharField(label="Own words", error_messages={"required": "Tell us in your own words"})


def _errors(data):
    form = Plain(data=data)
    form.is_valid()
    return {bound.name: list(bound.errors) for bound in form if bound.errors}


def test_django_defaults_are_reworded_to_name_the_field():
    assert _errors({}) == {
        "name": ["Enter full name"],
        "email": ["Enter email address"],
        "colour": ["Select favourite colour"],
        "age": ["Enter age"],
        "own": ["Tell us in your own words"],
    }


def test_wrong_values_say_what_is_expected():
    errors = _errors({"name": "Far too long", "email": "nope", "colour": "blue", "age": "12", "own": "x"})

    assert errors == {
        "name": ["Full name must be 5 characters or fewer"],
        "email": ["Enter an email address in the correct format, like name@example.com"],
        "colour": ["Select favourite colour from the list"],
        "age": ["Age must be 18 or more"],
    }


def test_signing_in_with_nothing_or_the_wrong_password_is_explained_plainly(client):
    empty = client.post("/accounts/login/", {"login": "", "password": ""}).content.decode()
    wrong = client.post("/accounts/login/", {"login": "nobody@example.com", "password": "guess"}).content.decode()

    assert '<a href="#id_login">Enter your email address</a>' in empty
    assert '<a href="#id_password">Enter your password</a>' in empty
    assert "Enter the email address and password you used to create your account" in wrong
    assert "This field is required" not in empty and "and/or" not in wrong
    assert "<title>Error: " in empty


def test_reply_errors_without_javascript_are_summarised_at_the_top_and_linked_to_the_box(client, resident):
    from tests.forums.factories import ThreadFactory

    thread = ThreadFactory()
    client.force_login(resident)

    page = client.post(f"/threads/{thread.pk}/reply/", {"body": ""}).content.decode()

    assert page.index('class="nhsuk-error-summary"') < page.index('<h1 id="thread-title">')
    assert '<a href="#reply-body">Write something before posting.</a>' in page
    assert "<title>Error: " in page
