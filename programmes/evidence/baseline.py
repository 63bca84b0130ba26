"""The London baseline: Census 2021 usual residents by borough, age band, sex and ethnic group
(ONS TS009 and TS021, Open Government Licence v3.0; see data/SOURCES.md), read once per process."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from accounts.boroughs import Borough
from accounts.equality import AGE_BANDS, HighLevelGroup

CSV = Path(__file__).parent / "data" / "census2021_london.csv"
LONDON_CODE = "E12000007"
SOURCE = (
    "Office for National Statistics, Census 2021 (tables TS009 and TS021), usual residents. Contains public "
    "sector information licensed under the Open Government Licence v3.0."
)
CAVEATS = [
    "Census day (21 March 2021) fell in lockdown, and London boroughs, notably Westminster and Kensington "
    "and Chelsea, report an undercount of residents in central London.",
    "Harrow's age and sex figures in the source file are multiples of 100; check them against the current ONS "
    "release.",
    "Sex shares are of all residents; age shares are of residents aged 16 and over; ethnic group shares are of "
    "all residents in the ethnic group table, which ONS perturbs separately, so its total differs slightly.",
]
AGE_COLUMNS = {code: f"age_{low}_{high}" if high < 200 else f"age_{low}_plus" for code, _, low, high in AGE_BANDS}


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    borough: str  # accounts.boroughs slug; "" for the London row
    total: int
    female: int
    male: int
    ages: dict[str, int]  # age band code (accounts.equality.AGE_BANDS) -> people, 16+ only
    age_0_15: int
    eth_total: int
    ethnic: dict[str, int]  # high-level group -> people

    @property
    def adults(self) -> int:
        """Residents aged 16 and over: the population Talk Health serves."""
        return self.total - self.age_0_15


@cache
def areas() -> dict[str, Area]:
    """Every row by GSS code: the 33 boroughs and London."""
    slugs = {label: value for value, label in Borough.choices}
    rows = {}
    with CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            number = {key: int(value) for key, value in row.items() if key not in ("code", "name")}
            rows[row["code"]] = Area(
                code=row["code"],
                name=row["name"],
                borough=slugs.get(row["name"], ""),
                total=number["total"],
                female=number["female"],
                male=number["male"],
                ages={band: number[column] for band, column in AGE_COLUMNS.items()},
                age_0_15=number["age_0_15"],
                eth_total=number["eth_total"],
                ethnic={group: number[group] for group in HighLevelGroup.values},
            )
    return rows


def london() -> Area:
    return areas()[LONDON_CODE]


def by_borough() -> dict[str, Area]:
    """The 33 boroughs by Talk Health's borough slug."""
    return {area.borough: area for area in areas().values() if area.borough}
