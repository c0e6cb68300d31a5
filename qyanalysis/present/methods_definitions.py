"""What every indicator of the catalogue measures: definition and formula, who is counted, source.

One entry per code of the catalogue's first indicators
(``qyanalysis.contract.indicators.CATALOGUE``). An indicator added later
carries its definition in its own catalogue entry (``formula``, ``counted``,
``source``); :func:`definition` gives either, this file winning where it has
the code (a test checks that every code has one). ``qyanalysis.present.methods`` turns them, with
the catalogue's unit and labels and the target registry's scope, comparator,
threshold and source, into the indicator part of ``docs/methods.md`` and of
every run's ``methods.html``. The formulas are those of ``qyanalysis.measures``
(their docstrings give the code-level detail); this module only words them.
"""

from __future__ import annotations

from dataclasses import dataclass

from qyanalysis.contract.indicators import BALANCE_INDICATORS, CATALOGUE

PLAN = "清远市2022年教育工作要点"
BALANCE_2017 = "教育部《县域义务教育优质均衡发展督导评估办法》(教督〔2017〕6号)"
BALANCE_2012 = "教育部《县域义务教育发展基本均衡县评估认定办法》(教督〔2012〕3号)"
FITNESS_STANDARD = "《国家学生体质健康标准(2014年修订)》(教体艺〔2014〕5号)"
MYOPIA_PLAN = "《综合防控儿童青少年近视实施方案》(教体艺〔2018〕3号); 筛查标准 WS/T 663-2020"
STAFF_NORMS = "中央编办发〔2014〕72号 (城乡统一的中小学教职工编制标准)"
GUANGDONG_2021 = "2021年广东省教育事业发展统计公报 (reference only)"


@dataclass(frozen=True)
class Definition:
    """How one indicator is defined.

    Attributes:
        formula: Definition and formula, in words and symbols.
        counted: Who or what is counted, and what is left out (exclusions).
        source: Public document(s) the definition follows (the target's own
            source comes from the registry).
        interval: "wilson" (a rate over persons, Wilson 95 % interval),
            "newcombe" (a change of such a rate) or "" (no interval).
    """

    formula: str
    counted: str
    source: str
    interval: str = ""


def _balance_definitions() -> dict[str, Definition]:
    """The 14 差异系数 codes ``balance_cv_<indicator>_<level>``."""
    out = {}
    for code, (zh, _en, primary, junior, _unit) in BALANCE_INDICATORS.items():
        for level, standard in (("primary", primary), ("junior", junior)):
            out[f"balance_cv_{code}_{level}"] = Definition(
                formula=f"Enrollment-weighted 差异系数 CV = S / X̄ across the county's {level} school parts of "
                        f"the per-school value of {zh} (school standard {standard:g}); see "
                        "\"The 差异系数 and the 优质均衡 school rule\".",
                counted=f"{level.capitalize()} parts of compulsory schools (combined schools split 1 : 1.1 "
                        "(: 1.32) per pupil); special-education schools and teaching points (教学点) under 50 "
                        "pupils excluded.",
                source=BALANCE_2017,
            )
    return out


