"""The census reader (qyanalysis.io.census): tiny per-school workbooks built here, values checked by hand."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from qyanalysis.cli import main
from qyanalysis.io.census import read_census
from qyanalysis.io.census_rows import header_paths


def form(book, name: str, code: str, columns: list[str], rows: list[list], *, letters: bool = False,
         group: tuple[int, int, str] | None = None, year: str = "") -> None:
    """One form sheet: title, 表号 line, (merged group +) labels, 甲/乙/1… row, data rows [code, label, values…]."""
    sheet = book.create_sheet(name)
    lines = [[f"表 {year}".strip()], [f"表号：{code}    单位：人"]]
    if group:
        first, last, text = group
        top = ["指标名称", "代码", *columns]
        top[first + 1:last + 2] = [text] + [""] * (last - first)
        lines.append(top)
        lines.append(["", "", *[c if first <= i <= last else "" for i, c in enumerate(columns, 1)]])
    else:
        lines.append(["指标名称", "代码", *columns])
    lines.append(["甲", "乙", *[str(i) for i in range(1, len(columns) + 1)]])
    lines += [[label, row_code, *values] for row_code, label, *values in rows]
    if letters:  # the 2018 export: a letter row above, a row-number column on the left
        sheet.append([None, *"ABCDEFGHIJKLMNOP"[:len(columns) + 2]])
        lines = [[i, *line] for i, line in enumerate(lines, 1)]
    for line in lines:
        sheet.append(line)
    if group:
        offset = 2 if letters else 1
        first, last, _ = group
        top_row = 3 + (1 if letters else 0)
        sheet.merge_cells(start_row=top_row, start_column=first + 1 + offset, end_row=top_row,
                          end_column=last + 1 + offset)


def basic(book, name: str, code: str, school_id: str, school_name: str, address: str, location: str,
          school_type: str, organiser: str, inclusive: str = "否", counted: str = "1", year: str = "") -> None:
    form(book, name, code, ["名称", "代码"], [
        ["1", "学校标识码", "", school_id], ["2", "学校名称", school_name, ""],
        ["3", "学校驻地地域码", "", address], ["5", "所在地城乡类型", "", location],
        ["6", "办学类型", "", school_type], ["7", "举办者", "", organiser],
        ["8", "是否普惠性民办", inclusive, ""], ["9", "是否计校数", counted, ""]], year=year)


PRIMARY_312 = ["毕业生数", "招生数", "在校生数", "#女", "一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
SUBJECTS_2018 = ["合计", "品德与生活(社会)", "语文", "数学", "外语", "科学", "体育", "音乐", "美术", "信息技术", "其他"]


def primary_2018(path: Path, *, grades=("60",) * 6, drop: str = "", title_312: str = "基础基312") -> Path:
    """A 2018 primary school: letter row and number column, numbers as text, *, merged headers, 万元."""
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.active.append(["（2020/2021学年初）"])
    basic(book, "基础基111", "基础基111", "2144180001", "清城实验小学", "441802001000", "121", "211", "831")
    form(book, "基础基112", "基础基112", ["人数"], [["26", "县级及以上骨干教师(小学)", "3"]], letters=True)
    form(book, "基础基212", "基础基212", ["合计"],
         [["1", "总计", "8"], ["7", "41-45人", "6"], ["8", "46-50人", "2"], ["9", "51-55人", "*"]], letters=True)
    if drop != "312":
        form(book, "基础基312", title_312, PRIMARY_312,
             [["1", "总计", "*", "60", "360", "170", *grades], ["3", "#进城务工人员随迁子女", "", "", "25"]],
             letters=True, group=(5, 10, "在校生中"))
    form(book, "基础基412", "基础基412", ["教职工数", "专任教师", "行政人员", "教辅人员", "工勤人员", "其他",
                                          "代课教师", "兼任教师"], [["1", "总计", "24", "20", "", "", "", "", "3", "*"]],
         letters=True)
    form(book, "基础基422", "基础基422", ["合计"], [["1", "合计", "20"], ["2", "正高级", "0"], ["3", "副高级", "2"],
                                                ["4", "中级", "8"]], letters=True)
    form(book, "基础基423", "基础基423", SUBJECTS_2018,
         [["1", "小学专任教师合计", "20", "", "6", "5", "2", "", "2", "1", "1", "", "3"], ["2", "研究生毕业", "1"],
          ["3", "本科毕业", "9"], ["4", "专科毕业", "6"], ["5", "高中阶段毕业", "4"], ["6", "高中阶段毕业以下", ""]],
         letters=True, group=(2, 11, "按授课课程分"))
    form(book, "基础基512", "基础基512", ["合计"], [["4", "教学及辅助用房", "2400.5"], ["10", "体育馆", "300"]],
         letters=True)
    form(book, "基础基522", "基础基522", ["占地面积", "#绿化用地面积", "#运动场地面积", "图书(册)", "计算机(台)",
                                          "#教学用计算机", "普通教室中", "专用教室中", "固定资产总值(万元)",
                                          "#教学仪器设备资产值(万元)"],
         [["1", "总计", "9000", "*", "3200", "18000", "50", "45", "6", "2", "300", "85.5"]], letters=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_2018_primary_school_read_by_row_code_and_column_number(tmp_path):
    census = read_census(primary_2018(tmp_path / "in" / "school.xlsx"))
    assert census.errors == []
    row = census.schools.iloc[0]
    assert (row["school_id"], row["county"], row["year"], row["level"], row["ownership"], row["location"]) == (
        "2144180001", "441802", 2020, "primary", "public", "town")
    assert not row["is_teaching_point"]
    expected = {"students": 360, "classes": 8, "classes_over_limit": 2, "teachers": 20, "staff": 24,
                "temporary_teachers": 3, "backbone_teachers": 3, "teachers_above_required_qualification": 16,
                "pe_arts_teachers": 4, "teachers_senior_title": 10, "migrant_students": 25,
                "teaching_area_m2": 2400.5, "sports_area_m2": 3500, "library_books": 18000, "computers": 45,
                "multimedia_rooms": 8, "equipment_value_yuan": 855000}
    assert {k: row[k] for k in expected} == pytest.approx(expected)
    assert math.isnan(row["students_primary"]) and math.isnan(row["fitness_tested"])
    # provenance: the equipment value came from column 10 of 基础基522, raw 85.5 (万元)
    prov = census.provenance
    hit = prov[prov["field"] == "equipment_value_yuan"].iloc[0]
    assert (hit["form"], hit["sheet"], hit["column"], hit["cell"], hit["raw"]) == (
        "基础基522", "基础基522", "10", "M6", "85.5")
    summary = census.teachers_summary.set_index("qualification")["teachers"].to_dict()
    assert summary == {"postgraduate": 1, "bachelor": 9, "associate": 6, "secondary": 4}


def nine_year_2021(path: Path, year: str = "（2022/2023学年初）") -> Path:
    """A 2021-generation nine-year school: primary and junior sheets, one buildings and one land form."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    suffix = "_九年一贯制学校"
    basic(book, "教基1001" + suffix, "教基1001", "2144180002", "连州九年一贯制学校", "441882100000", "220",
          "九年一贯制学校 312", "999", year=year)
    grades6 = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
    form(book, "教基3112" + suffix, "教基3112", ["毕业生数", "招生数", "未接受过", "一年", "两年", "三年",
                                                 "在校生数", "#女", *grades6, "预计毕业生数"],
         [["01", "总计", 40, 50, 0, 0, 0, 50, 300, 140, 50, 50, 50, 50, 50, 50, "*"],
          ["09", "#进城务工人员随迁子女", "", "", "", "", "", "", 12]], group=(9, 14, "在校生中"))
    form(book, "教基3115" + suffix, "教基3115", ["毕业生数", "招生数", "在校生数", "#女", "一年级", "二年级",
                                                 "三年级", "四年级"],
         [["01", "总计", 45, 50, 150, 70, 50, 50, 50, "*"]])
    form(book, "教基2106" + suffix, "教基2106", ["合计"], [["01", "总计", 6], ["07", "41-45人", 4], ["08", "46-50人", 2]])
    form(book, "教基2107" + suffix, "教基2107", ["合计"], [["01", "总计", 3], ["08", "46-50人", 2], ["09", "51-55人", 1]])
    subjects = ["合计", "道德与法治", "语文", "数学", "外语", "科学", "体育与健康", "音乐", "美术", "信息科技", "其他"]
    form(book, "教基4155" + suffix, "教基4155", subjects,
         [["01", "小学专任教师合计", 18, 1, 6, 5, 2, "", 2, "", "", "", 2], ["02", "博士研究生", 0],
          ["03", "硕士研究生", 1], ["04", "本科", 10], ["05", "专科", 5], ["06", "高中阶段", 2], ["07", "高中阶段以下", 0]])
    form(book, "教基4156" + suffix, "教基4156", subjects,
         [["01", "初中专任教师合计", 12, 1, 2, 2, 2, 2, 1, 1, "", "", 1], ["03", "硕士研究生", 2], ["04", "本科", 8],
          ["05", "专科", 2]])
    form(book, "教基4149" + suffix, "教基4149", ["教职工数", "专任教师"], [["01", "总计", 35, 30]])
    form(book, "教基5170" + suffix, "教基5170", ["合计"], [["05", "教学及辅助用房", 3000], ["12", "室内体育用房", 500]])
    form(book, "教基5176" + suffix, "教基5176", ["数量"],
         [["03", "#运动场地面积", 4000], ["13", "网络多媒体教室(间)", 15], ["15", "教学仪器设备资产值(万元)", 120.25]])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_2021_combined_school_adds_up_its_stage_sheets(tmp_path):
    census = read_census(nine_year_2021(tmp_path / "school.xlsx"))
    assert census.errors == []
    row = census.schools.iloc[0]
    assert (row["level"], row["ownership"], row["location"], row["county"], row["year"]) == (
        "nine_year", "private", "rural", "441882", 2022)
    expected = {"students": 450, "students_primary": 300, "students_junior": 150, "classes": 9,
                # primary: 2 classes of 46-50 (> 45); junior: 1 class of 51-55 (> 50)
                "classes_over_limit": 3, "teachers": 30, "staff": 35,
                # primary 专科 and above 1+10+5 = 16; junior 本科 and above 2+8 = 10
                "teachers_above_required_qualification": 26, "pe_arts_teachers": 4, "migrant_students": 12,
                "teaching_area_m2": 3000, "sports_area_m2": 4500, "multimedia_rooms": 15,
                "equipment_value_yuan": 1202500}
    assert {k: row[k] for k in expected} == pytest.approx(expected)
    assert math.isnan(row["temporary_teachers"])  # 教基 forms hold no 代课教师 column


