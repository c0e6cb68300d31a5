"""The target registry, default tasks and overrides (qyanalysis.verdicts.targets), and `qyanalysis targets`."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from qyanalysis import cli
from qyanalysis.contract import indicators, plan
from qyanalysis.dataset import Dataset
from qyanalysis.errors import DataValidationError, UsageError
from qyanalysis.verdicts.targets import (
    REGISTRY_COLUMNS,
    TargetRegistryError,
    check_registry,
    load_default_tasks,
    load_targets,
    plan_text,
    target_rows,
    tasks_for,
)

# The first specification's targets: indicator → (item, scope, comparator, threshold).
CONTRACT_TARGETS = {
    "new_public_seats_preschool": (6, "city", ">=", 2000),
    "new_public_seats_compulsory": (6, "city", ">=", 20500),
    "new_public_seats_senior": (6, "city", ">=", 2000),
    "preschool_public_share": (7, "county", ">=", 0.50),
    "preschool_inclusive_share": (7, "county", ">=", 0.80),
    "purchased_seats_change": (7, "county", "<=", -0.05),
    "compulsory_dropout_rate": (8, "city", "<=", 0.005),   # "全市义务教育辍学率控制在0.5%以下"
    "migrant_public_share": (8, "city", ">=", 0.85),       # same 全市 sentence
    "disabled_enrollment_rate": (10, "county", ">=", 0.95),
    "resource_room_coverage": (10, "county", ">=", 1.0),
    "fitness_good_rate": (13, "county", ">=", 0.50),
    "myopia_rate_change": (13, "city", "<=", -0.005),      # "全市儿童青少年总体近视率下降0.5%以上"
    "arts_base_schools": (14, "city", ">=", 20),
    "labor_feature_schools": (15, "city", ">=", 30),
    "labor_demo_schools": (15, "city", ">=", 10),
    "education_groups_applied": (19, "city", ">=", 2),
    "evaluation_pilots": (20, "city", ">=", 7),
    "famous_studios": (25, "city", ">=", 100),
    "backbone_trained": (25, "county", ">=", 100),
    "temporary_teacher_excess_cut": (27, "county", ">=", 0.20),
    "support_teachers_received": (29, "city", ">=", 135),
    "support_teachers_sent": (29, "city", ">=", 135),
    "teacher_salary_ratio": (30, "county", ">=", 1.0),
    "per_student_funding_ratio": (35, "county", ">=", 1.0),
    "key_tasks_completed": (34, "city", ">=", 60),
}
BALANCE_CV_CODES = [f"balance_cv_{code}_{level}" for code in indicators.BALANCE_INDICATORS
                    for level in indicators.BALANCE_LEVELS]


@pytest.fixture(scope="module")
def targets():
    return load_targets()


def by_indicator(targets, code):
    row = targets[targets["indicator"] == code]
    assert len(row) == 1, code
    return row.iloc[0]


def test_registry_has_the_declared_columns_types_and_at_least_50_targets(targets):
    assert tuple(targets.columns) == REGISTRY_COLUMNS
    assert len(targets) >= 50
    assert targets["target_id"].is_unique
    assert targets["item"].dtype == "int64" and targets["threshold"].dtype == "float64"
    for row in targets.itertuples():
        assert row.target_id == f"t{row.item:02d}_{row.indicator}"
        assert row.indicator in indicators.CATALOGUE
        assert row.unit == indicators.get(row.indicator).unit
        assert row.section == plan.section_of_item(row.item).number


def test_every_quote_is_a_sentence_of_the_shipped_plan(targets):
    text = plan_text()
    assert "清远市2022年教育工作要点" in text
    for row in targets.itertuples():
        assert row.quote in text, row.target_id
        assert len(row.quote) >= 10


@pytest.mark.parametrize("code, expected", sorted(CONTRACT_TARGETS.items()))
def test_every_contract_target_is_registered_as_specified(targets, code, expected):
    row = by_indicator(targets, code)
    assert (row["item"], row["scope"], row["comparator"]) == expected[:3]
    assert row["threshold"] == pytest.approx(expected[3])


def test_the_fourteen_balance_cv_targets_use_the_national_limits(targets):
    assert len(BALANCE_CV_CODES) == 14
    for code in BALANCE_CV_CODES:
        row = by_indicator(targets, code)
        limit = 0.50 if code.endswith("_primary") else 0.45
        assert (row["item"], row["scope"], row["comparator"], row["threshold"]) == (8, "county", "<=", limit)
        assert "教督〔2017〕6号" in row["source"]
        assert row["quote"] == "推动义务教育优质均衡发展。"


@pytest.mark.parametrize("code, comparator, threshold, document", [
    ("balance_schools_passing_share", ">=", 1.0, "教督〔2017〕6号"),
    ("schools_over_class_size_count", "<=", 0.0, "教督〔2017〕6号"),
    ("schools_over_size_count", "<=", 0.0, "教督〔2017〕6号"),
    ("teacher_certificate_share", ">=", 1.0, "教督〔2017〕6号"),
    ("junior_retention_rate", ">=", 0.95, "教督〔2017〕6号"),
    ("basic_balance_cv_primary", "<=", 0.65, "教督〔2012〕3号"),
    ("basic_balance_cv_junior", "<=", 0.55, "教督〔2012〕3号"),
])
def test_national_quality_balance_thresholds_are_tied_to_item_8(targets, code, comparator, threshold,
                                                                 document):
    row = by_indicator(targets, code)
    assert (row["item"], row["comparator"], row["threshold"]) == (8, comparator, threshold)
    assert document in row["source"]


@pytest.mark.parametrize("code, item, scope, comparator, threshold, rule", [
    ("arts_pilot_towns", 14, "city", ">=", 8, "absolute"),
    ("attached_classes_standardised_share", 7, "county", ">=", 1.0, "absolute"),
    ("fitness_tested_share", 13, "city", ">=", 1.0, "absolute"),  # "落实全市中小学生全员体质测试"
    ("parent_school_zone", 12, "city", ">=", 1.0, "all_counties"),
    ("ideology_pilot_counties", 17, "city", ">", 2, "absolute"),
    ("teacher_rotation_rate", 26, "county", ">=", 0.10, "absolute"),
    ("backbone_share_of_rotated", 26, "county", ">=", 0.20, "absolute"),
    ("special_education_funding_per_student_yuan", 35, "county", ">=", 6000, "absolute"),
    ("kindergarten_teacher_certified_share", 7, "county", ">", 0.0, "change_vs_previous"),
    ("purchased_seats_change", 7, "county", "<=", -0.05, "change_vs_previous"),
    ("myopia_rate_change", 13, "city", "<=", -0.005, "change_vs_previous"),
    ("temporary_teacher_excess_cut", 27, "county", ">=", 0.20, "item27"),
    ("temporary_teachers_count", 27, "county", "<=", 0.0, "change_vs_previous"),
])
def test_other_quantitative_sentences_of_the_plan(targets, code, item, scope, comparator, threshold, rule):
    row = by_indicator(targets, code)
    assert (row["item"], row["scope"], row["comparator"], row["rule"]) == (item, scope, comparator, rule)
    assert row["threshold"] == pytest.approx(threshold)


def test_inclusive_chinese_bounds(targets):
    # 以上 → >=, 以下 → <=, 不少于 → >= (民法典 第1259条).
    assert by_indicator(targets, "compulsory_dropout_rate")["comparator"] == "<="
    assert "0.5%以下" in by_indicator(targets, "compulsory_dropout_rate")["quote"]
    for code in ("migrant_public_share", "disabled_enrollment_rate", "education_groups_applied",
                 "support_teachers_received", "backbone_trained"):
        assert by_indicator(targets, code)["comparator"] == ">=", code


def test_the_registry_check_rejects_an_invented_quote_and_an_unknown_indicator(targets):
    broken = targets.copy()
    broken.loc[0, "quote"] = "全市新增学位一百万个。"
    with pytest.raises(TargetRegistryError, match="quote"):
        check_registry(broken)
    broken = targets.copy()
    broken.loc[1, "indicator"] = "no_such_indicator"
    with pytest.raises(TargetRegistryError, match="catalogue"):
        check_registry(broken)


def test_default_tasks_cover_all_37_items_and_are_not_started():
    tasks = load_default_tasks()
    assert set(tasks["item"]) == set(range(1, 38))
    assert tasks["task_id"].is_unique
    assert set(tasks["status"]) == {"not_started"}
    assert tasks["due"].str.fullmatch(r"2022-(0[1-9]|1[0-2])").all()
    assert tasks["title_zh"].str.len().gt(0).all() and tasks["title_en"].str.len().gt(0).all()
    assert tasks["is_key_task"].any() and not tasks["is_key_task"].all()


def _dataset(tasks=None, overrides=None):
    schools = pd.DataFrame({"school_id": ["s1"], "school_name": ["一小"], "county_code": ["441802"],
                            "year": [2022], "level": ["primary"], "ownership": ["public"],
                            "students": [100.0]})
    indicators_table = pd.DataFrame(columns=["county_code", "year", "period", "indicator", "value", "source"])
    return Dataset(schools=schools, indicators=indicators_table, tasks=tasks, targets_override=overrides)


def test_tasks_for_a_county_without_its_own_rows_gives_the_plan_defaults():
    tasks = tasks_for(_dataset(), "清城")
    assert len(tasks) == len(load_default_tasks())
    assert set(tasks["source"]) == {"plan default"}
    assert set(tasks["county_code"]) == {"441802"}
    assert set(tasks["item"]) == set(range(1, 38))


def test_tasks_for_a_county_with_its_own_rows_returns_them():
    own = pd.DataFrame({"task_id": ["k1", "k2"], "item": [6.0, 27.0], "county_code": ["441802", "441803"],
                        "year": [2022, 2022], "title_zh": ["新建一所小学", "临聘方案"], "title_en": ["A", "B"],
                        "is_key_task": pd.array([True, False], dtype="boolean"),
                        "due": ["2022-09", "2022-12"],
                        "status": ["completed", "in_progress"], "evidence": ["", ""]})
    tasks = tasks_for(_dataset(tasks=own), "Qingcheng District")
    assert tasks["task_id"].tolist() == ["k1"]
    assert tasks.loc[0, "status"] == "completed" and tasks.loc[0, "source"] == "tasks table"
    # another county of the same dataset still gets the defaults
    assert set(tasks_for(_dataset(tasks=own), "441821")["source"]) == {"plan default"}


def test_tasks_for_the_city_and_for_an_unknown_county():
    assert set(tasks_for(_dataset(), "city")["county_code"]) == {"441800"}
    with pytest.raises(UsageError):
        tasks_for(_dataset(), "广州")


def test_an_override_replaces_the_threshold_for_that_county_only(targets):
    overrides = pd.DataFrame({"target_id": ["t07_preschool_public_share"], "county_code": ["441802"],
                              "threshold": [0.55], "comparator": [pd.NA], "source": ["2022 责任书"]})
    rows = target_rows(targets, ["441802", "441803"], None, overrides)
    share = rows[rows["target_id"] == "t07_preschool_public_share"].set_index("county_code")
    assert share.loc["441802", "threshold"] == 0.55 and share.loc["441802", "threshold_source"] == "2022 责任书"
    assert share.loc["441803", "threshold"] == 0.50 and share.loc["441803", "threshold_source"] == "registry"
    assert share.loc["441802", "comparator"] == ">="


def test_an_override_of_a_city_target_creates_the_county_quota_row(targets):
    overrides = pd.DataFrame({"target_id": ["t06_new_public_seats_compulsory"], "county_code": ["441881"],
                              "threshold": [3000.0]})
    rows = target_rows(targets, ["441881", "441882"], "441800", overrides)
    seats = rows[rows["target_id"] == "t06_new_public_seats_compulsory"].set_index("county_code")
    assert set(seats.index) == {"441800", "441881"}
    assert seats.loc["441881", "threshold"] == 3000.0 and seats.loc["441881", "level"] == "county"
    assert seats.loc["441800", "threshold"] == 20500.0 and seats.loc["441800", "level"] == "city"


def test_an_override_of_an_unknown_target_is_an_error_naming_the_row(targets):
    overrides = pd.DataFrame({"target_id": ["t99_nothing"], "county_code": ["441802"], "threshold": [1.0]})
    with pytest.raises(DataValidationError) as info:
        target_rows(targets, ["441802"], None, overrides)
    issue = info.value.errors[0]
    assert (issue.file, issue.row, issue.column) == ("targets_override", 2, "target_id")


def test_cli_targets_prints_the_registry_as_csv(capsys):
    assert cli.main(["targets"]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"target_id": str})
    assert len(printed) >= 25
    assert set(CONTRACT_TARGETS) | set(BALANCE_CV_CODES) <= set(printed["indicator"])
    text = plan_text()
    assert all(quote in text for quote in printed["quote"])
    assert all(re.fullmatch(r"t\d{2}_[a-z0-9_]+", t) for t in printed["target_id"])


# -- adding targets at run time (register_targets) ------------------------------------------------------

def _toy_row(**changes) -> dict:
    row = load_targets().set_index("target_id").loc["t26_teacher_rotation_rate"].to_dict()
    row.update(target_id="t26_older_teacher_share", indicator="older_teacher_share", comparator="<=",
               threshold=0.3, unit="share", label_zh="50岁及以上教师比例不超过30%",
               label_en="At most 30 % of teachers aged 50 or over")
    row.update(changes)
    return row


def test_registered_targets_join_the_registry_until_removed():
    from qyanalysis.verdicts.targets import register_targets, unregister_targets

    shipped = load_targets()
    added = register_targets(_toy_row())
    try:
        assert added["threshold"].tolist() == [0.3] and added["item"].dtype == "int64"
        targets = load_targets()
        assert len(targets) == len(shipped) + 1
        assert targets.dtypes.equals(shipped.dtypes)
        assert targets["item"].is_monotonic_increasing  # still sorted by item
        register_targets(_toy_row())  # the same row again: nothing changes
        assert len(load_targets()) == len(shipped) + 1
    finally:
        unregister_targets(["t26_older_teacher_share"])
    pd.testing.assert_frame_equal(load_targets(), shipped)
    with pytest.raises(KeyError):
        unregister_targets(["t26_teacher_rotation_rate"])  # a shipped target stays


@pytest.mark.parametrize(("changes", "expected"), [
    ({"indicator": "no_such_code", "target_id": "t26_no_such_code"}, "not in the catalogue"),
    ({"unit": "count"}, "catalogue says 'share'"),
    ({"quote": "全市近视率为零。"}, "quote is not a sentence"),
    ({"target_id": "t26_teacher_rotation_rate", "indicator": "teacher_rotation_rate", "unit": "rate"},
     "duplicate target_id"),
    ({"comparator": "=>"}, "comparator"),
])
def test_register_targets_checks_rows_like_the_shipped_registry(changes, expected):
    from qyanalysis.verdicts.targets import register_targets

    shipped = load_targets()
    with pytest.raises(TargetRegistryError, match=expected):
        register_targets(_toy_row(**changes))
    pd.testing.assert_frame_equal(load_targets(), shipped)


def test_register_targets_names_missing_columns():
    from qyanalysis.verdicts.targets import register_targets

    with pytest.raises(TargetRegistryError, match="missing columns"):
        register_targets({"target_id": "t26_older_teacher_share"})
