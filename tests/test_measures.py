"""compute_all: merging computed and supplied measures, sorting, dtypes, caching."""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qyanalysis.measures as measures_pkg
from qyanalysis.dataset import Dataset
from qyanalysis.measures import compute_all, input_measures, merge_measures
from qyanalysis.measures.coverage import tally, whole
from qyanalysis.measures.rates import MEASURE_COLUMNS

A, B = "441802", "441803"
DTYPES = {"county_code": "str", "year": "int64", "period": "str", "indicator": "str", "value": "float64",
          "numerator": "float64", "denominator": "float64", "ci_low": "float64", "ci_high": "float64",
          "note": "str", "units_reporting": "float64", "units_expected": "float64", "units_missing": "str"}


def measure_frame(rows: list[tuple]) -> pd.DataFrame:
    """Computed rows given as (county_code, year, period, indicator, value, numerator, denominator)."""
    frame = pd.DataFrame(rows, columns=["county_code", "year", "period", "indicator", "value", "numerator",
                                        "denominator"])
    frame = frame.assign(ci_low=np.nan, ci_high=np.nan, note="", units_reporting=1.0, units_expected=1.0,
                         units_missing="")
    return frame.astype(DTYPES)[list(MEASURE_COLUMNS)]


def indicators_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["county_code", "year", "period", "indicator", "value"])
    return frame.astype({"year": "int64", "value": "float64"}).assign(source="bureau")


COMPUTED = measure_frame([
    (B, 2022, "", "preschool_public_share", 0.40, 40.0, 100.0),
    (A, 2022, "", "preschool_public_share", 0.55, 55.0, 100.0),
    (A, 2021, "", "preschool_public_share", 0.50, 50.0, 100.0),
    (A, 2022, "", "migrant_public_share", 0.70, 70.0, 100.0),
])
INPUTS = indicators_frame([
    (A, 2022, "", "preschool_public_share", 0.61),  # supplied: replaces the computed 0.55
    (A, 2022, "2022-06", "new_public_seats_preschool", 300.0),
])


def test_input_measures_marks_rows_as_input():
    out = input_measures(INPUTS)
    assert list(out.columns) == list(MEASURE_COLUMNS)
    assert out["note"].tolist() == ["input", "input"]
    assert out["numerator"].isna().all() and out["ci_low"].isna().all()
    assert out["value"].tolist() == [0.61, 300.0]


def test_supplied_value_takes_precedence_over_the_computed_one():
    out = merge_measures(COMPUTED, input_measures(INPUTS))
    row = out[(out["county_code"] == A) & (out["year"] == 2022)
              & (out["indicator"] == "preschool_public_share")]
    assert len(row) == 1
    assert row["value"].item() == 0.61 and row["note"].item() == "input" and np.isnan(row["numerator"].item())
    # Everything else is kept: 4 computed − 1 overridden + 2 inputs = 5 rows.
    assert len(out) == 5


def test_precedence_is_per_period():
    computed = measure_frame([(A, 2022, "2022-03", "new_public_seats_preschool", 100.0, np.nan, np.nan)])
    out = merge_measures(computed, input_measures(INPUTS))
    seats = out[out["indicator"] == "new_public_seats_preschool"]
    assert seats["period"].tolist() == ["2022-03", "2022-06"]


def test_merged_frame_is_sorted_with_the_documented_dtypes():
    out = merge_measures(COMPUTED, input_measures(INPUTS))
    assert list(out.columns) == list(MEASURE_COLUMNS)
    assert out.dtypes.astype(str).to_dict() == DTYPES
    assert list(zip(out["county_code"], out["year"], out["period"], out["indicator"])) == [
        (A, 2021, "", "preschool_public_share"),
        (A, 2022, "", "migrant_public_share"),
        (A, 2022, "", "preschool_public_share"),
        (A, 2022, "2022-06", "new_public_seats_preschool"),
        (B, 2022, "", "preschool_public_share"),
    ]
    assert out.index.tolist() == list(range(5))


