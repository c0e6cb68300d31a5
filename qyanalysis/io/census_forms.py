"""The national school statistics forms (教育事业统计 基础教育学校(机构)统计报表): catalogue, codes, layouts.

Two generations of forms (表号): ``基础基NNN`` (国统制[2018]86号, school years up to
2020/21, census years <= 2020) and ``教基NNNN`` (from 2021/22, census years >= 2021).
Sources: the national per-school export of 2020/21 (基础基, its 目录 sheet), published
cell maps of importers of 2021/22 exports (教基) and the national code lists
(GB/T 33782-2017 办学类型, NBS 城乡划分代码, 举办者 codes); how sure each mapped cell
is stands in ``census_mapping.csv`` (column ``certainty``).

This module holds what the reader and the writer (``census_export``) share: the
form catalogue (every 表号 an export may carry), the code lists and the printed
layout (rows and columns) of every form the package reads. Which cell feeds which
field is data, in ``census_mapping.csv``, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GENERATIONS = ("2018", "2021")
PREFIX = {"2018": "基础基", "2021": "教基"}
FIRST_2021_YEAR = 2021  # census year (autumn) of the first 教基 school year, 2021/22

# Every 表号 of the per-school workbook (the 2020/21 目录 for 基础基; the 教基 numbers seen in
# exports and importers of 2021/22 onward, a partial list a bureau extends with --mapping).
CATALOGUE = {
    "2018": ("111 112 112续表1 211 212 213 214 311 312 313 314 315 331 332 333 341 411 412 413 4211 4212 "
             "422 423 424 425 431 4411 4412 442 511 512 513 521 522 531 532 911 912 991").split(),
    "2021": ("1001 1102 1102续 1102续表 1203 2105 2106 2107 2108 2109 3111 3112 3113 3115 3116 3118 3119 3120 "
             "3221 4067 4068 4148 4149 4150 4153 4155 4156 4157 4159 4251 4261 5170 5176 5377").split(),
}
FORM_NUMBER = re.compile(r"(基础基|教基)\s*(\d{3,4}(?:续表?\d?)?)")
OTHER_FORM_NUMBER = re.compile(r"表\s*号\s*[:：]?\s*([^\s单位]+)")
SCHOOL_YEAR = re.compile(r"(20\d\d)\s*[/／-]\s*(20\d\d)\s*学年")

# 办学类型 (GB/T 33782-2017 表4) → the contract's level; 218 is a teaching point (小学教学点).
LEVEL_OF_TYPE = {
    "111": "kindergarten", "119": "kindergarten", "211": "primary", "218": "primary", "219": "primary",
    "311": "junior", "319": "junior", "312": "nine_year", "341": "complete_secondary", "342": "senior",
    "349": "senior", "345": "twelve_year", "361": "vocational", "362": "vocational", "363": "vocational",
    "364": "vocational", "365": "vocational", "366": "vocational", "368": "vocational", "511": "special",
    "512": "special", "513": "special", "514": "special", "519": "special",
}
TEACHING_POINT_TYPES = ("218",)
TYPE_NAME = {
    "111": "幼儿园", "119": "附设幼儿班", "211": "小学", "218": "小学教学点", "219": "附设小学班",
    "311": "初级中学", "319": "附设普通初中班", "312": "九年一贯制学校", "341": "完全中学", "342": "高级中学",
    "349": "附设普通高中班", "345": "十二年一贯制学校", "365": "职业高中学校", "514": "其他特教学校",
}
# The code the writer gives each level (the commonest code of the level).
TYPE_OF_LEVEL = {"kindergarten": "111", "primary": "211", "junior": "311", "nine_year": "312",
                 "senior": "342", "complete_secondary": "341", "twelve_year": "345", "special": "514",
                 "vocational": "365"}
# 城乡分类代码 (NBS): 11x 城区, 12x 镇区, 2xx 乡村.
LOCATION_NAME = {"111": "主城区", "112": "城乡结合区", "121": "镇中心区", "122": "镇乡结合区",
                 "123": "特殊区域", "210": "乡中心区", "220": "村庄"}
CODE_OF_LOCATION = {"urban": "111", "town": "121", "rural": "220"}
# 举办者: 999 民办; 8xx local government bodies, enterprises, collectives; 1xx–7xx central bodies.
ORGANISER_NAME = {"831": "县级教育部门", "999": "民办"}
PRIVATE_ORGANISER = "999"

# Stages of a school by level; the forms of a stage (students, classes, teachers) repeat per stage.
STAGES = ("kindergarten", "primary", "junior", "senior", "special")
STAGES_OF_LEVEL = {
    "kindergarten": ("kindergarten",), "primary": ("primary",), "junior": ("junior",),
    "nine_year": ("primary", "junior"), "senior": ("senior",), "complete_secondary": ("junior", "senior"),
    "twelve_year": ("primary", "junior", "senior"), "special": ("special",), "vocational": (),
}
STAGE_ZH = {"kindergarten": "幼儿园", "primary": "小学", "junior": "初中", "senior": "高中", "special": "特殊教育",
            "school": "中学"}
# Qualification (学历) above which a teacher counts as above the required one, by stage: the
# lowest level that counts. Primary, kindergarten, special: 专科 and above; junior: 本科 and above;
# senior (本科 required): 研究生.
ABOVE_REQUIRED_FROM = {"kindergarten": "associate", "primary": "associate", "special": "associate",
                       "junior": "bachelor", "senior": "postgraduate"}
QUALIFICATION_ORDER = ("below_secondary", "secondary", "associate", "bachelor", "postgraduate")
# Class-size limits of the contract (classes_over_limit): primary 45, junior 50 pupils.
CLASS_LIMIT = {"primary": 45, "junior": 50}
BANDS = ((0, "25人及以下"), (26, "26-30人"), (31, "31-35人"), (36, "36-40人"), (41, "41-45人"),
         (46, "46-50人"), (51, "51-55人"), (56, "56-60人"), (61, "61-65人"), (66, "66人及以上"))


@dataclass(frozen=True)
class Form:
    """The printed layout of one form of one generation.

    Attributes:
        generation: "2018" or "2021".
        number: The 表号 without prefix ("312", "3112").
        title: The form's title.
        unit: The unit line (单位).
        groups: Merged group headers above the column labels: (first column number,
            last column number, text); empty for one header level.
        columns: Labels of columns 1…n.
        rows: (row code, label) of the data rows.
        stage: The stage the form belongs to, or "school".
    """

    generation: str
    number: str
    title: str
    unit: str
    groups: tuple[tuple[int, int, str], ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]
    stage: str = "school"

    @property
    def code(self) -> str:
        """The full 表号, e.g. 基础基312."""
        return PREFIX[self.generation] + self.number


def _codes(*labels: str, start: int = 1) -> tuple[tuple[str, str], ...]:
    return tuple((f"{i:02d}", label) for i, label in enumerate(labels, start=start))


GRADES_ZH = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级")
QUALS = {
    "2018": ("研究生毕业", "本科毕业", "专科毕业", "高中阶段毕业", "高中阶段毕业以下"),
    "2021": ("博士研究生", "硕士研究生", "本科", "专科", "高中阶段", "高中阶段以下"),
}
SUBJECTS = {
    "2018": ("品德与生活(社会)", "语文", "数学", "外语", "科学", "体育", "音乐", "美术", "信息技术", "其他"),
    "2021": ("道德与法治", "语文", "数学", "外语", "科学", "体育与健康", "音乐", "美术", "信息科技", "其他"),
}
TITLES = ("正高级", "副高级", "中级", "助理级", "员级", "未定职级")


def _students(gen: str, number: str, stage: str, grades: tuple[str, ...]) -> Form:
    """A students form: 毕业生数, 招生数, 在校生数, #女, one column per grade (2021 primary: 3112's order)."""
    if gen == "2021" and stage == "primary":
        cols = ("毕业生数", "招生数", "未接受过学前教育", "接受过一年", "接受过两年", "接受过三年", "在校生数",
                "#女", *grades, "预计毕业生数")
        groups = ((3, 6, "招生中接受学前教育"), (9, 8 + len(grades), "在校生中"))
        rows = _codes("总计", "#女", "#少数民族", "#复式班", "#寄宿生", "#随迁子女", "外省迁入", "本省外县迁入",
                      "#进城务工人员随迁子女", "外省迁入", "本省外县迁入", "#农村留守儿童")
    else:
        cols = ("毕业生数", "招生数", "在校生数", "#女", *grades, "预计毕业生数")
        groups = ((5, 4 + len(grades), "在校生中"),)
        rows = (_codes("总计", "#女", "#少数民族", "#复式班", "#寄宿生", "#随迁子女", "外省迁入", "本省外县迁入",
                       "#进城务工人员随迁子女") if gen == "2021"
                else _codes("总计", "#女", "#进城务工人员随迁子女"))
    title = f"{STAGE_ZH[stage]}学生数"
    return Form(gen, number, title, "单位：人", groups, cols, rows, stage)


