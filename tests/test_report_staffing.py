"""Tables and views of sections 5–7 (tables.teachers, tables.governance, tables.safeguards) and labelled
frames: pure helpers on tiny frames, frames and charts on the demo data."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from IPython.utils.capture import capture_output

from qyanalysis import settings
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.contract.plan import SECTIONS
from matplotlib.figure import Figure

from qyanalysis.measures import staffing
from qyanalysis.report import views
from qyanalysis.report.frames import display_texts, frame_html, labelled, spec_of
from qyanalysis.report.page import Page
from qyanalysis.report.tables import common, governance, safeguards, teachers

NAN = math.nan
YEAR = 2022
LIANNAN, LIANSHAN, QINGCHENG = "441826", "441825", "441802"


@pytest.fixture(scope="module", autouse=True)
def shell(ipython_shell):
    """Every test here captures rich display outputs."""
    return ipython_shell



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


def test_labelled_frames_suppress_small_counts_and_the_values_they_give_back():
    frame = pd.DataFrame({"teachers": [3.0, 40.0, 100.0, 60.0], "value": [0.5, 0.25, 0.9, 0.8],
                          "reference": [0.9, 0.9, 0.9, 0.9]})
    out = labelled(frame, "en", counts=("teachers",), units={"value": "share", "reference": "share"},
                   links={"reference": []}, small_base="teachers")
    shown = display_texts(out, spec_of(out))
    # 3 is hidden ("<5"); 40, the smallest other cell of the column, is its complement ("[c]");
    # the shares of both rows are hidden, the reference (no count behind it) is not.
    assert shown["teachers"].tolist() == ["<5", "[c]", "100", "60"]
    assert shown["value"].tolist() == ["[c]", "[c]", "90.0 %", "80.0 %"]
    assert shown["reference"].tolist() == ["90.0 %"] * 4


def test_labelled_frames_round_apportioned_counts_and_mark_small_bases():
    frame = pd.DataFrame({"teachers": [20.4, 831.39], "value": [0.95, 0.957]})
    out = labelled(frame, "zh", counts=("teachers",), units={"value": "share"}, small_base="teachers")
    shown = display_texts(out, spec_of(out))
    # 20.4 teachers → "20" and a share on fewer than 30 persons carries the small-base marker.
    assert shown["teachers"].tolist() == ["20", "831"]
    assert shown["value"].tolist() == ["95.0 %（基数小）", "95.7 %"]


def test_wide_inputs_keeps_annual_values_of_the_chosen_counties_and_years():
    measures = pd.DataFrame({
        "county_code": ["A", "A", "A", "B"], "year": [YEAR] * 4, "period": ["", "", "2022-06", ""],
        "indicator": ["teacher_avg_pay_yuan", "teacher_salary_ratio", "teacher_avg_pay_yuan",
                      "teacher_avg_pay_yuan"],
        "value": [100.0, 1.02, 50.0, 90.0]})
    codes = ("teacher_avg_pay_yuan", "civil_servant_avg_pay_yuan")
    wide = common.wide_inputs(measures, codes, ["A"], [YEAR])
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
    wide = common.latest_inputs(measures, codes, ["A", "B", "C"], YEAR).set_index("county_code")
    # A: its last quarter (9, not the later-listed Q2's 6); B: the year-end 12 beats Q3's 7, sent only at Q3.
    # C has nothing in 2022.
    assert wide.index.tolist() == ["A", "B"]
    assert wide.loc["A", "support_teachers_received"] == 9.0 and wide.loc["A", "period"] == "2022-Q3"
    assert math.isnan(wide.loc["A", "support_teachers_sent"])
    assert wide.loc["B", ["support_teachers_received", "support_teachers_sent"]].tolist() == [12.0, 4.0]
    assert wide.loc["B", "period"] == "2022-Q3"  # the sent figure is in-year


# --- section 5 frames on the demo data -----------------------------------------------------------

def _shown(frame) -> str:
    """The frame as the page shows it (title, house table, note)."""
    return frame_html(frame)


def test_staffing_tables_show_stage_location_rows_with_references(liannan):
    text = _shown(teachers.pupil_teacher_ratios(liannan))
    assert "生师比(专任教师口径)" in text and "18.22" in text and "13.62" in text and "乡村" in text
    text = _shown(teachers.students_per_staff(liannan))
    assert "教职工数" in text and "19.00" in text and "13.50" in text and "符合" in text
    frame = teachers.qualification_shares(liannan)
    text = _shown(frame)
    # Liannan primary 2022: 980.1 of 1,009.4 teachers = 97.1 %, Wilson 95.9 %–98.0 %; Guangdong 99.19 %.
    assert "97.1 %" in text and "95.9 %" in text and "98.0 %" in text and "99.2 %" in text
    primary = frame[(frame["stage"] == "primary") & (frame["location"] == "all")].iloc[0]
    assert primary["value"] == pytest.approx(980.14 / 1009.38, abs=1e-3)
    # Apportioned teachers are shown as whole persons.
    assert "1,009" in text and "1,009.38" not in text
    text = _shown(teachers.teachers_per_100_pupils(liannan))
    # 304 backbone teachers per 22,287 pupils = 1.36 per 100.
    assert "1.36" in text and "1.00" in text and "0.90" in text


def test_tables_are_of_the_page_year_only(liannan):
    for build in (teachers.pupil_teacher_ratios, teachers.age_structure, teachers.rotation):
        assert set(build(liannan)["year"]) == {YEAR}


def test_location_profile_draws_one_chart(liannan):
    frame = teachers.location_profile(liannan)
    assert "城区、镇区、乡村" in _shown(frame)
    assert isinstance(views.location_profile_chart(frame), Figure)


def test_roster_tables_show_age_subjects_and_rotation_with_suppression(liannan, demo):
    text = _shown(teachers.age_structure(liannan))
    # 627 of 2,290 teachers are 50 or over (27.4 %); the rural–urban sentence follows the table.
    assert "27.4 %" in text and "乡村教师中 50 岁及以上者占" in text
    text = _shown(teachers.subject_shortages(liannan))
    assert "体育教师数" in text and "美术每百名学生" in text
    frame = teachers.rotation(_page(demo, LIANSHAN))
    text = _shown(frame)
    # Fewer than 5 teachers rotated in one of Lianshan's locations: hidden, and so is what would give it back.
    assert "&lt;5" in text and "[c]" in text and "10.0 %" in text and "20.0 %" in text
    assert frame.loc[frame["location"] == "urban", ["numerator", "value"]].isna().all(axis=None)


def test_subject_shortages_add_the_three_subjects_per_100_pupils(liannan):
    table = teachers.subject_shortages(liannan).set_index("location")
    # Liannan 2022, all locations: 123 PE, 76 music, 65 fine-arts teachers for 22,287 pupils:
    # 100 × 123 / 22,287 = 0.552; combined 100 × 264 / 22,287 = 1.185.
    assert table.loc["all", ["pe_teachers", "music_teachers", "fine_arts_teachers"]].tolist() == [123, 76, 65]
    assert table.loc["all", "pe_per100"] == pytest.approx(0.552, abs=1e-3)
    assert table.loc["all", "combined_per100"] == pytest.approx(1.185, abs=1e-3)
    assert list(table.index) == ["urban", "town", "rural", "all"]


def test_without_staff_or_roster_the_tables_say_so(demo):
    page = _page(dataclasses.replace(demo, schools=demo.schools.drop(columns="staff"), teachers=None))
    # the census indicators are still drawn, without the roster's age panel
    profile = teachers.location_profile(page)
    assert "older_teacher_share" not in set(profile["indicator"])
    assert isinstance(views.location_profile_chart(profile), Figure)
    frame = teachers.students_per_staff(page)
    assert frame.empty and "没有“教职工数”" in _shown(frame) and "<table" not in _shown(frame)
    for build in (teachers.age_structure, teachers.subject_shortages, teachers.rotation):
        frame = build(page)
        assert frame.empty and "未提供教师名册" in _shown(frame)


def test_item27_worked_out_for_a_county_where_the_rule_applies(demo):
    frame = teachers.temporary_teacher_rule(_page(demo, QINGCHENG, "en"))
    text = _shown(frame)
    # Qingcheng 2021: T0 = 842, D0 = 9,344 (E0 + T0), ratio 9.0 %; excess = 842 − 0.05 × 9,344 = 374.80;
    # required = 0.2 × 374.80 = 74.96; 2022: 808, cut 34 < 74.96 → not met. Persons are printed whole:
    # the excess the nearest (375), the cut required as its ">=" implies (at least 74.96 → 75).
    assert "842 ÷ 9,344 = 9.0 %" in text and "= 375 teachers" in text and "i.e. 75 teachers" in text
    assert "374.80" not in text and "74.96" not in text
    assert "a cut of 34" in text and "not met" in text and "TEMPORARY_RATIO_DENOMINATOR" in text
    assert frame["required_cut"].iloc[0] == pytest.approx(74.96)
    with settings.override(TEMPORARY_RATIO_DENOMINATOR="established"):
        text = _shown(teachers.temporary_teacher_rule(_page(demo, QINGCHENG, "en")))
    # D0 = E0 = 8,502: excess = 842 − 425.1 = 416.9 (printed 417), required = 83.38 → 84.
    assert "= 417 teachers" in text and "i.e. 84 teachers" in text and "established full-time teachers" in text


def test_item27_where_the_rule_does_not_apply_and_on_the_city_page(liannan, city_en):
    text = _shown(teachers.temporary_teacher_rule(liannan))
    # Liannan 2021: 83 ÷ 1,842 = 4.5 %, not above 5 %; 78 in 2022.
    assert "83 ÷ 1,842 = 4.5 %" in text and "不适用" in text and "没有增加" in text
    text = _shown(teachers.temporary_teacher_rule(city_en))
    # Qingcheng's excess 374.80 and cut 74.96 persons are printed whole: 375, and 75 (at least 74.96)
    assert "Qingcheng District" in text and ">375<" in text and ">75<" in text and "not applicable" in text


def test_support_and_pay_tables(liannan, city_en):
    frame = teachers.support_teachers(liannan)
    text = _shown(frame)
    # A September snapshot: the placements so far (2022-Q3). Liannan sent fewer than 5: hidden. The city
    # totals so far, 119 received (on track for 135) and 97 sent (at risk).
    assert "&lt;5" in text and "2022-Q3" in text and "135" in text
    assert "119" in text and "有望达标" in text and "97" in text and "存在风险" in text
    assert frame["support_teachers_sent"].isna().all()
    frame = teachers.pay_comparison(city_en)
    assert "Yangshan County" in _shown(frame) and "−4,700 yuan" in _shown(frame)
    assert isinstance(views.pay_league_chart(teachers.pay_league(city_en)), Figure)
    text = _shown(teachers.pay_comparison(liannan))
    assert "2019" in text and "116,000 元" in text
    assert not isinstance(views.pay_league_chart(teachers.pay_league(liannan)), Figure)  # city page only


# --- sections 6 and 7 frames on the demo data ----------------------------------------------------

def test_private_schools_tables(demo):
    page = _page(demo, "city", "zh", 6)
    text = _shown(governance.private_schools(page))
    # City kindergartens 2022: 74,926 of 167,530 children in private kindergartens = 44.7 %.
    assert "44.7 %" in text and "74,926" in text
    assert "义务教育阶段" in _shown(governance.private_share_over_years(page))


def test_funding_tables(demo):
    city = _page(demo, "city", "en", 7)
    text = _shown(safeguards.funding(city))
    # Yangshan: 1,116 against 1,150 yuan → −34 yuan, ratio 0.97.
    assert "1,116 yuan" in text and "−34 yuan" in text and "0.97" in text
    assert isinstance(views.funding_league_chart(safeguards.funding_league(city)), Figure)
    text = _shown(safeguards.special_education_funding(city))
    assert "5,820 yuan" in text and "−180 yuan" in text and "not met" in text


def test_county_names_from_data_are_escaped(demo):
    table = demo.counties.table.copy()
    table.loc[table["county_code"] == LIANNAN, "name_zh"] = "<script>alert(1)</script>县"
    page = _page(dataclasses.replace(demo, counties=CountyRegistry.from_frame(table)), "city", "zh", 7)
    text = "".join(_shown(build(page)) for build in (safeguards.funding, safeguards.special_education_funding,
                                                     teachers.support_teachers, teachers.temporary_teacher_rule,
                                                     safeguards.key_tasks))
    assert "<script>" not in text and text.count("&lt;script&gt;alert(1)&lt;/script&gt;县") == 5


def test_county_pages_list_their_own_row_and_large_regions_are_cut(demo, liannan, monkeypatch):
    text = _shown(safeguards.key_tasks(liannan))
    # Liannan's own key tasks (6, 4 completed) and the city total, not the other counties' rows.
    assert "连南瑶族自治县" in text and "清城区" not in text and "全市已完成重点工作 35 项" in text
    monkeypatch.setattr(common, "MAX_COUNTIES_SHOWN", 3)
    city = _page(demo, "city", "en", 7)
    text = _shown(safeguards.funding(city))
    # The three largest counties by pupils: Qingcheng, Yingde, Qingxin; Yangshan is left out of the table.
    assert "Qingcheng District" in text and "Yangshan County" not in text
    assert isinstance(views.funding_league_chart(safeguards.funding_league(city)), Figure)
    assert "lists the 3 counties with the most pupils (of 8)" in text