def test_duplicated_computed_keys_fail_loudly():
    twice = pd.concat([COMPUTED, COMPUTED.iloc[:1]], ignore_index=True)
    with pytest.raises(ValueError, match="duplicated key"):
        merge_measures(twice, input_measures(INPUTS))


def test_merge_with_no_inputs_and_no_computed_rows():
    out = merge_measures(COMPUTED.iloc[:0], input_measures(INPUTS.iloc[:0]))
    assert out.empty and out.dtypes.astype(str).to_dict() == DTYPES


def test_compute_all_is_cached_per_dataset_object(monkeypatch):
    calls = []

    def fake_compute(dataset):
        calls.append(id(dataset))
        return merge_measures(COMPUTED, input_measures(dataset.indicators))

    monkeypatch.setattr(measures_pkg, "_compute", fake_compute)
    first = Dataset(schools=pd.DataFrame(), indicators=INPUTS)
    second = Dataset(schools=pd.DataFrame(), indicators=INPUTS)
    one = compute_all(first)
    one.loc[0, "value"] = -1.0  # changing a result must not change the cache
    again = compute_all(first)
    assert again.loc[0, "value"] != -1.0
    compute_all(second)
    assert len(calls) == 2
    key = id(first)
    del first, one, again
    gc.collect()
    assert key not in measures_pkg._CACHE
    measures_pkg.clear_cache()
    assert not measures_pkg._CACHE


DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def test_compute_all_on_the_demo_dataset():
    for name in ("equity", "quality", "staffing"):
        pytest.importorskip(f"qyanalysis.measures.{name}")
    load_dataset = getattr(pytest.importorskip("qyanalysis.io"), "load_dataset", None)
    if load_dataset is None or not (DEMO / "schools.csv").exists():
        pytest.skip("the reader or the demonstration data is not there yet")
    dataset = load_dataset(DEMO)
    out = compute_all(dataset)
    assert list(out.columns) == list(MEASURE_COLUMNS)
    assert out.dtypes.astype(str).to_dict() == DTYPES
    assert not out.duplicated(["county_code", "year", "period", "indicator"]).any()
    keys = out[["county_code", "year", "period", "indicator"]]
    assert keys.equals(keys.sort_values(list(keys.columns), ignore_index=True))
    # Every supplied figure is in the result, unchanged and marked as input.
    inputs = input_measures(dataset.indicators)
    merged = inputs.merge(out, on=["county_code", "year", "period", "indicator"], suffixes=("", "_out"))
    assert len(merged) == len(inputs)
    assert (merged["note_out"] == "input").all()
    assert np.allclose(merged["value"], merged["value_out"], equal_nan=True)
    assert compute_all(dataset) is not out and compute_all(dataset).equals(out)


def test_compute_all_on_a_tiny_dataset_lets_inputs_win():
    for name in ("equity", "quality", "staffing"):
        pytest.importorskip(f"qyanalysis.measures.{name}")
    schools = pd.DataFrame({
        "school_id": ["k1", "k2"], "school_name": ["k1", "k2"], "county_code": [A, A],
        "year": np.array([2022, 2022], dtype="int64"), "level": ["kindergarten", "kindergarten"],
        "ownership": ["public", "private"], "location": ["urban", "rural"], "students": [60.0, 40.0],
    })
    inputs = indicators_frame([(B, 2022, "", "preschool_public_share", 0.52),
                               (A, 2022, "", "migrant_public_share", 0.9)])
    out = compute_all(Dataset(schools=schools, indicators=inputs))
    share = out[(out["indicator"] == "preschool_public_share")].set_index("county_code")
    assert share.loc[A, "value"] == pytest.approx(0.6)  # computed: 60 ÷ (60 + 40)
    assert share.loc[A, "note"] == "" and share.loc[B, "note"] == "input"
    assert out.dtypes.astype(str).to_dict() == DTYPES


