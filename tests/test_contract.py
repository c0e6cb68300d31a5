"""The contract declarations: columns, tables, counties, indicators, plan structure."""

from __future__ import annotations

import pandas as pd
import pytest

from qyanalysis.contract import columns, indicators, plan
from qyanalysis.contract.counties import CountyRegistry

KINDS = {"id", "text", "county", "category", "year", "period", "count", "amount", "number", "bool"}


def test_every_column_is_declared_once_per_table_with_a_known_kind():
    for table in columns.TABLES.values():
        names = [c.name for c in table.columns]
        assert len(names) == len(set(names)), table.name
        for col in table.columns:
            assert col.kind in KINDS, (table.name, col.name)
            assert col.label_zh and col.description
            if col.kind == "category":
                assert col.allowed or col.name == "indicator", col.name
        assert set(table.key) <= set(names), table.name


def test_contract_core_columns_of_schools_are_declared():
    # docs/data-dictionary.md, schools (core columns) — all must stay declared.
    core = """school_id school_name county year level ownership location students students_primary
    students_junior students_senior classes teachers teachers_above_required_qualification backbone_teachers
    pe_arts_teachers temporary_teachers teaching_area_m2 sports_area_m2 equipment_value_yuan multimedia_rooms
    migrant_students disabled_students has_resource_room dropouts fitness_tested fitness_excellent fitness_good
    myopia_screened myopia_cases""".split()
    declared = {c.name for c in columns.SCHOOLS.columns}
    assert set(core) <= declared
    assert set(columns.SCHOOLS.required_columns) == {
        "school_id", "school_name", "county", "year", "level", "ownership", "students"}


def test_required_tables_are_schools_and_indicators():
    assert {t.name for t in columns.TABLES.values() if t.required} == {"schools", "indicators"}


@pytest.mark.parametrize(
    "value, code",
    [
        ("441802", "441802"),
        (441802, "441802"),
        ("清城区", "441802"),
        ("清城", "441802"),
        ("Qingcheng District", "441802"),
        ("  qingcheng district ", "441802"),
        ("４４１８２６", "441826"),  # full-width digits
        ("连南瑶族自治县", "441826"),
        ("连山", "441825"),
        ("英德市", "441881"),
        ("清远市", "441800"),
        ("广州", None),
        ("", None),
        (None, None),
    ],
)
def test_county_normalisation(registry, value, code):
    assert registry.normalise(value) == code


def test_registry_lists_eight_counties_and_the_city(registry):
    assert len(registry.codes) == 8
    assert registry.city_code == "441800"
    assert registry.name("441825", "en") == "Lianshan Zhuang and Yao Autonomous County"


def test_census_population_of_counties_sums_to_the_city(registry):
    table = registry.table.set_index("county_code")["population_2020_census"]
    assert table.drop("441800").sum() == table["441800"] == 3969473


def test_a_counties_table_replaces_the_registry():
    region = CountyRegistry.from_frame(pd.DataFrame({
        "county_code": ["900001", "900000"], "name_zh": ["示范县", "示范市"],
        "name_en": ["Demo County", "Demo City"], "kind": ["county", "city"],
        "aliases": ["示范;Shifan", pd.NA]}))
    assert region.codes == ["900001"]
    assert region.normalise("shifan") == "900001"
    assert region.normalise("清城") is None


def test_normalise_series_marks_unknown_values_missing(registry):
    out = registry.normalise_series(pd.Series(["清城", "nowhere", "441803"]))
    assert out.tolist()[0] == "441802" and pd.isna(out.iloc[1]) and out.iloc[2] == "441803"


def test_balance_indicators_have_both_levels_in_the_catalogue():
    for code in indicators.BALANCE_INDICATORS:
        for level in indicators.BALANCE_LEVELS:
            entry = indicators.get(f"balance_cv_{code}_{level}")
            assert entry.item == 8


def test_catalogue_covers_contract_section_2():
    contract = """new_public_seats_preschool new_public_seats_compulsory new_public_seats_senior
    preschool_public_share preschool_inclusive_share purchased_seats_change compulsory_dropout_rate
    migrant_public_share disabled_enrollment_rate resource_room_coverage fitness_good_rate myopia_rate_change
    arts_base_schools labor_feature_schools labor_demo_schools education_groups_applied evaluation_pilots
    famous_studios backbone_trained temporary_teacher_excess_cut support_teachers_received
    support_teachers_sent teacher_salary_ratio per_student_funding_ratio key_tasks_completed""".split()
    assert set(contract) <= set(indicators.CATALOGUE)


