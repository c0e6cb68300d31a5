"""The 优质均衡 readiness page's frames and views (qyanalysis.report.tables/views.balance_readiness) on the demo data."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest
from IPython.display import HTML
from matplotlib.figure import Figure

from qyanalysis import settings
from qyanalysis.dataset import Dataset
from qyanalysis.present.palette import STATUS_COLOURS, STATUS_SYMBOLS
from qyanalysis.report import tables, views
from qyanalysis.report.frames import frame_html, spec_of
from qyanalysis.report.page import Page, open_page
from qyanalysis.report.registry import VIEWS
from qyanalysis.report.tables import balance_readiness as built
from qyanalysis.report.views import balance_readiness as drawn
from qyanalysis.verdicts.targets.assessment import load_assessment

QINGCHENG, LIANNAN = "441802", "441826"


@pytest.fixture(scope="module")
def qingcheng():
    return open_page(QINGCHENG, 2022, "", "zh")


@pytest.fixture(scope="module")
def liannan():
    return open_page(LIANNAN, 2022, "", "zh")


@pytest.fixture(scope="module")
def city():
    return open_page("city", 2022, "", "en")


def text_of(frame: pd.DataFrame) -> str:
    """The frame as the page shows it, tags removed and entities decoded."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", frame_html(frame)))


def test_every_indicator_of_the_assessment_appears_by_number_and_wording(qingcheng):
    frame = tables.readiness(qingcheng)
    assessment = load_assessment()
    assert len(frame) == len(assessment) == 51
    assert list(frame["assessment_id"]) == list(assessment["assessment_id"])
    shown = text_of(frame)
    for _, row in assessment.iterrows():
        assert str(row["label_zh"]) in shown, row["assessment_id"]
    assert list(frame["number"]) == [str(n) for n in assessment["number"]]
    # parts worded, the six veto items and recognition flagged, unconfirmed wording marked
    assert set(frame["part_name"]) == {"资源配置", "政府保障程度", "教育质量", "社会认可度", "一票否决"}
    assert int(frame["veto"].sum()) == int(assessment["veto"].sum()) == 7
    unconfirmed = frame["wording_status"] != "confirmed"
    assert unconfirmed.any() and frame.loc[unconfirmed, "wording"].str.endswith("※").all()
    assert "nan" not in shown and "not_met" not in shown


def test_english_readiness_words_the_parts_and_the_wording(city):
    page = open_page(LIANNAN, 2022, "", "en")
    frame = tables.readiness(page)
    shown = text_of(frame)
    for label in load_assessment()["label_en"]:
        assert str(label) in shown
    assert "Government support" in shown and "政府保障程度" not in shown


def test_verdict_of_qingcheng_lists_what_is_not_met_and_no_veto(qingcheng):
    frame = tables.verdict(qingcheng)
    assert frame["verdict"].iloc[0] == "not_met"
    detail = dict(zip(frame["what"], frame["detail"], strict=True))
    assert detail["结论"].startswith("暂不能申请:有指标未达标")
    assert "46 项达标、5 项未达标" in detail["结论"]
    assert "政府保障程度 4 · 规模超标学校数" in detail["未达标的指标"]
    assert detail["适用的一票否决事项"] == "无" and detail["缺少数据的指标"] == "无"


def test_verdict_of_liannan_is_vetoed_by_key_classes(liannan):
    frame = tables.verdict(liannan)
    assert frame["verdict"].iloc[0] == "vetoed"
    detail = dict(zip(frame["what"], frame["detail"], strict=True))
    assert detail["结论"].startswith("不能申请:存在一票否决事项")
    assert "一票否决 V3" in detail["适用的一票否决事项"]
    assert "社会认可度 1" in detail["适用的一票否决事项"]  # under 85 % is a veto too
    assert "一票否决 V3" not in detail["未达标的指标"]  # vetoes are listed apart


def test_city_verdicts_name_the_counties_that_could_apply(city):
    frame = tables.verdict(city)
    assert len(frame) == 8
    assert frame.set_index("county_code").loc[LIANNAN, "verdict"] == "vetoed"
    assert spec_of(frame).note == ("Counties that could apply for the national assessment this year: none. The "
                                   "indicators each county has not met or lacks data for are marked in the table "
                                   "of every indicator below.")
    # what each county misses is in the frame, not shown in the verdict table (whole in a first screen)
    assert "missing" in frame and "missing" not in spec_of(frame).columns