def test_intervals_only_where_the_catalogue_declares_one():
    from qyanalysis.contract.indicators import CATALOGUE, has_interval
    from qyanalysis.io import load_dataset

    # rates over persons carry an interval; shares of schools and administrative shares do not
    for code in ("compulsory_dropout_rate", "fitness_good_rate", "myopia_rate", "myopia_rate_change",
                 "migrant_public_share", "disabled_enrollment_rate"):
        assert CATALOGUE[code].interval, code
    for code in ("resource_room_coverage", "balance_schools_passing_share", "temporary_teacher_ratio",
                 "teacher_rotation_rate", "parent_school_zone", "schools_over_size_count"):
        assert not has_interval(code), code
    out = compute_all(load_dataset(DEMO))
    with_ci = out.loc[out["ci_low"].notna(), "indicator"].unique()
    assert all(has_interval(code) for code in with_ci), sorted(with_ci)
    rooms = out[out["indicator"] == "resource_room_coverage"]
    assert rooms["value"].notna().any() and rooms["ci_low"].isna().all() and rooms["ci_high"].isna().all()
    dropout = out[out["indicator"] == "compulsory_dropout_rate"]
    assert dropout["ci_low"].notna().all()


def test_merge_blanks_an_undeclared_interval():
    computed = pd.DataFrame({"county_code": ["441802"], "year": [2022], "period": [""],
                             "indicator": ["resource_room_coverage"], "value": [0.5], "numerator": [1.0],
                             "denominator": [2.0], "ci_low": [0.1], "ci_high": [0.9], "note": [""]})
    merged = merge_measures(computed, input_measures(None))
    assert np.isnan(merged.loc[0, "ci_low"]) and np.isnan(merged.loc[0, "ci_high"])
    assert merged.loc[0, "value"] == pytest.approx(0.5)


# -- measure functions registered by the decorator (measures.measure) ----------------------------------------

def _census() -> Dataset:
    schools = pd.DataFrame({
        "school_id": ["s1", "s2"], "school_name": ["s1", "s2"], "county_code": [A, B],
        "year": np.array([2022, 2022], dtype="int64"), "level": ["primary", "primary"],
        "ownership": ["public", "public"], "location": ["urban", "rural"], "students": [300.0, 100.0],
    })
    return Dataset(schools=schools, indicators=indicators_frame([]))


def test_a_registered_function_joins_the_frame_and_the_cache_is_forgotten():
    dataset = _census()
    before = compute_all(dataset)
    assert "pupils_in_hundreds" not in set(before["indicator"])

    def pupils_in_hundreds(data: Dataset) -> pd.DataFrame:
        sums = data.schools.groupby(["county_code", "year"], as_index=False)["students"].sum()
        coverage = tally(data.schools, ["county_code", "year"], data.schools["students"].notna())
        return sums.merge(coverage).assign(value=sums["students"] / 100, ci_low=0.0, ci_high=9.0)

    from qyanalysis.contract import indicators

    indicators.register(indicators.Indicator("pupils_in_hundreds", 0, "ratio", "computed", "学生数(百人)",
                                             "Pupils (hundreds)", formula="Σ students ÷ 100.", source="示例"))
    try:
        assert measures_pkg.measure("pupils_in_hundreds")(pupils_in_hundreds) is pupils_in_hundreds
        assert measures_pkg.registered_measures()["pupils_in_hundreds"] is pupils_in_hundreds
        out = compute_all(dataset)  # the same dataset object: the cached frame was forgotten
        rows = out[out["indicator"] == "pupils_in_hundreds"].set_index("county_code")
        assert rows.loc[A, "value"] == pytest.approx(3.0) and rows.loc[B, "value"] == pytest.approx(1.0)
        assert rows["ci_low"].isna().all()  # the entry declares no interval: blanked
        assert out.dtypes.astype(str).to_dict() == DTYPES
        with pytest.raises(ValueError, match="already computed by"):
            measures_pkg.register_measure("pupils_in_hundreds", lambda data: data.schools)

        def pupils_in_hundreds(data: Dataset) -> pd.DataFrame:  # the cell run again: a new definition
            return whole(data.schools.assign(value=1.0)[["county_code", "year", "value"]])

        measures_pkg.register_measure("pupils_in_hundreds", pupils_in_hundreds)
        again = compute_all(dataset)
        assert again.loc[again["indicator"] == "pupils_in_hundreds", "value"].tolist() == [1.0, 1.0]
    finally:
        measures_pkg.unregister_measure("pupils_in_hundreds")
        indicators.unregister("pupils_in_hundreds")
    assert "pupils_in_hundreds" not in set(compute_all(dataset)["indicator"])


