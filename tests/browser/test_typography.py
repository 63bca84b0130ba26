"""The NHS.UK fallback type (Arial, then the system sans-serif), with no font fetched from anywhere."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NHS_FALLBACK = "arial, sans-serif"


@pytest.mark.parametrize("selector", ["body", "main p", "h1", "h2", ".nhsuk-header", "button, .nhsuk-button"])
def test_body_text_and_headings_use_the_nhs_fallback_font_stack(page, selector, requests_seen):
    page.goto("/")

    family = page.locator(selector).first.evaluate("element => getComputedStyle(element).fontFamily")

    assert family.lower().replace('"', "") == NHS_FALLBACK
    fonts = [url for url in requests_seen if url.split("?")[0].endswith((".woff", ".woff2", ".ttf", ".otf"))]
    assert fonts == []
