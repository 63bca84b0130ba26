"""A whole-database scan: which tables still hold some text. Used by the tests that prove words
are gone after an account is deleted or consent to an offline contribution is withdrawn."""

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Q

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def found_anywhere(*needles: str) -> list[str]:
    """Every "table.column", across all installed apps, whose text contains any of `needles`."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model is Session:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            condition = Q()
            for needle in needles:
                condition |= Q(**{f"{field.attname}__icontains": needle})
            if model._base_manager.filter(condition).exists():
                found.append(f"{model._meta.db_table}.{field.column}")
    return found
