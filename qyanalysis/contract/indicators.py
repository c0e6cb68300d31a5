"""The indicator catalogue: every code that may appear in ``indicators.indicator``
or in a scorecard's ``indicator`` column, declared once.

``unit`` decides validation: a ``share`` or ``rate`` is a fraction 0–1 (a bare
number above 1 is an error, a string "85%" is read as 0.85); ``pp`` is a change
in percentage points expressed as a fraction (−0.005 = −0.5 points); ``change``
is a relative change (−0.05 = −5 %); ``count`` is a whole number; ``ratio`` is
a positive real (1.0 = parity); ``yuan`` and ``m2`` are amounts; ``flag`` is a
yes/no fact, 1 = yes (是) and 0 = no (否), shown as 是 / 否, never as a percentage; the
``indicators`` table accepts 是/否, yes/no, true/false or 1/0 for it and nothing else.

``counts`` names what a ``count`` counts (``persons``, ``schools``, ``seats`` …),
so that a number is printed with its measure word ("−13 人", "20 所"); the
words are in the presentation catalogue under ``noun.<counts>``.

``origin`` says where a value comes from: ``computed`` (derived from the school
census or the teacher roster by ``qyanalysis.measures``), ``input`` (only the
``indicators`` table can give it) or ``either`` (computed from inputs when
possible; a value supplied directly in ``indicators`` under the same code takes
precedence — docs/data-dictionary.md, table ``indicators``).

Adding an indicator (README, "Adding an indicator"): an :class:`Indicator`
entry here carries everything the rest of the library reads about the code —
its zh/en names (the label catalogue's ``indicator.<code>``), unit, origin,
interval flag, and for a new entry its definition (``formula``, ``counted``,
``source``: the methods page). Nothing else about an indicator is declared
elsewhere, except that ``qyanalysis/present/labels*.json`` and
``qyanalysis/present/methods_definitions.py`` may reword an entry (they win
where they have the code). At run time, :func:`register` adds an entry without
editing this file (a notebook, a test, a bureau's own module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

FRACTION_UNITS = ("share", "rate")
FLAG_UNIT = "flag"
# What a count may count (``Indicator.counts``); each has a zh/en measure word ``noun.<name>``.
COUNT_NOUNS = ("persons", "schools", "seats", "tasks", "towns", "counties", "groups", "projects", "studios")
#: Every unit a catalogue entry may have; each has a label ``unit.<unit>`` and a number format in ``present``.
UNITS = ("share", "rate", "pp", "change", "count", "ratio", "yuan", "m2", "per100", "m2_per_student",
         "yuan_per_student", FLAG_UNIT)
ORIGINS = ("computed", "input", "either")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")

#: Which values carry an interval (the ``interval`` flag of each entry below), in words.
#: A census counts every pupil; the Wilson interval (Newcombe's for a change) describes the
#: uncertainty of the underlying rate — a person's chance of dropping out, being myopic, being
#: placed in a public school — which is what a comparison across years or counties needs. It
#: means nothing for a count of institutions (resource-room coverage is a share of schools),
#: for a yes/no indicator, or for an administrative share whose numerator is the bureau's own
#: act (temporary posts filled, teachers it rotated): there is no chance process to describe.
INTERVAL_RULE = ("95 % intervals only for rates over persons (pupils, children, teachers' own "
                 "attributes); none for counts of institutions, yes/no indicators or administrative shares")


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry.

    Attributes:
        code: snake_case code.
        item: Plan item (1–37) the indicator serves; 0 for supporting inputs.
        unit: share | rate | pp | change | count | ratio | yuan | m2 | per100 | m2_per_student |
            yuan_per_student | flag.
        origin: computed | input | either.
        label_zh: Chinese label.
        label_en: English label.
        counts: For a ``count``, what is counted (one of :data:`COUNT_NOUNS`); "" otherwise.
        interval: True when the value carries a 95 % interval (``ci_low``,
            ``ci_high``): a rate over persons, each of whom has the outcome or
            not (see :data:`INTERVAL_RULE`). False for counts, ratios, money,
            yes/no indicators, shares of institutions (schools, classes) and
            administrative shares; their intervals are never computed or shown.
        formula: Definition and formula in words and symbols (the methods page).
            Empty for the entries whose wording is in
            ``qyanalysis/present/methods_definitions.py``; a new entry carries its own.
        counted: Who or what is counted, and what is left out.
        source: The public document(s) the definition follows.
        inputs: What the value is computed from, as ``table.column`` (``schools.myopia_cases``,
            ``teachers.has_teaching_certificate``, ``indicators.<code>``, ``survey.satisfied``): every
            cell a measure reads besides the keys of :data:`STRUCTURAL_COLUMNS`. A blank input cell
            makes the row incomplete (its coverage), never a different final verdict; a test blanks
            each one and fails if a measure reads a column not declared here. Set in :data:`INPUTS`
            for the shipped entries.
    """

    code: str
    item: int
    unit: str
    origin: str
    label_zh: str
    label_en: str
    counts: str = ""
    interval: bool = False
    formula: str = ""
    counted: str = ""
    source: str = ""
    inputs: tuple[str, ...] = ()

    @property
    def is_fraction(self) -> bool:
        """True when values must lie in [0, 1]."""
        return self.unit in FRACTION_UNITS

    @property
    def interval_method(self) -> str:
        """How the interval is made: "wilson" (a rate), "newcombe" (a change of a rate, unit ``pp``) or ""."""
        if not self.interval:
            return ""
        return "newcombe" if self.unit == "pp" else "wilson"


