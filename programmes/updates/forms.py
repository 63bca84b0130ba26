from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from talkhealth.dateinput import DateTimeField
from talkhealth.forms import CleanTextForm

from ..models import Programme
from . import services, text

BODY_HELP = (
    "You can use *italics*, **bold**, lists, > quotes, [links](https://www.nhs.uk), headings (## Heading or "
    "### Smaller heading) and images: ![what the image shows](https://...). Every image needs a description."
)

class UpdateForm(CleanTextForm):
    """What staff write. `action` is the button pressed: save a draft, preview, schedule or publish."""

    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(),
        empty_label="Choose a programme",
        error_messages={"required": "Choose the programme the update is from"},
    )
    title = forms.CharField(
        max_length=services.TITLE_MAX,
        help_text=f"Up to {services.TITLE_MAX} characters.",
        error_messages={"required": "Enter a title for the update"},
    )
    summary = forms.CharField(
        max_length=services.SUMMARY_MAX,
        error_messages={"required": "Write a summary of one or two sentences."},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences, shown on the home page, in lists and in emails to followers.",
    )
    body = forms.CharField(
        label="Update",
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=BODY_HELP,
        error_messages={"required": "Write the update before publishing it."},
    )
    tags = forms.CharField(
        label="Tags (optional)",
        required=False,
        max_length=300,
        help_text="Up to 5 topics, separated by commas, for example: waiting times, GP",
    )
    publish_at = DateTimeField(
        label="Publish on (to schedule)",
        what="The publishing date and time",
        required=False,
        help_text="London time, for example 27 3 2027 and 09:00. Only needed to schedule the update; "
        "leave it empty to publish the update yourself.",
    )

    def __init__(self, *args, update=None, action: str = "draft", **kwargs):
        self.action = action
        if update is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "programme": update.programme_id,
                "title": update.title,
                "summary": update.summary,
                "body": update.body,
                "tags": update.tags,
                "publish_at": update.publish_at and timezone.localtime(update.publish_at),
            }
        super().__init__(*args, **kwargs)
        if action in ("draft", "edit") and not (update is not None and update.status == "published"):
            self.fields["summary"].required = False
            self.fields["body"].required = False
        self.fields["programme"].queryset = Programme.objects.only("id", "short_name")
        self.fields["programme"].label_from_instance = lambda programme: programme.short_name
        if update is not None and update.thread_id:
            self.fields["programme"].disabled = True
            self.fields["programme"].help_text = "A published update stays with its programme."

    def clean_body(self):
        body = self.cleaned_data["body"]
        if body:
            text.check_body(body)
        return body

    def clean_publish_at(self):
        publish_at = self.cleaned_data["publish_at"]
        if self.action == "schedule":
            if publish_at is None:
                raise ValidationError("Enter the date and time to publish the update.")
            if publish_at <= timezone.now():
                raise ValidationError("Choose a time in the future, or publish the update now.")
        return publish_at


class PlainEnglishForm(CleanTextForm):
    """The fields the live plain-English check reads; nothing is saved."""

    title = forms.CharField(required=False)
    summary = forms.CharField(required=False)
    body = forms.CharField(required=False)
