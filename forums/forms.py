from django import forms
from django.conf import settings

from talkhealth.forms import CleanTextForm

FORMAT_HELP = "You can use *italics*, **bold**, lists, > quotes and [links](https://www.nhs.uk)."
PERSONAL_CONFIRM_LABEL = "Post it anyway. A moderator will check it before anyone else can see it."


def _too_long(what: str, limit: int) -> str:
    return f"{what} must be {limit:,} characters or fewer (it has %(show_value)s)."


class ThreadForm(CleanTextForm):
    title = forms.CharField(
        label="Title",
        max_length=settings.FORUMS_TITLE_MAX,
        error_messages={
            "required": "Give your discussion a title.",
            "max_length": _too_long("The title", settings.FORUMS_TITLE_MAX),
        },
        help_text=f"A short summary of what you want to talk about, up to {settings.FORUMS_TITLE_MAX} characters.",
    )
    body = forms.CharField(
        label="Your message",
        max_length=settings.FORUMS_BODY_MAX,
        error_messages={
            "required": "Write something before posting.",
            "max_length": _too_long("Your message", settings.FORUMS_BODY_MAX),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Up to {settings.FORUMS_BODY_MAX:,} characters. {FORMAT_HELP} "
        "Please do not share anyone's personal or medical details.",
    )
    tags = forms.CharField(
        label="Tags (optional)",
        required=False,
        max_length=300,
        help_text=f"Up to {settings.FORUMS_MAX_TAGS} topics, separated by commas, for example: waiting times, GP",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "tag-suggestions"}),
    )

    personal_confirmed = forms.BooleanField(required=False, label=PERSONAL_CONFIRM_LABEL)

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give your discussion a title.")
        return title

    def clean_tags(self):
        names = [t for t in (" ".join(p.split()).lower() for p in self.cleaned_data["tags"].split(",")) if t]
        if len(names) > settings.FORUMS_MAX_TAGS:
            raise forms.ValidationError(f"Use at most {settings.FORUMS_MAX_TAGS} tags.")
        if any(len(name) > 50 for name in names):
            raise forms.ValidationError("Each tag can be at most 50 characters.")
        return names


class ThreadEditForm(ThreadForm):
    """The author's edit of their opening post: title and text (tags stay as they are)."""

    tags = None


class CommentForm(CleanTextForm):
    body = forms.CharField(
        label="Your reply",
        max_length=settings.FORUMS_BODY_MAX,
        error_messages={
            "required": "Write something before posting.",
            "max_length": _too_long("Your reply", settings.FORUMS_BODY_MAX),
        },
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Up to {settings.FORUMS_BODY_MAX:,} characters. {FORMAT_HELP}",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    personal_confirmed = forms.BooleanField(required=False, label=PERSONAL_CONFIRM_LABEL)
    official = forms.BooleanField(
        required=False, label="Post as the official response from the programme team (partnership staff only)"
    )