def test_temporary_teachers_beside_the_unfilled_posts_veto(qingcheng, city):
    # County page: Qingcheng's public compulsory schools year by year, the bureau's answer (否) in the note.
    frame = tables.veto_temporary_teachers(qingcheng)
    assert frame["year"].tolist() == ["2019", "2020", "2021", "2022"]
    assert (frame["share"] == frame["temporary"] / (frame["temporary"] + frame["established"])).all()
    assert frame["share"].iloc[-1] < frame["share"].iloc[0]  # falling: posts being filled
    note = spec_of(frame).note
    assert "有编不补" in note and note.endswith("教育局填报(一票否决 V6):否。")
    assert spec_of(frame).columns == ("year", "temporary", "established", "share")
    # City page: one row per county in 2022, the answer beside each; Yingde alone answers yes.
    rows = tables.veto_temporary_teachers(city).set_index("county_code")
    assert len(rows) == 8 and (rows["year"] == "2022").all()
    assert rows.loc[rows["veto_text"] == "yes"].index.tolist() == ["441881"]
    assert rows["share"].idxmax() == QINGCHENG


def test_city_matrix_is_indicators_by_counties(city):
    frame = tables.readiness(city)
    codes = list(city.dataset.counties.codes)
    assert len(frame) == 51
    assert [c for c in frame.columns if c.endswith(built.STATUS_SUFFIX)] == [c + built.STATUS_SUFFIX
                                                                                  for c in sorted(codes)]
    spec = spec_of(frame)
    # a status grid: part and number, a short name, one column per county under its short name
    assert spec.columns == ("reference", "indicator_short", *sorted(codes)) and spec.grid
    assert spec.headers[LIANNAN] == "Liannan"
    assert spec.statuses == {code: code + built.STATUS_SUFFIX for code in sorted(codes)}
    assert spec.titles == {"indicator_short": "wording"}
    by_id = frame.set_index("assessment_id")
    assert by_id.loc["v3_veto_key_schools_classes", LIANNAN + built.STATUS_SUFFIX] == "not_met"
    assert by_id.loc["v3_veto_key_schools_classes", LIANNAN] == "not met"
    assert by_id.loc["v3_veto_key_schools_classes", "reference"] == "Veto items V3"
    assert by_id.loc["r1_primary", "indicator_short"] == "Qualified teachers CV, primary"
    # the vetoes, dropped from the grid, are named in its note with the status marks
    assert "A veto applies to Public recognition 1, Veto items V1, " in spec.note
    assert "✓ met, ✗ not met" in spec.note
    assert isinstance(views.readiness_chart(frame), Figure)


def test_city_matrix_shows_as_a_coloured_grid_with_marks_and_the_full_wording(city):
    frame = tables.readiness(city)
    shown = frame_html(frame)
    assert '<table class="qy-grid"' in shown
    # every status cell carries its colour, a class and a symbol before its word (greyscale, print)
    cell = r'<td class="qy-cell-(\w+)" style="[^"]*background:(#[0-9A-F]{6});[^"]*">([^<]*)</td>'
    cells = re.findall(cell, shown)
    assert len(cells) == len(frame) * 8
    for status, colour, text in cells:
        assert colour == STATUS_COLOURS[status] and text.startswith(STATUS_SYMBOLS[status] + "\u00a0")
    # the short name shows, the 办法's full wording is its tooltip (escaped)
    wording = frame.set_index("assessment_id").loc["g2_unified_urban_rural_standards", "wording"]
    assert f'title="{html.escape(wording)}"' in shown


def test_school_gap_list_costs_each_addition(qingcheng):
    frame = tables.school_gaps(qingcheng)
    assert not frame.empty and (frame["plan_add"] > 0).all()
    teachers = frame[frame["add_unit"] == "persons"]
    assert (teachers["plan_add"] == teachers["plan_add"].round()).all()  # whole persons
    per_teacher = settings.GAP_COST_PE_ARTS_TEACHER_YUAN_PER_YEAR
    pe = frame[frame["indicator"] == "pe_arts_teachers_per_100"]
    assert pe["cost_yuan"].to_numpy() == pytest.approx(pe["plan_add"].to_numpy() * per_teacher)
    shown = text_of(frame)
    assert "清城第003小学" in shown and "名体育、艺术专任教师" in shown
    assert spec_of(frame).counts == ("students",)


