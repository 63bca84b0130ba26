from datetime import timedelta

from django import forms
from django.utils import timezone

from forums import search as forum_search
from talkhealth import search
from talkhealth.forms import CleanTextForm
from talkhealth.search import Filters

from .selectors import SOURCES

SINCE = {"week": 7, "month": 31, "year": 366}
DATE_CHOICES = [
    ("", "Any time"),
    ("week", "In the past week"),
    ("month", "In the past month"),
    ("year", "In the past year"),
]


class SearchForm(CleanTextForm):
    """What to look for, and where. Every filter is optional; an empty search shows no results."""

    q = forms.CharField(
        label="Search discussions, comments and updates",
        required=False,
        max_length=search.MAX_QUERY_LENGTH,
        help_text='Put "quotation marks" around words that must appear together, and a minus before a word '
        "that must not appear, like -dentist.",
        widget=forms.SearchInput(attrs={"autocomplete": "off", "spellcheck": "true"}),
    )
    type = forms.ChoiceField(label="Show", required=False, widget=forms.RadioSelect, choices=())
    programme = forms.ChoiceField(label="Programme", required=False, choices=())
    tag = forms.CharField(label="Tag", required=False, max_length=100, help_text="For example: waiting times")
    date = forms.ChoiceField(label="Posted", required=False, choices=DATE_CHOICES)

    def __init__(self, *args, programmes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "Everything")] + [(name, s.label) for name, s in SOURCES.items()]
        self.fields["programme"].choices = [("", "All programmes")] + programmes
        self.fields["type"].initial = ""

    def clean_tag(self):
        text = " ".join(self.cleaned_data["tag"].split())
        if not text:
            return ""
        tag = forum_search.tag_for_filter(text=text)
        if tag is None:
            raise forms.ValidationError(f"There is no tag called “{text}”. Check the spelling, or leave it empty.")
        return tag.slug

    @property
    def terms(self) -> search.Terms:
        return search.parse(self.cleaned_data.get("q", "")) if self.is_valid() else search.parse("")

    @property
    def filters(self) -> Filters:
        data = self.cleaned_data
        days = SINCE.get(data.get("date") or "")
        return Filters(
            programme=data.get("programme") or "",
            tag=data.get("tag") or "",
            since=timezone.now() - timedelta(days=days) if days else None,
        )
