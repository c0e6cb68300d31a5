"""Every input column, declared once.

This module is the single source of truth for the data contract
(docs/data-dictionary.md). Validation (``qyanalysis.io``), the Excel/CSV templates and
the data documentation (``docs/data-dictionary.md``) are all derived from the
declarations below; nothing else in the package lists input columns by hand.

Kinds (``Column.kind``):

* ``id``      free identifier string (school_id, teacher_id), never empty.
* ``text``    free text (school_name, source).
* ``county``  a county given as code, full name, short name or English name;
              normalised to ``county_code`` by the reader.
* ``category`` one of ``Column.allowed``.
* ``year``    a whole calendar year between ``YEAR_MIN`` and ``YEAR_MAX``.
* ``period``  empty (annual), ``YYYY-MM`` or ``YYYY-Qn``.
* ``count``   a non-negative whole number (persons, schools, rooms).
* ``amount``  a non-negative real number with a unit (m², 元).
* ``number``  any real number (used for indicator values; rates checked
              against the indicator catalogue).
* ``bool``    true/false, 1/0, 是/否, yes/no.

After loading, ``count``/``amount``/``number`` columns are ``float64`` (NaN is
a missing value, never a zero), ``year`` is ``int64``, ``bool`` is pandas'
nullable ``boolean``, everything else is ``str`` (missing = ``pd.NA``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the declarations are read by the batch runner's no-op path, which imports no pandas
    import pandas as pd

YEAR_MIN = 2000
YEAR_MAX = 2100

SCHOOL_LEVELS = (
    "kindergarten",
    "primary",
    "junior",
    "nine_year",
    "senior",
    "complete_secondary",
    "twelve_year",
    "special",
    "vocational",
)
OWNERSHIPS = ("public", "private_inclusive", "private")
LOCATIONS = ("urban", "town", "rural")
GENDERS = ("female", "male")
# Highest completed education of a teacher (学历), lowest first.
QUALIFICATIONS = ("below_secondary", "secondary", "associate", "bachelor", "postgraduate")
TEACHER_SUBJECTS = (
    "chinese",
    "mathematics",
    "english",
    "science",
    "physics",
    "chemistry",
    "biology",
    "history",
    "geography",
    "politics",
    "pe",
    "music",
    "fine_arts",
    "it",
    "psychology",
    "labor",
    "preschool",
    "special_education",
    "vocational",
    "other",
)
# Respondent groups of the 社会认可度 survey (教督〔2017〕6号 names government departments, schools,
# teachers, pupils, parents and the public).
SURVEY_GROUPS = ("government", "principals", "teachers", "pupils", "parents", "public")
TASK_STATUSES = ("not_started", "in_progress", "completed", "delayed", "cancelled")


@dataclass(frozen=True)
class Column:
    """One input column of one table.

    Attributes:
        name: English snake_case name, used everywhere in the package.
        kind: One of the kinds listed in the module docstring.
        label_zh: The Chinese header used by the shipped templates.
        description: What the column holds, in English.
        unit: Unit of measurement ("persons", "m2", "yuan", "" for none).
        required: Whether the column must be present in the table.
        allowed: Allowed values for ``category`` columns.
        aliases: Further accepted headers (Chinese or English variants).
    """

    name: str
    kind: str
    label_zh: str
    description: str
    unit: str = ""
    required: bool = False
    allowed: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One input table of the data folder.

    Attributes:
        name: File stem / sheet name (English).
        label_zh: Chinese sheet name accepted in workbooks.
        required: Whether the data folder must contain it.
        description: One row per what.
        key: Columns whose combination must be unique.
        columns: The declared columns, in template order.
    """

    name: str
    label_zh: str
    required: bool
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        """Return the declared column called ``name`` (KeyError if unknown)."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name}.{name} is not a declared column")

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Names of the columns that must be present."""
        return tuple(c.name for c in self.columns if c.required)


def _count(name: str, label_zh: str, description: str, unit: str = "persons", **kw) -> Column:
    return Column(name, "count", label_zh, description, unit, **kw)


def _amount(name: str, label_zh: str, description: str, unit: str, **kw) -> Column:
    return Column(name, "amount", label_zh, description, unit, **kw)