class BalanceIndicator(NamedTuple):
    """One of the seven 优质均衡 resource indicators of a school (教督〔2017〕6号)."""

    label_zh: str
    label_en: str
    primary: float  # the standard a primary school (or part) must reach
    junior: float  # the standard a junior school (or part) must reach
    unit: str


# The seven 优质均衡 resource indicators, with their per-level standards and unit.
BALANCE_INDICATORS: dict[str, BalanceIndicator] = {
    # code: (label_zh, label_en, primary standard, junior standard, unit)
    "qualified_teachers_per_100": BalanceIndicator("每百名学生拥有高于规定学历教师数",
                                   "Teachers above required qualification per 100 pupils", 4.2, 5.3, "per100"),
    "backbone_teachers_per_100": BalanceIndicator("每百名学生拥有县级以上骨干教师数",
                                  "County-level backbone teachers per 100 pupils", 1.0, 1.0, "per100"),
    "pe_arts_teachers_per_100": BalanceIndicator("每百名学生拥有体育、艺术专任教师数",
                                 "PE and arts teachers per 100 pupils", 0.9, 0.9, "per100"),
    "teaching_area_per_student": BalanceIndicator("生均教学及辅助用房面积", "Teaching floor area per pupil (m²)",
                                  4.5, 5.8, "m2_per_student"),
    "sports_area_per_student": BalanceIndicator("生均体育运动场馆面积", "Sports area per pupil (m²)", 7.5, 10.2,
                                "m2_per_student"),
    "equipment_value_per_student": BalanceIndicator("生均教学仪器设备值", "Teaching equipment value per pupil (yuan)",
                                    2000.0, 2500.0, "yuan_per_student"),
    "multimedia_rooms_per_100": BalanceIndicator("每百名学生拥有网络多媒体教室数", "Multimedia classrooms per 100 pupils",
                                 2.3, 2.4, "per100"),
}
BALANCE_LEVELS = ("primary", "junior")
# The 差异系数 limits (primary ≤ 0.50, junior ≤ 0.45, 教督〔2017〕6号) are targets of the registry
# (``t08_balance_cv_<indicator>_<level>``), read from the scorecard after county overrides: no copy here.


def _balance_entries() -> list[Indicator]:
    out = []
    for code, (zh, en, _p, _j, _u) in BALANCE_INDICATORS.items():
        for level, zh_level in (("primary", "小学"), ("junior", "初中")):
            out.append(Indicator(f"balance_cv_{code}_{level}", 8, "ratio", "computed",
                                 f"{zh_level}{zh}差异系数", f"CV of {en.lower()}, {level}"))
    return out


