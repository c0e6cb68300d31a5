"""The structure of the plan: 7 sections, 37 items, and the notebook of each section.

Source: 清远市2022年教育工作要点 (Qingyuan Municipal Education Bureau,
2022-03-28), shipped as ``qyanalysis/targets/plan.zh.txt``.
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
# Notebooks rendered for every county, in page order.
COUNTY_NOTEBOOKS: tuple[str, ...] = (OVERVIEW_NOTEBOOK, *(s.notebook for s in SECTIONS))
ITEMS: tuple[int, ...] = tuple(range(1, 38))


def section_of_item(item: int) -> Section:
    """The section that contains plan item ``item`` (1–37)."""
    for section in SECTIONS:
        if item in section.items:
            return section
    raise ValueError(f"plan item {item} does not exist (1–37)")