def test_fractions_are_shares_and_rates_only():
    assert indicators.get("preschool_public_share").is_fraction
    assert not indicators.get("myopia_rate_change").is_fraction  # a change in points may be negative


def test_plan_has_seven_sections_covering_items_1_to_37_once():
    items = [i for s in plan.SECTIONS for i in s.items]
    assert items == list(range(1, 38))
    assert plan.section_of_item(8).notebook == "02_development"
    with pytest.raises(ValueError):
        plan.section_of_item(38)


def test_every_item_title_is_the_plan_heading():
    from qyanalysis.verdicts.targets import plan_text

    text = plan_text().replace(" ", "")
    assert sorted(plan.ITEM_TITLES) == list(range(1, 38))
    for number, (title_zh, title_en) in plan.ITEM_TITLES.items():
        assert f"{number}.{title_zh}" in text, number
        assert title_en and plan.item_title(number, "en") == title_en


@pytest.mark.parametrize("text, code", [("清新区", "441803"), ("Qingxin District", "441803"), ("清新", "441803"),
                                        ("city", "441800"), ("CITY", "441800"), ("全市", "441800"),
                                        ("清远市", "441800"), ("441800", "441800"), ("Qingxin", "441803"),
                                        ("qingxin", "441803"), ("Liannan", "441826"), ("Ｌｉａｎｎａｎ", "441826")])
def test_one_resolver_for_counties_and_the_city(text, code):
    assert CountyRegistry.builtin().resolve(text) == code


def test_the_resolver_refuses_an_unknown_county():
    from qyanalysis.errors import UsageError

    with pytest.raises(UsageError, match="unknown county") as raised:
        CountyRegistry.builtin().resolve("广州")
    # the answer lists the valid names of every county
    assert "one of 清城区 / 清城 / Qingcheng District (441802), 清新区" in str(raised.value)
    assert str(raised.value).count("(4418") == 8


def test_a_place_name_shared_by_two_counties_names_neither():
    from qyanalysis.contract.counties import name_lookup

    rows = [{"county_code": "1", "name_en": "Xinhua County"},
            {"county_code": "2", "name_en": "Xinhua District"},
            {"county_code": "3", "name_en": "Qingcheng District"}]
    lookup = name_lookup(rows)
    assert "xinhua" not in lookup and lookup["qingcheng"] == "3" and lookup["xinhuacounty"] == "1"


# -- adding an entry at run time (contract.indicators.register) -----------------------------------------

def _toy(**changes) -> indicators.Indicator:
    fields = {"code": "toy_share", "item": 8, "unit": "share", "origin": "computed", "label_zh": "示例比例",
              "label_en": "Toy share", "formula": "a ÷ b.", "counted": "Schools.", "source": "示例"}
    return indicators.Indicator(**{**fields, **changes})


def test_every_shipped_entry_follows_the_catalogue_rules():
    assert [p for e in indicators.CATALOGUE.values() for p in indicators.entry_problems(e)] == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"code": "Toy-Share"}, "snake_case"),
    ({"item": 38}, "plan item"),
    ({"unit": "furlongs"}, "unit 'furlongs'"),
    ({"origin": "guessed"}, "origin 'guessed'"),
    ({"label_en": " "}, "label_en is empty"),
    ({"unit": "count"}, "what it counts"),
    ({"counts": "schools"}, "only for unit 'count'"),
    ({"unit": "ratio", "interval": True}, "only for a rate over persons"),
    ({"formula": ""}, "carries its definition"),
])
def test_register_refuses_an_entry_that_breaks_a_rule(changes, expected):
    with pytest.raises(ValueError, match=expected):
        indicators.register(_toy(**changes))
    assert "toy_share" not in indicators.CATALOGUE


def test_register_adds_once_and_unregister_removes_only_what_was_added():
    before = indicators.version()
    entry = indicators.register(_toy())
    try:
        assert indicators.get("toy_share") is entry and indicators.version() == before + 1
        indicators.register(_toy())  # the same entry again: nothing changes
        assert indicators.version() == before + 1
        with pytest.raises(ValueError, match="already in the catalogue"):
            indicators.register(_toy(label_en="Another toy share"))
    finally:
        indicators.unregister("toy_share")
    assert "toy_share" not in indicators.CATALOGUE and indicators.version() == before + 2
    with pytest.raises(KeyError, match="shipped entries stay"):
        indicators.unregister("myopia_rate")


def test_interval_method_follows_the_unit():
    assert indicators.get("myopia_rate").interval_method == "wilson"
    assert indicators.get("myopia_rate_change").interval_method == "newcombe"
    assert indicators.get("temporary_teacher_ratio").interval_method == ""