_ENTRIES: list[Indicator] = [
    # item 6 — seats (cumulative within the year; monthly periods allowed)
    Indicator("new_public_seats_preschool", 6, "count", "input", "新增学前教育公办学位(不含购买学位)",
              "New public preschool seats (excl. purchased)", counts="seats"),
    Indicator("new_public_seats_compulsory", 6, "count", "input", "新增义务教育公办学位",
              "New public compulsory-education seats", counts="seats"),
    Indicator("new_public_seats_senior", 6, "count", "input", "新增普通高中公办学位",
              "New public senior-high seats", counts="seats"),
    # item 7 — preschool
    Indicator("preschool_public_share", 7, "share", "either", "公办幼儿园在园幼儿占比",
              "Share of kindergarten children in public kindergartens", interval=True),
    Indicator("preschool_inclusive_share", 7, "share", "either", "公办和普惠性民办幼儿园在园幼儿占比",
              "Share of kindergarten children in public or inclusive private kindergartens", interval=True),
    Indicator("purchased_seats", 7, "count", "input", "政府购买学前学位数", "Government-purchased preschool seats",
              counts="seats"),
    Indicator("purchased_seats_change", 7, "change", "either", "购买学位总数较上年变化",
              "Change in purchased seats against the previous year"),
    Indicator("attached_classes_standardised_share", 7, "share", "input", "附设幼儿班规范化建设完成比例",
              "Share of attached kindergarten classes standardised"),
    Indicator("kindergarten_teacher_certified_share", 7, "share", "either", "幼儿教师持证率",
              "Share of kindergarten teachers holding a certificate", interval=True),
    # item 8 — compulsory education
    Indicator("compulsory_dropout_rate", 8, "rate", "either", "义务教育辍学率", "Compulsory-education dropout rate", interval=True),
    Indicator("migrant_public_share", 8, "share", "either", "随迁子女入读公办学校比例",
              "Share of migrant children in public schools", interval=True),
    Indicator("junior_cohort_entrants", 8, "count", "input", "初中三年巩固率:入学人数",
              "Junior cohort: pupils entering grade 7 three years earlier", counts="persons"),
    Indicator("junior_cohort_completers", 8, "count", "input", "初中三年巩固率:毕业年级人数",
              "Junior cohort: pupils in the final grade", counts="persons"),
    Indicator("junior_retention_rate", 8, "rate", "either", "初中三年巩固率", "Junior three-year retention rate", interval=True),
    Indicator("balance_schools_passing_share", 8, "share", "computed", "优质均衡校际达标学校比例",
              "Share of schools meeting the high-quality balance school rule"),
    Indicator("schools_over_class_size_count", 8, "count", "computed", "平均班额超标学校数",
              "Schools whose average class exceeds the limit", counts="schools"),
    Indicator("schools_over_size_count", 8, "count", "computed", "规模超标学校数",
              "Schools above the size limit", counts="schools"),
    Indicator("teacher_certificate_share", 8, "share", "either", "专任教师持证上岗率",
              "Share of established full-time teachers holding a teaching certificate", interval=True),
    *_balance_entries(),
    Indicator("basic_balance_cv_primary", 8, "ratio", "computed", "小学基本均衡综合差异系数",
              "Basic-balance comprehensive CV, primary"),
    Indicator("basic_balance_cv_junior", 8, "ratio", "computed", "初中基本均衡综合差异系数",
              "Basic-balance comprehensive CV, junior"),
    # item 8 — the rest of the 优质均衡 assessment (教督〔2017〕6号; qyanalysis/targets/assessment.csv).
    # Yes/no answers (1 = 是): conditions the county meets …
    Indicator("school_layout_planned", 8, "flag", "input", "县域内义务教育学校规划布局合理",
              "School layout planned and reasonable"),
    Indicator("unified_urban_rural_standards", 8, "flag", "input",
              "城乡统一的学校建设、教师编制、生均公用经费基准定额、装备配置标准",
              "One construction, staffing, funding and equipment standard for urban and rural schools"),
    Indicator("small_school_funding_floor", 8, "flag", "input", "不足100名学生的村小学和教学点按100名学生核定公用经费",
              "Village schools and teaching points under 100 pupils funded as 100"),
    Indicator("performance_pay_fully_approved", 8, "flag", "input", "按规定足额核定教师绩效工资总量",
              "Teachers' performance pay fully approved"),
    Indicator("establishment_allocated_by_county", 8, "flag", "input",
              "县级教育行政部门统筹分配各校教职工编制和岗位数量",
              "County bureau allocates posts across schools within the approved establishment"),
    Indicator("left_behind_care_system", 8, "flag", "input", "留守儿童关爱体系健全",
              "Care system for left-behind children in place"),
    Indicator("school_charter_and_ict_management", 8, "flag", "input", "所有学校制定章程,实现学校管理与教学信息化",
              "Every school has a charter and ICT-based management and teaching"),
    Indicator("teacher_training_budget_5pct", 8, "flag", "input",
              "所有学校按不低于年度公用经费预算总额的5%安排教师培训经费",
              "Every school spends at least 5 % of its public-funding budget on teacher training"),
    Indicator("ict_use_good", 8, "flag", "input", "教师信息化教学能力和设施设备利用水平较高",
              "Teachers use ICT well and equipment is well used"),
    Indicator("moral_education_good", 8, "flag", "input", "所有学校德育工作、校园文化建设水平达到良好以上",
              "Moral education and school culture good or better in every school"),
    Indicator("curriculum_complete", 8, "flag", "input", "所有学校开齐开足国家规定课程",
              "National curriculum taught in full in every school"),
    Indicator("homework_burden_reasonable", 8, "flag", "input", "学生课业负担合理",
              "No excessive homework burden"),
    Indicator("quality_monitoring_level_iii", 8, "flag", "input", "国家义务教育质量监测相关科目学生学业水平达到Ⅲ级以上",
              "Pupils reach level III or above in the national quality monitoring"),
    # … and veto events (1 = 是: it happened; any one makes the county not ready)
    Indicator("veto_exam_admission", 8, "flag", "input", "以考试方式招生", "Enrollment by examination"),
    Indicator("veto_irregular_school_choice", 8, "flag", "input", "违规择校", "Irregular school choice"),
    Indicator("veto_key_schools_classes", 8, "flag", "input", "设置重点学校或重点班",
              "Designated key schools or key classes"),
    Indicator("veto_major_safety_incident", 8, "flag", "input", "发生重大安全责任事故或严重违纪违规事件",
              "Major safety incident or serious violation"),
    Indicator("veto_data_falsified", 8, "flag", "input", "督导评估中弄虚作假", "Data falsified in the assessment"),
    Indicator("veto_unfilled_posts_or_temporary_teachers", 8, "flag", "input",
              '存在"有编不补"或长期聘用编外教师的情况',
              "Vacant established posts left unfilled or non-established teachers employed long-term"),
    # shares and rates only the bureau can give
    Indicator("teacher_training_360h_completion", 8, "share", "input", "教师5年360学时培训完成率",
              "Teachers completing 360 training hours in 5 years"),
    Indicator("nearby_enrollment_primary_share", 8, "share", "input", "城区和镇区公办小学就近入学比例",
              "Nearby enrollment in urban and town public primary schools"),
    Indicator("nearby_enrollment_junior_share", 8, "share", "input", "城区和镇区公办初中就近入学比例",
              "Nearby enrollment in urban and town public junior schools"),
    Indicator("quality_senior_places_allocated_share", 8, "share", "input",
              "优质普通高中招生名额分配到县域内初中的比例",
              "Quality senior-high places allocated to the county's junior schools"),
    Indicator("quality_monitoring_difference_rate", 8, "ratio", "input", "国家义务教育质量监测校际差异率",
              "Between-school difference rate in the national quality monitoring"),
    # computed from the census and the survey table
    Indicator("schools_short_of_music_art_rooms_count", 8, "count", "computed",
              "音乐、美术专用教室不足每12个班级1间的学校数",
              "Schools with fewer than one music and one art room per 12 classes", counts="schools"),
    Indicator("survey_satisfaction_rate", 8, "rate", "either", "社会认可度(满意率)",
              "Public recognition: share satisfied (survey)", interval=True),
    # item 10 — special education
    Indicator("disabled_children_school_age", 10, "count", "input", "适龄残疾儿童少年数",
              "School-age disabled children", counts="persons"),
    Indicator("disabled_children_enrolled", 10, "count", "input", "残疾儿童少年入学人数",
              "School-age disabled children enrolled", counts="persons"),
    Indicator("disabled_enrollment_rate", 10, "rate", "either", "残疾儿童少年义务教育入学率",
              "Disabled children's compulsory enrollment rate", interval=True),
    Indicator("resource_room_coverage", 10, "share", "either", "招收5人以上残疾学生普通学校资源教室覆盖率",
              "Resource-room coverage of schools with 5+ disabled pupils"),
    # item 12
    Indicator("parent_school_zone", 12, "flag", "input", "已创建全国规范化家长学校实验区(是/否)",
              "National model parent-school zone established (yes/no)"),
    # item 13 — health
    Indicator("fitness_good_rate", 13, "rate", "either", "体质健康优良率", "Fitness good-or-better rate", interval=True),
    Indicator("fitness_tested_share", 13, "share", "either", "体质测试覆盖率", "Share of pupils fitness-tested", interval=True),
    Indicator("myopia_rate", 13, "rate", "either", "总体近视率", "Overall myopia rate", interval=True),
    Indicator("myopia_rate_change", 13, "pp", "either", "总体近视率较上年变化",
              "Change in myopia rate against the previous year", interval=True),
    # item 14, 15, 17
    Indicator("arts_base_schools", 14, "count", "input", "全科美育基地学校数", "All-subject arts base schools",
              counts="schools"),
    Indicator("arts_pilot_towns", 14, "count", "input", "全科美育实验镇数", "All-subject arts pilot towns", counts="towns"),
    Indicator("labor_feature_schools", 15, "count", "input", "市级劳动教育特色学校数",
              "City-level labour-education feature schools", counts="schools"),
    Indicator("labor_demo_schools", 15, "count", "input", "市级劳动教育示范学校数",
              "City-level labour-education model schools", counts="schools"),
    Indicator("ideology_pilot_counties", 17, "count", "input", "课程思政试点县数",
              "Pilot counties for ideology in courses", counts="counties"),
    # item 19, 20
    Indicator("education_groups_applied", 19, "count", "input", "申报省优质基础教育集团数",
              "Education groups applying as provincial high-quality groups", counts="groups"),
    Indicator("evaluation_pilots", 20, "count", "input", "省教育评价改革试点项目数",
              "Provincial education-evaluation reform pilots", counts="projects"),
    # item 25, 26, 27, 29, 30
    Indicator("famous_studios", 25, "count", "input", "市级名校长名教师名班主任工作室数",
              "City-level 'three famous' studios", counts="studios"),
    Indicator("backbone_trained", 25, "count", "input", "培养骨干教师、校长、班主任人数",
              "Backbone teachers, principals and class teachers trained", counts="persons"),
    Indicator("teacher_rotation_rate", 26, "rate", "either", "教师交流轮岗比例",
              "Share of eligible teachers rotated"),
    Indicator("backbone_share_of_rotated", 26, "share", "either", "交流轮岗教师中骨干教师比例",
              "Backbone teachers among those rotated"),
    Indicator("temporary_teacher_ratio", 27, "share", "either", "临聘教师比例", "Temporary-teacher ratio"),
    Indicator("temporary_teachers_count", 27, "count", "either", "公办中小学临聘教师数",
              "Temporary teachers in public primary and secondary schools", counts="persons"),
    Indicator("established_teachers_count", 27, "count", "either", "公办中小学在编专任教师数",
              "Established full-time teachers in public primary and secondary schools", counts="persons"),
    Indicator("temporary_teacher_excess_cut", 27, "count", "either", "临聘教师超比例部分压减人数",
              "Temporary teachers cut (item-27 rule)", counts="persons"),
    # staffing context (docs/methods.md, staffing norms): pupil–teacher ratios use full-time teachers (专任教师),
    # the establishment check uses all staff (教职工); items 25/26 (teacher team, posts)
    Indicator("pupil_teacher_ratio_primary", 26, "ratio", "computed", "小学生师比(专任教师)",
              "Pupil–teacher ratio (full-time teachers), primary"),
    Indicator("pupil_teacher_ratio_junior", 26, "ratio", "computed", "初中生师比(专任教师)",
              "Pupil–teacher ratio (full-time teachers), junior"),
    Indicator("pupil_teacher_ratio_senior", 26, "ratio", "computed", "高中生师比(专任教师)",
              "Pupil–teacher ratio (full-time teachers), senior"),
    Indicator("students_per_staff_primary", 26, "ratio", "computed", "小学学生与教职工比(编制标准口径)",
              "Students per staff member (establishment basis), primary"),
    Indicator("students_per_staff_junior", 26, "ratio", "computed", "初中学生与教职工比(编制标准口径)",
              "Students per staff member (establishment basis), junior"),
    Indicator("students_per_staff_senior", 26, "ratio", "computed", "高中学生与教职工比(编制标准口径)",
              "Students per staff member (establishment basis), senior"),
    Indicator("qualified_teacher_share_primary", 25, "share", "computed", "小学专任教师高于规定学历比例",
              "Share of primary teachers above the required qualification", interval=True),
    Indicator("qualified_teacher_share_junior", 25, "share", "computed", "初中专任教师高于规定学历比例",
              "Share of junior teachers above the required qualification", interval=True),
    Indicator("backbone_teachers_per_100_pupils", 25, "per100", "computed", "中小学每百名学生县级以上骨干教师数",
              "Backbone teachers per 100 pupils (primary and secondary schools)"),
    Indicator("pe_arts_teachers_per_100_pupils", 8, "per100", "computed", "中小学每百名学生体育艺术专任教师数",
              "PE and arts teachers per 100 pupils (primary and secondary schools)"),
    Indicator("older_teacher_share", 26, "share", "computed", "50岁及以上教师比例",
              "Share of teachers aged 50 or over", interval=True),
    Indicator("support_teachers_received", 29, "count", "input", "接收支教校长教师数",
              "Principals and teachers received on support placements", counts="persons"),
    Indicator("support_teachers_sent", 29, "count", "input", "派出跟岗校长教师数",
              "Principals and teachers sent on shadowing placements", counts="persons"),
    Indicator("teacher_avg_pay_yuan", 30, "yuan", "input", "中小学教师年平均工资收入", "Average teacher pay (yuan/year)"),
    Indicator("civil_servant_avg_pay_yuan", 30, "yuan", "input", "当地公务员年平均工资收入",
              "Average local civil-servant pay (yuan/year)"),
    Indicator("teacher_salary_ratio", 30, "ratio", "either", "教师平均工资与公务员平均工资之比",
              "Teacher pay relative to civil servants"),
    # item 34, 35
    Indicator("key_tasks_completed", 34, "count", "either", "完成教育重点工作项数", "Key education tasks completed",
              counts="tasks"),
    Indicator("per_student_funding_yuan", 35, "yuan", "input", "中小学生均公用经费(实际)",
              "Per-student public funding, actual (yuan)"),
    Indicator("per_student_funding_standard_yuan", 35, "yuan", "input", "中小学生均公用经费省定标准",
              "Per-student public funding, provincial standard (yuan)"),
    Indicator("per_student_funding_ratio", 35, "ratio", "either", "生均公用经费达到省定标准的比值",
              "Per-student funding relative to the provincial standard"),
    Indicator("special_education_funding_per_student_yuan", 35, "yuan", "input", "特殊教育生均公用经费",
              "Special-education per-student funding (yuan)"),
]

