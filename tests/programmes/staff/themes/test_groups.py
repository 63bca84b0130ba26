"""Theme cross-tabs by equality group: each person as they were when they took part (their
snapshot), offline contributions by their own answers, small cells as "fewer than 10"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import equality
from accounts import services as account_services
from programmes.themes import groups, selectors, services
from tests.factories import UserFactory
from tests.forums.factories import ThreadFactory, general_board
from tests.programmes.staff.offline.conftest import make_session, record

pytestmark = pytest.mark.django_db


def _speaker(answers: dict):
    person = UserFactory(borough="brent")
    account_services.equality_answers_save(actor=person, user=person, consent=True, **answers)
    thread = ThreadFactory(author=person, board=general_board("cancer"), body="Waiting lists are long.")
    account_services.equality_snapshot_take(user=person, programme_id=thread.board.programme_id, when=thread.created_at)
    return person, thread


def _voices(staff, cancer, n: int):
    """n women born 1950 (a snapshot each, changed since to "male"), n offline men born 1990."""
    theme = services.theme_create(actor=staff, programme=cancer, name="Waiting")
    keys = []
    for _ in range(n):
        person, thread = _speaker(
            {"year_of_birth": 1950, "sex": "female", "ethnic_group": "white-irish", "disability": "no", "carer": "yes-20-34"}
        )
        account_services.equality_answers_save(actor=person, user=person, consent=True, sex="male", year_of_birth=2000)
        keys.append(f"thread:{thread.pk}")
    session = make_session(staff, cancer, date=timezone.localdate() - timedelta(days=3))
    for _ in range(n):
        said = record(
            staff, session, text="The wait for a scan.", year_of_birth=1990, sex="male", ethnic_group="black-african",
            disability="yes-a-lot", carer="no",
        )  # fmt: skip
        keys.append(f"offline:{said.pk}")
    services.items_code(actor=staff, programme=cancer, codes={k: {theme.pk} for k in keys})
    return theme


def _row(table):
    (theme, cells, total), *_ = table.rows
    return {label: cell.shown for (_, label), cell in zip(table.columns, cells, strict=True)}, total


def test_cross_tabs_count_people_as_they_were_when_they_took_part(staff, cancer):
    _voices(staff, cancer, 12)
    tables = selectors.crosstabs(cancer, dimensions=list(groups.DIMENSIONS))
    by = {t.dimension: _row(t) for t in tables}
    assert by["sex"] == ({"Female": "12", "Male": "12"}, "24")
    born_1950, born_1990 = (equality.age_band(year, timezone.localdate()) for year in (1950, 1990))
    assert by["age"][0] == {groups.AGE_LABELS[born_1950]: "12", groups.AGE_LABELS[born_1990]: "12"}
    assert by["ethnic_group"][0] == {"Black, Black British, Caribbean or African": "12", "White": "12"}
    assert by["disability"][0] == {"No": "12", "Yes, limited a lot": "12"}
    assert by["carer"][0] == {"Carer": "12", "Not a carer": "12"}


def test_small_cells_read_fewer_than_10(staff, cancer):
    _voices(staff, cancer, 3)
    cells, total = _row(selectors.crosstab(cancer, dimension="ethnic_group"))
    assert set(cells.values()) == {"fewer than 10"} and total == "fewer than 10"


@pytest.mark.parametrize("dimension", list(groups.DIMENSIONS))
def test_the_counts_page_by_group_costs_the_same_queries_at_two_sizes(
    client, staff, cancer, dimension, django_assert_num_queries
):
    client.force_login(staff)
    url = reverse("staff:themes:counts", kwargs={"slug": "cancer"}) + f"?dimension={dimension}"
    for n in (2, 12):
        _voices(staff, cancer, n) if n == 2 else _more(staff, cancer, n)
        client.get(url)
        with django_assert_num_queries(13):
            response = client.get(url)
        assert response.status_code == 200


def _more(staff, cancer, n):
    from programmes.themes.models import Theme

    theme = Theme.objects.get(programme=cancer, name="Waiting")
    keys = []
    for _ in range(n):
        _, thread = _speaker({"year_of_birth": 1980, "sex": "male", "ethnic_group": "asian-indian"})
        keys.append(f"thread:{thread.pk}")
    services.items_code(actor=staff, programme=cancer, codes={k: {theme.pk} for k in keys})
