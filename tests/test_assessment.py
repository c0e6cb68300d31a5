"""The 优质均衡 assessment as data: the shipped file, its checks, and yes/no indicator values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qyanalysis.contract import indicators
from qyanalysis.measures.assessment import music_art_room_rows, rooms_needed
from qyanalysis.verdicts.targets import load_targets
from qyanalysis.verdicts.targets.assessment import (
    PART_SIZES, assessment_problems, assessment_targets, load_assessment,
)
from tests.io_helpers import INDICATORS_HEADER, csv_text, lines, make_folder


def test_every_part_of_the_assessment_is_there_with_its_numbers():
    rows = load_assessment()
    for part, size in PART_SIZES.items():
        numbers = set(rows.loc[rows["part"] == part, "number"])
        assert {str(n) for n in range(1, size + 1)} <= numbers
    # 7 resource indicators × 2 levels of 差异系数 + the school rule
    assert (rows["part"] == "resources").sum() == 15
    vetoes = rows[rows["veto"]]
    assert set(vetoes["part"]) == {"veto", "recognition"}
    # exam admission, school choice, key schools/classes, safety, falsified data, unfilled posts (有编不补)
    assert rows.loc[rows["part"] == "veto", "number"].tolist() == ["V1", "V2", "V3", "V4", "V5", "V6"]
    assert rows.set_index("number").loc["V6", "indicator"] == "veto_unfilled_posts_or_temporary_teachers"


def test_unconfirmed_wording_says_so():
    rows = load_assessment()
    summary = rows[rows["wording"] == "summary"]
    assert not summary.empty
    assert summary["source"].str.contains("not confirmed").all()


def test_registry_rows_keep_their_threshold_and_new_rows_quote_item_8():
    targets = assessment_targets().set_index("assessment_id")
    registry = load_targets().set_index("target_id")
    assert targets.loc["g11_teacher_rotation_rate", "threshold"] == registry.loc["t26_teacher_rotation_rate",
                                                                                  "threshold"]
    assert targets.loc["g15_migrant_public_share", "scope"] == "county"
    assert targets.loc["q9_quality_monitoring_difference_rate", "comparator"] == "<"
    assert targets.loc["q9_quality_monitoring_difference_rate", "threshold"] == pytest.approx(0.15)
    new = targets[~targets["target_id"].isin(registry.index)]
    assert (new["quote"] == "推动义务教育优质均衡发展。").all()
    assert targets["target_id"].is_unique


def test_problems_are_found():
    rows = pd.read_csv("qyanalysis/verdicts/targets/assessment.csv", dtype=str, keep_default_na=False)
    broken = rows.copy()
    broken.loc[0, "threshold"] = "0.5"  # a registry row must not carry its own threshold
    broken.loc[1, "indicator"] = "no_such_code"
    broken = broken[broken["number"] != "13"]  # government 13 missing
    found = assessment_problems(broken, load_targets())
    assert any("leave comparator/threshold empty" in p for p in found)
    assert any("no_such_code" in p for p in found)
    assert any("lacks numbers ['13']" in p for p in found)


def test_music_and_art_rooms_one_per_twelve_classes():
    assert rooms_needed([0, 1, 12, 13, 24, 25]).tolist() == [0, 1, 1, 2, 2, 3]
    schools = pd.DataFrame({
        "school_id": ["a", "b", "c", "d"], "county_code": "441802", "year": 2022,
        "level": ["primary", "junior", "primary", "senior"], "is_teaching_point": False, "students": 500.0,
        "classes": [24.0, 13.0, 6.0, 30.0], "music_rooms": [2.0, 1.0, np.nan, 0.0], "art_rooms": [2.0, 2.0, 1.0, 0.0],
    })
    row = music_art_room_rows(schools).iloc[0]
    # b needs 2 music rooms and has 1; c is not judged; d (senior) is out of scope
    assert (row["value"], row["units_reporting"], row["units_expected"]) == (1.0, 2.0, 3.0)
    assert music_art_room_rows(schools.drop(columns=["art_rooms"])).empty


def test_flag_unit_is_declared_for_yes_no_indicators():
    assert indicators.get("veto_exam_admission").unit == "flag"
    assert indicators.get("school_layout_planned").origin == "input"


def _indicators(*rows: list[str]) -> str:
    return csv_text(INDICATORS_HEADER, [list(r) for r in rows])


def test_yes_no_words_are_read_for_flags(tmp_path):
    from qyanalysis.io import load_dataset

    folder = make_folder(tmp_path, indicators=_indicators(["清城区", "2022", "", "school_layout_planned", "是"],
                                                          ["清城区", "2022", "", "veto_exam_admission", "否"],
                                                          ["连南", "2022", "", "curriculum_complete", "yes"],
                                                          ["连山", "2022", "", "curriculum_complete", "0"]))
    values = load_dataset(folder).indicators.set_index(["county_code", "indicator"])["value"]
    assert values[("441802", "school_layout_planned")] == 1.0
    assert values[("441802", "veto_exam_admission")] == 0.0
    assert values[("441826", "curriculum_complete")] == 1.0
    assert values[("441825", "curriculum_complete")] == 0.0


def test_yes_no_values_are_refused_where_they_do_not_belong(tmp_path):
    folder = make_folder(tmp_path, indicators=_indicators(["清城区", "2022", "", "school_layout_planned", "2"],
                                                          ["清城区", "2022", "", "migrant_public_share", "是"],
                                                          ["清城区", "2022", "", "curriculum_complete", "maybe"]))
    found = lines(folder)
    assert any(line.startswith("indicators.csv:2:value:") and "yes/no" in line for line in found), found
    assert any(line.startswith("indicators.csv:3:value:") and "yes/no answer but" in line for line in found), found
    assert any(line.startswith("indicators.csv:4:value:") and "not a number" in line for line in found), found


def test_school_size_counts_only_compulsory_pupils_of_twelve_year_schools():
    from qyanalysis.measures.equity import school_size_table

    # 义务教育阶段规模: 1,000 primary + 700 junior = 1,700 ≤ 2,500 although the school has 2,700 pupils
    schools = pd.DataFrame({
        "school_id": ["a", "b"], "county_code": "441802", "year": 2022, "level": ["twelve_year", "twelve_year"],
        "students": [2700.0, 2700.0], "students_primary": [1000.0, 1500.0], "students_junior": [700.0, 1100.0],
        "students_senior": [1000.0, 100.0], "classes": [60.0, 60.0],
    })
    table = school_size_table(schools)
    assert table["school_size"].tolist() == [1700.0, 2600.0]
    assert table["is_over_size"].tolist() == [False, True]
