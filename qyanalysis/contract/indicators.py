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
interval flag and its definition (``formula``, ``counted``, ``source``: the
methods page reads nothing else). Only ``qyanalysis/present/labels*.json`` may
reword its names (they win where they have the code). At run time,
:func:`register` adds an entry without editing this file (a notebook, a test,
a bureau's own module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

# The public documents the definitions follow (``Indicator.source``), named once.
PLAN = "清远市2022年教育工作要点"
BALANCE_2017 = "教育部《县域义务教育优质均衡发展督导评估办法》(教督〔2017〕6号)"
BALANCE_2012 = "教育部《县域义务教育发展基本均衡县评估认定办法》(教督〔2012〕3号)"
FITNESS_STANDARD = "《国家学生体质健康标准(2014年修订)》(教体艺〔2014〕5号)"
MYOPIA_PLAN = "《综合防控儿童青少年近视实施方案》(教体艺〔2018〕3号); 筛查标准 WS/T 663-2020"
STAFF_NORMS = "中央编办发〔2014〕72号 (城乡统一的中小学教职工编制标准)"
GUANGDONG_2021 = "2021年广东省教育事业发展统计公报 (reference only)"
# Who is counted, for the entries that share it.
INPUT_COUNTED = "Input (indicators table)."
FLAG_COUNTED = "Input (indicators table, yes/no): a yes/no fact of the county, no interval."
VETO_COUNTED = "Input (indicators table, yes/no); yes makes the county not ready whatever else it meets."
ADMIN_SHARE_COUNTED = "Input (indicators table): an administrative share, no interval."
INPUT_COUNTED_ZH = "由教育局在指标表中填报。"
FLAG_COUNTED_ZH = "由教育局在指标表中填报(是/否):县区的是非事实,无区间。"
VETO_COUNTED_ZH = "由教育局在指标表中填报(是/否);为“是”时,无论其他指标如何,县区均不能申请评估。"
ADMIN_SHARE_COUNTED_ZH = "由教育局在指标表中填报:行政性比例,无区间。"

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
        formula: Definition and formula in words and symbols (the methods page), in English.
        counted: Who or what is counted, and what is left out, in English.
        source: The public document(s) the definition follows.
        inputs: What the value is computed from, as ``table.column`` (``schools.myopia_cases``,
            ``teachers.has_teaching_certificate``, ``indicators.<code>``, ``survey.satisfied``): every
            cell a measure reads besides the keys of :data:`STRUCTURAL_COLUMNS`. A blank input cell
            makes the row incomplete (its coverage), never a different final verdict; a test blanks
            each one and fails if a measure reads a column not declared here. Set in :data:`INPUTS`
            for the shipped entries.
        formula_zh: ``formula`` in Chinese (the Chinese methods page; empty: it shows ``formula``).
        counted_zh: ``counted`` in Chinese (likewise).
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
    formula_zh: str = ""
    counted_zh: str = ""

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
    """The 14 差异系数 codes ``balance_cv_<indicator>_<level>``, defined from :data:`BALANCE_INDICATORS`."""
    out = []
    for code, (zh, en, primary, junior, _u) in BALANCE_INDICATORS.items():
        for level, zh_level, standard in (("primary", "小学", primary), ("junior", "初中", junior)):
            out.append(Indicator(
                f"balance_cv_{code}_{level}", 8, "ratio", "computed", f"{zh_level}{zh}差异系数",
                f"CV of {en.lower()}, {level}",
                formula=f"Enrollment-weighted coefficient of variation CV = S / X̄ across the county's "
                        f"{level} school parts of the per-school value of {en.lower()} (school standard "
                        f"{standard:g}); see \"The coefficient of variation and the high-quality balance "
                        "school rule\".",
                counted=f"{level.capitalize()} parts of compulsory schools (combined schools split 1 : 1.1 "
                        "(: 1.32) per pupil); special-education schools and teaching points under 50 "
                        "pupils excluded.",
                source=BALANCE_2017,
                formula_zh=f"{zh_level}各校(部){zh}按在校生加权的差异系数 CV = S / X̄(学校标准 {standard:g});"
                           "见“差异系数与优质均衡校际达标规则”。",
                counted_zh=f"义务教育学校的{zh_level}部分(一贯制学校按 1 : 1.1(: 1.32)按生拆分);不含特殊教育学校和"
                           "在校生不足50人的教学点。"))
    return out


_ENTRIES: list[Indicator] = [
    # item 6 — seats (cumulative within the year; monthly periods allowed)
    Indicator("new_public_seats_preschool", 6, "count", "input", "新增学前教育公办学位(不含购买学位)",
              "New public preschool seats (excl. purchased)", counts="seats",
              formula="New public kindergarten places created since 1 January, cumulative to the period "
                      "(purchased places excluded).",
              counted="Input (indicators table); purchased places excluded. A cumulative flow: in-year "
                      "values are forecast to year-end.",
              source=f"{PLAN} 第6条",
              formula_zh="1月1日以来新增的公办幼儿园学位,累计至统计期(不含购买学位)。", counted_zh="由教育局在指标表中填报;不含购买学位。累计流量:年内数值预测到年末。"),
    Indicator("new_public_seats_compulsory", 6, "count", "input", "新增义务教育公办学位",
              "New public compulsory-education seats", counts="seats",
              formula="New public compulsory-education places created since 1 January, cumulative to the "
                      "period.",
              counted="Input (indicators table). A cumulative flow: in-year values are forecast to year-end.",
              source=f"{PLAN} 第6条",
              formula_zh="1月1日以来新增的义务教育公办学位,累计至统计期。", counted_zh="由教育局在指标表中填报。累计流量:年内数值预测到年末。"),
    Indicator("new_public_seats_senior", 6, "count", "input", "新增普通高中公办学位",
              "New public senior-high seats", counts="seats",
              formula="New public senior-high places created since 1 January, cumulative to the period.",
              counted="Input (indicators table). A cumulative flow: in-year values are forecast to year-end.",
              source=f"{PLAN} 第6条",
              formula_zh="1月1日以来新增的普通高中公办学位,累计至统计期。", counted_zh="由教育局在指标表中填报。累计流量:年内数值预测到年末。"),
    # item 7 — preschool
    Indicator("preschool_public_share", 7, "share", "either", "公办幼儿园在园幼儿占比",
              "Share of kindergarten children in public kindergartens", interval=True,
              formula="Σ children in public kindergartens ÷ Σ children in all kindergartens.",
              counted="Schools of level kindergarten (attached classes of primary schools have no separate "
                      "enrollment in the census); public = ownership public.",
              source="中发〔2018〕39号 (“5080”: 公办 ≥ 50 %)",
              formula_zh="公办幼儿园在园幼儿数之和 ÷ 全部幼儿园在园幼儿数之和。", counted_zh="幼儿园(小学附设幼儿班在普查中没有单独的在园人数);公办指举办者为公办。"),
    Indicator("preschool_inclusive_share", 7, "share", "either", "公办和普惠性民办幼儿园在园幼儿占比",
              "Share of kindergarten children in public or inclusive private kindergartens", interval=True,
              formula="Σ children in public and inclusive private kindergartens ÷ Σ children in all "
                      "kindergartens.",
              counted="Schools of level kindergarten.", source="中发〔2018〕39号 (“5080”: 普惠 ≥ 80 %)",
              formula_zh="公办和普惠性民办幼儿园在园幼儿数之和 ÷ 全部幼儿园在园幼儿数之和。", counted_zh="幼儿园。"),
    Indicator("purchased_seats", 7, "count", "input", "政府购买学前学位数", "Government-purchased preschool seats",
              counts="seats",
              formula="Preschool places the government buys in private kindergartens (purchased places), "
                      "year total.",
              counted="Input (indicators table), annual.", source=f"{PLAN} 第7条",
              formula_zh="政府在民办幼儿园购买的学前学位数,全年合计。", counted_zh="由教育局在指标表中填报,按年。"),
    Indicator("purchased_seats_change", 7, "change", "either", "购买学位总数较上年变化",
              "Change in purchased seats against the previous year",
              formula="(purchased seats this year − last year's) ÷ last year's: a relative change "
                      "(−0.05 = 5 % fewer).",
              counted="Annual values of both years; no value when last year's count is 0.",
              source=f"{PLAN} 第7条",
              formula_zh="(本年购买学位数 − 上年购买学位数)÷ 上年购买学位数:相对变化(−5 % 即减少5%)。", counted_zh="两年的年度值;上年为0时不计算。"),
    Indicator("attached_classes_standardised_share", 7, "share", "input", "附设幼儿班规范化建设完成比例",
              "Share of attached kindergarten classes standardised",
              formula="Attached kindergarten classes standardised ÷ all attached classes.",
              counted="Input (indicators table); a share of classes (institutions), no interval.",
              source=f"{PLAN} 第7条",
              formula_zh="已完成规范化建设的附设幼儿班数 ÷ 全部附设幼儿班数。", counted_zh="由教育局在指标表中填报;班级(机构)的比例,无区间。"),
    Indicator("kindergarten_teacher_certified_share", 7, "share", "either", "幼儿教师持证率",
              "Share of kindergarten teachers holding a certificate", interval=True,
              formula="Kindergarten teachers holding a teaching certificate ÷ kindergarten teachers whose "
                      "certificate status is known; the target is a rise against the previous year.",
              counted="Teacher roster, teachers of kindergarten-level schools; a missing flag is left out, "
                      "not read as no.",
              source=f"{PLAN} 第7条",
              formula_zh="持有教师资格证的幼儿园教师数 ÷ 持证情况已知的幼儿园教师数;目标为比上年提高。",
              counted_zh="教师名册中幼儿园的教师;持证情况缺失者不计入,不视为未持证。"),
    # item 8 — compulsory education
    Indicator("compulsory_dropout_rate", 8, "rate", "either", "义务教育辍学率", "Compulsory-education dropout rate",
              interval=True,
              formula="Σ dropouts during the year ÷ Σ compulsory-education enrollment.",
              counted="Primary, junior and nine-year schools whole; complete-secondary and twelve-year "
                      "schools only their compulsory pupils (their dropouts apportioned pro rata to "
                      "enrollment); kindergartens, special-education and vocational schools excluded.",
              source="教育统计口径: 辍学率 = 年内辍学人数 ÷ 学年初在校生数",
              formula_zh="年内辍学人数之和 ÷ 义务教育在校生数之和(辍学率)。",
              counted_zh="小学、初中和九年一贯制学校全部计入;完全中学和十二年一贯制学校只计义务教育阶段学生(辍学人数按在校生比例分摊);不含幼儿园、特殊教育学校和中职学校。"),
    Indicator("migrant_public_share", 8, "share", "either", "随迁子女入读公办学校比例",
              "Share of migrant children in public schools", interval=True,
              formula="Σ migrant children in public compulsory schools ÷ Σ migrant children in all "
                      "compulsory schools.",
              counted="Compulsory-level schools; government-purchased places in private schools are not in "
                      "the census (a county that has them gives the figure in the indicators table).",
              source=BALANCE_2017,
              formula_zh="公办义务教育学校随迁子女数之和 ÷ 全部义务教育学校随迁子女数之和。",
              counted_zh="义务教育学校;政府在民办学校购买的学位不在普查中(有此情况的县区在指标表中直接填报)。"),
    Indicator("junior_cohort_entrants", 8, "count", "input", "初中三年巩固率:入学人数",
              "Junior cohort: pupils entering grade 7 three years earlier", counts="persons",
              formula="Pupils who entered grade 7 three years earlier (the cohort's start).",
              counted=INPUT_COUNTED, source=BALANCE_2017,
              formula_zh="三年前进入七年级的学生数(该届学生的起点)。", counted_zh=INPUT_COUNTED_ZH),
    Indicator("junior_cohort_completers", 8, "count", "input", "初中三年巩固率:毕业年级人数",
              "Junior cohort: pupils in the final grade", counts="persons",
              formula="Pupils of that cohort in the final junior grade.",
              counted=INPUT_COUNTED, source=BALANCE_2017,
              formula_zh="该届学生中在初中毕业年级的人数。", counted_zh=INPUT_COUNTED_ZH),
    Indicator("junior_retention_rate", 8, "rate", "either", "初中三年巩固率", "Junior three-year retention rate",
              interval=True,
              formula="Pupils of the cohort in the final junior grade ÷ pupils who entered grade 7 three "
                      "years earlier.",
              counted="Net in-migration can push it above 1: the value is kept, without an interval.",
              source=BALANCE_2017,
              formula_zh="该届学生中在初中毕业年级的人数 ÷ 三年前进入七年级的人数(初中三年巩固率)。", counted_zh="净迁入可使其超过1:数值照常保留,但不给区间。"),
    Indicator("balance_schools_passing_share", 8, "share", "computed", "优质均衡校际达标学校比例",
              "Share of schools meeting the high-quality balance school rule",
              formula="Schools passing the high-quality balance school rule (6 of 7 indicators at standard, "
                      "the 7th ≥ 85 % of it) ÷ schools that can be judged.",
              counted="School parts in the high-quality balance scope; a school with any of the 7 values "
                      "missing is not judged. A share of institutions: no interval.",
              source=BALANCE_2017,
              formula_zh="达到优质均衡校际达标规则的学校数(7项指标中至少6项达到标准,余项不低于标准的85%)÷ 可判定的学校数。",
              counted_zh="优质均衡范围内的学校(部);7项中任一项缺失的学校不作判定。机构的比例:无区间。"),
    Indicator("schools_over_class_size_count", 8, "count", "computed", "平均班额超标学校数",
              "Schools whose average class exceeds the limit", counts="schools",
              formula="Number of schools whose average class (students ÷ classes) exceeds the limit: "
                      "primary 45, junior and combined schools 50 (limits inclusive).",
              counted="Compulsory schools; the census gives an average, not every class (where the census "
                      "gives the classes over the limit, the exact check is used).",
              source=BALANCE_2017,
              formula_zh="平均班额(学生数 ÷ 班数)超过限额的学校数:小学45人,初中和一贯制学校50人(限额含本数)。",
              counted_zh="义务教育学校;普查给出的是平均班额而非每个班(普查给出超额班数时按其精确判定)。"),
    Indicator("schools_over_size_count", 8, "count", "computed", "规模超标学校数",
              "Schools above the size limit", counts="schools",
              formula="Number of schools above the size limit: primary or junior 2000 pupils, nine-year and "
                      "twelve-year 2500 in their compulsory stage.",
              counted="Compulsory schools; a complete secondary or twelve-year school is judged on its "
                      "compulsory enrollment.",
              source=BALANCE_2017,
              formula_zh="超过办学规模上限的学校数:小学或初中2000人,九年一贯制和十二年一贯制学校义务教育阶段2500人。",
              counted_zh="义务教育学校;完全中学和十二年一贯制学校按义务教育阶段规模判定。"),
    Indicator("teacher_certificate_share", 8, "share", "either", "专任教师持证上岗率",
              "Share of established full-time teachers holding a teaching certificate", interval=True,
              formula="Established full-time teachers (专任教师) holding a teaching certificate ÷ established "
                      "full-time teachers whose certificate status is known.",
              counted="Teacher roster, established teachers of compulsory schools "
                      "(primary and junior schools and the compulsory part of combined schools); temporary "
                      "teachers, teachers whose establishment is not given and kindergarten, senior, "
                      "vocational and special-school teachers excluded; a roster without the "
                      "established-post flag gives no value.",
              source=BALANCE_2017,
              formula_zh="持有教师资格证的在编专任教师数 ÷ 持证情况已知的在编专任教师数(专任教师持证上岗率)。",
              counted_zh="教师名册中义务教育学校(小学、初中及一贯制学校的义务教育部分)的在编教师;不含临聘教师、未注明是否在编的教师,以及幼儿园、高中、中职和特殊教育学校教师;"
                         "名册没有是否在编的信息时不计算。"),
    *_balance_entries(),
    Indicator("basic_balance_cv_primary", 8, "ratio", "computed", "小学基本均衡综合差异系数",
              "Basic-balance comprehensive CV, primary",
              formula="Mean of the 8 enrollment-weighted coefficients of variation of the basic-balance "
                      "indicators (teaching area, sports "
                      "area, equipment value, computers per 100, books, teachers, qualified teachers and "
                      "senior-title teachers per pupil), primary parts.",
              counted="As the high-quality balance scope; no value unless all 8 CVs exist.",
              source=BALANCE_2012,
              formula_zh="基本均衡8项指标(生均教学及辅助用房面积、生均体育运动场馆面积、生均教学仪器设备值、每百名学生拥有计算机台数、生均图书册数、师生比、生均高于规定学历教师数、"
                         "生均中级及以上专业技术职务教师数)按在校生加权的差异系数的平均值,小学部分。",
              counted_zh="范围同优质均衡;8个差异系数齐全时才计算。"),
    Indicator("basic_balance_cv_junior", 8, "ratio", "computed", "初中基本均衡综合差异系数",
              "Basic-balance comprehensive CV, junior",
              formula="The same comprehensive CV over junior parts.",
              counted="As the high-quality balance scope; no value unless all 8 exist.", source=BALANCE_2012,
              formula_zh="同上的综合差异系数,初中部分。", counted_zh="范围同优质均衡;8个差异系数齐全时才计算。"),
    # item 8 — the rest of the 优质均衡 assessment (教督〔2017〕6号; qyanalysis/verdicts/targets/assessment.csv).
    # Yes/no answers (1 = yes): conditions the county meets …
    Indicator("school_layout_planned", 8, "flag", "input", "县域内义务教育学校规划布局合理",
              "School layout planned and reasonable",
              formula="The county's school layout is planned and reasonable, 1 = yes, 0 = no.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="县域内义务教育学校规划布局合理,1 = 是,0 = 否。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("unified_urban_rural_standards", 8, "flag", "input",
              "城乡统一的学校建设、教师编制、生均公用经费基准定额、装备配置标准",
              "One construction, staffing, funding and equipment standard for urban and rural schools",
              formula="One construction, staffing, per-student funding and equipment standard for urban and "
                      "rural schools, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="城乡统一的学校建设标准、教师编制标准、生均公用经费基准定额和装备配置标准,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("small_school_funding_floor", 8, "flag", "input", "不足100名学生的村小学和教学点按100名学生核定公用经费",
              "Village schools and teaching points under 100 pupils funded as 100",
              formula="Village schools and teaching points under 100 pupils are funded as if they had 100, "
                      "1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="不足100名学生的村小学和教学点按100名学生核定公用经费,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("performance_pay_fully_approved", 8, "flag", "input", "按规定足额核定教师绩效工资总量",
              "Teachers' performance pay fully approved",
              formula="Teachers' performance pay approved in full, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="按规定足额核定教师绩效工资总量,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("establishment_allocated_by_county", 8, "flag", "input",
              "县级教育行政部门统筹分配各校教职工编制和岗位数量",
              "County bureau allocates posts across schools within the approved establishment",
              formula="The county bureau allocates teacher posts across schools within the approved "
                      "establishment, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="县级教育行政部门在核定的编制总额内统筹分配各校教职工编制和岗位数量,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("left_behind_care_system", 8, "flag", "input", "留守儿童关爱体系健全",
              "Care system for left-behind children in place",
              formula="A care system for left-behind children is in place, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="留守儿童关爱体系健全,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("school_charter_and_ict_management", 8, "flag", "input", "所有学校制定章程,实现学校管理与教学信息化",
              "Every school has a charter and ICT-based management and teaching",
              formula="Every school has a charter and ICT-based management and teaching, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="所有学校制定章程,实现学校管理与教学信息化,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("teacher_training_budget_5pct", 8, "flag", "input",
              "所有学校按不低于年度公用经费预算总额的5%安排教师培训经费",
              "Every school spends at least 5 % of its public-funding budget on teacher training",
              formula="Every school spends at least 5 % of its annual public-funding budget on teacher "
                      "training, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="所有学校按不低于年度公用经费预算总额的5%安排教师培训经费,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("ict_use_good", 8, "flag", "input", "教师信息化教学能力和设施设备利用水平较高",
              "Teachers use ICT well and equipment is well used",
              formula="Teachers use ICT well and the equipment is well used, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="教师信息化教学能力和设施设备利用水平较高,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("moral_education_good", 8, "flag", "input", "所有学校德育工作、校园文化建设水平达到良好以上",
              "Moral education and school culture good or better in every school",
              formula="Moral education and school culture good or better in every school, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="所有学校德育工作、校园文化建设水平达到良好以上,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("curriculum_complete", 8, "flag", "input", "所有学校开齐开足国家规定课程",
              "National curriculum taught in full in every school",
              formula="The national curriculum is taught in full, with practical activities, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="所有学校开齐开足国家规定课程(含综合实践活动),1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("homework_burden_reasonable", 8, "flag", "input", "学生课业负担合理",
              "No excessive homework burden",
              formula="No excessive homework burden, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="学生课业负担合理,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    Indicator("quality_monitoring_level_iii", 8, "flag", "input", "国家义务教育质量监测相关科目学生学业水平达到Ⅲ级以上",
              "Pupils reach level III or above in the national quality monitoring",
              formula="In the national compulsory-education quality monitoring, pupils reach level III or "
                      "above in the subjects monitored, 1 = yes.",
              counted=FLAG_COUNTED, source=BALANCE_2017,
              formula_zh="国家义务教育质量监测中,相关科目学生学业水平达到Ⅲ级以上,1 = 是。", counted_zh=FLAG_COUNTED_ZH),
    # … and veto events (1 = yes: it happened; any one makes the county not ready)
    Indicator("veto_exam_admission", 8, "flag", "input", "以考试方式招生", "Enrollment by examination",
              formula="Enrollment by examination happened: 1 = yes (a veto).",
              counted=VETO_COUNTED, source=BALANCE_2017,
              formula_zh="发生以考试方式招生的情况:1 = 是(一票否决事项)。", counted_zh=VETO_COUNTED_ZH),
    Indicator("veto_irregular_school_choice", 8, "flag", "input", "违规择校", "Irregular school choice",
              formula="Irregular school choice happened: 1 = yes (a veto).",
              counted=VETO_COUNTED, source=BALANCE_2017,
              formula_zh="发生违规择校的情况:1 = 是(一票否决事项)。", counted_zh=VETO_COUNTED_ZH),
    Indicator("veto_key_schools_classes", 8, "flag", "input", "设置重点学校或重点班",
              "Designated key schools or key classes",
              formula="Key schools or key classes were designated: 1 = yes (a veto).",
              counted=VETO_COUNTED, source=BALANCE_2017,
              formula_zh="设置重点学校或重点班:1 = 是(一票否决事项)。", counted_zh=VETO_COUNTED_ZH),
    Indicator("veto_major_safety_incident", 8, "flag", "input", "发生重大安全责任事故或严重违纪违规事件",
              "Major safety incident or serious violation",
              formula="A major safety incident or serious violation happened: 1 = yes (a veto; wording from "
                      "public summaries).",
              counted=VETO_COUNTED, source=BALANCE_2017,
              formula_zh="发生重大安全责任事故或严重违纪违规事件:1 = 是(一票否决事项;条文取自公开摘要)。", counted_zh=VETO_COUNTED_ZH),
    Indicator("veto_data_falsified", 8, "flag", "input", "督导评估中弄虚作假", "Data falsified in the assessment",
              formula="Data in the assessment were falsified: 1 = yes (a veto; wording from public "
                      "summaries).",
              counted=VETO_COUNTED, source=BALANCE_2017,
              formula_zh="督导评估中弄虚作假:1 = 是(一票否决事项;条文取自公开摘要)。", counted_zh=VETO_COUNTED_ZH),
    Indicator("veto_unfilled_posts_or_temporary_teachers", 8, "flag", "input",
              '存在"有编不补"或长期聘用编外教师的情况',
              "Vacant established posts left unfilled or non-established teachers employed long-term",
              formula="Vacant established teacher posts were left unfilled or non-established "
                      "teachers were employed long-term: 1 = yes (a veto; wording from public "
                      "summaries). Whether posts go unfilled needs the county's approved establishment, "
                      "which the census lacks, so the bureau answers it; the readiness page shows the "
                      "census's temporary teachers of public compulsory schools beside it.",
              counted=VETO_COUNTED, source=BALANCE_2017,
              formula_zh="存在“有编不补”或长期聘用编外教师的情况:1 = 是(一票否决事项;条文取自公开摘要)。是否有编不补需要县区核定的编制数,普查中没有,因此由教育局填报;"
                         "准备情况页面在旁边列出普查中公办义务教育学校的临聘教师数。",
              counted_zh=VETO_COUNTED_ZH),
    # shares and rates only the bureau can give
    Indicator("teacher_training_360h_completion", 8, "share", "input", "教师5年360学时培训完成率",
              "Teachers completing 360 training hours in 5 years",
              formula="Share of teachers who completed 360 training hours in 5 years.",
              counted=ADMIN_SHARE_COUNTED, source=BALANCE_2017,
              formula_zh="5年内完成360学时培训的教师所占比例(5年360学时培训完成率)。", counted_zh=ADMIN_SHARE_COUNTED_ZH),
    Indicator("nearby_enrollment_primary_share", 8, "share", "input", "城区和镇区公办小学就近入学比例",
              "Nearby enrollment in urban and town public primary schools",
              formula="Share of urban and town public primary pupils enrolled in their nearby school.",
              counted=ADMIN_SHARE_COUNTED, source=BALANCE_2017,
              formula_zh="城区和镇区公办小学学生就近入学的比例。", counted_zh=ADMIN_SHARE_COUNTED_ZH),
    Indicator("nearby_enrollment_junior_share", 8, "share", "input", "城区和镇区公办初中就近入学比例",
              "Nearby enrollment in urban and town public junior schools",
              formula="Share of urban and town public junior pupils enrolled in their nearby school.",
              counted=ADMIN_SHARE_COUNTED, source=BALANCE_2017,
              formula_zh="城区和镇区公办初中学生就近入学的比例。", counted_zh=ADMIN_SHARE_COUNTED_ZH),
    Indicator("quality_senior_places_allocated_share", 8, "share", "input",
              "优质普通高中招生名额分配到县域内初中的比例",
              "Quality senior-high places allocated to the county's junior schools",
              formula="Share of quality senior-high enrollment places allocated to the county's junior "
                      "schools.",
              counted=ADMIN_SHARE_COUNTED, source=BALANCE_2017,
              formula_zh="优质普通高中招生名额分配到县域内初中的比例。", counted_zh=ADMIN_SHARE_COUNTED_ZH),
    Indicator("quality_monitoring_difference_rate", 8, "ratio", "input", "国家义务教育质量监测校际差异率",
              "Between-school difference rate in the national quality monitoring",
              formula="Between-school difference rate of the national compulsory-education quality "
                      "monitoring.",
              counted="Input (indicators table), as the monitoring reports it.", source=BALANCE_2017,
              formula_zh="国家义务教育质量监测的校际差异率。", counted_zh="由教育局在指标表中填报,按监测报告的数值。"),
    # computed from the census and the survey table
    Indicator("schools_short_of_music_art_rooms_count", 8, "count", "computed",
              "音乐、美术专用教室不足每12个班级1间的学校数",
              "Schools with fewer than one music and one art room per 12 classes", counts="schools",
              formula="Compulsory schools with fewer than one music room and one art room per 12 classes "
                      "(the standard: one of each per 12 classes), from the census's music rooms, art rooms "
                      "and classes.",
              counted="Schools of the compulsory levels reporting the three columns; a count of schools, no "
                      "interval.",
              source=BALANCE_2017,
              formula_zh="音乐、美术专用教室不足每12个班级各1间的义务教育学校数(每12个班级配备音乐、美术专用教室1间以上),按普查中的音乐教室数、美术教室数和班数计算。",
              counted_zh="报齐这三项数据的义务教育学校;学校数,无区间。"),
    Indicator("survey_satisfaction_rate", 8, "rate", "either", "社会认可度(满意率)",
              "Public recognition: share satisfied (survey)", interval=True,
              formula="Satisfied respondents ÷ respondents of the survey table, pooled over the respondent "
                      "groups as the assessment rules above say (Σ satisfied ÷ Σ respondents, or the mean of "
                      "the groups' rates).",
              counted="Survey respondents (government departments, schools, teachers, pupils, parents, the "
                      "public); a sample, so a Wilson 95 % interval.",
              source=BALANCE_2017,
              formula_zh="调查表中满意的受访者数 ÷ 受访者数,各类调查对象按上文评估规则所述方式汇总(满意人数之和 ÷ 受访人数之和,或各类对象满意率的平均)。",
              counted_zh="调查对象(政府有关部门、学校、教师、学生、家长、社会人士);属抽样调查,故给出 Wilson 95 % 区间。"),
    # item 10 — special education
    Indicator("disabled_children_school_age", 10, "count", "input", "适龄残疾儿童少年数",
              "School-age disabled children", counts="persons",
              formula="School-age disabled children and adolescents of the county.",
              counted=INPUT_COUNTED, source=BALANCE_2017,
              formula_zh="县区内适龄残疾儿童少年数。", counted_zh=INPUT_COUNTED_ZH),
    Indicator("disabled_children_enrolled", 10, "count", "input", "残疾儿童少年入学人数",
              "School-age disabled children enrolled", counts="persons",
              formula="Those of them enrolled in compulsory education (any form of placement).",
              counted=INPUT_COUNTED, source=BALANCE_2017,
              formula_zh="其中接受义务教育的人数(任何安置形式)。", counted_zh=INPUT_COUNTED_ZH),
    Indicator("disabled_enrollment_rate", 10, "rate", "either", "残疾儿童少年义务教育入学率",
              "Disabled children's compulsory enrollment rate", interval=True,
              formula="School-age disabled children enrolled ÷ school-age disabled children.",
              counted="No school-age disabled children: the target does not apply; more enrolled than of "
                      "school age: the value is kept, without an interval.",
              source=BALANCE_2017,
              formula_zh="适龄残疾儿童少年入学人数 ÷ 适龄残疾儿童少年数。", counted_zh="没有适龄残疾儿童少年时目标不适用;入学人数多于适龄人数时数值照常保留,但不给区间。"),
    Indicator("resource_room_coverage", 10, "share", "either", "招收5人以上残疾学生普通学校资源教室覆盖率",
              "Resource-room coverage of schools with 5+ disabled pupils",
              formula="Ordinary schools with ≥ 5 disabled pupils that have a resource room ÷ ordinary "
                      "schools with ≥ 5 disabled pupils (“5 or more” includes 5).",
              counted="Every level except special-education schools; a school whose resource-room status is "
                      "missing is left out of both counts. Counts schools: no interval.",
              source=f"{PLAN} 第10条",
              formula_zh="招收5名以上残疾学生且设有资源教室的普通学校数 ÷ 招收5名以上残疾学生的普通学校数(“5人以上”含5人)。",
              counted_zh="除特殊教育学校外的各类学校;资源教室情况缺失的学校不计入分子和分母。学校的计数:无区间。"),
    # item 12
    Indicator("parent_school_zone", 12, "flag", "input", "已创建全国规范化家长学校实验区(是/否)",
              "National model parent-school zone established (yes/no)",
              formula="1 when the county is a national model parent-school zone, else 0; "
                      "printed yes / no.",
              counted="Input (indicators table); the city target needs every county.",
              source=f"{PLAN} 第12条",
              formula_zh="县区已创建全国规范化家长学校实验区为1,否则为0;显示为 是 / 否。", counted_zh="由教育局在指标表中填报;全市目标要求每个县区都达到(全覆盖)。"),
    # item 13 — health
    Indicator("fitness_good_rate", 13, "rate", "either", "体质健康优良率", "Fitness good-or-better rate",
              interval=True,
              formula="(pupils graded excellent + good) ÷ pupils tested under the National Student Fitness "
                      "Standard (good or better: total score ≥ 80.0).",
              counted="Primary, junior, senior-high and secondary-vocational schools; a school missing a "
                      "grade count is left out.",
              source=FITNESS_STANDARD,
              formula_zh="(等级为优秀和良好的学生数)÷ 按《国家学生体质健康标准》测试的学生数(优良率:总分 ≥ 80.0)。",
              counted_zh="小学、初中、高中和中职学校;缺少任一等级人数的学校不计入。"),
    Indicator("fitness_tested_share", 13, "share", "either", "体质测试覆盖率", "Share of pupils fitness-tested",
              interval=True,
              formula="Pupils tested ÷ pupils enrolled.",
              counted="The same schools as the fitness good-or-better rate.", source=FITNESS_STANDARD,
              formula_zh="参加测试的学生数 ÷ 在校生数。", counted_zh="与体质健康优良率相同的学校。"),
    Indicator("myopia_rate", 13, "rate", "either", "总体近视率", "Overall myopia rate", interval=True,
              formula="Myopic pupils ÷ pupils screened (screening definition: uncorrected distance "
                      "vision < 5.0 and non-cycloplegic SE ≤ −0.50 D, age over 6).",
              counted="Pupils of primary level and above; kindergartens excluded from the rate and its "
                      "change.",
              source=MYOPIA_PLAN,
              formula_zh="近视学生数 ÷ 筛查学生数(总体近视率;筛查标准:裸眼远视力 < 5.0 且非睫状肌麻痹下等效球镜 ≤ −0.50 D,6岁以上)。",
              counted_zh="小学及以上学段的学生;近视率及其变化均不含幼儿园。"),
    Indicator("myopia_rate_change", 13, "pp", "either", "总体近视率较上年变化",
              "Change in myopia rate against the previous year", interval=True,
              formula="Myopia rate this year − myopia rate last year, in percentage points (a negative "
                      "change is a fall).",
              counted="As the myopia rate, both years.", source=MYOPIA_PLAN,
              formula_zh="本年近视率 − 上年近视率,以百分点计(负值为下降)。", counted_zh="同总体近视率,两年均如此。"),
    # item 14, 15, 17
    Indicator("arts_base_schools", 14, "count", "input", "全科美育基地学校数", "All-subject arts base schools",
              counts="schools",
              formula="All-subject arts-education base schools.",
              counted="Input (indicators table), a count of schools (a stock).", source=f"{PLAN} 第14条",
              formula_zh="全科美育基地学校数。", counted_zh="由教育局在指标表中填报,学校数(存量)。"),
    Indicator("arts_pilot_towns", 14, "count", "input", "全科美育实验镇数", "All-subject arts pilot towns",
              counts="towns",
              formula="All-subject arts pilot towns.",
              counted="Input, a count of towns (a stock).", source=f"{PLAN} 第14条",
              formula_zh="全科美育实验镇数。", counted_zh="由教育局在指标表中填报,镇数(存量)。"),
    Indicator("labor_feature_schools", 15, "count", "input", "市级劳动教育特色学校数",
              "City-level labour-education feature schools", counts="schools",
              formula="City-level labour-education feature schools.",
              counted="Input, a count of schools (a stock).", source=f"{PLAN} 第15条",
              formula_zh="市级劳动教育特色学校数。", counted_zh="由教育局在指标表中填报,学校数(存量)。"),
    Indicator("labor_demo_schools", 15, "count", "input", "市级劳动教育示范学校数",
              "City-level labour-education model schools", counts="schools",
              formula="City-level labour-education model schools.",
              counted="Input, a count of schools (a stock).", source=f"{PLAN} 第15条",
              formula_zh="市级劳动教育示范学校数。", counted_zh="由教育局在指标表中填报,学校数(存量)。"),
    Indicator("ideology_pilot_counties", 17, "count", "input", "课程思政试点县数",
              "Pilot counties for ideology in courses", counts="counties",
              formula="Pilot counties for ideology in courses.",
              counted="Input, a count of counties (a stock).", source=f"{PLAN} 第17条",
              formula_zh="课程思政试点县数。", counted_zh="由教育局在指标表中填报,县数(存量)。"),
    # item 19, 20
    Indicator("education_groups_applied", 19, "count", "input", "申报省优质基础教育集团数",
              "Education groups applying as provincial high-quality groups", counts="groups",
              formula="Education groups and education communities applying as provincial high-quality "
                      "groups.",
              counted="Input, a count of groups.", source=f"{PLAN} 第19条",
              formula_zh="申报省优质基础教育集团的教育集团、教育共同体数。", counted_zh="由教育局在指标表中填报,集团数。"),
    Indicator("evaluation_pilots", 20, "count", "input", "省教育评价改革试点项目数",
              "Provincial education-evaluation reform pilots", counts="projects",
              formula="Provincial education-evaluation reform pilot projects carried out.",
              counted="Input, a count of projects.", source=f"{PLAN} 第20条",
              formula_zh="开展的省教育评价改革试点项目数。", counted_zh="由教育局在指标表中填报,项目数。"),
    # item 25, 26, 27, 29, 30
    Indicator("famous_studios", 25, "count", "input", "市级名校长名教师名班主任工作室数",
              "City-level 'three famous' studios", counts="studios",
              formula="City-level 'three famous' studios (of famous principals, teachers and class "
                      "teachers) selected.",
              counted="Input, a count of studios.", source=f"{PLAN} 第25条",
              formula_zh="遴选的市级名校长、名教师、名班主任工作室数。", counted_zh="由教育局在指标表中填报,工作室数。"),
    Indicator("backbone_trained", 25, "count", "input", "培养骨干教师、校长、班主任人数",
              "Backbone teachers, principals and class teachers trained", counts="persons",
              formula="Backbone teachers, principals and class teachers trained in the year, cumulative.",
              counted="Input; a cumulative flow (forecast to year-end from in-year values).",
              source=f"{PLAN} 第25条",
              formula_zh="年内培养的骨干教师、校长、班主任人数,累计。", counted_zh="由教育局在指标表中填报;累计流量(年内数值预测到年末)。"),
    Indicator("teacher_rotation_rate", 26, "rate", "either", "教师交流轮岗比例",
              "Share of eligible teachers rotated",
              formula="Teachers rotated ÷ teachers eligible for rotation.",
              counted="Teacher roster, teachers whose two flags are known.", source=BALANCE_2017,
              formula_zh="交流轮岗的教师数 ÷ 应交流轮岗的教师数。", counted_zh="教师名册中这两项情况均已知的教师。"),
    Indicator("backbone_share_of_rotated", 26, "share", "either", "交流轮岗教师中骨干教师比例",
              "Backbone teachers among those rotated",
              formula="Backbone teachers among the rotated ÷ rotated teachers whose backbone flag is known.",
              counted="Teacher roster.", source=BALANCE_2017,
              formula_zh="交流轮岗教师中的骨干教师数 ÷ 是否骨干已知的交流轮岗教师数。", counted_zh="教师名册。"),
    Indicator("temporary_teacher_ratio", 27, "share", "either", "临聘教师比例", "Temporary-teacher ratio",
              formula="T ÷ D: temporary teachers T over D, the established full-time teachers E plus "
                      "T, or E alone where the run is set so (see \"Item 27\" for the denominator in force).",
              counted="Public primary and secondary schools.", source=f"{PLAN} 第27条",
              formula_zh="T ÷ D:临聘教师数 T 除以 D,D 为在编专任教师数 E 加 T,或按报告设定仅取 E(采用的分母见“第27条”)。", counted_zh="公办中小学。"),
    Indicator("temporary_teachers_count", 27, "count", "either", "公办中小学临聘教师数",
              "Temporary teachers in public primary and secondary schools", counts="persons",
              formula="Temporary teachers; the target is its change against the previous year (fall, never "
                      "rise: change ≤ 0).",
              counted="Public primary and secondary schools.", source=f"{PLAN} 第27条; 广东省教育厅“临聘教师数量只减不增”",
              formula_zh="临聘教师数;目标为与上年相比的变化(只减不增:变化 ≤ 0)。", counted_zh="公办中小学。"),
    Indicator("established_teachers_count", 27, "count", "either", "公办中小学在编专任教师数",
              "Established full-time teachers in public primary and secondary schools", counts="persons",
              formula="Full-time teachers in established posts.",
              counted="Public primary and secondary schools.", source=f"{PLAN} 第27条",
              formula_zh="在编专任教师数。", counted_zh="公办中小学。"),
    Indicator("temporary_teacher_excess_cut", 27, "count", "either", "临聘教师超比例部分压减人数",
              "Temporary teachers cut (item-27 rule)", counts="persons",
              formula="Temporary teachers cut in the year, T(y−1) − T(y), judged against 20 % of the excess "
                      "above the 5 % line; see \"Item 27\".",
              counted="Only where last year's ratio exceeded 5 % (“exceed” = strictly above); otherwise the "
                      "target does not apply.",
              source=f"{PLAN} 第27条",
              formula_zh="年内压减的临聘教师数 T(上年) − T(本年),与超过5%部分的20%比较;见“第27条”。",
              counted_zh="仅当上年临聘比例超过5%(“超过”不含本数)时适用;否则目标不适用。"),
    # staffing context (docs/methods.md, staffing norms): pupil–teacher ratios use full-time teachers (专任教师),
    # the establishment check uses all staff (教职工); items 25/26 (teacher team, posts)
    Indicator("pupil_teacher_ratio_primary", 26, "ratio", "computed", "小学生师比(专任教师)",
              "Pupil–teacher ratio (full-time teachers), primary",
              formula="Σ students ÷ Σ full-time teachers (专任教师), primary stage.",
              counted="Combined schools split by per-level enrollment. Context only: never compared with "
                      "the staff norms.",
              source=GUANGDONG_2021,
              formula_zh="在校生数之和 ÷ 专任教师数之和,小学阶段。", counted_zh="一贯制学校按各学段在校生拆分。仅作背景:不与编制标准比较。"),
    Indicator("pupil_teacher_ratio_junior", 26, "ratio", "computed", "初中生师比(专任教师)",
              "Pupil–teacher ratio (full-time teachers), junior",
              formula="Σ students ÷ Σ full-time teachers, junior stage.",
              counted="As the primary ratio.", source=GUANGDONG_2021,
              formula_zh="在校生数之和 ÷ 专任教师数之和,初中阶段。", counted_zh="同小学生师比。"),
    Indicator("pupil_teacher_ratio_senior", 26, "ratio", "computed", "高中生师比(专任教师)",
              "Pupil–teacher ratio (full-time teachers), senior",
              formula="Σ students ÷ Σ full-time teachers, senior stage.",
              counted="As the primary ratio.", source=GUANGDONG_2021,
              formula_zh="在校生数之和 ÷ 专任教师数之和,高中阶段。", counted_zh="同小学生师比。"),
    Indicator("students_per_staff_primary", 26, "ratio", "computed", "小学学生与教职工比(编制标准口径)",
              "Students per staff member (establishment basis), primary",
              formula="Σ students ÷ Σ all staff (教职工), primary stage; compared with the norm 19.",
              counted="Only when the census has staff.", source=STAFF_NORMS,
              formula_zh="在校生数之和 ÷ 教职工数之和,小学阶段;与编制标准19比较。", counted_zh="普查有教职工数时才计算。"),
    Indicator("students_per_staff_junior", 26, "ratio", "computed", "初中学生与教职工比(编制标准口径)",
              "Students per staff member (establishment basis), junior",
              formula="Σ students ÷ Σ all staff, junior stage; norm 13.5.",
              counted="Only when the census has staff.", source=STAFF_NORMS,
              formula_zh="在校生数之和 ÷ 教职工数之和,初中阶段;编制标准13.5。", counted_zh="普查有教职工数时才计算。"),
    Indicator("students_per_staff_senior", 26, "ratio", "computed", "高中学生与教职工比(编制标准口径)",
              "Students per staff member (establishment basis), senior",
              formula="Σ students ÷ Σ all staff, senior stage; norm 12.5.",
              counted="Only when the census has staff.", source=STAFF_NORMS,
              formula_zh="在校生数之和 ÷ 教职工数之和,高中阶段;编制标准12.5。", counted_zh="普查有教职工数时才计算。"),
    Indicator("qualified_teacher_share_primary", 25, "share", "computed", "小学专任教师高于规定学历比例",
              "Share of primary teachers above the required qualification", interval=True,
              formula="Full-time teachers above the required qualification (college diploma or above) ÷ "
                      "full-time teachers, primary stage.",
              counted="Combined schools split by enrollment.", source=f"{BALANCE_2017}; {GUANGDONG_2021}",
              formula_zh="高于规定学历(大专及以上)的专任教师数 ÷ 专任教师数,小学阶段。", counted_zh="一贯制学校按在校生拆分。"),
    Indicator("qualified_teacher_share_junior", 25, "share", "computed", "初中专任教师高于规定学历比例",
              "Share of junior teachers above the required qualification", interval=True,
              formula="Full-time teachers above the required qualification (bachelor's degree or above) ÷ "
                      "full-time teachers, junior stage.",
              counted="Combined schools split by enrollment.", source=f"{BALANCE_2017}; {GUANGDONG_2021}",
              formula_zh="高于规定学历(本科及以上)的专任教师数 ÷ 专任教师数,初中阶段。", counted_zh="一贯制学校按在校生拆分。"),
    Indicator("backbone_teachers_per_100_pupils", 25, "per100", "computed", "中小学每百名学生县级以上骨干教师数",
              "Backbone teachers per 100 pupils (primary and secondary schools)",
              formula="100 × Σ county-level-or-above backbone teachers ÷ Σ students.",
              counted="Primary and secondary schools.", source=BALANCE_2017,
              formula_zh="100 × 县级以上骨干教师数之和 ÷ 在校生数之和。", counted_zh="中小学。"),
    Indicator("pe_arts_teachers_per_100_pupils", 8, "per100", "computed", "中小学每百名学生体育艺术专任教师数",
              "PE and arts teachers per 100 pupils (primary and secondary schools)",
              formula="100 × Σ PE and arts full-time teachers ÷ Σ students.",
              counted="Primary and secondary schools.", source=BALANCE_2017,
              formula_zh="100 × 体育、艺术专任教师数之和 ÷ 在校生数之和。", counted_zh="中小学。"),
    Indicator("older_teacher_share", 26, "share", "computed", "50岁及以上教师比例",
              "Share of teachers aged 50 or over", interval=True,
              formula="Teachers aged 50 or over (census year − birth year) ÷ teachers with a known age.",
              counted="Teacher roster; a descriptive cut-off, not a norm.",
              source="None: a descriptive measure of these reports",
              formula_zh="50岁及以上教师数(普查年份 − 出生年份)÷ 年龄已知的教师数。", counted_zh="教师名册;描述性的分界,不是标准。"),
    Indicator("support_teachers_received", 29, "count", "input", "接收支教校长教师数",
              "Principals and teachers received on support placements", counts="persons",
              formula="Principals and teachers received on support placements.",
              counted=INPUT_COUNTED, source=f"{PLAN} 第29条",
              formula_zh="接收支教的校长、教师人数。", counted_zh=INPUT_COUNTED_ZH),
    Indicator("support_teachers_sent", 29, "count", "input", "派出跟岗校长教师数",
              "Principals and teachers sent on shadowing placements", counts="persons",
              formula="Principals and teachers sent on shadowing placements.",
              counted=INPUT_COUNTED, source=f"{PLAN} 第29条",
              formula_zh="派出跟岗的校长、教师人数。", counted_zh=INPUT_COUNTED_ZH),
    Indicator("teacher_avg_pay_yuan", 30, "yuan", "input", "中小学教师年平均工资收入", "Average teacher pay (yuan/year)",
              formula="Average annual pay of primary and secondary teachers (yuan).",
              counted=INPUT_COUNTED, source="《义务教育法》《教师法》",
              formula_zh="中小学教师年平均工资收入(元)。", counted_zh=INPUT_COUNTED_ZH),
    Indicator("civil_servant_avg_pay_yuan", 30, "yuan", "input", "当地公务员年平均工资收入",
              "Average local civil-servant pay (yuan/year)",
              formula="Average annual pay of local civil servants (yuan).",
              counted=INPUT_COUNTED, source="《义务教育法》《教师法》",
              formula_zh="当地公务员年平均工资收入(元)。", counted_zh=INPUT_COUNTED_ZH),
    Indicator("teacher_salary_ratio", 30, "ratio", "either", "教师平均工资与公务员平均工资之比",
              "Teacher pay relative to civil servants",
              formula="Average teacher pay ÷ average local civil-servant pay; ≥ 1 means not lower.",
              counted="Averages, not counts: no interval.", source="《义务教育法》第三十一条; 《教师法》",
              formula_zh="教师年平均工资 ÷ 当地公务员年平均工资;≥ 1 即不低于。", counted_zh="平均数而非计数:无区间。"),
    # item 34, 35
    Indicator("key_tasks_completed", 34, "count", "either", "完成教育重点工作项数", "Key education tasks completed",
              counts="tasks",
              formula="Key tasks of the year with status completed.",
              counted="Tasks table, the tasks marked key; the city row counts every task. Before December "
                      "the tasks completed, not yet due and overdue decide on track or at risk.",
              source=f"{PLAN} 第34条",
              formula_zh="本年状态为已完成的重点工作项数。",
              counted_zh="任务表中标为重点的任务;全市行计所有任务。12月之前由已完成、未到期和已逾期的任务判定有望达标或存在风险。"),
    Indicator("per_student_funding_yuan", 35, "yuan", "input", "中小学生均公用经费(实际)",
              "Per-student public funding, actual (yuan)",
              formula="Actual per-student public funding, yuan per year.",
              counted=INPUT_COUNTED, source=f"{PLAN} 第35条",
              formula_zh="实际生均公用经费,元/年。", counted_zh=INPUT_COUNTED_ZH),
    Indicator("per_student_funding_standard_yuan", 35, "yuan", "input", "中小学生均公用经费省定标准",
              "Per-student public funding, provincial standard (yuan)",
              formula="The provincial per-student standard, yuan per year; a county without its own "
                      "row uses the city row.",
              counted="Input: the figure was not confirmed from a public document, so it is never built in.",
              source=f"{PLAN} 第35条",
              formula_zh="生均公用经费省定标准,元/年;没有本县区行的县区使用全市行。", counted_zh="由教育局在指标表中填报:该数值未能从公开文件确认,因此不内置。"),
    Indicator("per_student_funding_ratio", 35, "ratio", "either", "生均公用经费达到省定标准的比值",
              "Per-student funding relative to the provincial standard",
              formula="Actual per-student public funding ÷ the provincial standard.",
              counted="Inputs; no interval.", source=f"{PLAN} 第35条",
              formula_zh="实际生均公用经费 ÷ 省定标准。", counted_zh="由输入数据计算;无区间。"),
    Indicator("special_education_funding_per_student_yuan", 35, "yuan", "input", "特殊教育生均公用经费",
              "Special-education per-student funding (yuan)",
              formula="Per-student public funding of special-education schools, yuan per year.",
              counted=INPUT_COUNTED, source=BALANCE_2017,
              formula_zh="特殊教育学校生均公用经费,元/年。", counted_zh=INPUT_COUNTED_ZH),
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