def test_register_measure_refuses_unknown_and_input_only_codes():
    with pytest.raises(KeyError, match="not in the catalogue"):
        measures_pkg.measure("no_such_indicator")(lambda data: data.schools)
    with pytest.raises(ValueError, match="origin 'input'"):
        measures_pkg.measure("new_public_seats_senior")(lambda data: data.schools)


def test_a_registered_function_without_the_key_columns_is_named_in_the_error():
    def bad(data: Dataset) -> pd.DataFrame:
        return pd.DataFrame({"county": [A], "value": [1.0]})

    measures_pkg.register_measure("basic_balance_cv_primary", bad)  # a shipped code the census here lacks
    try:
        expected = r"bad of 'basic_balance_cv_primary' returned no \['county_code', 'year'\]"
        with pytest.raises(ValueError, match=expected):
            compute_all(_census())
    finally:
        measures_pkg.unregister_measure("basic_balance_cv_primary")


def test_a_registered_function_without_coverage_is_refused():
    """Coverage by construction: no computed row leaves the measures floor without units reporting/expected."""
    def uncounted(data: Dataset) -> pd.DataFrame:
        return data.schools.groupby(["county_code", "year"], as_index=False)["students"].sum().rename(
            columns={"students": "value"})

    measures_pkg.register_measure("basic_balance_cv_primary", uncounted)
    try:
        with pytest.raises(ValueError, match="uncounted of 'basic_balance_cv_primary': measure rows without "
                                             "coverage for basic_balance_cv_primary"):
            compute_all(_census())
    finally:
        measures_pkg.unregister_measure("basic_balance_cv_primary")


def test_a_function_decorated_in_a_module_of_the_package_needs_no_wiring(tmp_path, monkeypatch):
    """A new measures module is found by compute_all (every module of the package is imported first)."""
    import sys

    from qyanalysis.contract import indicators

    (tmp_path / "toy_extra.py").write_text(
        "from qyanalysis.measures import measure\n"
        "from qyanalysis.measures.rates import pooled_ratio\n\n\n"
        "@measure('toy_pupils')\n"
        "def toy_pupils(dataset):\n"
        "    sums = pooled_ratio(dataset.schools.assign(one=1.0), 'students', 'one', ['county_code', 'year'])\n"
        "    return sums.assign(value=sums['numerator'])\n", encoding="utf-8")
    indicators.register(indicators.Indicator("toy_pupils", 0, "count", "computed", "学生数", "Pupils",
                                             counts="persons", formula="Σ students.", source="示例"))
    monkeypatch.setattr(measures_pkg, "__path__", [*measures_pkg.__path__, str(tmp_path)])
    try:
        out = compute_all(_census())
        rows = out[out["indicator"] == "toy_pupils"].set_index("county_code")
        assert rows.loc[A, "value"] == pytest.approx(300.0) and rows.loc[B, "value"] == pytest.approx(100.0)
    finally:
        if "toy_pupils" in measures_pkg.registered_measures():
            measures_pkg.unregister_measure("toy_pupils")
        sys.modules.pop("qyanalysis.measures.toy_extra", None)
        indicators.unregister("toy_pupils")
