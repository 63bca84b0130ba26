from django import forms
from django.utils import timezone

from accounts.boroughs import Borough
from talkhealth.forms import CleanTextForm

from ..models import Programme
from talkhealth.dateinput import DateTimeField


class EventForm(CleanTextForm):
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(),
        empty_label="Choose a programme",
        error_messages={"required": "Select the programme the event is for"},
    )
    title = forms.CharField(max_length=150, error_messages={"required": "Enter a title for the event"})
    description = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a description of the event"},
        help_text="Who it is for and what will happen. You can use *italics*, **bold**, lists and links.",
    )
    starts_at = DateTimeField(label="Starts", what="The start date and time", help_text="London time. For example, 27 3 2027 and 18:30.")
    ends_at = DateTimeField(label="Ends", what="The end date and time", help_text="London time. For example, 27 3 2027 and 18:30.")
    venue = forms.CharField(label="Venue address (if in person)", required=False, max_length=300)
    online_url = forms.URLField(
        label="Joining link (if online)", required=False, assume_scheme="https", help_text="Starting https://"
    )
    borough = forms.ChoiceField(
        label="Borough (optional)", required=False, choices=[("", "Not in one borough")] + Borough.choices
    )
    accessibility = forms.CharField(
        label="Accessibility information",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: step-free access, hearing loop, BSL (British Sign Language) interpreter, "
        "live captions.",
    )
    capacity = forms.IntegerField(
        label="Booking limit (optional)", required=False, min_value=1, help_text="Leave empty if anyone can come."
    )

    def __init__(self, *args, event=None, **kwargs):
        if event is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "programme": event.programme_id,
                "title": event.title,
                "description": event.description,
                "starts_at": timezone.localtime(event.starts_at),
                "ends_at": timezone.localtime(event.ends_at),
                "venue": event.venue,
                "online_url": event.online_url,
                "borough": event.borough,
                "accessibility": event.accessibility,
                "capacity": event.capacity,
            }
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.only("id", "short_name")
        self.fields["programme"].label_from_instance = lambda p: p.short_name
