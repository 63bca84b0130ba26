"""Error messages as GOV.UK and NHS.UK write them, for every form on the site.

A field whose form did not word a message itself gets one that names it, in place of Django's
generic defaults: "Enter display name" not "This field is required.", "Enter an email address in
the correct format, like name@example.com" not "Enter a valid email address.". Forms that word
their own messages (most do) keep them. Django reads the renderer's `bound_field_class`, so this
covers allauth's forms too.
"""

from django import forms
from django.core import validators
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorList

CHOOSING = (forms.ChoiceField, forms.ModelChoiceField, forms.MultipleChoiceField, forms.BooleanField)
VALIDATOR_CODES = {"max_length", "min_length", "max_value", "min_value"}
VALIDATOR_DEFAULTS = {str(validators.EmailValidator.message), str(validators.URLValidator.message)}


def _django_default(field: forms.Field, code: str) -> str | None:
    for klass in type(field).__mro__:
        message = getattr(klass, "default_error_messages", {}).get(code)
        if message is not None:
            return str(message)
    return None


def _is_django_default(field: forms.Field, error: forms.ValidationError) -> bool:
    """Django's own wording: the field's class default, or a built-in validator's message."""
    own = field.error_messages.get(error.code)
    if own is not None:
        return str(error.message) == str(own) == _django_default(field, error.code)
    return error.code in VALIDATOR_CODES or str(error.message) in VALIDATOR_DEFAULTS


def _name(field: forms.Field, fallback: str) -> str:
    label = str(field.label or fallback.replace("_", " ").capitalize())
    label = label.split(" (")[0].strip().rstrip(":")
    return label


def _lower(label: str) -> str:
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def reword(field: forms.Field, name: str, error: forms.ValidationError) -> str:
    """The message to show for `error` on `field`: its own wording, or a GOV.UK one for a Django default."""
    message = error.message % error.params if error.params else error.message
    if not _is_django_default(field, error):
        return str(message)
    label = _name(field, name)
    params = error.params or {}
    match error.code:
        case "required" if label.endswith("?"):
            return f"Answer the question “{label}”"
        case "required" if isinstance(field, CHOOSING):
            return f"Select {_lower(label)}"
        case "required":
            return f"Enter {_lower(label)}"
        case "invalid" if isinstance(field, forms.EmailField):
            return "Enter an email address in the correct format, like name@example.com"
        case "invalid" if isinstance(field, forms.URLField):
            return "Enter a web address in the correct format, like https://www.nhs.uk"
        case "invalid" if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
            return f"{label} must be a number"
        case "invalid_choice" | "invalid_pk_value":
            return f"Select {_lower(label)} from the list"
        case "max_length":
            return f"{label} must be {params.get('limit_value'):,} characters or fewer"
        case "min_length":
            return f"{label} must be {params.get('limit_value'):,} characters or more"
        case "max_value":
            return f"{label} must be {params.get('limit_value')} or less"
        case "min_value":
            return f"{label} must be {params.get('limit_value')} or more"
    return str(message)


class GovUkBoundField(BoundField):
    @property
    def errors(self):
        errors = super().errors
        if not errors:
            return errors
        return ErrorList(
            [reword(self.field, self.name, error) for error in errors.as_data()],
            renderer=self.form.renderer,
        )


class FormRenderer(TemplatesSetting):
    bound_field_class = GovUkBoundField
