"""The sources the catalogue and the target registry cite, in English.

A catalogue entry's ``source`` and a registry row's ``source`` name their documents in Chinese, as they
are published (``清远市2022年教育工作要点 第8条``, ``教育部《…》(教督〔2017〕6号): …``); the Chinese
methods page shows them as written. :func:`source_en` gives the English citation, derived from the
Chinese one in one place rather than kept beside each row: the plan's item (``第8条`` → "item 8"), each
document by its English title with its document number, and the few clauses the sources quote from the
national standards. A document number (教督〔2017〕6号) stays as published: a reader looks the document
up by it. A part of a citation not known here (a target or indicator registered at run time with its
own wording) is left as written.
"""

from __future__ import annotations

import re

from qyanalysis.contract.indicators import BALANCE_2012, BALANCE_2017, FITNESS_STANDARD, GUANGDONG_2021, PLAN

PLAN_EN = "Qingyuan 2022 education work plan"
BALANCE_2017_EN = ("Ministry of Education, Measures for the Supervision and Assessment of High-Quality "
                   "Balanced Compulsory Education in Counties (教督〔2017〕6号)")
BALANCE_2012_EN = ("Ministry of Education, Measures for the Assessment and Recognition of Counties with "
                   "Basically Balanced Compulsory Education (教督〔2012〕3号)")
FITNESS_STANDARD_TITLE_EN = "National Student Physical Fitness Standard (2014 revision)"
MYOPIA_PLAN_EN = ("Implementation Plan for the Comprehensive Prevention and Control of Myopia in Children "
                  "and Adolescents (教体艺〔2018〕3号)")

# Chinese → English, longest first when applied (a clause before the title it contains).
PHRASES: dict[str, str] = {
    BALANCE_2017: BALANCE_2017_EN,
    BALANCE_2012: BALANCE_2012_EN,
    FITNESS_STANDARD: f"{FITNESS_STANDARD_TITLE_EN} (教体艺〔2014〕5号)",
    "《国家学生体质健康标准(2014年修订)》": FITNESS_STANDARD_TITLE_EN,
    "《综合防控儿童青少年近视实施方案》(教体艺〔2018〕3号)": MYOPIA_PLAN_EN,
    "筛查标准 WS/T 663-2020": "screening standard WS/T 663-2020",
    "中央编办发〔2014〕72号 (城乡统一的中小学教职工编制标准)":
        "中央编办发〔2014〕72号 (staffing norms for primary and secondary schools, the same in town and country)",
    GUANGDONG_2021: "Guangdong education statistics bulletin 2021 (reference only)",
    "健康中国行动(2019—2030年)": "Healthy China Action (2019–2030)",
    "《义务教育法》第三十一条": "Compulsory Education Law, article 31",
    "《义务教育法》《教师法》": "Compulsory Education Law; Teachers Law",
    "《教师法》": "Teachers Law",
    "教育统计口径: 辍学率 = 年内辍学人数 ÷ 学年初在校生数":
        "education statistics definition: dropout rate = dropouts during the year ÷ enrollment at the start "
        "of the school year",
    "广东省教育厅“临聘教师数量只减不增”":
        "Guangdong Department of Education: “the number of temporary teachers may fall, never rise”",
    "分母见方法说明“第27条”": "the denominator: see “Item 27” in these methods",
    "国家标准同为85%": "the national standard is also 85 %",
    "国家参考值": "national reference value",
    "(现有清新区、连山县2个试点县)": "(2 pilot counties so far: Qingxin District and Lianshan County)",
    "(省下达任务)": "(a task set by the province)",
    "(省定标准未见公开文件, 作为输入)": "(the provincial standard is not in a public document; an input)",
    "(“5080”: 公办 ≥ 50 %)": "(“5080”: public ≥ 50 %)",
    "(“5080”: 普惠 ≥ 80 %)": "(“5080”: public or inclusive ≥ 80 %)",
    ": 教师平均工资不低于当地公务员": ": average teacher pay not below local civil servants'",
    ": 校际差异系数小学≤0.50、初中≤0.45":
        ": coefficient of variation between schools ≤ 0.50 primary, ≤ 0.45 junior",
    ": 每所学校至少6项指标达标、余项不低于标准的85%":
        ": every school meets at least 6 of the indicators, the remaining one at least 85 % of its standard",
    ": 小学班额不超过45人、初中不超过50人": ": classes of at most 45 pupils in primary, 50 in junior schools",
    ": 小学、初中规模不超过2000人,九年一贯制、十二年一贯制不超过2500人":
        ": primary and junior schools of at most 2,000 pupils, nine-year and twelve-year schools 2,500",
    ": 专任教师持证上岗率100%": ": 100 % of full-time teachers certified",
    ": 初中三年巩固率达到95%以上": ": junior three-year retention at least 95 %",
    ": 每年交流轮岗教师比例不低于符合交流条件教师总数的10%":
        ": at least 10 % of eligible teachers rotated every year",
    ": 骨干教师不低于交流轮岗教师总数的20%": ": backbone teachers at least 20 % of the teachers rotated",
    ": 特殊教育学校生均公用经费不低于6000元":
        ": special-education schools' per-student public funding at least 6,000 yuan",
}
_ORDER = sorted(PHRASES, key=len, reverse=True)
_PLAN_ITEM = re.compile(re.escape(PLAN) + r" ?第(\d+)条")


def source_en(source: str) -> str:
    """The English citation of a catalogue or registry ``source`` (its Chinese citation).

    >>> source_en("清远市2022年教育工作要点 第8条")
    'Qingyuan 2022 education work plan, item 8'
    """
    text = _PLAN_ITEM.sub(lambda m: f"{PLAN_EN}, item {m.group(1)}", str(source))
    for zh in _ORDER:
        text = text.replace(zh, PHRASES[zh])
    return text.replace(PLAN, PLAN_EN)