COUNTY = Column(
    "county",
    "county",
    "县(市、区)",
    "County: 6-digit code (441802), full name (清城区), short name (清城) or English name; "
    "normalised to county_code.",
    required=True,
    aliases=("county_code", "县区", "县市区", "区县", "行政区划代码", "地区"),
)
YEAR = Column(
    "year", "year", "年度", "School/statistical year (the autumn census year).", "year",
    required=True, aliases=("年份", "学年"),
)

SCHOOLS = Table(
    "schools",
    "学校",
    True,
    "school × year (the annual school census, 基层报表)",
    ("school_id", "year"),
    (
        Column("school_id", "id", "学校标识码", "Stable school identifier.", required=True,
               aliases=("学校代码", "学校编号")),
        Column("school_name", "text", "学校名称", "School name (free text).", required=True),
        COUNTY,
        YEAR,
        Column("level", "category", "学段类型", "School type / level.", required=True,
               allowed=SCHOOL_LEVELS, aliases=("学校类型", "办学类型")),
        Column("ownership", "category", "办学性质", "public, private_inclusive (普惠性民办) or private.",
               required=True, allowed=OWNERSHIPS, aliases=("举办者类型",)),
        Column("location", "category", "城乡分类", "urban (城区), town (镇区) or rural (乡村).",
               allowed=LOCATIONS, aliases=("城乡",)),
        Column("is_teaching_point", "bool", "是否教学点",
               "True for a teaching point (教学点), excluded from 优质均衡 when under 50 pupils. "
               "Where not given, a school whose name contains 教学点 is a teaching point "
               "(validation says how many were inferred)."),
        _count("students", "在校生数", "Enrolled students (all levels of the school).", required=True,
               aliases=("在校学生数", "学生数")),
        _count("students_primary", "小学在校生数", "Primary enrollment of a combined school."),
        _count("students_junior", "初中在校生数", "Junior-secondary enrollment of a combined school."),
        _count("students_senior", "高中在校生数", "Senior-secondary enrollment of a combined school."),
        _count("classes", "班级数", "Number of classes.", unit="classes"),
        _count("classes_over_limit", "超标班额班级数",
               "Classes above the class-size limit (primary 45, junior 50 pupils): the exact check of "
               "every class; without it a school is judged on its average class (students ÷ classes).",
               unit="classes"),
        _count("teachers", "专任教师数", "Full-time teachers (专任教师), established posts."),
        _count("teachers_above_required_qualification", "高于规定学历教师数",
               "Teachers above the required qualification (primary: 大专+, junior: 本科+)."),
        _count("backbone_teachers", "县级以上骨干教师数", "County-level or higher backbone teachers."),
        _count("pe_arts_teachers", "体育艺术专任教师数", "Full-time PE, music and fine-arts teachers."),
        _count("temporary_teachers", "临聘教师数", "Temporary (non-established) teachers (临聘教师)."),
        _amount("teaching_area_m2", "教学及辅助用房面积", "Teaching and auxiliary floor area.", "m2"),
        _amount("sports_area_m2", "体育运动场馆面积", "Sports ground and hall area.", "m2"),
        _amount("equipment_value_yuan", "教学仪器设备值", "Value of teaching equipment.", "yuan"),
        _count("multimedia_rooms", "网络多媒体教室数", "Networked multimedia classrooms.", unit="rooms"),
        _count("music_rooms", "音乐专用教室数",
               "Music rooms (优质均衡: one or more per 12 classes, 教督〔2017〕6号).", unit="rooms"),
        _count("art_rooms", "美术专用教室数",
               "Fine-arts rooms (优质均衡: one or more per 12 classes, 教督〔2017〕6号).", unit="rooms"),
        _count("computers", "教学用计算机台数", "Computers for teaching (基本均衡).", unit="computers"),
        _count("library_books", "图书册数", "Library books (基本均衡).", unit="books"),
        _count("teachers_senior_title", "中级及以上职称教师数",
               "Teachers with an intermediate or higher professional title (基本均衡)."),
        _count("staff", "教职工数", "All staff (教职工), the base of the establishment norms."),
        _count("migrant_students", "随迁子女在校生数", "Children of migrant workers enrolled (随迁子女)."),
        _count("disabled_students", "残疾学生数", "Disabled pupils enrolled in the school (随班就读 included)."),
        Column("has_resource_room", "bool", "是否建有资源教室", "Whether the school has a resource room (资源教室)."),
        _count("dropouts", "辍学人数", "Pupils who dropped out during the school year."),
        _count("fitness_tested", "体质测试人数", "Pupils tested under the National Student Fitness Standard."),
        _count("fitness_excellent", "体质测试优秀人数", "Tested pupils graded 优秀 (>= 90.0)."),
        _count("fitness_good", "体质测试良好人数", "Tested pupils graded 良好 (80.0–89.9)."),
        _count("myopia_screened", "视力筛查人数", "Pupils screened for myopia (WS/T 663-2020)."),
        _count("myopia_cases", "近视人数", "Screened pupils found myopic."),
    ),
)

