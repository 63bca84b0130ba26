import pytest
from django.core.exceptions import ValidationError

from accounts.names import normalise, validate_display_name


@pytest.mark.parametrize("name", ["Alex Morgan", "Priya S", "O'Neill", "Jean-Luc", "Zoë 42", "Desmond", "Kenhshaw"])
def test_ordinary_names_are_accepted(name):
    validate_display_name(name)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Al", "length"),
        ("x" * 31, "length"),
        ("alex@example.com", "email"),
        ("alex at example dot com", "email"),
        ("alex.example.co.uk", "email"),
        ("<script>", "characters"),
        ("-dash", "characters"),
        ("Moderator", "impersonation"),
        ("Site Moderator", "impersonation"),
        ("M0derat0r Jo", "impersonation"),
        ("NHS", "impersonation"),
        ("NHS Jane", "impersonation"),
        ("nhs_jane", "impersonation"),
        ("NHSJane", "impersonation"),
        ("Jane (staff)", "characters"),
        ("Jane Staff", "impersonation"),
        ("JaneStaff", "impersonation"),
        ("Admin", "impersonation"),
        ("TalkHealth Team", "impersonation"),
    ],
)
def test_bad_names_are_refused_with_a_reason(name, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_display_name(name)
    assert excinfo.value.code == code


def test_normalise_folds_width_and_collapses_spaces():
    assert normalise("  Ｊｏ   Bloggs ") == "Jo Bloggs"
