"""Round trips: the demo → export-census (both generations) → import-census → the same schools and scorecards."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import qyanalysis as qy
from qyanalysis.opening import load_demo
from qyanalysis.io.census import (Census, fields_held, import_census, load_mapping, read_census,
                                  supplement)
from qyanalysis.io.census_export import export_census
from qyanalysis.paths import demo_data_dir


@pytest.fixture(scope="module")
def demo():
    return load_demo()


def _same(expected: pd.DataFrame, got: pd.DataFrame) -> list[str]:
    """Columns that differ where the import has a value (money within 1 yuan, areas within 0.01 m²)."""
    expected = expected.set_index("school_id").sort_index()
    got = got.set_index("school_id").sort_index()
    assert list(expected.index) == list(got.index)
    differing = []
    for column in got.columns:
        if column in ("county_code", "county") or got[column].isna().all():
            continue
        if got[column].dtype.kind == "f":
            if not np.allclose(expected[column].astype(float), got[column], atol=1.0, equal_nan=True):
                differing.append(column)
        elif not (expected[column].astype(str) == got[column].astype(str)).all():
            differing.append(column)
    return differing


@pytest.mark.parametrize("form_year, year", [("2018", 2020), ("2021", 2022)])
def test_every_level_round_trips(tmp_path, demo, form_year, year):
    schools = demo.schools[(demo.schools["year"] == year) & (demo.schools["level"] != "vocational")]
    sample = schools.groupby(["level", "is_teaching_point"], group_keys=False).head(2)
    export_census(sample, tmp_path, form_year)
    census = read_census(tmp_path)
    assert census.errors == []
    assert _same(sample, census.schools) == []
    assert (census.schools["county"].to_numpy() == sample.sort_values("school_id")["county_code"].to_numpy()).all()
    held = {c for c in census.schools.columns if census.schools[c].notna().any()}
    assert {"students", "classes", "teachers", "teachers_above_required_qualification", "backbone_teachers",
            "pe_arts_teachers", "teaching_area_m2", "sports_area_m2", "equipment_value_yuan", "multimedia_rooms",
            "library_books", "computers", "teachers_senior_title", "staff", "migrant_students"} <= held
    assert ("temporary_teachers" in held) == (form_year == "2018")


def test_run_on_the_imported_folder_gives_the_demo_scorecards(tmp_path, demo):
    """A county's scorecard from the folder imported with ``--with`` the demo equals the demo's own on the
    same schools: the forms' fields read back, the others (fitness, myopia, dropouts, rooms …) from the demo."""
    county, year = "441825", 2022
    schools = demo.schools[(demo.schools["county_code"] == county) & (demo.schools["year"] == year)
                           & (demo.schools["level"] != "vocational")]
    export_census(schools, tmp_path / "census", "2021")
    census, _ = import_census(tmp_path / "census", tmp_path / "imported", with_dir=demo_data_dir())
    reference = tmp_path / "reference"
    shutil.copytree(tmp_path / "imported", reference)
    schools.rename(columns={"county_code": "county"}).to_csv(reference / "schools.csv", index=False)
    got = qy.scorecard(qy.load_dataset(tmp_path / "imported"), county, year)
    want = qy.scorecard(qy.load_dataset(reference), county, year)
    columns = ["target_id", "value", "status"]
    pd.testing.assert_frame_equal(got[columns].reset_index(drop=True), want[columns].reset_index(drop=True))
    assert (got["status"] != "no_data").sum() > 10
    taken = census.provenance[census.provenance["file"].str.endswith("(--with)")]
    assert {"fitness_tested", "myopia_cases", "dropouts", "music_rooms"} <= set(taken["field"])
    assert not set(taken["field"]) & fields_held(load_mapping(), year)


def test_supplement_never_replaces_a_figure_the_forms_hold(demo):
    """A field the forms hold stays as read even where the other folder differs or the census cell is empty."""
    sample = demo.schools[(demo.schools["year"] == 2022) & (demo.schools["level"] == "primary")].head(2)
    read = sample.rename(columns={"county_code": "county"}).assign(students=[10.0, np.nan], dropouts=np.nan)
    census = Census(read,
                    pd.DataFrame(), pd.DataFrame(columns=["school_id", "year", "field"]))
    other = sample.assign(students=[99, 98], dropouts=[3, 4])
    out = supplement(census, other, load_mapping(), "x")
    assert out.schools["students"].tolist()[0] == 10 and pd.isna(out.schools["students"].tolist()[1])
    assert out.schools["dropouts"].tolist() == [3, 4]
    assert out.provenance["field"].tolist() == ["dropouts", "dropouts"]