#: Columns that say which unit a row is and where it belongs (identifiers, county, year, level,
#: ownership, location, teaching point): every measure may read them; they are not ``inputs``.
STRUCTURAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "schools": ("school_id", "school_name", "county", "county_code", "year", "level", "ownership", "location",
                "is_teaching_point"),
    "teachers": ("teacher_id", "school_id", "county", "county_code", "year"),
    "survey": ("county", "county_code", "year", "respondent_group", "source"),
}
# A combined school's resources are split over its stages by enrollment (students_<stage>).
_SPLIT = ("schools.students", "schools.students_primary", "schools.students_junior", "schools.students_senior")
_BALANCE_COLUMNS = {"qualified_teachers_per_100": "teachers_above_required_qualification",
                    "backbone_teachers_per_100": "backbone_teachers", "pe_arts_teachers_per_100": "pe_arts_teachers",
                    "teaching_area_per_student": "teaching_area_m2", "sports_area_per_student": "sports_area_m2",
                    "equipment_value_per_student": "equipment_value_yuan",
                    "multimedia_rooms_per_100": "multimedia_rooms"}
_BASIC_BALANCE_COLUMNS = ("teaching_area_m2", "sports_area_m2", "equipment_value_yuan", "computers", "library_books",
                          "teachers", "teachers_above_required_qualification", "teachers_senior_title")
