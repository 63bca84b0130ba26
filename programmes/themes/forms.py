from django import forms

from accounts.boroughs import Borough
from talkhealth.forms import CleanTextForm

from ..reports.forms import DateInput
from .models import Theme, ThemeStatus
from .selectors import dimension_choices

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _themes(programme, *, exclude=None, top_level=False):
    themes = Theme.objects.filter(programme=programme, status=ThemeStatus.ACTIVE).only("id", "name", "parent_id")
    if exclude is not None:
        themes = themes.exclude(pk=exclude.pk)
    return themes.filter(parent__isnull=True) if top_level else themes


class ThemeForm(CleanTextForm):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    inclusion_notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What counts as this theme, and what does not.",
    )
    parent = forms.ModelChoiceField(
        queryset=Theme.objects.none(), required=False, empty_label="None: a top-level theme", label="Sits under"
    )

    def __init__(self, *args, programme, theme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _themes(programme, exclude=theme, top_level=True).order_by("name")


class MergeForm(CleanTextForm):
    target = forms.ModelChoiceField(queryset=Theme.objects.none(), label="Merge this theme into")

    def __init__(self, *args, theme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _themes(theme.programme, exclude=theme).order_by("name")


class SplitForm(CleanTextForm):
    name = forms.CharField(max_length=120, label="Name of the new theme")
    keys = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="Coded items that move to the new theme"
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keys"].choices = [(i.key, i.text[:120]) for i in items]


class DecisionForm(CleanTextForm):
    update = forms.ModelChoiceField(queryset=None, required=False, empty_label="No update", label="Programme update")
    response = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="No official response", label="Official response"
    )

    def __init__(self, *args, detail, **kwargs):
        super().__init__(*args, **kwargs)
        from forums.models import Comment

        from ..updates.models import Update

        self.fields["update"].queryset = Update.objects.filter(pk__in=[u.pk for u in detail.updates])
        self.fields["update"].choices = [("", "No update"), *((u.pk, u.title) for u in detail.updates)]
        self.fields["response"].queryset = Comment.objects.filter(pk__in=[c.pk for c in detail.responses])
        self.fields["response"].choices = [
            ("", "No official response"),
            *((c.pk, f"In “{c.thread.title}”, {c.created_at:%-d %b %Y}") for c in detail.responses),
        ]

    def clean(self):
        data = super().clean()
        if bool(data.get("update")) == bool(data.get("response")):
            raise forms.ValidationError("Choose one decision: a programme update or an official response.")
        return data


class RunForm(CleanTextForm):
    k = forms.IntegerField(
        required=False,
        min_value=2,
        max_value=30,
        label="Number of themes (optional)",
        help_text="Leave empty to let discovery choose the number that comes out the same across several starts.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
    )
    start = forms.DateField(required=False, label="From (optional)", widget=DateInput(), input_formats=DATE_FORMATS)
    end = forms.DateField(required=False, label="To (optional)", widget=DateInput(), input_formats=DATE_FORMATS)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be on or after the start date.")
        return data


class ProposalForm(CleanTextForm):
    name = forms.CharField(max_length=120, label="Theme name")


class CodingFilterForm(CleanTextForm):
    board = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    thread = forms.IntegerField(required=False, min_value=1, label="Discussion number")
    start = forms.DateField(required=False, label="From", widget=DateInput(), input_formats=DATE_FORMATS)
    end = forms.DateField(required=False, label="To", widget=DateInput(), input_formats=DATE_FORMATS)
    source = forms.ChoiceField(
        required=False, choices=[("", "Online and offline"), ("online", "Online"), ("offline", "Offline")]
    )
    borough = forms.ChoiceField(required=False, choices=[("", "Any borough"), *Borough.choices])

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [("", "Any board"), *((b.pk, b.name) for b in boards)]


class CodingForm(CleanTextForm):
    """One set of theme checkboxes per item on the page, named by the item's key."""

    def __init__(self, *args, items, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [(t.pk, t.name) for t in themes]
        for n, item in enumerate(items, start=1):
            self.fields[item.key] = forms.TypedMultipleChoiceField(
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=f"Themes for item {n}",
            )

    def codes(self) -> dict[str, set[int]]:
        return {key: set(ids) for key, ids in self.cleaned_data.items() if ids}


class CrossTabForm(CleanTextForm):
    dimension = forms.ChoiceField(label="Count themes by")
    start = forms.DateField(required=False, label="From", widget=DateInput(), input_formats=DATE_FORMATS)
    end = forms.DateField(required=False, label="To", widget=DateInput(), input_formats=DATE_FORMATS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = dimension_choices()
