"""The NHS.UK date input (day, month, year) with a time beside it, for staff forms.

Browsers show `datetime-local` in their own locale (mm/dd/yyyy in an en-US browser); separate boxes
read the same everywhere. Times are London time. A single value posted under the field's own name
("2027-03-27T18:30", as older forms and API clients send) is still understood.
"""

import re
from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

SINGLE_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
PARTS = ("day", "month", "year", "time")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def parse_time(value: str) -> time | None:
    """18:30, 18.30, 6:30pm, 6pm, 12am: a time of day, or None when it is not one."""
    match = _TIME.match(value.strip().replace(" ", "").lower())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _parse_single(value: str) -> datetime | None:
    for fmt in SINGLE_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(value.strip(), fmt))
        except ValueError:
            continue
    return None


class DateTimeWidget(forms.MultiWidget):
    template_name = "talkhealth/widgets/date_time.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        text = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(
            [forms.TextInput(text), forms.TextInput(text), forms.TextInput(text), forms.TextInput({"autocomplete": "off"})],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, str):
            value = _parse_single(value) or None
        if not value:
            return [None, None, None, None]
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return [value.day, value.month, value.year, value.strftime("%H:%M")]

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{i}" in data for i in range(4)):
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for label, subwidget in zip(("Day", "Month", "Year", "Time"), context["widget"]["subwidgets"]):
            subwidget["label"] = label
        return context


class DateTimeField(forms.MultiValueField):
    """A London date and time from the four boxes; errors name the part that is missing or wrong."""

    widget = DateTimeWidget

    def __init__(self, *, what: str = "The date", **kwargs):
        self.what = what
        kwargs.setdefault("require_all_fields", False)
        fields = [forms.CharField(required=False) for _ in PARTS]
        super().__init__(fields, **kwargs)
        self.error_messages["required"] = f"Enter {what[0].lower()}{what[1:]}"

    def clean(self, value):
        if isinstance(value, str):
            return self._single(value)
        return super().clean(value)

    def _single(self, value: str):
        value = value.strip()
        if not value:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        parsed = _parse_single(value)
        if parsed is None:
            raise ValidationError(f"{self.what} must be a real date and time", code="invalid")
        return parsed

    def compress(self, data_list):
        parts = dict(zip(PARTS, [(part or "").strip() for part in (data_list or [""] * 4)]))
        if not any(parts.values()):
            return None
        missing = [name for name in PARTS if not parts[name]]
        if missing:
            raise ValidationError(f"{self.what} must include a {' and '.join(missing)}", code="incomplete")
        if not all(parts[name].isdigit() for name in ("day", "month", "year")) or len(parts["year"]) != 4:
            raise ValidationError(f"{self.what} must be a real date, for example 27 3 2027", code="invalid")
        at = parse_time(parts["time"])
        if at is None:
            raise ValidationError(f"{self.what} must include a real time, for example 18:30", code="invalid_time")
        try:
            day = datetime(int(parts["year"]), int(parts["month"]), int(parts["day"]), at.hour, at.minute)
        except ValueError:
            raise ValidationError(f"{self.what} must be a real date, for example 27 3 2027", code="invalid") from None
        return timezone.make_aware(day)