def _classes(gen: str, number: str, stage: str, columns: tuple[str, ...]) -> Form:
    rows = (("01", "总计"), ("02", "其中：复式班"),
            *((f"{i:02d}", label) for i, (_, label) in enumerate(BANDS, start=3)))
    return Form(gen, number, f"{STAGE_ZH[stage]}班数、班额情况", "单位：个", (), columns, rows, stage)


def _qualification(gen: str, number: str, stage: str, blocks: tuple[str, ...], subjects: bool) -> Form:
    """Teachers by qualification (rows) and subject (columns); one row block per stage of ``blocks``."""
    rows: list[tuple[str, str]] = []
    for block, block_stage in enumerate(blocks):
        base = 10 * block
        rows.append((f"{base + 1:02d}", f"{STAGE_ZH[block_stage]}专任教师合计"))
        rows += [(f"{base + 2 + i:02d}", q) for i, q in enumerate(QUALS[gen])]
    cols = ("合计", *SUBJECTS[gen]) if subjects else ("合计",)
    groups = ((2, len(cols), "按授课课程分"),) if subjects else ()
    return Form(gen, number, f"{'、'.join(STAGE_ZH[s] for s in blocks)}专任教师分课程、分学历", "单位：人",
                groups, cols, tuple(rows), stage)


