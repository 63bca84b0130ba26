from django import forms

from talkhealth.forms import CleanTextForm

from ..models import Board
from .models import HouseRule, ReportReason

REASON_HELP = "Recorded in the audit log. The author sees it, so write it for them."


class ReportForm(CleanTextForm):
    reason = forms.ChoiceField(
        label="Why are you reporting this?", choices=ReportReason.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select why you are reporting this post"},
    )
    details = forms.CharField(
        label="Tell us more (required if you chose “Something else”)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Up to 1,000 characters. Only moderators will see this.",
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == ReportReason.OTHER and not (data.get("details") or "").strip():
            self.add_error("details", "Tell us what is wrong with this post.")
        return data


class DecisionForm(CleanTextForm):
    ACTIONS = [
        ("dismiss", "Keep it: dismiss the reports"),
        ("approve", "Approve: publish it"),
        ("hide", "Hide it"),
        ("remove", "Remove it"),
    ]
    action = forms.ChoiceField(label="Decision", choices=ACTIONS, widget=forms.RadioSelect)
    house_rule = forms.ChoiceField(
        label="House rule broken (for hide or remove)", choices=[("", "None")] + list(HouseRule.choices), required=False
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=REASON_HELP + " Optional when you approve.",
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in ("hide", "remove") and not data.get("house_rule"):
            self.add_error("house_rule", "Say which house rule the post breaks.")
        if data.get("action") and data["action"] != "approve" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter a reason: it is recorded and shown to the author.")
        return data


class SanctionForm(CleanTextForm):
    ACTIONS = [("warn", "Warn the author"), ("suspend", "Suspend posting"), ("ban", "Ban the author")]
    action = forms.ChoiceField(label="Action about the author", choices=ACTIONS, widget=forms.RadioSelect)
    days = forms.IntegerField(label="Days (for a suspension)", min_value=1, max_value=365, required=False,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    house_rule = forms.ChoiceField(label="House rule", choices=list(HouseRule.choices))
    reason = forms.CharField(label="Reason", error_messages={"required": "Give a reason"}, widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP)

    def clean(self):
        data = super().clean()
        if data.get("action") == "suspend" and not data.get("days"):
            self.add_error("days", "Say how many days the suspension lasts.")
        return data


class EditForm(CleanTextForm):
    body = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 8}), max_length=10000)
    reason = forms.CharField(label="Note about the edit", widget=forms.Textarea(attrs={"rows": 2}), help_text=REASON_HELP)


class ThreadActionForm(CleanTextForm):
    ACTIONS = [
        ("lock", "Lock"), ("unlock", "Unlock"), ("pin", "Pin to the top of its board"), ("unpin", "Unpin"),
        ("move", "Move to another board"),
    ]
    action = forms.ChoiceField(label="Thread action", choices=ACTIONS, widget=forms.RadioSelect)
    board = forms.ModelChoiceField(label="Move to", queryset=Board.objects.select_related("programme"), required=False)
    reason = forms.CharField(label="Reason", error_messages={"required": "Give a reason"}, widget=forms.Textarea(attrs={"rows": 2}), help_text=REASON_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].label_from_instance = lambda b: f"{b.programme.short_name}: {b.name}"

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("board"):
            self.add_error("board", "Choose the board to move the discussion to.")
        return data


class BulkForm(CleanTextForm):
    ACTIONS = [
        ("approve", "Approve the selected held posts"),
        ("dismiss", "Dismiss reports on the selected items"),
        ("hide", "Hide the selected items"),
    ]
    items = forms.TypedMultipleChoiceField(coerce=int, choices=[], label="Items")
    action = forms.ChoiceField(label="Bulk action", choices=ACTIONS, widget=forms.RadioSelect)
    house_rule = forms.ChoiceField(label="House rule (for hide)", choices=[("", "None")] + list(HouseRule.choices), required=False)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                             help_text=REASON_HELP + " Optional when you approve.")

    def __init__(self, *args, item_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i, i) for i in item_ids]


class AppealForm(CleanTextForm):
    text = forms.CharField(
        label="Why do you think the decision was wrong?", max_length=2000,
        error_messages={"required": "Enter why you think the decision was wrong"},
        widget=forms.Textarea(attrs={"rows": 5}), help_text="Up to 2,000 characters. A different moderator will read it.",
    )


class AppealDecisionForm(CleanTextForm):
    decision = forms.ChoiceField(
        label="Decision", widget=forms.RadioSelect,
        choices=[("uphold", "Uphold: the original decision stands"), ("reverse", "Reverse: undo the original decision")],
    )
    reason = forms.CharField(label="Reason", error_messages={"required": "Give a reason"}, widget=forms.Textarea(attrs={"rows": 3}), help_text=REASON_HELP)


class LogFilterForm(CleanTextForm):
    actor = forms.CharField(label="Moderator's display name", required=False)
    kind = forms.ChoiceField(label="Action", required=False, choices=[("", "Any")])
    programme = forms.CharField(required=False, widget=forms.HiddenInput)
    since = forms.DateField(label="From (YYYY-MM-DD)", required=False)
    until = forms.DateField(label="To (YYYY-MM-DD)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ModerationAction

        self.fields["kind"].choices = [("", "Any")] + list(ModerationAction.Kind.choices)


class SupportForm(CleanTextForm):
    message = forms.CharField(
        label="Message to the person", max_length=3000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Sent privately to their Talk Health inbox. The urgent help numbers are added after it.",
    )


class ReferralForm(CleanTextForm):
    referred_to = forms.CharField(label="Referred to", max_length=200,
                                  error_messages={"required": "Enter who you referred the person to"},
                                  help_text="For example, the local authority safeguarding team, or the police.")
    reference = forms.CharField(label="Their reference (optional)", max_length=100, required=False)
    referred_at = forms.DateTimeField(
        label="When (YYYY-MM-DD HH:MM)", required=False, help_text="Leave empty for now.",
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
