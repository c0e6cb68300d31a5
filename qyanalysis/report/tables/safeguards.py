"""Section 7 (safeguards, items 34–37): per-student public funding and special-education funding (item 35).

Reported inputs from the measure frame of the page (a county over the years,
or every listed county of the year on the city page); the gaps to the
standard and to the floor come from ``qyanalysis.measures.provision``; the
floor is the target's threshold in force. The key tasks of item 34 and the
task progress are built with the section's tasks.
"""

from __future__ import annotations

import pandas as pd

from qyanalysis.measures.provision import against_floor, funding_against_standard
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_value
from qyanalysis.report.frames import labelled
from qyanalysis.report.page import Page
from qyanalysis.report.tables.common import counties_cut_note, ranked_counties, threshold_of, unit_header, unit_rows

K = "report.staffing."
SPECIAL_TARGET = "t35_special_education_funding_per_student_yuan"


def _notes(*texts: str) -> str:
    return " ".join(text for text in texts if text)


def funding(page: Page) -> pd.DataFrame:
    """Item 35: per-student public funding against the provincial standard — amounts, gap and ratio.

    Returns:
        ``unit_name`` (year or county), ``per_student_funding_yuan,
        standard_yuan, gap_yuan, per_student_funding_ratio``; empty without any value.
    """
    codes = ("per_student_funding_yuan", "per_student_funding_standard_yuan", "per_student_funding_ratio")
    table = funding_against_standard(unit_rows(page, codes))
    if table[list(codes)].isna().all().all():
        table = table.iloc[0:0]
    return labelled(table, page.lang, title=t(f"{K}funding", page.lang),
                    columns=("unit_name", "per_student_funding_yuan", "standard_yuan", "gap_yuan",
                             "per_student_funding_ratio"),
                    headers={"unit_name": unit_header(page),
                             "per_student_funding_yuan": t(f"indicator.{codes[0]}", page.lang),
                             "standard_yuan": t(f"indicator.{codes[1]}", page.lang),
                             "gap_yuan": t(f"{K}column.funding_gap", page.lang),
                             "per_student_funding_ratio": t(f"indicator.{codes[2]}", page.lang)},
                    units={"unit_name": "text", "per_student_funding_yuan": "yuan", "standard_yuan": "yuan",
                           "gap_yuan": "yuan", "per_student_funding_ratio": "ratio"},
                    note=_notes(counties_cut_note(page), t(f"{K}funding_note", page.lang)))


def funding_league(page: Page) -> pd.DataFrame:
    """City page: counties ranked on the funding ratio against the standard (1.0); empty on a county page."""
    return ranked_counties(page, "per_student_funding_ratio", "t35_per_student_funding_ratio")


def special_education_funding(page: Page) -> pd.DataFrame:
    """Item 35: special-education funding per student against the floor (6,000 元, 教督〔2017〕6号).

    Returns:
        ``unit_name``, the amount, ``gap_yuan`` (amount − floor), ``meets``
        and ``verdict`` (its words).
    """
    code = "special_education_funding_per_student_yuan"
    floor = threshold_of(page, SPECIAL_TARGET)
    rows = unit_rows(page, (code,))
    table = pd.concat([rows, against_floor(rows[code], floor)], axis=1)
    if table[code].isna().all():
        table = table.iloc[0:0]
    table["verdict"] = pd.Series([t("value.missing", page.lang) if pd.isna(v) else
                                  t(f"status.{'met' if v else 'not_met'}", page.lang) for v in table["meets"]],
                                 index=table.index, dtype="object")
    return labelled(table, page.lang, title=t(f"{K}special", page.lang),
                    columns=("unit_name", code, "gap_yuan", "verdict"),
                    headers={"unit_name": unit_header(page), code: t(f"indicator.{code}", page.lang),
                             "gap_yuan": t(f"{K}column.special_gap", page.lang,
                                           floor=format_value(floor, "yuan", page.lang)),
                             "verdict": t("column.status", page.lang)},
                    units={"unit_name": "text", code: "yuan", "gap_yuan": "yuan", "verdict": "text"},
                    note=counties_cut_note(page))
