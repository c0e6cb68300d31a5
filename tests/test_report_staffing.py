"""Views of sections 5–7 (views_staffing, views_funding) and the safe-table
helpers: pure helpers on tiny frames, views on the demo data."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from IPython.utils.capture import capture_output

from qyanalysis import settings
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.contract.plan import SECTIONS
from qyanalysis.measures import staffing
from qyanalysis.report import open_page, safe_tables, views_funding, views_staffing
from qyanalysis.report.page import Page

NAN = math.nan
YEAR = 2022
LIANNAN, QINGCHENG = "441826", "441802"


@pytest.fixture(scope="module", autouse=True)
def shell(ipython_shell):
    """Every test here captures rich display outputs."""
    return ipython_shell


@pytest.fixture(scope="module")
def demo():
    """The demo dataset, loaded once."""
    return open_page("city", YEAR, "", "zh").dataset


def _page(dataset, county: str = LIANNAN, lang: str = "zh", section: int = 5) -> Page:
    code = dataset.counties.city_code if county == "city" else county
    return Page(dataset, code, YEAR, lang, SECTIONS[section - 1])


@pytest.fixture(scope="module")
def liannan(demo):
    return _page(demo)


@pytest.fixture(scope="module")
def city_en(demo):
    return _page(demo, "city", "en")


def _html(captured) -> str:
    return "\n".join(o.data.get("text/html", "") + o.data.get("text/markdown", "") for o in captured.outputs)


def _images(captured) -> int:
    return sum("image/png" in o.data for o in captured.outputs)


def _show(view, page) -> tuple[str, int]:
    with capture_output() as captured:
        view(page)
    assert captured.stderr == ""
    return _html(captured), _images(captured)


# --- pure helpers --------------------------------------------------------------------------------

def _counts(rows):
    return pd.DataFrame(rows, columns=["county_code", "year", "established", "temporary"]).astype(
        {"established": "float64", "temporary": "float64"})


def test_item27_steps_default_denominator():
    counts = _counts([("A", 2021, 950, 100), ("A", 2022, 960, 90),
                      ("B", 2021, 1000, 50), ("B", 2022, 990, 52)])
    steps = staffing.item27_steps(counts, YEAR, 0.2, "established_plus_temporary").set_index("county_code")
    a, b = steps.loc["A"], steps.loc["B"]
    # A: D0 = 950 + 100 = 1050, r0 = 100/1050 = 0.095238 > 5 %; excess = 100 − 0.05·1050 = 47.5;
    # required = 0.2 · 47.5 = 9.5; actual = 100 − 90 = 10 >= 9.5 → met.
    assert a["base_previous"] == 1050 and a["ratio_previous"] == pytest.approx(0.095238, abs=1e-6)
    assert bool(a["applies"]) and a["excess"] == pytest.approx(47.5)
    assert a["required_cut"] == pytest.approx(9.5)
    assert a["actual_cut"] == 10
    # B: r0 = 50/1050 = 0.047619 <= 5 %: the cut rule does not apply (the count still grew by 2).
    assert not bool(b["applies"]) and math.isnan(b["excess"]) and b["actual_cut"] == -2


def test_item27_steps_established_denominator_and_the_strict_line():
    counts = _counts([("A", 2021, 950, 100), ("A", 2022, 960, 90),
                      ("C", 2021, 1000, 50), ("C", 2022, 1000, 50)])
    steps = staffing.item27_steps(counts, YEAR, 0.2, "established").set_index("county_code")
    a, c = steps.loc["A"], steps.loc["C"]
    # A: D0 = 950, r0 = 0.105263; excess = 100 − 47.5 = 52.5; required = 10.5 > actual 10 → not met.
    assert a["ratio_previous"] == pytest.approx(0.105263, abs=1e-6)
    assert a["excess"] == pytest.approx(52.5) and a["required_cut"] == pytest.approx(10.5)
    assert a["actual_cut"] < a["required_cut"]
    # C: r0 = 50/1000 = exactly 5 %, not above it (超过 is strict): no cut required.
    assert c["ratio_previous"] == 0.05 and not bool(c["applies"])


def test_item27_steps_need_last_years_counts_and_take_the_share_per_county():
    assert staffing.item27_steps(_counts([("A", 2022, 950, 100)]), YEAR, 0.2).empty
    counts = _counts([("A", 2021, 950, 100), ("A", 2022, 960, 90), ("B", 2021, 950, 100)])
    steps = staffing.item27_steps(counts, YEAR, pd.Series({"A": 0.5, "B": 0.2})).set_index("county_code")
    # A's quota asks for half the excess: 0.5 × 47.5 = 23.75; B has no 2022 count: no actual cut.
    assert steps.loc["A", "required_cut"] == pytest.approx(23.75)
    assert math.isnan(steps.loc["B", "actual_cut"])


def test_display_frame_suppresses_small_counts_and_the_values_they_give_back():
    frame = pd.DataFrame({"teachers": [3.0, 40.0, 100.0, 60.0], "value": [0.5, 0.25, 0.9, 0.8],
                          "reference": [0.9, 0.9, 0.9, 0.9]})
    shown = safe_tables.display_frame(frame, ["teachers"], {"value": "share", "reference": "share"}, "en",
                                      links={"reference": []}, small_base="teachers")
    # 3 is hidden ("<5"); 40, the smallest other cell of the column, is its complement ("[c]");
    # the shares of both rows are hidden, the reference (no count behind it) is not.
    assert shown["teachers"].tolist() == ["<5", "[c]", "100", "60"]
    assert shown["value"].tolist() == ["[c]", "[c]", "90.0 %", "80.0 %"]
    assert shown["reference"].tolist() == ["90.0 %"] * 4


def test_display_frame_rounds_apportioned_counts_and_marks_small_bases():
    frame = pd.DataFrame({"teachers": [20.4, 831.39], "value": [0.95, 0.957]})
    shown = safe_tables.display_frame(frame, ["teachers"], {"value": "share"}, "zh", small_base="teachers")
    # 20.4 teachers → "20" and a share on fewer than 30 persons carries the small-base marker.
    assert shown["teachers"].tolist() == ["20", "831"]
    assert shown["value"].tolist() == ["95.0 %（基数小）", "95.7 %"]


def test_interval_text():
    low, high = pd.Series([0.941204, NAN]), pd.Series([0.968979, 0.5])
    assert safe_tables.interval_text(low, high, "share", "en").tolist() == ["94.1–96.9 %", "—"]


def test_older_share_gap_is_rural_minus_urban_with_newcombe_interval():
    table = pd.DataFrame({"location": ["rural", "urban", "town"], "numerator": [30.0, 10.0, 5.0],
                          "denominator": [100.0, 100.0, 50.0], "value": [0.3, 0.1, 0.1],
                          "mean_age_years": [48.0, 38.0, 40.0]})
    gap = views_staffing.older_share_gap(table)
    # Wilson 95 %: 30/100 → (0.21895, 0.39585); 10/100 → (0.05523, 0.17437).
    # low  = 0.2 − sqrt((0.3 − 0.21895)² + (0.17437 − 0.1)²) = 0.2 − 0.10999 = 0.09000
    # high = 0.2 + sqrt((0.39585 − 0.3)² + (0.1 − 0.05523)²) = 0.2 + 0.10579 = 0.30579
    assert gap["difference"] == pytest.approx(0.2)
    assert gap["low"] == pytest.approx(0.09000, abs=1e-4) and gap["high"] == pytest.approx(0.30579, abs=1e-4)
    assert (gap["rural_age"], gap["urban_age"]) == (48.0, 38.0)
    assert views_staffing.older_share_gap(table[table["location"] != "urban"]) is None


def test_private_share_table_pools_private_pupils_and_keeps_incomplete_groups_missing():
    enrolment = pd.DataFrame({
        "year": [YEAR] * 5, "level": ["primary", "primary", "primary", "junior", "junior"],
        "ownership": ["public", "private", "private_inclusive", "public", "private"],
        "schools_count": [3.0, 1.0, 1.0, 2.0, 1.0], "students_count": [900.0, 60.0, 40.0, 500.0, NAN]})
    table = views_funding.private_share_table(enrolment, ["level"]).set_index("level")
    # primary: (60 + 40) ÷ (900 + 60 + 40) = 100 / 1000 = 0.10; 2 of 5 schools private.
    assert table.loc["primary", "private_share"] == pytest.approx(0.10)
    assert table.loc["primary", ["schools", "private_schools"]].tolist() == [5.0, 2.0]
    # junior: one school's enrolment is missing, so no pupil total and no share (never a partial sum).
    assert math.isnan(table.loc["junior", "pupils"]) and math.isnan(table.loc["junior", "private_share"])


def test_wide_inputs_keeps_annual_values_of_the_chosen_counties_and_years():
    measures = pd.DataFrame({
        "county_code": ["A", "A", "A", "B"], "year": [YEAR] * 4, "period": ["", "", "2022-06", ""],
        "indicator": ["teacher_avg_pay_yuan", "teacher_salary_ratio", "teacher_avg_pay_yuan",
                      "teacher_avg_pay_yuan"],
        "value": [100.0, 1.02, 50.0, 90.0]})
    codes = ("teacher_avg_pay_yuan", "civil_servant_avg_pay_yuan")
    wide = views_funding.wide_inputs(measures, codes, ["A"], [YEAR])
    # Only A's annual row: the monthly value and county B are left out; an absent code is an all-NaN column.
    assert wide[["county_code", "year"]].values.tolist() == [["A", YEAR]]
    assert wide["teacher_avg_pay_yuan"].tolist() == [100.0]
    assert wide["civil_servant_avg_pay_yuan"].isna().all()


def test_latest_inputs_take_the_year_end_value_else_the_last_month_or_quarter():
    measures = pd.DataFrame({
        "county_code": ["A", "A", "A", "B", "B", "B", "C"], "year": [YEAR] * 6 + [YEAR - 1],
        "period": ["2022-Q1", "2022-Q3", "2022-Q2", "2022-Q3", "", "2022-Q3", ""],
        "indicator": ["support_teachers_received"] * 3 + ["support_teachers_received"] * 2
        + ["support_teachers_sent", "support_teachers_received"],
        "value": [3.0, 9.0, 6.0, 7.0, 12.0, 4.0, 20.0]})
    codes = ("support_teachers_received", "support_teachers_sent")
    wide = views_funding.latest_inputs(measures, codes, ["A", "B", "C"], YEAR).set_index("county_code")
    # A: its last quarter (9, not the later-listed Q2's 6); B: the year-end 12 beats Q3's 7, sent only at Q3.
    # C has nothing in 2022.
    assert wide.index.tolist() == ["A", "B"]
    assert wide.loc["A", "support_teachers_received"] == 9.0 and wide.loc["A", "period"] == "2022-Q3"
    assert math.isnan(wide.loc["A", "support_teachers_sent"])
    assert wide.loc["B", ["support_teachers_received", "support_teachers_sent"]].tolist() == [12.0, 4.0]
    assert wide.loc["B", "period"] == "2022-Q3"  # the sent figure is in-year


# --- section 5 views on the demo data ------------------------------------------------------------

def test_staffing_views_show_stage_location_tables_with_references(liannan):
    text, _ = _show(views_staffing.show_pupil_teacher_ratios, liannan)
    assert "生师比(专任教师口径)" in text and "18.22" in text and "13.62" in text and "乡村" in text
    text, _ = _show(views_staffing.show_students_per_staff, liannan)
    assert "教职工数" in text and "19.00" in text and "13.50" in text and "符合" in text
    text, _ = _show(views_staffing.show_qualification_shares, liannan)
    # Liannan primary 2022: 795.8 of 831.4 teachers = 95.7 %, Wilson 94.1 %–96.9 %; Guangdong 99.19 %.
    assert "95.7 %" in text and "94.1–96.9 %" in text and "99.2 %" in text
    text, _ = _show(views_staffing.show_teachers_per_100_pupils, liannan)
    # 179 backbone teachers per 17,512 pupils = 1.02 per 100.
    assert "1.02" in text and "1.00" in text and "0.90" in text


def test_location_profile_draws_one_chart(liannan):
    text, images = _show(views_staffing.show_location_profile, liannan)
    assert images == 1 and "城区、镇区、乡村" in text


def test_roster_views_show_age_subjects_and_rotation_with_suppression(liannan):
    text, _ = _show(views_staffing.show_age_structure, liannan)
    # 529 of 1,935 teachers are 50 or over (27.3 %); the rural–urban sentence follows the table.
    assert "27.3 %" in text and "乡村教师中 50 岁及以上者占" in text
    text, _ = _show(views_staffing.show_subject_shortages, liannan)
    assert "体育教师数" in text and "美术每百名学生" in text
    text, _ = _show(views_staffing.show_rotation, liannan)
    # Fewer than 5 urban teachers rotated in Liannan: hidden, and so is what would give it back.
    assert "&lt;5" in text and "[c]" in text and "10.0 %" in text and "20.0 %" in text


def test_subject_table_adds_the_three_subjects_per_100_pupils(liannan):
    table = views_staffing.subject_table(liannan).set_index("location")
    # Liannan 2022, all locations: 111 PE, 64 music, 69 fine-arts teachers for 17,512 pupils:
    # 100 × 111 / 17,512 = 0.634; combined 100 × 244 / 17,512 = 1.393.
    assert table.loc["all", ["pe_teachers", "music_teachers", "fine_arts_teachers"]].tolist() == [111, 64, 69]
    assert table.loc["all", "pe_per100"] == pytest.approx(0.634, abs=1e-3)
    assert table.loc["all", "combined_per100"] == pytest.approx(1.393, abs=1e-3)
    assert list(table.index) == ["urban", "town", "rural", "all"]


def test_without_staff_or_roster_the_views_say_so(demo):
    page = _page(dataclasses.replace(demo, schools=demo.schools.drop(columns="staff"), teachers=None))
    text, images = _show(views_staffing.show_location_profile, page)
    assert images == 1  # the census indicators are still drawn, without the roster's age panel
    text, _ = _show(views_staffing.show_students_per_staff, page)
    assert "没有“教职工数”" in text and "<table" not in text
    for view in (views_staffing.show_age_structure, views_staffing.show_subject_shortages,
                 views_staffing.show_rotation):
        text, _ = _show(view, page)
        assert "未提供教师名册" in text


def test_item27_worked_out_for_a_county_where_the_rule_applies(demo):
    page = _page(demo, QINGCHENG, "en")
    text, _ = _show(views_funding.show_temporary_teacher_rule, page)
    # Qingcheng 2021: T0 = 761, D0 = 8,091 (E0 + T0), ratio 9.4 %; excess = 761 − 0.05 × 8,091 = 356.45;
    # required = 0.2 × 356.45 = 71.29; 2022: 738, cut 23 < 71.29 → not met.
    assert "761 ÷ 8,091 = 9.4 %" in text and "356.45" in text and "71.29" in text
    assert "a cut of 23" in text and "not met" in text and "TEMPORARY_RATIO_DENOMINATOR" in text
    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established"):
        text, _ = _show(views_funding.show_temporary_teacher_rule, _page(demo, QINGCHENG, "en"))
    # D0 = E0 = 7,330: excess = 761 − 366.5 = 394.5, required = 78.9.
    assert "394.50" in text and "78.90" in text and "established full-time teachers" in text


def test_item27_where_the_rule_does_not_apply_and_on_the_city_page(liannan, city_en):
    text, _ = _show(views_funding.show_temporary_teacher_rule, liannan)
    # Liannan 2021: 71 ÷ 1,497 = 4.7 %, not above 5 %; 69 in 2022.
    assert "71 ÷ 1,497 = 4.7 %" in text and "不适用" in text and "没有增加" in text
    text, _ = _show(views_funding.show_temporary_teacher_rule, city_en)
    assert "Qingcheng District" in text and "356.45" in text and "not applicable" in text


def test_support_and_pay_views(liannan, city_en):
    text, _ = _show(views_funding.show_support_teachers, liannan)
    # A September snapshot: the placements so far (2022-Q3). Lianshan received and sent fewer than 5:
    # hidden. The city totals so far, 119 received (on track for 135) and 97 sent (at risk).
    assert "&lt;5" in text and "2022-Q3" in text and "135" in text
    assert "119" in text and "有望达标" in text and "97" in text and "存在风险" in text
    text, images = _show(views_funding.show_pay_comparison, city_en)
    assert "Yangshan County" in text and "−4,700 yuan" in text and images == 1
    text, images = _show(views_funding.show_pay_comparison, liannan)
    assert "2019" in text and "116,000 元" in text and images == 0


# --- sections 6 and 7 views on the demo data -----------------------------------------------------

def test_private_schools_view(demo):
    text, _ = _show(views_funding.show_private_schools, _page(demo, "city", "zh", 6))
    # City kindergartens 2022: 69,999 of 157,661 children in private kindergartens = 44.4 %.
    assert "44.4 %" in text and "69,999" in text and "义务教育阶段" in text


def test_funding_views(demo):
    city = _page(demo, "city", "en", 7)
    text, images = _show(views_funding.show_funding, city)
    # Yangshan: 1,116 against 1,150 yuan → −34 yuan, ratio 0.97.
    assert "1,116 yuan" in text and "−34 yuan" in text and "0.97" in text and images == 1
    text, _ = _show(views_funding.show_special_education_funding, city)
    assert "5,820 yuan" in text and "−180 yuan" in text and "not met" in text


def test_county_names_from_data_are_escaped(demo):
    table = demo.counties.table.copy()
    table.loc[table["county_code"] == LIANNAN, "name_zh"] = "<script>alert(1)</script>县"
    page = _page(dataclasses.replace(demo, counties=CountyRegistry.from_frame(table)), "city", "zh", 7)
    text = ""
    for view in (views_funding.show_funding, views_funding.show_special_education_funding,
                 views_funding.show_support_teachers,
                 views_funding.show_temporary_teacher_rule):
        text += _show(view, page)[0]
    assert "<script>" not in text and text.count("&lt;script&gt;alert(1)&lt;/script&gt;县") == 4


def test_county_pages_list_their_own_row_and_large_regions_are_cut(demo, liannan, monkeypatch):
    from qyanalysis.report.tables import common

    monkeypatch.setattr(common, "MAX_COUNTIES_SHOWN", 3)
    text, images = _show(views_funding.show_funding, _page(demo, "city", "en", 7))
    # The three largest counties by pupils: Qingcheng, Yingde, Qingxin; Yangshan is left out of the table.
    assert "Qingcheng District" in text and "Yangshan County" not in text and images == 1
    assert "lists the 3 counties with the most pupils (of 8)" in text
