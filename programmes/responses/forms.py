from django import forms

from forums.models import ThreadStatus
from talkhealth.forms import CleanTextForm


class ThreadStatusForm(CleanTextForm):
    status = forms.ChoiceField(
        label="Where the partnership stands",
        choices=ThreadStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a status for the discussion."},
    )
    update = forms.ModelChoiceField(
        label="The update that records the change",
        queryset=None,
        required=False,
        empty_label="Choose an update",
        help_text='Needed for "Led to a change". Publish the update first if it is not listed.',
    )

    def __init__(self, *args, updates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["update"].queryset = updates
        self.fields["update"].label_from_instance = lambda u: u.title

    def clean(self):
        data = super().clean()
        if data.get("status") == ThreadStatus.CHANGED and not data.get("update"):
            self.add_error("update", "Choose the update that records the change.")
        return data