_TEMPORARY = ("schools.teachers", "schools.temporary_teachers")
#: The inputs of every computed indicator (``Indicator.inputs``), declared once.
INPUTS: dict[str, tuple[str, ...]] = {
    **{f"balance_cv_{code}_{level}": (f"schools.{column}", *_SPLIT)
       for code, column in _BALANCE_COLUMNS.items() for level in ("primary", "junior")},
    "balance_schools_passing_share": (*(f"schools.{c}" for c in _BALANCE_COLUMNS.values()), *_SPLIT),
    **{f"basic_balance_cv_{level}": (*(f"schools.{c}" for c in _BASIC_BALANCE_COLUMNS), *_SPLIT)
       for level in ("primary", "junior")},
    "schools_over_class_size_count": ("schools.students", "schools.classes", "schools.classes_over_limit"),
    "schools_over_size_count": _SPLIT,
    "schools_short_of_music_art_rooms_count": ("schools.music_rooms", "schools.art_rooms", "schools.classes",
                                               "schools.students"),
    "compulsory_dropout_rate": ("schools.dropouts", *_SPLIT),
    "fitness_good_rate": ("schools.fitness_excellent", "schools.fitness_good", "schools.fitness_tested"),
    "fitness_tested_share": ("schools.fitness_tested", "schools.students"),
    "myopia_rate": ("schools.myopia_cases", "schools.myopia_screened"),
    "myopia_rate_change": ("schools.myopia_cases", "schools.myopia_screened"),
    "migrant_public_share": ("schools.migrant_students",),
    "preschool_public_share": ("schools.students",),
    "preschool_inclusive_share": ("schools.students",),
    "resource_room_coverage": ("schools.disabled_students", "schools.has_resource_room"),
    **{f"pupil_teacher_ratio_{stage}": ("schools.teachers", *_SPLIT) for stage in ("primary", "junior", "senior")},
    **{f"students_per_staff_{stage}": ("schools.staff", *_SPLIT) for stage in ("primary", "junior", "senior")},
    **{f"qualified_teacher_share_{stage}": ("schools.teachers_above_required_qualification", "schools.teachers",
                                            *_SPLIT) for stage in ("primary", "junior")},
    "backbone_teachers_per_100_pupils": ("schools.backbone_teachers", "schools.students"),
    "pe_arts_teachers_per_100_pupils": ("schools.pe_arts_teachers", "schools.students"),
    "temporary_teachers_count": _TEMPORARY,
    "established_teachers_count": _TEMPORARY,
    "temporary_teacher_ratio": _TEMPORARY,
    "temporary_teacher_excess_cut": _TEMPORARY,
    "teacher_certificate_share": ("teachers.has_teaching_certificate", "teachers.is_established", *_SPLIT),
    "kindergarten_teacher_certified_share": ("teachers.has_teaching_certificate",),
    "teacher_rotation_rate": ("teachers.rotated", "teachers.is_rotation_eligible"),
    "backbone_share_of_rotated": ("teachers.rotated", "teachers.is_backbone"),
    "older_teacher_share": ("teachers.birth_year",),
    "survey_satisfaction_rate": ("survey.respondents", "survey.satisfied"),
    "junior_retention_rate": ("indicators.junior_cohort_completers", "indicators.junior_cohort_entrants"),
    "disabled_enrollment_rate": ("indicators.disabled_children_enrolled", "indicators.disabled_children_school_age"),
    "purchased_seats_change": ("indicators.purchased_seats",),
    "per_student_funding_ratio": ("indicators.per_student_funding_yuan",
                                  "indicators.per_student_funding_standard_yuan"),
    "teacher_salary_ratio": ("indicators.teacher_avg_pay_yuan", "indicators.civil_servant_avg_pay_yuan"),
    "key_tasks_completed": ("tasks.status", "tasks.is_key_task"),
}
_ENTRIES = [replace(e, inputs=INPUTS[e.code]) if e.code in INPUTS else e for e in _ENTRIES]