def test_teaching_point_and_folder_name_county(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["（2022/2023学年初）"])
    basic(book, "教基1001_小学教学点", "教基1001", "2144180009", "石角小学某教学点", "", "220", "218", "831",
          counted="0")
    form(book, "教基3112_小学教学点", "教基3112", ["毕业生数", "招生数", "a", "b", "c", "d", "在校生数"],
         [["01", "总计", 5, 6, "", "", "", "", 30]])
    folder = tmp_path / "清新区"
    folder.mkdir()
    book.save(folder / "point.xlsx")
    census = read_census(tmp_path)
    assert census.errors == []
    row = census.schools.iloc[0]
    assert (bool(row["is_teaching_point"]), row["level"], row["county"], row["students"]) == (
        True, "primary", "441803", 30)


def test_school_per_row_export_with_a_three_level_header(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2022/2023学年 学校基础数据"])
    sheet.append(["学校标识码", "学校名称", "统计三级", "办学类型", "是否计校数", "举办者", "所在地城乡类型",
                  "在校生数", "专任教师", "", "", "教基1102", "本学年校舍建筑面积", "固定资产总值"])
    sheet.append(["", "", "", "", "", "", "", "合计", "合计", "#按学历分", "", "县级以上骨干教师(小学)",
                  "教学及辅助用房", "教学仪器设备资产值(万元)"])
    sheet.append(["", "", "", "", "", "", "", "", "", "本科", "专科", "", "计", ""])
    sheet.merge_cells("I2:K2")
    sheet.merge_cells("J3:K3")
    sheet.append(["2144180003", "清城某小学", "清城区", "211", "1", "831", "111", 500, 25, 20, 5, 2, 4000, 60.5])
    sheet.append(["2144180004", "某教学点", "清城区", "218", "0", "831", "220", "40", "3", "1", "2", "0", "300", "*"])
    book.save(tmp_path / "export.xlsx")
    census = read_census(tmp_path / "export.xlsx")
    assert census.errors == []
    first, second = census.schools.iloc[0], census.schools.iloc[1]
    assert (first["county"], first["year"], first["location"], first["students"], first["teachers"]) == (
        "441802", 2022, "urban", 500, 25)
    assert first["teachers_above_required_qualification"] == 25  # primary: 专科 and above
    assert (first["backbone_teachers"], first["teaching_area_m2"], first["equipment_value_yuan"]) == (
        2, 4000, pytest.approx(605000))
    assert bool(second["is_teaching_point"]) and math.isnan(second["equipment_value_yuan"])
    hit = census.provenance[census.provenance["field"] == "teaching_area_m2"].iloc[0]
    assert (hit["column"], hit["cell"]) == ("本学年校舍建筑面积>教学及辅助用房>计", "M5")


def test_header_paths_spread_merged_groups():
    header = [["学校名称", "专任教师", "", ""], ["", "合计", "#按学历分", ""], ["", "", "本科", "专科"]]
    assert header_paths(header) == [("学校名称",), ("专任教师", "合计"), ("专任教师", "#按学历分", "本科"),
                                    ("专任教师", "#按学历分", "专科")]


@pytest.mark.parametrize("case, where, words", [
    ("missing", r"school\.xlsx:基础基312:: required form 基础基312", "missing"),
    ("wrong", r"school\.xlsx:基础基312:B3: the title says 基础基313", "same 表号"),
    ("identity", r"school\.xlsx:基础基312:F7: 小学 pupils of the grades: total 360", "sum of"),
    ("text", r"school\.xlsx:基础基312:J7: '六十' is not a number", "expected a number"),
])
def test_bad_input_is_one_line_exit_2_nothing_written(tmp_path, capsys, case, where, words):
    import re

    grades = ("60",) * 6
    if case == "identity":
        grades = ("60", "60", "60", "60", "60", "50")
    if case == "text":
        grades = ("60", "60", "六十", "60", "60", "60")
    primary_2018(tmp_path / "in" / "school.xlsx", grades=grades, drop="312" if case == "missing" else "",
                 title_312="基础基313" if case == "wrong" else "基础基312")
    out = tmp_path / "out"
    assert main(["import-census", str(tmp_path / "in"), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "Traceback" not in "".join(err)
    assert re.match(where, err[0]) and words in err[0]
    assert not out.exists()


def test_a_year_mixing_generations_is_an_error(tmp_path):
    primary_2018(tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(nine_year_2021(tmp_path / "b.xlsx", year="（2020/2021学年初）"))
    book.save(tmp_path / "b.xlsx")
    messages = [str(p) for p in read_census(tmp_path).errors]
    assert any("教基 forms in census year 2020" in m for m in messages)
    assert any("mixes form generations" in m for m in messages)


def test_a_bureau_mapping_overrides_a_row(tmp_path):
    primary_2018(tmp_path / "in" / "school.xlsx")
    own = tmp_path / "mapping.csv"
    own.write_text("generation,form,stage,row,column,field,factor,unit,certainty,source\n"
                   "2018,基础基412,school,01,8,temporary_teachers,1,persons,bureau,兼任教师 here\n",
                   encoding="utf-8")
    census = read_census(tmp_path / "in", mapping=own)
    assert math.isnan(census.schools.iloc[0]["temporary_teachers"])  # column 8 holds * in this export
    assert census.schools.iloc[0]["staff"] == 24


def test_import_writes_a_folder_that_validate_accepts(tmp_path, capsys):
    primary_2018(tmp_path / "in" / "school.xlsx")
    out = tmp_path / "data"
    assert main(["import-census", str(tmp_path / "in"), "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {"schools.csv", "indicators.csv", "provenance.csv",
                                               "teachers_summary.csv"}
    capsys.readouterr()
    assert main(["validate", str(out)]) == 0
    assert "warning" not in capsys.readouterr().err
