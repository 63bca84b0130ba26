from django import forms

from accounts.models import EmailFrequency, NotificationCategory
from talkhealth.forms import CleanTextForm

FREQUENCY_CHOICES = [
    (EmailFrequency.IMMEDIATELY, "Straight away"),
    (EmailFrequency.DAILY, "Daily digest"),
    (EmailFrequency.WEEKLY, "Weekly digest"),
    (EmailFrequency.OFF, "Off"),
]

HINTS = {
    NotificationCategory.REPLY: "When someone replies to your discussion or your comment.",
    NotificationCategory.MENTION: "When someone writes @ and your display name.",
    NotificationCategory.FOLLOWED_THREAD: "You follow the discussions you start or reply to. You can unfollow any of them.",
    NotificationCategory.PROGRAMME_UPDATE: "News from the programmes you follow.",
    NotificationCategory.OFFICIAL_RESPONSE: "When the Healthy London Partnership answers in a discussion you started or follow.",
    NotificationCategory.MODERATION: "When a moderator makes a decision about your post, or about a post you reported.",
    NotificationCategory.APPEAL: "When a moderator decides an appeal you made.",
    NotificationCategory.EVENTS: "When you book a place at an event.",
}


class PreferencesForm(CleanTextForm):
    """How often to email each kind of notification. The inbox on the site always has everything."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in NotificationCategory:
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=FREQUENCY_CHOICES,
                help_text=HINTS[category],
                widget=forms.RadioSelect(attrs={"class": "nhsuk-radios--inline"}),
            )