def _basic(gen: str, number: str) -> Form:
    rows = _codes("学校标识码", "学校名称", "学校驻地地域码", "所在县(市、区)", "所在地城乡类型", "办学类型",
                  "举办者", "是否普惠性民办", "是否计校数")
    return Form(gen, number, "基础教育学校(机构)基本情况", "", ((1, 2, "填报内容"),), ("名称", "代码"), rows)


def _staff(gen: str, number: str, stage: str) -> Form:
    cols = ("教职工数", "专任教师", "行政人员", "教辅人员", "工勤人员", "其他")
    cols += ("代课教师", "兼任教师") if gen == "2018" else ("校外教师", "银龄教师")
    return Form(gen, number, "教职工数", "单位：人", ((1, 6, "教职工"),), cols, _codes("总计", "#女"), stage)


def _titles(gen: str, number: str) -> Form:
    return Form(gen, number, "专任教师分专业技术职务", "单位：人", (), ("合计",), _codes("合计", *TITLES))


def _buildings(gen: str, number: str) -> Form:
    if gen == "2018":
        rows = _codes("总计", "#危房", "#当年新增校舍", "教学及辅助用房", "教室", "实验室", "图书室", "微机室",
                      "语音室", "体育馆", "行政办公用房", "生活用房")
    else:
        rows = _codes("总计", "#危房", "#当年新增校舍", "#租借", "教学及辅助用房", "教室", "专用教室",
                      "理化生实验室", "其他", "公共教学用房", "图书阅览室", "室内体育用房", "心理辅导室",
                      "其他", "行政办公用房", "生活用房")
    return Form(gen, number, "校舍情况", "单位：平方米", ((2, 5, "按建筑结构分"),),
                ("合计", "钢筋混凝土结构", "砖混结构", "砖木结构", "其他结构", "租借"), rows)


