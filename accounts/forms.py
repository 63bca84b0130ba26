from datetime import date

from allauth.account import forms as allauth_forms

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.shortcuts import redirect

from talkhealth.forms import CleanTextForm, CleanTextMixin

from . import equality
from .boroughs import Borough
from .models import User
from .names import MAX_LENGTH, MIN_LENGTH, normalise, skeleton, validate_display_name

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
    """A name is taken when someone has it in any case, or one that looks the same on screen."""
    name = normalise(value)
    validate_display_name(name)
    taken = User.objects.filter(Q(display_name__iexact=name) | Q(display_name_key=skeleton(name)), deleted_at=None)
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


class LoginForm(CleanTextMixin, allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)


class ResetPasswordForm(CleanTextMixin, allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)


class ResetPasswordKeyForm(CleanTextMixin, allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)


class ChangePasswordForm(CleanTextMixin, allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)


class SetPasswordForm(CleanTextMixin, allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say_what_is_missing(self)


class SignupForm(CleanTextMixin, AllauthSignupForm):
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

    def validate_unique_email(self, value):
        """Whether an address has an account is not said here: on a health forum, membership
        itself is sensitive. `try_save` answers alike for both."""
        self.account_already_exists = (
            User.objects.filter(email__iexact=value).exists() or EmailAddress.objects.filter(email__iexact=value).exists()
        )
        return value

    def try_save(self, request):
        """New and existing addresses get the same "Check your email" page, after the same work (a
        password hashed): a new one is sent its confirmation link, an existing one's owner is told
        that someone tried to sign up with it and how to sign in or reset the password."""
        email = self.cleaned_data["email"]
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
            get_adapter(request).send_account_already_exists_mail(email)
            user = None
        else:
            user = self.save(request)
            address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
            if address is not None:
                address.send_confirmation(request, signup=True)
        return user, redirect("account_email_verification_sent")


class ProfileForm(CleanTextForm):
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


class AccountDeleteForm(CleanTextForm):
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


def _question(field: str, choices, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=equality.QUESTIONS[field], choices=choices, required=False, widget=forms.RadioSelect, help_text=help_text
    )


class EqualityForm(CleanTextForm):
    """The equality questions (accounts.equality). Every question is optional and has "Prefer not
    to say"; saving needs explicit consent, because the answers are special-category data."""

    year_of_birth = forms.IntegerField(
        label=equality.QUESTIONS["year_of_birth"],
        required=False,
        help_text="For example, 1984. Only the year is kept.",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "bday-year", "class": "nhsuk-input--width-4"}
        ),
    )
    year_prefer_not = forms.BooleanField(label="Prefer not to say my year of birth", required=False)
    sex = _question("sex", equality.Sex.choices)
    ethnic_group = _question(
        "ethnic_group",
        equality.ETHNIC_GROUP_CHOICES,
        "Choose the one that best describes your ethnic group or background.",
    )
    disability = _question("disability", equality.Disability.choices, "Include problems related to old age.")
    carer = _question("carer", equality.Carer.choices, "Leave out anything you do as part of your paid work.")
    consent = forms.BooleanField(
        label="I agree to Talk Health keeping these answers to count who takes part",
        help_text="You can change or delete your answers at any time.",
        error_messages={"required": "Tick the box to agree to your answers being kept, or skip these questions"},
    )

    def __init__(self, *args, answers=None, **kwargs):
        if answers is not None:
            initial = {field: getattr(answers, field) for field in equality.FIELDS}
            if answers.year_of_birth == equality.YEAR_PREFER_NOT:
                initial.update(year_of_birth=None, year_prefer_not=True)
            kwargs.setdefault("initial", {**initial, "consent": True})
        super().__init__(*args, **kwargs)
        self.latest_year = date.today().year - equality.MINIMUM_AGE
        self.fields["year_of_birth"].error_messages["invalid"] = self._year_error

    @property
    def _year_error(self) -> str:
        return f"Enter a year of birth between {equality.OLDEST_YEAR} and {self.latest_year}, like 1984"

    def clean_year_of_birth(self):
        year = self.cleaned_data["year_of_birth"]
        if year is not None and not equality.OLDEST_YEAR <= year <= self.latest_year:
            raise forms.ValidationError(self._year_error)
        return year

    def clean(self):
        data = super().clean()
        if data.get("year_prefer_not"):
            if data.get("year_of_birth"):
                self.add_error("year_of_birth", "Enter your year of birth or tick “Prefer not to say”, not both")
            data["year_of_birth"] = equality.YEAR_PREFER_NOT
        return data

    @property
    def answers(self) -> dict:
        return {field: self.cleaned_data.get(field) for field in equality.FIELDS}