CATALOGUE: dict[str, Indicator] = {e.code: e for e in _ENTRIES}
# Codes added at run time by :func:`register` (only these may be removed again), and a counter that
# changes with every registration, for the caches derived from the catalogue (the label catalogue).
_REGISTERED: set[str] = set()
_VERSION = [0]

#: Cumulative in-year flows: counts that start at 0 on 1 January and only grow
#: during the year (seats opened, people trained or placed, schools selected,
#: tasks completed). Their monthly or quarterly values are cumulative to the
#: period and an in-year value is forecast to December. Every other count is a
#: stock (e.g. pilot towns, base schools, purchased seats): its latest value is
#: carried forward, never extrapolated as a flow.
CUMULATIVE_FLOWS: frozenset[str] = frozenset({
    "new_public_seats_preschool", "new_public_seats_compulsory", "new_public_seats_senior",
    "backbone_trained", "famous_studios", "labor_feature_schools", "labor_demo_schools",
    "education_groups_applied", "support_teachers_received", "support_teachers_sent",
    "key_tasks_completed",
})


def has_interval(code: str) -> bool:
    """Whether values of ``code`` carry a 95 % interval (the catalogue's ``interval`` flag).

    Unknown codes carry none.
    """
    entry = CATALOGUE.get(code)
    return bool(entry is not None and entry.interval)


