from allauth.account import forms as allauth_forms
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from .boroughs import Borough
from .models import User
from .names import MAX_LENGTH, MIN_LENGTH, normalise, validate_display_name

DISPLAY_NAME_HELP = (
    f"Everyone will see this name next to what you write. Use {MIN_LENGTH} to {MAX_LENGTH} letters, numbers, "
    "spaces, hyphens or apostrophes. Do not use your email address or your full name if you want to stay private."
)
BOROUGH_HELP = "Optional. It helps the partnership understand which parts of London are taking part."


def _borough_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Your London borough (optional)",
        choices=[("", "Prefer not to say")] + list(Borough.choices),
        required=False,
        help_text=BOROUGH_HELP,
    )


def _display_name_field() -> forms.CharField:
    return forms.CharField(
        label="Display name",
        max_length=MAX_LENGTH * 2,
        help_text=DISPLAY_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )


def clean_display_name(value: str, *, exclude_pk=None) -> str:
    name = normalise(value)
    validate_display_name(name)
    taken = User.objects.filter(display_name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise forms.ValidationError("That display name is already taken. Please choose another.", code="taken")
    return name


# What each account field says when it is left empty, in the person's own terms (GOV.UK style).
MISSING = {
    "login": "Enter your email address",
    "email": "Enter your email address",
    "password": "Enter your password",
    "oldpassword": "Enter your current password",
    "password1": "Create a password",
    "password2": "Enter your password again",
    "display_name": "Enter a display name",
}


def _say_what_is_missing(form) -> None:
    for name, message in MISSING.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)


class SignupForm(AllauthSignupForm):
    """allauth's email-and-password signup, plus the public display name and an optional borough."""

    field_order = ["email", "display_name", "borough", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"] = _display_name_field()
        self.fields["borough"] = _borough_field()
        self.order_fields(self.field_order)
        self.fields["email"].help_text = "We use this to sign you in and to send you messages. It is never shown."
        for name in ("email", "password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        _say_what_is_missing(self)

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])


class ProfileForm(forms.Form):
    display_name = _display_name_field()
    borough = _borough_field()
    show_borough = forms.BooleanField(
        label="Show my borough on my public profile",
        required=False,
        help_text="Your borough is never shown next to your posts. Leave this unticked to keep it private.",
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault(
            "initial", {"display_name": user.display_name, "borough": user.borough, "show_borough": user.show_borough}
        )
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"], exclude_pk=self.user.pk)


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone, so it asks for the password and what to do with posts."""

    KEEP, ERASE = "keep", "erase"

    posts = forms.ChoiceField(
        label="What should happen to your discussions and comments?",
        widget=forms.RadioSelect,
        choices=[
            (KEEP, "Keep them, shown as written by “Deleted user”"),
            (ERASE, "Erase them too"),
        ],
        help_text="If you erase them, each comment is replaced by “Comment deleted” so replies from other "
        "people still make sense.",
        error_messages={"required": "Choose what should happen to your discussions and comments"},
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm it is you"},
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not right. Enter the password you sign in with.")
        return password

    @property
    def erase_posts(self) -> bool:
        return self.cleaned_data["posts"] == self.ERASE
