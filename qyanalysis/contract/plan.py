"""The structure of the plan: 7 sections, 37 items, and the notebook of each section.

Source: 清远市2022年教育工作要点 (Qingyuan Municipal Education Bureau,
2022-03-28), shipped as ``qyanalysis/verdicts/targets/plan.zh.txt``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One of the plan's seven sections.

    Attributes:
        number: 1–7.
        numeral_zh: 一 … 七.
        title_zh: The section heading in the plan.
        title_en: English translation.
        items: The item numbers it contains.
        notebook: Stem of its notebook in ``notebooks/`` and of its HTML page.
    """

    number: int
    numeral_zh: str
    title_zh: str
    title_en: str
    items: tuple[int, ...]
    notebook: str


SECTIONS: tuple[Section, ...] = (
    Section(1, "一", "加强党对教育工作的全面领导", "Strengthening the Party's overall leadership of education",
            tuple(range(1, 5)), "01_party_leadership"),
    Section(2, "二", "全力推进教育高质量发展", "High-quality development of education",
            tuple(range(5, 12)), "02_development"),
    Section(3, "三", "坚持落实立德树人", "Moral education and whole-person development",
            tuple(range(12, 18)), "03_moral_education"),
    Section(4, "四", "推进教育综合改革", "Comprehensive education reform",
            tuple(range(18, 24)), "04_reform"),
    Section(5, "五", "全面实施“新强师工程”", "The 'New Strong Teachers' programme",
            tuple(range(24, 31)), "05_teachers"),
    Section(6, "六", "完善治理体系,提升教育治理能力", "Governance of education",
            tuple(range(31, 34)), "06_governance"),
    Section(7, "七", "强化教育发展保障", "Safeguards for education development",
            tuple(range(34, 38)), "07_safeguards"),
)

OVERVIEW_NOTEBOOK = "00_overview"
CITY_NOTEBOOK = "city_comparison"
GETTING_STARTED_NOTEBOOK = "getting_started"
EXPLORE_NOTEBOOK = "explore"
# Tutorials for researchers in JupyterLab: not rendered by ``qyanalysis run`` (unless named by --notebook).
TUTORIAL_NOTEBOOKS: tuple[str, ...] = (GETTING_STARTED_NOTEBOOK, EXPLORE_NOTEBOOK)
# The 优质均衡 readiness page (item 8: the national assessment, gaps, costs, trajectory): with section 2's pages.
READINESS_NOTEBOOK = "08_balance_readiness"
# Pages that follow a section's own page, by section number.
SECTION_PAGES: dict[int, tuple[str, ...]] = {2: (READINESS_NOTEBOOK,)}
# Notebooks rendered for every county, in page order.
COUNTY_NOTEBOOKS: tuple[str, ...] = (
    OVERVIEW_NOTEBOOK, *(stem for s in SECTIONS for stem in (s.notebook, *SECTION_PAGES.get(s.number, ()))))
# Notebooks rendered for the city, in page order (a county notebook listed here renders for the city too).
CITY_NOTEBOOKS: tuple[str, ...] = (CITY_NOTEBOOK, READINESS_NOTEBOOK)
ITEMS: tuple[int, ...] = tuple(range(1, 38))


def section_of_item(item: int) -> Section:
    """The section that contains plan item ``item`` (1–37)."""
    for section in SECTIONS:
        if item in section.items:
            return section
    raise ValueError(f"plan item {item} does not exist (1–37)")


# The heading of every item, as in the plan (zh) and translated (en).
ITEM_TITLES: dict[int, tuple[str, str]] = {
    1: ("坚定不移用习近平新时代中国特色社会主义思想铸魂育人", "Educating with Xi Jinping Thought"),
    2: ("持之以恒加强党的建设", "Strengthening Party building"),
    3: ("坚决守好意识形态安全“南大门”", "Guarding ideological security"),
    4: ("坚持不懈全面从严治党", "Strict Party self-governance"),
    5: ("落实《广东省推动基础教育高质量发展行动方案》", "Implementing Guangdong's basic-education action plan"),
    6: ("加大基础教育学位供给", "More public school places"),
    7: ("推动学前教育普惠优质发展", "Inclusive, high-quality preschool education"),
    8: ("推动义务教育优质均衡发展", "High-quality, balanced compulsory education"),
    9: ("推动高中教育优质多样特色发展", "Diverse, high-quality senior high schools"),
    10: ("推动特殊教育拓展融合发展", "Inclusive special education"),
    11: ("推进职业教育扩容提质强服务", "Expanding and improving vocational education"),
    12: ("持续深入推进未成年人思想道德建设工作", "Moral education of minors"),
    13: ("持续加强体育和健康教育工作", "Physical and health education"),
    14: ("持续加强美育工作", "Arts education"),
    15: ("加强学生劳动教育和研学实践工作", "Labour education and study tours"),
    16: ("进一步加强心理健康教育", "Mental-health education"),
    17: ("统筹推进大中小学思政课一体化建设", "Integrated ideological and political courses"),
    18: ("持续打好“双减”攻坚落实战", "The 'double reduction' policy"),
    19: ("大力推进集团化办学", "School groups"),
    20: ("深入推进教育评价改革", "Education evaluation reform"),
    21: ("稳妥推进招生制度改革", "Admissions reform"),
    22: ("加强教育信息化资源建设与应用", "Digital education resources"),
    23: ("加强语言文字工作", "Language and script work"),
    24: ("加大师德师风建设力度", "Teachers' professional ethics"),
    25: ("加强校长队伍和骨干教师队伍建设", "Principals and backbone teachers"),
    26: ("全面推进“县管校聘”管理改革", "County-managed, school-hired teacher reform"),
    27: ("完善临聘教师管理制度", "Managing temporary teachers"),
    28: ("加强教研队伍培养", "Teaching-research staff"),
    29: ("推进全口径全方位融入式结对帮扶工作", "Paired support with Guangzhou"),
    30: ("落实教师待遇保障", "Teachers' pay"),
    31: ("加强民办学校规范管理", "Regulating private schools"),
    32: ("全面推进依法治教", "Rule of law in education"),
    33: ("强化督导评估", "Inspection and evaluation"),
    34: ("全面推进规划落实落地", "Delivering the 14th Five-Year education plan"),
    35: ("切实保障教育经费投入", "Education funding"),
    36: ("全力维护校园安全稳定", "Campus safety"),
    37: ("扎实做好学校后勤保障工作", "School logistics and canteens"),
}


def item_title(item: int, lang: str = "zh") -> str:
    """The heading of plan item ``item`` in ``lang`` ("zh" or "en")."""
    zh, en = ITEM_TITLES[item]
    return en if lang == "en" else zh