def get(code: str) -> Indicator:
    """Return the catalogue entry for ``code`` (KeyError if unknown)."""
    return CATALOGUE[code]


def change_base(code: str) -> tuple[str, str]:
    """Base indicator and kind of change for a ``change_vs_previous`` target.

    ``purchased_seats_change`` → (``purchased_seats``, ``relative``) since its
    unit is ``change``; ``myopia_rate_change`` → (``myopia_rate``,
    ``difference``) since its unit is ``pp``; a level indicator (e.g.
    ``kindergarten_teacher_certified_share``) is its own base, ``difference``.
    """
    base = code.removesuffix("_change")
    if base != code and base in CATALOGUE:
        return base, "relative" if CATALOGUE[code].unit == "change" else "difference"
    return code, "difference"


def is_cumulative(code: str) -> bool:
    """True when ``code`` is a cumulative in-year flow (:data:`CUMULATIVE_FLOWS`)."""
    return code in CUMULATIVE_FLOWS


def entry_problems(entry: Indicator) -> list[str]:
    """Every way ``entry`` breaks the catalogue's rules, one message each (empty when it is sound).

    Rules: a snake_case code; an item 0–37; a unit of :data:`UNITS` and an origin of
    :data:`ORIGINS`; both labels; ``counts`` one of :data:`COUNT_NOUNS` for a count and empty
    otherwise; an interval only on a share, rate or a change in points (``pp``) of one.
    """
    where = f"indicator {entry.code!r}"
    problems = []
    if not _CODE.match(str(entry.code)):
        problems.append(f"{where}: the code must be snake_case (a-z, 0-9, _), starting with a letter")
    if not isinstance(entry.item, int) or not 0 <= entry.item <= 37:
        problems.append(f"{where}: item {entry.item!r} is not a plan item 1–37 (or 0 for a supporting input)")
    if entry.unit not in UNITS:
        problems.append(f"{where}: unit {entry.unit!r} is not one of {', '.join(UNITS)}")
    if entry.origin not in ORIGINS:
        problems.append(f"{where}: origin {entry.origin!r} is not one of {', '.join(ORIGINS)}")
    for name in ("label_zh", "label_en"):
        if not str(getattr(entry, name)).strip():
            problems.append(f"{where}: {name} is empty")
    if entry.unit == "count" and entry.counts not in COUNT_NOUNS:
        problems.append(f"{where}: a count must say what it counts (counts one of {', '.join(COUNT_NOUNS)})")
    if entry.unit != "count" and entry.counts:
        problems.append(f"{where}: counts={entry.counts!r} is only for unit 'count'")
    if entry.interval and entry.unit not in (*FRACTION_UNITS, "pp"):
        problems.append(f"{where}: an interval is only for a rate over persons (unit share, rate or pp)")
    return problems


