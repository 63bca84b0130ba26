"""axe-core accessibility checks for Playwright pages.

    from tests.browser.axe import assert_no_axe_violations
    page.goto("/some/page/")
    assert_no_axe_violations(page)
"""

from django.conf import settings

AXE_SCRIPT = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page, tags=WCAG_22_AA) -> list[dict]:
    """Run axe-core on the page once it has loaded (a click that navigates returns before the new
    document has its content) and return its violations."""
    page.wait_for_load_state("load")
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} is missing: run `npm ci` to install axe-core")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's debugging protocol, not as an inline <script>, so the page's
        # Content-Security-Policy (no inline scripts) neither blocks nor reports it.
        page.evaluate(AXE_SCRIPT.read_text() + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags),
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            lines.append(f"        {node['html'][:200]}")
    return "\n".join(lines)


def assert_no_axe_violations(page, tags=WCAG_22_AA) -> None:
    """Fail, listing each rule broken and the elements that break it, unless axe finds nothing."""
    violations = axe_violations(page, tags)
    assert not violations, f"axe-core found problems on {page.url}:\n{describe(violations)}"
