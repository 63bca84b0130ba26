"""The shipped Census 2021 London baseline adds up, as data/SOURCES.md says it does."""

import csv

from accounts.boroughs import Borough
from accounts.equality import HighLevelGroup
from programmes.evidence import baseline

AGE_COLUMNS = [
    "age_0_15", "age_16_24", "age_25_34", "age_35_44", "age_45_54", "age_55_64", "age_65_74", "age_75_84",
    "age_85_plus",
]
ETHNIC = ["white", "mixed", "asian", "black", "other"]


def _rows():
    with baseline.CSV.open(newline="", encoding="utf-8") as handle:
        return [{k: v if k in ("code", "name") else int(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def test_every_row_adds_up():
    rows = _rows()
    assert len(rows) == 34
    for row in rows:
        assert sum(row[c] for c in AGE_COLUMNS) == row["total"], row["name"]
        assert row["female"] + row["male"] == row["total"], row["name"]
        assert sum(row[c] for c in ETHNIC) == row["eth_total"], row["name"]


def test_london_is_the_sum_of_its_33_areas():
    rows = _rows()
    london = next(r for r in rows if r["code"] == baseline.LONDON_CODE)
    boroughs = [r for r in rows if r["code"].startswith("E09")]
    assert sorted(r["code"] for r in boroughs) == [f"E090000{n:02d}" for n in range(1, 34)]
    for column in ["total", "female", "male", "eth_total", *AGE_COLUMNS, *ETHNIC]:
        assert sum(r[column] for r in boroughs) == london[column], column


def test_london_shares_are_the_published_ones():
    london = baseline.london()
    shares = {group: round(n * 100 / london.eth_total, 1) for group, n in london.ethnic.items()}
    assert shares == {"white": 53.8, "asian": 20.7, "black": 13.5, "mixed": 5.7, "other": 6.3}
    assert round(london.female * 100 / london.total, 1) == 51.5
    assert london.adults == 7_103_929 == sum(london.ages.values())


def test_every_borough_on_the_list_has_its_census_row():
    assert set(baseline.by_borough()) == set(Borough.values)
    assert set(baseline.london().ethnic) == set(HighLevelGroup.values)
    assert baseline.by_borough()["city-of-london"].code == "E09000001"
