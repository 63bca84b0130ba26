"""Account, information and error pages render in NHS.UK markup, with clear errors and no 500s."""

import re
from pathlib import Path

import django
import pytest
from allauth.account.forms import ChangePasswordForm, LoginForm, ResetPasswordForm
from django import forms
from django.conf import settings
from django.core import mail
from django.template import Context, Template, loader
from django.template.base import Origin
from django.urls import reverse

from accounts.forms import ProfileForm, SignupForm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.person@example.com",
    "display_name": "New Person",
    "borough": "",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}


def text(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


def title(response) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())


def h1(response) -> str:
    return " ".join(re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).split())


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Create an account"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/password/reset/done/", "Check your email"),
        ("/accounts/password/reset/key/1-not-a-key/", "This reset link has expired or has already been used"),
        ("/accounts/confirm-email/", "Check your email"),
        ("/accounts/confirm-email/not-a-key/", "This confirmation link has expired or is invalid"),
        ("/house-rules/", "House rules"),
        ("/privacy/", "Privacy notice"),
        ("/accessibility/", "Accessibility statement"),
    ],
)
def test_public_page_has_its_own_title_and_heading_in_the_site_layout(client, path, heading):
    response = client.get(path)

    assert response.status_code == 200
    assert h1(response) == heading
    assert title(response).split("Talk Health")[0].strip(" –")
    assert 'class="nhsuk-header"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("accounts:profile", "Your profile"),
        ("account_email", "Email addresses"),
        ("account_change_password", "Change your password"),
        ("account_logout", "Sign out"),
    ],
)
def test_signed_in_page_has_its_own_heading_and_the_account_navigation(client, resident, name, heading):
    client.force_login(resident)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert h1(response) == heading
    assert 'aria-label="Your account"' in response.content.decode()


def test_signup_page_says_the_display_name_is_public_and_the_email_is_never_shown(client):
    body = text(client.get(reverse("account_signup")))

    assert "display name is public" in body
    assert "email address is never shown" in body


@pytest.mark.parametrize(
    ("path", "form_class", "kwargs"),
    [
        ("/accounts/signup/", SignupForm, {}),
        ("/accounts/login/", LoginForm, {}),
        ("/accounts/password/reset/", ResetPasswordForm, {}),
    ],
)
def test_every_field_of_a_hand_laid_allauth_form_is_on_its_page(client, path, form_class, kwargs):
    """Pages that lay out fields one by one (to reword labels) must not drop a field allauth adds."""
    body = client.get(path).content.decode()
    for name in form_class(**kwargs).fields:
        assert f'name="{name}"' in body, name


def test_every_field_of_the_change_password_form_is_on_its_page(client, resident):
    client.force_login(resident)
    body = client.get(reverse("account_change_password")).content.decode()
    for name in ChangePasswordForm(user=resident).fields:
        assert f'name="{name}"' in body, name


def test_bad_signup_gets_an_error_summary_linking_each_error_to_its_field(client):
    UserFactory(display_name="Taken Name")

    response = client.post(
        reverse("account_signup"),
        {**SIGNUP, "email": "not-an-email", "display_name": "taken name", "password2": "something-different"},
    )

    assert response.status_code == 200
    assert title(response).startswith("Error: ")
    body = response.content.decode().replace("&#x27;", "'")
    summary = body[body.index('class="nhsuk-error-summary"') : body.index("<h1")]
    assert '<a href="#id_email">Enter an email address in the correct format, like name@example.com</a>' in summary
    assert '<a href="#id_display_name">That display name is already taken. Please choose another.</a>' in summary
    assert 'href="#id_password2"' in summary
    assert 'class="nhsuk-input nhsuk-input--error"' in body
    assert 'aria-describedby="id_email_helptext id_email_error"' in body
    assert '<span class="nhsuk-error-message" id="id_email_error">' in body


def test_wrong_password_is_explained_in_the_error_summary(client, resident):
    response = client.post(reverse("account_login"), {"login": resident.email, "password": "wrong-password"})

    assert response.status_code == 200
    assert title(response).startswith("Error: Sign in")
    assert '<a href="#id_login">Enter the email address and password you used to create your account</a>' in text(response)


def test_profile_with_a_taken_name_gets_the_error_summary_and_says_the_name_is_public(client, resident):
    UserFactory(display_name="Taken Name")
    client.force_login(resident)

    response = client.post(reverse("accounts:profile"), {"display_name": "taken name", "borough": ""})

    body = text(response)
    assert "There is a problem" in body
    assert "display name is public" in body
    assert 'class="nhsuk-form-group nhsuk-form-group--error"' in body