def _land(gen: str, number: str) -> Form:
    if gen == "2018":  # one data row, one column per item (the 522 layout)
        cols = ("占地面积", "#绿化用地面积", "#运动场地面积", "图书(册)", "计算机(台)", "#教学用计算机",
                "普通教室中网络多媒体教室(间)", "专用教室中网络多媒体教室(间)", "固定资产总值(万元)",
                "#教学仪器设备资产值(万元)")
        return Form(gen, number, "占地面积及其他办学条件", "单位：平方米、册、台、间、万元",
                    ((7, 8, "网络多媒体教室"), (9, 10, "资产")), cols, (("01", "总计"),))
    rows = _codes("占地面积(平方米)", "#绿化用地面积", "#运动场地面积", "校舍建筑面积", "#租借",
                  "#危房", "绿化面积", "图书(册)", "#当年新增", "数字资源量(GB)", "电子图书(册)",
                  "教学用终端(台)", "网络多媒体教室(间)", "固定资产总值(万元)", "教学仪器设备资产值(万元)")
    return Form(gen, number, "占地面积及其他办学条件", "", (), ("数量",), rows)


def _backbone(gen: str, number: str) -> Form:
    labels = ("县级及以上骨干教师(幼儿园)", "县级及以上骨干教师(小学)", "县级及以上骨干教师(初中)",
              "县级及以上骨干教师(高中)", "县级及以上骨干教师(特殊教育)")
    start = 25 if gen == "2018" else 7  # 2018: rows 26-28 are 小学/初中/高中; 2021: 1102 rows 8-10
    return Form(gen, number, "学校(机构)基本情况续表", "单位：人", (), ("人数",), _codes(*labels, start=start))


def _forms(gen: str) -> tuple[Form, ...]:
    g = GRADES_ZH
    if gen == "2018":
        return (
            _basic(gen, "111"), _backbone(gen, "112"),
            _classes(gen, "211", "kindergarten", ("合计",)), _classes(gen, "212", "primary", ("合计",)),
            _classes(gen, "213", "school", ("合计", "初中", "高中")), _classes(gen, "214", "special", ("合计",)),
            _students(gen, "311", "kindergarten", ("小班", "中班", "大班")), _students(gen, "312", "primary", g[:6]),
            _students(gen, "313", "junior", g[:4]), _students(gen, "314", "senior", g[:3]),
            _students(gen, "315", "special", g),
            _staff(gen, "411", "kindergarten"), _staff(gen, "412", "school"), _staff(gen, "413", "special"),
            _qualification(gen, "4211", "kindergarten", ("kindergarten",), False),
            _titles(gen, "422"), _qualification(gen, "423", "primary", ("primary",), True),
            _qualification(gen, "424", "school", ("junior", "senior"), True),
            _qualification(gen, "425", "special", ("special",), True),
            _buildings(gen, "511"), _buildings(gen, "512"), _land(gen, "521"), _land(gen, "522"),
        )
    return (
        _basic(gen, "1001"), _backbone(gen, "1102"),
        _classes(gen, "2105", "kindergarten", ("合计",)), _classes(gen, "2106", "primary", ("合计",)),
        _classes(gen, "2107", "junior", ("合计",)), _classes(gen, "2108", "senior", ("合计",)),
        _classes(gen, "2109", "special", ("合计",)),
        _students(gen, "3111", "kindergarten", ("小班", "中班", "大班")), _students(gen, "3112", "primary", g[:6]),
        _students(gen, "3115", "junior", g[:4]), _students(gen, "3118", "senior", g[:3]),
        _students(gen, "3120", "special", g),
        _staff(gen, "4148", "kindergarten"), _staff(gen, "4149", "school"), _staff(gen, "4150", "special"),
        _titles(gen, "4153"), _qualification(gen, "4159", "kindergarten", ("kindergarten",), False),
        _qualification(gen, "4155", "primary", ("primary",), True),
        _qualification(gen, "4156", "school", ("junior", "senior"), True),
        _qualification(gen, "4157", "special", ("special",), True),
        _buildings(gen, "5170"), _land(gen, "5176"),
    )


LAYOUTS: dict[str, dict[str, Form]] = {gen: {f.number: f for f in _forms(gen)} for gen in GENERATIONS}


def generation_of_year(year: int) -> str:
    """The form generation a census year uses: 2018 (基础基) up to 2020, 2021 (教基) from 2021."""
    return "2021" if year >= FIRST_2021_YEAR else "2018"


def split_form_number(text: str) -> tuple[str, str] | None:
    """("2018", "312") for a text naming 基础基312 (sheet name, title cell), else None."""
    match = FORM_NUMBER.search(text.replace(" ", "").replace("\u3000", ""))
    if not match:
        return None
    return ("2018" if match.group(1) == "基础基" else "2021"), match.group(2)