INDICATORS = Table(
    "indicators",
    "指标",
    True,
    "county × year × period × indicator (figures not derivable from the school census)",
    ("county", "year", "period", "indicator"),
    (
        COUNTY,
        YEAR,
        Column("period", "period", "统计期", "Empty = annual; YYYY-MM (cumulative to that month) or YYYY-Qn.",
               aliases=("期间", "月份")),
        Column("indicator", "category", "指标代码",
               "An indicator code of the catalogue (qyanalysis.contract.indicators).", required=True,
               aliases=("指标",)),
        Column("value", "number", "数值",
               "The value; rates as fractions (0.85), '85%' strings accepted.", required=True,
               aliases=("值",)),
        Column("source", "text", "来源", "Where the figure comes from."),
    ),
)

TEACHERS = Table(
    "teachers",
    "教师",
    False,
    "teacher × year (pseudonymous roster; no names)",
    ("teacher_id", "year"),
    (
        Column("teacher_id", "id", "教师编码", "Pseudonymous teacher id (never an ID-card number or name).",
               required=True),
        Column("school_id", "id", "学校标识码", "The school of the teacher that year.", required=True),
        COUNTY,
        YEAR,
        Column("birth_year", "year", "出生年份", "Year of birth (age = year − birth_year).", "year"),
        Column("gender", "category", "性别", "female or male.", allowed=GENDERS),
        Column("subject", "category", "任教学科", "Main subject taught.", allowed=TEACHER_SUBJECTS),
        Column("qualification", "category", "最高学历", "Highest completed education.",
               allowed=QUALIFICATIONS),
        Column("is_established", "bool", "是否在编", "Holds an established post (在编) — else temporary (临聘)."),
        Column("is_backbone", "bool", "是否骨干教师", "County-level or higher backbone teacher."),
        Column("has_teaching_certificate", "bool", "是否持有教师资格证", "Holds a teaching certificate."),
        Column("is_rotation_eligible", "bool", "是否应交流", "Eligible for rotation (交流轮岗) this year."),
        Column("rotated", "bool", "是否交流轮岗", "Rotated to another school this year."),
    ),
)

TASKS = Table(
    "tasks",
    "任务",
    False,
    "plan task/milestone × county",
    ("task_id", "county"),
    (
        Column("task_id", "id", "任务编号", "Task or milestone identifier.", required=True),
        Column("item", "count", "要点条目", "Plan item number 1–37.", unit="item", required=True),
        COUNTY,
        YEAR,
        Column("title_zh", "text", "任务名称", "What is to be done (Chinese).", required=True),
        Column("title_en", "text", "任务名称(英文)", "What is to be done (English)."),
        Column("is_key_task", "bool", "是否重点工作", "One of the year's key tasks (重点工作, item 34)."),
        Column("due", "period", "完成时限", "Due month, YYYY-MM."),
        Column("status", "category", "进展状态", "Progress of the task.", required=True,
               allowed=TASK_STATUSES),
        Column("evidence", "text", "佐证材料", "Short description of the evidence."),
    ),
)

TARGETS_OVERRIDE = Table(
    "targets_override",
    "目标调整",
    False,
    "county-specific quota or changed threshold",
    ("target_id", "county"),
    (
        Column("target_id", "id", "目标编号", "target_id of the registry.", required=True),
        COUNTY,
        Column("threshold", "number", "目标值",
               "The county's threshold (same unit as the registry); required unless applies is false."),
        Column("comparator", "category", "比较方式", "Replaces the registry comparator when given.",
               allowed=(">=", "<=", ">", "<", "==")),
        Column("source", "text", "依据", "The document behind the quota (e.g. the 2022 责任书)."),
        Column("applies", "bool", "是否适用",
               "false (否) when the target does not bind this county (e.g. a county the province did not "
               "sample for the fitness test); its row is then not_applicable. Empty or true: it applies."),
    ),
)

