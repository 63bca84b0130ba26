from django import forms

from accounts import equality
from accounts.boroughs import Borough
from talkhealth.forms import CleanTextForm

from ..models import Programme
from .models import Channel, Consent, ContributionImport, SessionKind

BOROUGHS = [("", "Not known")] + Borough.choices
NOT_ANSWERED = [("", "Not answered")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SessionForm(CleanTextForm):
    kind = forms.ChoiceField(label="Kind of session", choices=[("", "Choose a kind")] + SessionKind.choices)
    title = forms.CharField(max_length=150, help_text='For example "Brent roadshow". Residents see it in the marker.')
    programmes = forms.ModelMultipleChoiceField(
        queryset=Programme.objects.none(), widget=forms.CheckboxSelectMultiple, help_text="Choose all that apply."
    )
    date = forms.DateField(widget=DateInput())
    borough = forms.ChoiceField(label="Borough (optional)", required=False, choices=BOROUGHS)
    venue = forms.CharField(required=False, max_length=300)
    facilitators = forms.CharField(required=False, max_length=300, help_text="Who ran it.")
    attendance = forms.IntegerField(label="Attendance (optional)", required=False, min_value=0)
    interpreter_languages = forms.CharField(
        label="Interpreter languages (optional)",
        required=False,
        max_length=200,
        help_text="For example: Somali, Polish.",
    )
    bsl = forms.BooleanField(label="British Sign Language interpreter", required=False)
    easy_read = forms.BooleanField(label="Easy-read materials", required=False)
    hearing_loop = forms.BooleanField(label="Hearing loop", required=False)
    notes = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = Programme.objects.only("id", "short_name")
        self.fields["programmes"].label_from_instance = lambda p: p.short_name

    @staticmethod
    def initial_for(session) -> dict:
        initial = {name: getattr(session, name) for name in SessionForm.base_fields if name != "programmes"}
        initial["programmes"] = [p.pk for p in session.programmes.all()]
        return initial


class ContributionForm(CleanTextForm):
    """One person's words. Text comes first and the session's choices stay set from the last entry,
    so a pile of postcards is typed one after another from the keyboard."""

    text = forms.CharField(
        label="What they said or wrote",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5, "autofocus": True}),
        help_text="As written. Replace names, phone numbers and other personal details with [removed].",
    )
    personal_confirmed = forms.BooleanField(label="I have checked: this is not personal information", required=False)
    consent = forms.ChoiceField(label="Consent", choices=Consent.choices[:2], widget=forms.RadioSelect)
    channel = forms.ChoiceField(label="How it was given", choices=Channel.choices)
    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), empty_label=None)
    borough = forms.ChoiceField(label="Their borough (optional)", required=False, choices=BOROUGHS)
    language = forms.CharField(max_length=60, initial="English", help_text="The language it was said in.")
    is_translation = forms.BooleanField(label="The text is a translation into English", required=False)
    year_of_birth = forms.IntegerField(
        label="Year of birth (optional)",
        required=False,
        help_text=f"Four digits, or 0 if they preferred not to say. {equality.QUESTIONS['year_of_birth']}",
    )
    sex = forms.ChoiceField(label="Sex (optional)", required=False, choices=NOT_ANSWERED + equality.Sex.choices)
    ethnic_group = forms.ChoiceField(
        label="Ethnic group (optional)", required=False, choices=NOT_ANSWERED + equality.ETHNIC_GROUP_CHOICES
    )
    disability = forms.ChoiceField(
        label="Disability (optional)",
        required=False,
        choices=NOT_ANSWERED + equality.Disability.choices,
        help_text=equality.QUESTIONS["disability"],
    )
    carer = forms.ChoiceField(
        label="Unpaid carer (optional)",
        required=False,
        choices=NOT_ANSWERED + equality.Carer.choices,
        help_text=equality.QUESTIONS["carer"],
    )
    original = forms.FileField(
        label="Photo of the original (optional)",
        required=False,
        help_text="JPEG, PNG, GIF or WebP, up to 5 MB. Only partnership staff can see it.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    STICKY = ("consent", "channel", "programme", "language", "borough")
    EQUALITY = ("year_of_birth", "sex", "ethnic_group", "disability", "carer")

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = list(session.programmes.all())
        field = self.fields["programme"]
        field.queryset = session.programmes.all()
        field.choices = [(p.pk, p.short_name) for p in programmes]
        if len(programmes) == 1:
            field.widget = forms.HiddenInput()
        field.initial = field.initial or (programmes[0].pk if programmes else None)
        channel = {
            "postcards": "postcard",
            "phone_line": "phone",
            "paper_survey": "paper_form",
            "hearing": "interview",
        }.get(session.kind, "spoken")
        self.fields["channel"].initial = channel
        self.fields["consent"].initial = Consent.PUBLISH

    def service_fields(self) -> dict:
        return {
            name: value for name, value in self.cleaned_data.items() if name not in ("original", "personal_confirmed")
        }


class PublishForm(CleanTextForm):
    thread = forms.TypedChoiceField(label="Discussion", coerce=int)

    def __init__(self, *args, threads, **kwargs):
        super().__init__(*args, **kwargs)
        self.threads = {t.pk: t for t in threads}
        self.fields["thread"].choices = [(t.pk, f"{t.title} ({t.board.name})") for t in threads]

    def clean_thread(self):
        return self.threads[self.cleaned_data["thread"]]


class ImportForm(CleanTextForm):
    file = forms.FileField(label="CSV or XLSX file", help_text="Up to 20 MB, with the template's first row.")


class DecisionForm(CleanTextForm):
    mode = forms.ChoiceField(
        label="What to do",
        widget=forms.RadioSelect,
        choices=[
            (ContributionImport.Mode.VALID_ROWS, "Import the valid rows now, and fix the rest from the rejects file"),
            (ContributionImport.Mode.ALL_OR_NOTHING, "Import nothing: fix the file and upload all of it again"),
        ],
    )
