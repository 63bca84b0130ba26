"""The staff theme pages: who may see them, forms with errors in place, constant query counts."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from programmes.themes import services
from programmes.themes.models import Coding, DiscoveryRun, ProposedTheme, Theme
from tests.factories import UserFactory

from .conftest import seed_planted

pytestmark = pytest.mark.django_db

PAGES = ["index", "codebook", "coding", "runs", "suggestions", "counts"]


def _url(name, slug="cancer", **kwargs):
    return reverse(f"staff:themes:{name}", kwargs={} if name == "index" else {"slug": slug, **kwargs})


@pytest.mark.parametrize("page", PAGES)
def test_theme_pages_are_hidden_from_everyone_but_staff(client, page, resident, moderator):
    assert client.get(_url(page)).status_code == 404
    client.force_login(resident)
    assert client.get(_url(page)).status_code == 404
    client.force_login(moderator)
    assert client.get(_url(page)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_staff_see_every_theme_page(client, staff, page):
    client.force_login(staff)
    assert client.get(_url(page)).status_code == 200


def test_a_theme_with_a_taken_name_shows_the_error_in_place(client, staff, cancer):
    services.theme_create(actor=staff, programme=cancer, name="Waiting")
    client.force_login(staff)
    response = client.post(_url("codebook"), {"name": "waiting"})
    assert response.status_code == 400
    assert "There is a problem" in response.text and "already has a theme called" in response.text


def _coding_page(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get(_url("coding"))
    assert response.status_code == 200
    return response


def test_the_coding_view_costs_the_same_queries_at_two_sizes(client, staff, cancer, django_assert_num_queries):
    services.theme_create(actor=staff, programme=cancer, name="Waiting")
    client.force_login(staff)
    seed_planted(cancer, per_theme=3)
    client.get(_url("coding"))
    small = _coding_page(client, django_assert_num_queries, 14)
    assert "0 of 20" in small.text
    planted = seed_planted(cancer, per_theme=40)
    services.items_code(
        actor=staff, programme=cancer, codes={k: {cancer.themes.get().pk} for k in sorted(planted)[:30]}
    )
    large = _coding_page(client, django_assert_num_queries, 14)
    assert "30 of 225" in large.text


def test_staff_code_a_page_of_items(client, staff, cancer):
    planted = seed_planted(cancer, per_theme=2)
    theme = services.theme_create(actor=staff, programme=cancer, name="Waiting")
    client.force_login(staff)
    page = client.get(_url("coding"))
    first = sorted(planted, key=lambda k: (k.split(":")[0] != "thread", k))
    key = page.context["rows"][0][0].key
    response = client.post(_url("coding"), {key: [theme.pk]})
    assert response.status_code == 302
    assert [c.key for c in Coding.objects.filter(theme=theme)] == [key] and first
    assert "1 of 15" in client.get(_url("coding")).text
    empty = client.post(_url("coding"), {})
    assert empty.status_code == 400 and "Choose at least one theme" in empty.text


def test_discovery_through_the_pages_then_accept_with_a_new_name(
    client, staff, cancer, django_capture_on_commit_callbacks
):
    seed_planted(cancer, per_theme=15)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("runs"), {"job": "discover", "k": "5"})
    run = DiscoveryRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    page = client.get(run.get_absolute_url())
    assert run.corpus_sha256 in page.text and page.text.count("Top terms:") == 5
    proposal = ProposedTheme.objects.filter(run=run).first()
    client.post(
        run.get_absolute_url(), {"proposal": proposal.pk, "action": "accept", "name": "Getting an appointment"}
    )
    assert Theme.objects.get(programme=cancer).name == "Getting an appointment"
    again = client.post(run.get_absolute_url(), {"proposal": proposal.pk, "action": "accept", "name": "Twice"})
    assert again.status_code == 400 and "already been decided" in again.text
    assert (
        client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
        .templates[0]
        .name.endswith("_run_progress.html")
    )


def test_counts_show_small_cells_as_fewer_than_ten(client, staff, cancer):
    planted = seed_planted(cancer, per_theme=30, authors=2)
    themes = {n: services.theme_create(actor=staff, programme=cancer, name=n) for n in sorted(set(planted.values()))}
    rare = services.theme_create(actor=staff, programme=cancer, name="Rare")
    codes = {k: {themes[n].pk} for k, n in planted.items()}
    for key in sorted(planted)[:3]:
        codes[key].add(rare.pk)
    services.items_code(actor=staff, programme=cancer, codes=codes)
    client.force_login(staff)
    response = client.get(_url("counts"), {"dimension": "borough"})
    table = response.context["table"]
    assert response.status_code == 200
    small = [cell for _, cells, _ in table.rows for cell in cells if cell.count < 10]
    assert small and all(cell.shown == "fewer than 10" and cell.lift == "–" for cell in small)
    assert table.test is not None and "Chi-square test" in response.text
    assert str(rare.pk) not in table.test.rows and len(table.test.rows) == 5
    for value in ("month", "source", "board"):
        assert client.get(_url("counts"), {"dimension": value}).status_code == 200


def test_discover_themes_command_writes_json(tmp_path, cancer):
    planted = seed_planted(cancer, per_theme=12)
    out = tmp_path / "themes.json"
    call_command("discover_themes", "--programme", "cancer", "--k", "5", "--json", str(out))
    data = json.loads(out.read_text())
    assert len(data["themes"]) == 5 and all(t["terms"] and t["suggested_name"] for t in data["themes"])
    assert {i["id"] for i in data["items"]} == set(planted)
    assert {i["kind"] for i in data["items"]} == {"thread", "comment"}
    assert all(i["theme"] in range(5) for i in data["items"])


def test_the_theme_page_links_a_decision_and_says_who_is_told(
    client, staff, cancer, django_capture_on_commit_callbacks
):
    from ..factories import published_update

    planted = seed_planted(cancer, per_theme=2)
    theme = services.theme_create(actor=staff, programme=cancer, name="Waiting")
    services.items_code(actor=staff, programme=cancer, codes={k: {theme.pk} for k in planted})
    with django_capture_on_commit_callbacks(execute=True):
        update = published_update(staff, "cancer")
    client.force_login(staff)
    url = theme.get_absolute_url()
    assert client.post(url, {"action": "decision"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "decision", "update": update.pk}, follow=True)
    assert "6 contributors are being told" in response.text
    assert f'href="{update.get_absolute_url()}"' in response.text


def _grow(staff, cancer, per_theme, capture):
    """More contributions, codes, suggestions, quotes and a finished run: the pages' data grows."""
    from programmes.themes import discovery, outcomes

    planted = seed_planted(cancer, per_theme=per_theme, seed=per_theme)
    theme = Theme.objects.get(programme=cancer, name="Waiting")
    keys = sorted(planted)
    services.items_code(actor=staff, programme=cancer, codes={k: {theme.pk} for k in keys[: per_theme * 2]})
    outcomes.quote_choose(actor=staff, theme=theme, key=keys[0])
    Coding.objects.bulk_create(
        Coding(
            programme=cancer,
            theme=theme,
            kind=k.split(":")[0],
            item_pk=int(k.split(":")[1]),
            status="suggested",
            confidence=0.9,
        )
        for k in keys[per_theme * 2 : per_theme * 3]
    )
    with capture(execute=True):
        discovery.run_request(actor=staff, programme=cancer, k=3)
    return theme