DEFINITIONS: dict[str, Definition] = {
    "new_public_seats_preschool": Definition(
        "New public kindergarten places created since 1 January, cumulative to the period (不含购买学位).",
        "Input (indicators table); purchased places excluded. A cumulative flow: in-year values are forecast "
        "to year-end.", PLAN + " 第6条"),
    "new_public_seats_compulsory": Definition(
        "New public compulsory-education places created since 1 January, cumulative to the period.",
        "Input (indicators table). A cumulative flow: in-year values are forecast to year-end.",
        PLAN + " 第6条"),
    "new_public_seats_senior": Definition(
        "New public senior-high places created since 1 January, cumulative to the period.",
        "Input (indicators table). A cumulative flow: in-year values are forecast to year-end.",
        PLAN + " 第6条"),
    "preschool_public_share": Definition(
        "Σ children in public kindergartens ÷ Σ children in all kindergartens.",
        "Schools of level kindergarten (attached classes of primary schools have no separate enrollment in "
        "the census); public = ownership public.",
        "中发〔2018〕39号 (“5080”: 公办 ≥ 50 %)", "wilson"),
    "preschool_inclusive_share": Definition(
        "Σ children in public and inclusive private (普惠性民办) kindergartens ÷ Σ children in all "
        "kindergartens.", "Schools of level kindergarten.", "中发〔2018〕39号 (“5080”: 普惠 ≥ 80 %)", "wilson"),
    "purchased_seats": Definition(
        "Preschool places the government buys in private kindergartens (购买学位), year total.",
        "Input (indicators table), annual.", PLAN + " 第7条"),
    "purchased_seats_change": Definition(
        "(purchased_seats(y) − purchased_seats(y−1)) ÷ purchased_seats(y−1): a relative change "
        "(−0.05 = 5 % fewer).", "Annual values of both years; no value when last year's count is 0.",
        PLAN + " 第7条"),
    "attached_classes_standardised_share": Definition(
        "Attached kindergarten classes (附设幼儿班) standardised ÷ all attached classes.",
        "Input (indicators table); a share of classes (institutions), no interval.", PLAN + " 第7条"),
    "kindergarten_teacher_certified_share": Definition(
        "Kindergarten teachers holding a teaching certificate ÷ kindergarten teachers whose certificate "
        "status is known; the target is a rise against the previous year.",
        "Teacher roster, teachers of kindergarten-level schools; a missing flag is left out, not read as no.",
        PLAN + " 第7条", "wilson"),
    "compulsory_dropout_rate": Definition(
        "Σ dropouts during the year ÷ Σ compulsory-education enrollment (辍学率).",
        "Primary, junior and nine-year schools whole; complete-secondary and twelve-year schools only their "
        "compulsory pupils (their dropouts apportioned pro rata to enrollment); kindergartens, special-"
        "education and vocational schools excluded.", "教育统计口径: 辍学率 = 年内辍学人数 ÷ 学年初在校生数",
        "wilson"),
    "migrant_public_share": Definition(
        "Σ migrant children (随迁子女) in public compulsory schools ÷ Σ migrant children in all compulsory "
        "schools.", "Compulsory-level schools; government-purchased places in private schools are not in the "
        "census (a county that has them gives the figure in the indicators table).", BALANCE_2017, "wilson"),
    "junior_cohort_entrants": Definition(
        "Pupils who entered grade 7 three years earlier (the cohort's start).", "Input (indicators table).",
        BALANCE_2017),
    "junior_cohort_completers": Definition(
        "Pupils of that cohort in the final junior grade.", "Input (indicators table).", BALANCE_2017),
    "junior_retention_rate": Definition(
        "junior_cohort_completers ÷ junior_cohort_entrants (初中三年巩固率).",
        "Net in-migration can push it above 1: the value is kept, without an interval.", BALANCE_2017,
        "wilson"),
    "balance_schools_passing_share": Definition(
        "Schools passing the 优质均衡 school rule (6 of 7 indicators at standard, the 7th ≥ 85 % of it) ÷ "
        "schools that can be judged.", "School parts in the 优质均衡 scope; a school with any of the 7 values "
        "missing is not judged. A share of institutions: no interval.", BALANCE_2017),
    "schools_over_class_size_count": Definition(
        "Number of schools whose average class (students ÷ classes) exceeds the limit: primary 45, junior "
        "and combined schools 50 (limits inclusive).",
        "Compulsory schools; the census gives an average, not every class (an optional classes_over_limit "
        "column gives the exact check where supplied).", BALANCE_2017),
    "schools_over_size_count": Definition(
        "Number of schools above the size limit: primary or junior 2000 pupils, nine-year and twelve-year "
        "2500 in their compulsory stage.",
        "Compulsory schools; a complete secondary or twelve-year school is judged on its compulsory "
        "enrollment (义务教育阶段规模).", BALANCE_2017),
    "teacher_certificate_share": Definition(
        "Established full-time teachers (专任教师) holding a teaching certificate ÷ established full-time "
        "teachers whose certificate status is known (专任教师持证上岗率).",
        "Teacher roster, established teachers (在编, `is_established`) of compulsory schools (primary and "
        "junior schools and the compulsory part of combined schools); temporary teachers (临聘), teachers "
        "whose establishment is not given and kindergarten, senior, vocational and special-school teachers "
        "excluded; without an `is_established` column, no value.", BALANCE_2017, "wilson"),
    **_balance_definitions(),
    "basic_balance_cv_primary": Definition(
        "Mean of the 8 enrollment-weighted 差异系数 of the 基本均衡 indicators (teaching area, sports area, "
        "equipment value, computers per 100, books, teachers, qualified teachers and senior-title teachers "
        "per pupil), primary parts.", "As the 优质均衡 scope; no value unless all 8 CVs exist.", BALANCE_2012),
    "basic_balance_cv_junior": Definition(
        "The same comprehensive CV over junior parts.", "As the 优质均衡 scope; no value unless all 8 exist.",
        BALANCE_2012),
    "disabled_children_school_age": Definition(
        "School-age disabled children and adolescents of the county.", "Input (indicators table).",
        BALANCE_2017),
    "disabled_children_enrolled": Definition(
        "Those of them enrolled in compulsory education (any form of placement).", "Input (indicators table).",
        BALANCE_2017),
    "disabled_enrollment_rate": Definition(
        "disabled_children_enrolled ÷ disabled_children_school_age.",
        "Denominator 0 → not_applicable; a numerator above the denominator is kept, without an interval.",
        BALANCE_2017, "wilson"),
    "resource_room_coverage": Definition(
        "Ordinary schools with ≥ 5 disabled pupils that have a resource room ÷ ordinary schools with ≥ 5 "
        "disabled pupils (5以上 includes 5).", "Every level except special-education schools; a school "
        "whose resource-room status is missing is left out of both counts. Counts schools: no interval.",
        PLAN + " 第10条"),
    "parent_school_zone": Definition(
        "1 when the county is a national model parent-school zone (全国规范化家长学校实验区), else 0; "
        "printed 是 / 否.", "Input (indicators table); the city target needs every county (全覆盖).",
        PLAN + " 第12条"),
    "fitness_good_rate": Definition(
        "(pupils graded 优秀 + 良好) ÷ pupils tested under the National Student Fitness Standard (优良率: "
        "total score ≥ 80.0).", "Primary, junior, senior-high and secondary-vocational schools; a school "
        "missing a grade count is left out.", FITNESS_STANDARD, "wilson"),
    "fitness_tested_share": Definition(
        "Pupils tested ÷ pupils enrolled.", "The same schools as fitness_good_rate.", FITNESS_STANDARD,
        "wilson"),
    "myopia_rate": Definition(
        "Myopic pupils ÷ pupils screened (总体近视率; screening definition: uncorrected distance vision < 5.0 "
        "and non-cycloplegic SE ≤ −0.50 D, age over 6).",
        "Pupils of primary level and above; kindergartens excluded from the rate and its change.",
        MYOPIA_PLAN, "wilson"),
    "myopia_rate_change": Definition(
        "myopia_rate(y) − myopia_rate(y−1), in percentage points as a fraction (−0.005 = down 0.5 points).",
        "As myopia_rate, both years.", MYOPIA_PLAN, "newcombe"),
    "arts_base_schools": Definition("All-subject arts-education base schools (全科美育基地学校).",
                                    "Input (indicators table), a count of schools (a stock).", PLAN + " 第14条"),
    "arts_pilot_towns": Definition("All-subject arts pilot towns (全科美育实验镇).",
                                   "Input, a count of towns (a stock).", PLAN + " 第14条"),
    "labor_feature_schools": Definition("City-level labour-education feature schools (劳动教育特色学校).",
                                        "Input, a count of schools (a stock).", PLAN + " 第15条"),
    "labor_demo_schools": Definition("City-level labour-education model schools (劳动教育示范学校).",
                                     "Input, a count of schools (a stock).", PLAN + " 第15条"),
    "ideology_pilot_counties": Definition("Pilot counties for ideology in courses (课程思政试点县).",
                                          "Input, a count of counties (a stock).", PLAN + " 第17条"),
    "education_groups_applied": Definition(
        "Education groups (教育集团、教育共同体) applying as provincial high-quality groups.",
        "Input, a count of groups.", PLAN + " 第19条"),
    "evaluation_pilots": Definition("Provincial education-evaluation reform pilot projects carried out.",
                                    "Input, a count of projects.", PLAN + " 第20条"),
    "famous_studios": Definition("City-level 'three famous' studios (名校长、名教师、名班主任工作室) selected.",
                                 "Input, a count of studios.", PLAN + " 第25条"),
    "backbone_trained": Definition(
        "Backbone teachers, principals and class teachers trained in the year, cumulative.",
        "Input; a cumulative flow (forecast to year-end from in-year values).", PLAN + " 第25条"),
    "teacher_rotation_rate": Definition(
        "Teachers rotated ÷ teachers eligible for rotation (交流轮岗).",
        "Teacher roster, teachers whose two flags are known.", BALANCE_2017, "wilson"),
    "backbone_share_of_rotated": Definition(
        "Backbone teachers among the rotated ÷ rotated teachers whose backbone flag is known.",
        "Teacher roster.", BALANCE_2017, "wilson"),
    "temporary_teacher_ratio": Definition(
        "T ÷ D: temporary teachers (临聘教师) T over D = established full-time teachers E + T (default) or E, "
        "per the setting TEMPORARY_RATIO_DENOMINATOR.", "Public primary and secondary schools (公办中小学).",
        PLAN + " 第27条", "wilson"),
    "temporary_teachers_count": Definition(
        "Temporary teachers; the target is its change against the previous year (只减不增: change ≤ 0).",
        "Public primary and secondary schools.", PLAN + " 第27条; 广东省教育厅“临聘教师数量只减不增”"),
    "established_teachers_count": Definition(
        "Full-time teachers in established posts (在编专任教师).", "Public primary and secondary schools.",
        PLAN + " 第27条"),
    "temporary_teacher_excess_cut": Definition(
        "Temporary teachers cut in the year, T(y−1) − T(y), judged against 20 % of the excess above the 5 % "
        "line; see \"Item 27\".", "Only where last year's ratio exceeded 5 % (超过 = strictly above); "
        "otherwise not_applicable.", PLAN + " 第27条"),
    "pupil_teacher_ratio_primary": Definition(
        "Σ students ÷ Σ full-time teachers (专任教师), primary stage.", "Combined schools split by per-level "
        "enrollment. Context only: never compared with the staff norms.", GUANGDONG_2021),
    "pupil_teacher_ratio_junior": Definition(
        "Σ students ÷ Σ full-time teachers, junior stage.", "As the primary ratio.", GUANGDONG_2021),
    "pupil_teacher_ratio_senior": Definition(
        "Σ students ÷ Σ full-time teachers, senior stage.", "As the primary ratio.", GUANGDONG_2021),
    "students_per_staff_primary": Definition(
        "Σ students ÷ Σ all staff (教职工), primary stage; compared with the norm 19.",
        "Only when the census has staff.", STAFF_NORMS),
    "students_per_staff_junior": Definition(
        "Σ students ÷ Σ all staff, junior stage; norm 13.5.", "Only when the census has staff.", STAFF_NORMS),
    "students_per_staff_senior": Definition(
        "Σ students ÷ Σ all staff, senior stage; norm 12.5.", "Only when the census has staff.", STAFF_NORMS),
    "qualified_teacher_share_primary": Definition(
        "Full-time teachers above the required qualification (大专+) ÷ full-time teachers, primary stage.",
        "Combined schools split by enrollment.", BALANCE_2017 + "; " + GUANGDONG_2021, "wilson"),
    "qualified_teacher_share_junior": Definition(
        "Full-time teachers above the required qualification (本科+) ÷ full-time teachers, junior stage.",
        "Combined schools split by enrollment.", BALANCE_2017 + "; " + GUANGDONG_2021, "wilson"),
    "backbone_teachers_per_100_pupils": Definition(
        "100 × Σ county-level-or-above backbone teachers ÷ Σ students.", "Primary and secondary schools.",
        BALANCE_2017),
    "pe_arts_teachers_per_100_pupils": Definition(
        "100 × Σ PE and arts full-time teachers ÷ Σ students.", "Primary and secondary schools.", BALANCE_2017),
    "older_teacher_share": Definition(
        "Teachers aged 50 or over (census year − birth year) ÷ teachers with a known age.",
        "Teacher roster; a descriptive cut-off (setting OLDER_TEACHER_AGE_YEARS), not a norm.",
        "qyanalysis (descriptive)", "wilson"),
    "support_teachers_received": Definition(
        "Principals and teachers received on support placements (接收支教).", "Input (indicators table).",
        PLAN + " 第29条"),
    "support_teachers_sent": Definition(
        "Principals and teachers sent on shadowing placements (派出跟岗).", "Input (indicators table).",
        PLAN + " 第29条"),
    "teacher_avg_pay_yuan": Definition("Average annual pay of primary and secondary teachers (yuan).",
                                       "Input (indicators table).", "《义务教育法》《教师法》"),
    "civil_servant_avg_pay_yuan": Definition("Average annual pay of local civil servants (yuan).",
                                             "Input (indicators table).", "《义务教育法》《教师法》"),
    "teacher_salary_ratio": Definition(
        "teacher_avg_pay_yuan ÷ civil_servant_avg_pay_yuan; ≥ 1 means not lower (不低于).",
        "Averages, not counts: no interval.", "《义务教育法》第三十一条; 《教师法》"),
    "key_tasks_completed": Definition(
        "Key tasks (重点工作) of the year with status completed.",
        "Tasks table (is_key_task); the city row counts every task. Before December the tasks table decides "
        "on_track / at_risk (completed, not yet due, overdue).", PLAN + " 第34条"),
    "per_student_funding_yuan": Definition("Actual per-student public funding (生均公用经费), yuan per year.",
                                           "Input (indicators table).", PLAN + " 第35条"),
    "per_student_funding_standard_yuan": Definition(
        "The provincial per-student standard (省定标准), yuan per year; a county without its own row uses the "
        "city row.", "Input: the figure was not confirmed from a public document, so it is never built in.",
        PLAN + " 第35条"),
    "per_student_funding_ratio": Definition(
        "per_student_funding_yuan ÷ per_student_funding_standard_yuan.", "Inputs; no interval.",
        PLAN + " 第35条"),
    "special_education_funding_per_student_yuan": Definition(
        "Per-student public funding of special-education schools, yuan per year.", "Input (indicators table).",
        BALANCE_2017),
    "school_layout_planned": Definition(
        "The county's school layout is planned and reasonable (学校布局合理), 1 = 是, 0 = 否.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "unified_urban_rural_standards": Definition(
        "One construction, staffing, per-student funding and equipment standard for urban and rural schools (城乡统一), 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "small_school_funding_floor": Definition(
        "Village schools and teaching points under 100 pupils are funded as if they had 100 (不足100名学生的村小学和教学点按100名学生核定公用经费), 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "performance_pay_fully_approved": Definition(
        "Teachers' performance pay (绩效工资) approved in full, 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "establishment_allocated_by_county": Definition(
        "The county bureau allocates teacher posts across schools within the approved establishment (县级教育行政部门在核定的编制总额内统筹分配各校教职工编制), 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "left_behind_care_system": Definition(
        "A care system for left-behind children (留守儿童关爱体系) is in place, 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "school_charter_and_ict_management": Definition(
        "Every school has a charter (学校章程) and ICT-based management and teaching, 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "teacher_training_budget_5pct": Definition(
        "Every school spends at least 5 % of its annual public-funding budget on teacher training, 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "ict_use_good": Definition(
        "Teachers use ICT well and the equipment is well used, 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "moral_education_good": Definition(
        "Moral education and school culture good or better in every school, 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "curriculum_complete": Definition(
        "The national curriculum is taught in full, with practical activities, 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "homework_burden_reasonable": Definition(
        "No excessive homework burden (学生课业负担合理), 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "quality_monitoring_level_iii": Definition(
        "In the national compulsory-education quality monitoring, pupils reach level III or above in the subjects monitored, 1 = 是.", "Input (indicators table, 是/否): a yes/no fact of the county, no interval.", BALANCE_2017),
    "veto_exam_admission": Definition(
        "Enrollment by examination (以考试方式招生) happened: 1 = 是 (a veto, 一票否决).", "Input (indicators table, 是/否); 是 makes the county not ready whatever else it meets.",
        BALANCE_2017),
    "veto_irregular_school_choice": Definition(
        "Irregular school choice (违规择校) happened: 1 = 是 (a veto).", "Input (indicators table, 是/否); 是 makes the county not ready whatever else it meets.",
        BALANCE_2017),
    "veto_key_schools_classes": Definition(
        "Key schools or key classes (重点校、重点班) were designated: 1 = 是 (a veto).", "Input (indicators table, 是/否); 是 makes the county not ready whatever else it meets.",
        BALANCE_2017),
    "veto_major_safety_incident": Definition(
        "A major safety incident or serious violation happened: 1 = 是 (a veto; wording from public summaries).", "Input (indicators table, 是/否); 是 makes the county not ready whatever else it meets.",
        BALANCE_2017),
    "veto_data_falsified": Definition(
        "Data in the assessment were falsified: 1 = 是 (a veto; wording from public summaries).", "Input (indicators table, 是/否); 是 makes the county not ready whatever else it meets.",
        BALANCE_2017),
    "veto_unfilled_posts_or_temporary_teachers": Definition(
        "Vacant established teacher posts were left unfilled (有编不补) or non-established teachers (编外教师) "
        "were employed long-term: 1 = 是 (a veto; wording from public summaries). Whether posts go unfilled "
        "needs the county's approved establishment, which the census lacks, so the bureau answers it; the "
        "readiness page shows the census's temporary teachers (临聘教师) of public compulsory schools beside it.",
        "Input (indicators table, 是/否); 是 makes the county not ready whatever else it meets.", BALANCE_2017),
    "teacher_training_360h_completion": Definition(
        "Share of teachers who completed 360 training hours in 5 years (5年360学时培训完成率).",
        "Input (indicators table): an administrative share, no interval.", BALANCE_2017),
    "nearby_enrollment_primary_share": Definition(
        "Share of urban and town public primary pupils enrolled in their nearby school (就近入学比例).",
        "Input (indicators table): an administrative share, no interval.", BALANCE_2017),
    "nearby_enrollment_junior_share": Definition(
        "Share of urban and town public junior pupils enrolled in their nearby school.",
        "Input (indicators table): an administrative share, no interval.", BALANCE_2017),
    "quality_senior_places_allocated_share": Definition(
        "Share of quality senior-high enrollment places allocated to the county's junior schools (优质高中招生名额分配).",
        "Input (indicators table): an administrative share, no interval.", BALANCE_2017),
    "quality_monitoring_difference_rate": Definition(
        "Between-school difference rate (校际差异率) of the national compulsory-education quality monitoring.",
        "Input (indicators table), as the monitoring reports it.", BALANCE_2017),
    "schools_short_of_music_art_rooms_count": Definition(
        "Compulsory schools with fewer than one music room and one art room per 12 classes "
        "(每12个班级配备音乐、美术专用教室1间以上), counted from music_rooms, art_rooms and classes.",
        "Schools of the compulsory levels reporting the three columns; a count of schools, no interval.",
        BALANCE_2017),
    "survey_satisfaction_rate": Definition(
        "Satisfied respondents ÷ respondents of the survey table, pooled over the respondent groups as "
        "settings.SURVEY_POOLING says (default: Σ satisfied ÷ Σ respondents).",
        "Survey respondents (government departments, schools, teachers, pupils, parents, the public); "
        "a sample, so a Wilson 95 % interval.", BALANCE_2017, "wilson"),
}


def definition(code: str) -> Definition:
    """How indicator ``code`` is defined: :data:`DEFINITIONS` where it has the code, else its catalogue entry.

    A catalogue entry gives ``formula``, ``counted`` and ``source``; its interval
    follows its ``interval`` flag (Wilson for a rate, Newcombe for a change in points).

    Raises:
        KeyError: ``code`` is not in the catalogue.
        ValueError: Neither this file nor the entry defines it (the entry has no formula).
    """
    if code in DEFINITIONS:
        return DEFINITIONS[code]
    entry = CATALOGUE[code]
    if not entry.formula.strip():
        raise ValueError(f"indicator {code!r} has no definition: give its catalogue entry a formula, "
                         "counted and source")
    return Definition(entry.formula, entry.counted, entry.source, entry.interval_method)