def register(entry: Indicator) -> Indicator:
    """Add ``entry`` to the catalogue at run time: step 1 of adding an indicator without editing the package.

    Everything derived from the catalogue sees it from then on: the label catalogue
    (``indicator.<code>``), validation of the ``indicators`` table, the methods text (from the
    entry's ``formula``, ``counted`` and ``source``), units and intervals. Registering the same
    entry again does nothing (a notebook cell run twice).

    Args:
        entry: The new entry; it must carry its definition (``formula`` and ``source``).

    Returns:
        ``entry``.

    Raises:
        ValueError: The entry breaks a rule (:func:`entry_problems`), has no definition, or its
            code is already in the catalogue with another entry.
    """
    problems = entry_problems(entry)
    if not entry.formula.strip() or not entry.source.strip():
        problems.append(f"indicator {entry.code!r}: a new entry carries its definition (formula and source)")
    if problems:
        raise ValueError("; ".join(problems))
    existing = CATALOGUE.get(entry.code)
    if existing == entry:
        return entry
    if existing is not None:
        raise ValueError(f"indicator {entry.code!r} is already in the catalogue (with another entry)")
    CATALOGUE[entry.code] = entry
    _REGISTERED.add(entry.code)
    _VERSION[0] += 1
    return entry


def unregister(code: str) -> None:
    """Remove an entry added by :func:`register` (the shipped entries cannot be removed).

    Raises:
        KeyError: ``code`` was not added by :func:`register`.
    """
    if code not in _REGISTERED:
        raise KeyError(f"indicator {code!r} was not added by register(); shipped entries stay")
    _REGISTERED.discard(code)
    del CATALOGUE[code]
    _VERSION[0] += 1


def version() -> int:
    """A number that changes whenever :func:`register` or :func:`unregister` changes the catalogue."""
    return _VERSION[0]