def _tiny_county() -> Dataset:
    """Two primary schools of 441802: one of 3 pupils short of everything, one of 300 at the standards."""
    ok = {"teachers_above_required_qualification": 12.6, "backbone_teachers": 3.0, "pe_arts_teachers": 2.7,
          "teaching_area_m2": 1350.0, "sports_area_m2": 2250.0, "equipment_value_yuan": 600_000.0,
          "multimedia_rooms": 6.9}
    rows = [{"school_id": "s0", "students": 3.0, **{k: 0.0 for k in ok}},
            {"school_id": "s1", "students": 300.0, **ok}]
    frame = pd.DataFrame([{"school_name": f"学校{i}", "county_code": QINGCHENG, "year": 2022, "level": "primary",
                           "ownership": "public", "location": "urban", "is_teaching_point": False, **row}
                          for i, row in enumerate(rows)])
    for column in ("students_primary", "students_junior", "students_senior", "classes"):
        frame[column] = np.nan
    for column in ("school_id", "school_name", "county_code", "level", "ownership", "location"):
        frame[column] = frame[column].astype("str")
    frame["is_teaching_point"] = frame["is_teaching_point"].astype("boolean")
    return Dataset(schools=frame, indicators=pd.DataFrame())


def test_pupil_counts_of_the_gap_list_follow_disclosure_control():
    page = Page(_tiny_county(), QINGCHENG, 2022, "zh")
    frame = tables.school_gaps(page)
    small = frame[frame["school_id"] == "s0"]
    assert not small.empty  # the school still appears: schools are institutions
    # 3 pupils: hidden, and so is everything that would give them back (per-pupil values, additions, costs)
    assert small["students"].isna().all() and small["value"].isna().all()
    assert small["plan_add"].isna().all() and small["cost_yuan"].isna().all()
    assert (small["addition"] == "[c]").all()
    assert "<5" in text_of(frame) and "学校0" in text_of(frame)


def test_floors_costs_and_trajectory_on_the_city_page(city):
    floors = tables.cv_floors(city)
    assert set(floors["county_code"]) == {"441825", "441881"}  # the backbone-teacher CVs over 0.50
    assert (floors["cv_before"] > floors["limit"]).all() and floors["floor_alone"].notna().all()
    by_resource = tables.cost_by_resource(city)
    by_county = tables.cost_by_county(city)
    assert len(by_county) == 8 and len(by_resource) == 7
    assert by_resource["plan_cost_yuan"].sum() == pytest.approx(by_county["plan_cost_yuan"].sum(), abs=10)
    assert "assumption" in text_of(by_resource)
    pace = tables.trajectory(city)
    assert set(pace["trajectory_status"]) <= {"on_pace", "not_before_horizon"}
    assert (pace.loc[pace["trajectory_status"] == "not_before_horizon", "when"]
            == f"not before {settings.READINESS_HORIZON_YEAR}").all()
    ready = tables.ready_years(city)
    assert len(ready) == 8 and ready["ready_when"].str.len().gt(0).all()


def test_the_ready_year_names_the_real_blockers_with_their_reasons(qingcheng):
    # 清城 has no unmet yes/no item: not "无法推算:有未达标的是/否指标或数据年份不足", but not before 2035,
    # held back by trends that miss 2035 and, with an unknown year, the certificate share (2 years of data)
    ready = tables.ready_years(qingcheng).iloc[0]
    assert ready["ready_when"] == f"{settings.READINESS_HORIZON_YEAR} 年前不能"
    assert "是/否" not in ready["ready_when"] + ready["blocked_by"]
    blockers = ready["blocked_by"].split(";")
    assert blockers[0].startswith(f"按目前速度 {settings.READINESS_HORIZON_YEAR} 年前达不到:")
    assert "规模超标学校数" in blockers[0]
    assert blockers[1] == f"数据不足 {settings.READINESS_MIN_YEARS} 年、达标年份未知:政府保障程度 12 · 专任教师持证上岗率"
    pace = tables.trajectory(qingcheng).set_index("indicator")
    assert pace.loc["teacher_certificate_share", "when"] == "年份未知:仅有 2 年数据,至少需 3 年"