def test_password_reset_journey_renders_every_step(client, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": resident.email}, follow=True)
    assert h1(response) == "Check your email"

    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert h1(form_page) == "Choose a new password"

    mismatch = client.post(form_page.redirect_chain[-1][0], {"password1": "a-new-long-passphrase", "password2": "x"})
    assert "same password" in text(mismatch)

    done = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"},
        follow=True,
    )
    assert h1(done) == "Your password has been changed"


def test_a_person_with_one_confirmed_address_is_not_offered_pointless_email_actions(client, resident):
    client.force_login(resident)
    body = client.get(reverse("account_email")).content.decode()
    assert 'name="action_remove"' not in body
    assert 'name="action_send"' not in body


def test_unconfirmed_person_can_ask_for_the_confirmation_email_again(client, unverified):
    client.force_login(unverified)
    body = client.get(reverse("account_email")).content.decode()
    assert 'name="action_send"' in body


def test_unknown_page_is_the_sites_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert h1(response) == "Page not found"


def test_500_page_renders_without_a_request():
    html = loader.get_template("500.html").render()

    assert "Sorry, there is a problem with the service" in html
    assert "/static/dist/talkhealth.css" in html


def test_403_page_tells_an_unconfirmed_person_to_confirm_their_email(rf, unverified):
    request = rf.get("/somewhere/")
    request.user = unverified
    html = loader.get_template("403.html").render({"user": unverified}, request)

    assert "confirm your email address" in html


class Everything(forms.Form):
    agree = forms.BooleanField(label="I agree", help_text="Tick to agree")
    colour = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect, help_text="Pick one")
    tags = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    body = forms.CharField(widget=forms.Textarea(attrs={"placeholder": "Do not use placeholders"}))
    size = forms.ChoiceField(choices=[("s", "Small")])


def test_plain_form_renders_as_nhsuk_markup():
    html = str(Everything())

    assert '<input class="nhsuk-checkboxes__input" type="checkbox" name="agree"' in html
    assert '<div class="nhsuk-hint nhsuk-checkboxes__hint" id="id_agree_helptext">' in html
    assert '<fieldset class="nhsuk-fieldset" aria-describedby="id_colour_helptext">' in html
    assert '<div class="nhsuk-radios" data-module="nhsuk-radios" id="id_colour">' in html
    assert '<label class="nhsuk-label nhsuk-radios__label" for="id_colour_0">Red</label>' in html
    assert '<div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes" id="id_tags">' in html
    assert '<textarea class="nhsuk-textarea" name="body"' in html
    assert "placeholder" not in html
    assert '<select class="nhsuk-select" name="size"' in html


def test_plain_form_errors_mark_the_group_the_message_and_the_control():
    form = Everything(data={"colour": "x"})
    form.is_valid()
    html = str(form)

    assert html.count("nhsuk-form-group--error") == 5
    assert '<textarea class="nhsuk-textarea nhsuk-textarea--error"' in html
    assert 'aria-describedby="id_colour_helptext id_colour_error"' in html
    assert '<span class="nhsuk-u-visually-hidden">Error: </span>This field is required.' not in html
    assert '<span class="nhsuk-u-visually-hidden">Error: </span>Enter ' in html


def test_error_summary_links_a_radio_error_to_the_first_option():
    form = Everything(data={"colour": "x"})
    form.is_valid()
    html = loader.render_to_string("includes/_error_summary.html", {"form": form})

    assert 'href="#id_colour_0"' in html


def test_profile_form_keeps_its_autocomplete_hint():
    html = str(ProfileForm(user=UserFactory.build()))
    assert 'autocomplete="nickname"' in html


def test_allauth_elements_render_as_nhsuk_components():
    html = Template(
        "{% load allauth %}"
        '{% element button tags="danger,delete" type="submit" %}Remove{% endelement %}'
        '{% element button href="/next/" tags="outline" %}Next{% endelement %}'
        "{% element alert %}{% slot message %}Heads up{% endslot %}{% endelement %}"
        '{% element badge tags="success" %}Verified{% endelement %}',
        origin=Origin("elements_test.html", template_name="elements_test.html"),
    ).render(Context({}))

    assert '<button class="nhsuk-button nhsuk-button--warning" data-module="nhsuk-button" type="submit">' in html
    assert '<a class="nhsuk-button nhsuk-button--secondary" href="/next/" role="button"' in html
    assert 'class="nhsuk-inset-text"' in html
    assert 'class="nhsuk-tag nhsuk-tag--green"' in html


def test_every_django_form_template_has_a_copy_the_project_renderer_can_find():
    """FORM_RENDERER searches only the project's templates, so each built-in form template is vendored."""
    builtin = Path(django.__file__).parent / "forms" / "templates"
    ours = Path(settings.BASE_DIR) / "templates"
    missing = [
        str(path.relative_to(builtin))
        for path in builtin.rglob("*")
        if path.is_file() and not (ours / path.relative_to(builtin)).exists()
    ]
    assert missing == []