SURVEY = Table(
    "survey",
    "满意度调查",
    False,
    "county × year × respondent group (the 社会认可度 survey of 优质均衡, 教督〔2017〕6号)",
    ("county", "year", "respondent_group"),
    (
        COUNTY,
        YEAR,
        Column("respondent_group", "category", "调查对象",
               "Who answered: government departments, school principals, teachers, pupils, parents or "
               "the public (people's congress deputies, CPPCC members and others).", required=True,
               allowed=SURVEY_GROUPS, aliases=("对象", "群体")),
        _count("respondents", "有效问卷数", "Valid questionnaires of the group.", required=True,
               aliases=("样本量", "调查人数")),
        _count("satisfied", "满意人数", "Respondents satisfied (满意 or 比较满意).", required=True,
               aliases=("认可人数",)),
        Column("source", "text", "来源", "Who ran the survey and when."),
    ),
)

COUNTIES = Table(
    "counties",
    "县区",
    False,
    "county (replaces the built-in Qingyuan registry)",
    ("county_code",),
    (
        Column("county_code", "id", "行政区划代码", "6-digit administrative division code.", required=True),
        Column("name_zh", "text", "名称", "Full Chinese name.", required=True),
        Column("name_en", "text", "英文名称", "English name.", required=True),
        Column("short_zh", "text", "简称", "Short Chinese name."),
        Column("kind", "text", "类型", "district, county, county_level_city, city, …"),
        _count("population_2020_census", "七普常住人口", "Resident population, 2020 census."),
        Column("aliases", "text", "别名", "Further names, separated by ';'."),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (SCHOOLS, INDICATORS, TEACHERS, TASKS, TARGETS_OVERRIDE, SURVEY, COUNTIES)
}

# Levels whose pupils are in compulsory education (义务教育).
COMPULSORY_LEVELS = ("primary", "junior", "nine_year", "complete_secondary", "twelve_year")

# A school whose name contains this word is a teaching point (教学点) where the census does not
# say (no ``is_teaching_point`` column, or an empty cell): validation reports how many were inferred.
TEACHING_POINT_NAME_MARK = "教学点"


def teaching_point_flags(schools: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Which schools are teaching points (教学点), and for which the name decided it.

    The ``is_teaching_point`` flag where given; where it is absent (no column)
    or empty, a school whose ``school_name`` contains
    :data:`TEACHING_POINT_NAME_MARK` (教学点) is a teaching point. Used by the
    优质均衡 scope (teaching points under 50 pupils are left out, 教督〔2017〕6号)
    and by validation's notice.

    Args:
        schools: The schools table (``school_name`` and optionally
            ``is_teaching_point``).

    Returns:
        ``(is_point, inferred)``: two bool Series on ``schools.index``;
        ``inferred`` is true where the name, not the flag, made the school a
        teaching point.
    """
    import pandas as pd

    if "is_teaching_point" in schools.columns:
        given = schools["is_teaching_point"].astype("boolean")
    else:
        given = pd.Series(pd.NA, index=schools.index, dtype="boolean")
    names = (schools["school_name"].astype("string") if "school_name" in schools.columns
             else pd.Series(pd.NA, index=schools.index, dtype="string"))
    named = names.str.contains(TEACHING_POINT_NAME_MARK, regex=False).fillna(False).astype(bool)
    inferred = given.isna().to_numpy() & named.to_numpy()
    is_point = given.fillna(False).to_numpy(dtype=bool) | inferred
    return pd.Series(is_point, index=schools.index), pd.Series(inferred, index=schools.index)


# Header words that reveal personal data; such columns are refused (docs/data-dictionary.md).
PERSONAL_DATA_HEADERS = (
    "姓名", "名字", "身份证", "身份证号", "证件号", "电话", "手机", "联系方式", "住址", "家庭住址", "地址",
    "name_of_person", "person_name", "full_name", "first_name", "last_name", "surname", "teacher_name",
    "student_name", "id_card", "id_number", "national_id", "phone", "mobile", "telephone", "address",
    "email", "邮箱",
)
