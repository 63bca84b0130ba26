from django import forms
from django.utils import timezone

from talkhealth.forms import CleanTextForm

from ..models import Programme
from talkhealth.dateinput import DateTimeField
from ..updates.models import Update
from .models import PollKind


class PollForm(CleanTextForm):
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(),
        empty_label="Choose a programme",
        error_messages={"required": "Select the programme the poll is for"},
    )
    update = forms.ModelChoiceField(
        label="Show it inside an update (optional)",
        queryset=Update.objects.none(),
        required=False,
        empty_label="Not inside an update",
        help_text="The poll also appears on the programme's page either way.",
    )
    question = forms.CharField(max_length=200, error_messages={"required": "Enter the question"})
    description = forms.CharField(
        label="More about the question (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(
        label="How people answer", choices=PollKind.choices, widget=forms.RadioSelect, initial=PollKind.SINGLE
    )
    choices = forms.CharField(
        label="Answers", widget=forms.Textarea(attrs={"rows": 5}), help_text="One answer on each line, from 2 to 12."
    )
    opens_at = DateTimeField(label="Opens", what="The opening date and time", help_text="London time. For example, 27 3 2027 and 18:30.")
    closes_at = DateTimeField(label="Closes", what="The closing date and time", help_text="London time. For example, 27 3 2027 and 18:30.")

    def __init__(self, *args, poll=None, **kwargs):
        if poll is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "programme": poll.programme_id,
                "update": poll.update_id,
                "question": poll.question,
                "description": poll.description,
                "kind": poll.kind,
                "choices": "\n".join(c.text for c in poll.choices.all()),
                "opens_at": timezone.localtime(poll.opens_at),
                "closes_at": timezone.localtime(poll.closes_at),
            }
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.only("id", "short_name")
        self.fields["programme"].label_from_instance = lambda p: p.short_name
        self.fields["update"].queryset = (
            Update.objects.select_related("programme")
            .only("id", "title", "programme__short_name")
            .order_by("programme__position", "-created_at")
        )
        self.fields["update"].label_from_instance = lambda u: f"{u.programme.short_name}: {u.title}"

    def clean_choices(self):
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class VoteForm(CleanTextForm):
    choice = forms.TypedMultipleChoiceField(coerce=int, choices=(), error_messages={"required": "Choose an answer."})

    def __init__(self, *args, poll_view, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c.pk, c.text) for c in poll_view.choices]