@pytest.mark.parametrize(
    "page, expected",
    [("codebook", 11), ("suggestions", 8), ("counts", 10), ("counts_by_age", 13), ("theme", 17), ("run", 10), ("runs", 5)],
)
def test_theme_pages_cost_the_same_queries_at_two_sizes(
    client, staff, cancer, page, expected, django_assert_num_queries, django_capture_on_commit_callbacks
):
    services.theme_create(actor=staff, programme=cancer, name="Waiting")
    services.theme_create(actor=staff, programme=cancer, name="Travel")
    client.force_login(staff)
    for size in (4, 30):
        theme = _grow(staff, cancer, size, django_capture_on_commit_callbacks)
        run = DiscoveryRun.objects.first()
        url = {
            "theme": theme.get_absolute_url(),
            "run": run.get_absolute_url(),
            "counts": _url("counts") + "?dimension=borough",
            "counts_by_age": _url("counts") + "?dimension=age",
        }.get(page) or _url(page)
        client.get(url)
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


def test_the_coding_filters_narrow_online_and_offline_items_in_the_database(client, staff, cancer):
    """Board, discussion, dates, source and borough each narrow the uncoded items; what is coded
    leaves the list; the progress counts the whole corpus."""
    from datetime import date, timedelta

    from django.utils import timezone

    from forums.models import Board
    from programmes.themes import selectors
    from tests.forums.factories import CommentFactory, ThreadFactory
    from tests.programmes.staff.offline.conftest import make_session, record

    general = Board.objects.get(programme=cancer, slug="general")
    ideas = Board.objects.get(programme=cancer, slug="ideas")
    croydon = UserFactory(borough="croydon")
    old = ThreadFactory(board=general, author=croydon, title="Old one")
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=100))
    recent = ThreadFactory(board=ideas, title="Recent one")
    CommentFactory(thread=recent, author=croydon)
    CommentFactory(thread=recent)
    session = make_session(staff, cancer, date=date.today() - timedelta(days=3))
    record(staff, session, text="Postcard one, about clinics.", borough="brent")
    coded = record(staff, session, text="Postcard two, about buses.", borough="croydon")
    theme = services.theme_create(actor=staff, programme=cancer, name="Travel")
    services.items_code(actor=staff, programme=cancer, codes={f"offline:{coded.pk}": {theme.pk}})

    def matching(**filters):
        return selectors.coding_page(cancer, filters=selectors.CodingFilters(**filters)).matching

    assert matching() == 5  # two openers, two replies, one postcard not yet coded
    assert matching(source="offline") == 1 and matching(source="online") == 4
    assert matching(board=general.pk) == 1 and matching(board=ideas.pk) == 3
    assert matching(thread=recent.pk) == 3
    assert matching(borough="croydon") == 2 and matching(borough="brent") == 1
    assert matching(start=date.today() - timedelta(days=10)) == 4
    assert matching(end=date.today() - timedelta(days=50)) == 1
    assert matching(start=date.today() - timedelta(days=5), end=date.today() - timedelta(days=2), source="offline") == 1
    page = selectors.coding_page(cancer, filters=selectors.CodingFilters())
    assert (page.total, page.coded) == (6, 1)
    assert [i.key for i in page.items][0] == f"thread:{old.pk}"  # oldest first

    client.force_login(staff)
    response = client.get(_url("coding"), {"source": "offline", "borough": "brent"})
    assert response.status_code == 200
    assert "1 uncoded contribution matches" in response.text and "Postcard one, about clinics." in response.text
    assert "Postcard two" not in response.text
    bad = client.get(_url("coding"), {"start": "31/02/2026"})
    assert bad.status_code == 200 and "5 uncoded contributions match. Page 1 of 1." in bad.text
    assert "Enter a valid date" in bad.text  # said beside the field; the list is not narrowed
