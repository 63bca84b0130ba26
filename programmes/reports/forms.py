from datetime import timedelta

from django import forms
from django.utils import timezone

from talkhealth.forms import CleanTextForm

from ..models import Programme

MAX_DAYS = 731


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReportForm(CleanTextForm):
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(), required=False, empty_label="All programmes", to_field_name="slug"
    )
    start = forms.DateField(label="From", widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    end = forms.DateField(
        label="To", widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"], help_text="Includes this day."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.only("id", "slug", "short_name")
        self.fields["programme"].label_from_instance = lambda p: p.short_name

    @staticmethod
    def default_initial() -> dict:
        today = timezone.localdate()
        return {"start": today - timedelta(weeks=12) + timedelta(days=1), "end": today}

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end date must be on or after the start date.")
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", "Choose a period of two years or less.")
        return data


class ExportForm(CleanTextForm):
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(),
        required=False,
        empty_label="All programmes",
        to_field_name="slug",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.only("id", "slug", "short_name")
        self.fields["programme"].label_from_instance = lambda p: p.short_name