def test_every_yearly_change_carries_the_unit_of_its_catalogue_entry(qingcheng):
    # schools_over_size_count counts schools (所); a share changes by percentage points
    pace = tables.trajectory(qingcheng).set_index("indicator")
    from qyanalysis.verdicts.readiness import trajectory

    fitted = trajectory(qingcheng.dataset, "441802", 2022)[0].set_index("indicator")
    slope = fitted.loc["schools_over_size_count", "slope_per_year"]
    assert not float(slope).is_integer()  # a fitted change per year: two decimals, not a whole count
    assert pace.loc["schools_over_size_count", "slope_text"] == f"+{slope:.2f} 所"
    assert pace.loc["balance_schools_passing_share", "slope_text"].endswith(" 个百分点")
    assert built.slope_text(2.0, "schools_over_size_count", "en") == "+2 schools"
    assert built.slope_text(-0.03, "balance_cv_teaching_area_per_student_primary", "en") == "−0.03"  # a 差异系数 is dimensionless
    assert built.slope_text(-120.0, "special_education_funding_per_student_yuan", "zh").endswith(" 元")
    assert built.slope_text(float("nan"), "schools_over_size_count", "zh") == "—"


def test_a_county_without_floors_says_so(qingcheng):
    floors = tables.cv_floors(qingcheng)
    assert floors.empty and "无需“托底”" in text_of(floors)


def test_every_view_draws_its_frame_on_a_county_and_the_city(liannan, city):
    for page in (liannan, city):
        for view, entry in VIEWS.items():
            if entry.function.__module__ != drawn.__name__:
                continue
            out = entry.function(getattr(tables, entry.draws)(page))
            assert isinstance(out, (Figure, HTML)), (view, page.county_code)


def test_methods_links_reach_every_indicator_entry(liannan):
    out = views.methods_links(tables.readiness(liannan)).data
    for code in load_assessment()["indicator"]:
        assert f'href="../methods.html#{code}"' in out, code
    assert 'href="../methods.html#readiness"' in out
    assert "资源配置 1(小学)" in out


def test_the_answer_names_the_costliest_gaps_from_the_cost_by_resource_rows(qingcheng, city):
    for page in (qingcheng, city):
        every = tables.cost_by_resource(page)
        top = tables.costliest(page)
        want = every[every["plan_cost_yuan"] > 0].sort_values("plan_cost_yuan", ascending=False).head(3)
        assert len(top) == min(3, len(want)) and len(top) > 0
        assert top["indicator"].tolist() == want["indicator"].tolist()
        assert top["plan_cost_yuan"].tolist() == want["plan_cost_yuan"].tolist()
        assert top["addition"].tolist() == want["addition"].tolist()
        assert top["plan_cost_yuan"].is_monotonic_decreasing
    assert "counties" in tables.costliest(city).columns


def test_shortfall_tables_show_the_standards_in_force_and_mark_what_the_school_rule_fails(qingcheng):
    """02_development's schools short of the rule and this page's gap list: the standards come from the
    rule's own table (balance_standards), the marks from its own verdicts (school_verdicts)."""
    from qyanalysis.contract.indicators import BALANCE_INDICATORS
    from qyanalysis.measures.balance import balance_standards
    from qyanalysis.measures.equity import school_balance_table

    short = tables.schools_short_of_balance(qingcheng)
    spec = spec_of(short)
    standards = balance_standards(pd.Series(["primary", "junior"]))
    assert spec.header_notes["qualified_teachers_per_100"] == "标准 小学 ≥ 4.20、初中 ≥ 5.30"
    assert spec.header_notes["backbone_teachers_per_100"] == "标准 ≥ 1.00"  # one standard for both levels
    assert standards["qualified_teachers_per_100"].tolist() == [4.2, 5.3]
    table = school_balance_table(qingcheng.dataset, QINGCHENG, 2022)
    listed = table[table["passes"] == False].head(len(short)).reset_index(drop=True)  # noqa: E712
    for code in BALANCE_INDICATORS:
        assert spec.failing[code] == tuple(listed.index[listed[f"{code}_meets"] == False])  # noqa: E712
    assert sum(map(len, spec.failing.values())) >= len(short)  # every listed school fails somewhere
    shown = frame_html(short)
    assert shown.count("qy-fail") == sum(map(len, spec.failing.values())) and 'class="qy-legend"' in shown
    gaps = tables.school_gaps(qingcheng)
    marked = set(spec_of(gaps).failing["value"])
    assert marked and marked == set(gaps.index[gaps["value"] < gaps["threshold"]])
