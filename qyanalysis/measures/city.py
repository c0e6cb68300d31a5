"""The counties side by side: context counts, the 差异系数 of every county, which one binds, one verdict.

The 优质均衡 county rule (教督〔2017〕6号, 《县域义务教育优质均衡发展督导评估办法》)
asks every one of the 14 差异系数 (7 resource indicators × primary/junior)
to be within its limit; the limits are the scorecard's (registry after county
overrides), passed in with the rows, never copied here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qyanalysis.dataset import Dataset

NO_DATA = "no_data"


def county_context_table(dataset: Dataset, year: int) -> pd.DataFrame:
    """Schools, pupils and full-time teachers (专任教师) of each county in ``year``.

    Pupils and teachers are Σ over the county's census rows; a county whose
    rows all lack the column gets NaN (never a silent 0); a column absent from
    the census is left out.

    Returns:
        ``county_code, schools_count`` and, where the census has them,
        ``students_count, teachers_count``; one row per county with schools.
    """
    schools = dataset.schools
    grouped = schools[schools["year"] == year].groupby("county_code")
    table = grouped.size().rename("schools_count").astype("float64").to_frame()
    for name, column in (("students_count", "students"), ("teachers_count", "teachers")):
        if column in schools:
            table[name] = grouped[column].sum(min_count=1)
    return table.reset_index()


def cv_matrix(rows: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Every county's row of every 差异系数, the missing ones filled as ``no_data``.

    Args:
        rows: Scorecard rows with ``county_code, indicator, value, status, threshold``.
        codes: The 差异系数 codes, in display order.

    Returns:
        ``indicator, county_code, value, status, threshold``: one row per code
        (in ``codes`` order) and county (in code order, the counties of
        ``rows``); a county without a row for a code has value and threshold
        NaN and status ``no_data``.
    """
    columns = ["indicator", "county_code", "value", "status", "threshold"]
    cvs = rows.loc[rows["indicator"].isin(list(codes)), columns]
    counties = sorted(cvs["county_code"].astype("str").unique())
    grid = pd.MultiIndex.from_product([list(codes), counties], names=["indicator", "county_code"])
    out = cvs.assign(county_code=cvs["county_code"].astype("str")).set_index(["indicator", "county_code"])
    out = out.reindex(grid).reset_index()
    out["status"] = out["status"].fillna(NO_DATA).astype("str")
    return out


def binding_cv(rows: pd.DataFrame, codes: Sequence[str]) -> str | None:
    """The 差异系数 closest to (or furthest over) its limit in any county: the largest value ÷ threshold.

    Args:
        rows: Scorecard rows with ``indicator, value, threshold`` (each county's
            limit after its overrides).
        codes: The 差异系数 codes to choose among (e.g. one level's seven).

    Returns:
        The code, or None when none of ``codes`` has both a value and a positive limit.
    """
    cvs = rows[rows["indicator"].isin(list(codes)) & rows["value"].notna() & (rows["threshold"] > 0)]
    if cvs.empty:
        return None
    return str(cvs.loc[(cvs["value"] / cvs["threshold"]).idxmax(), "indicator"])


def cv_verdict(statuses: pd.Series, cv_count: int) -> str:
    """One verdict on a county's 差异系数: ``not_met`` if any is over its limit, ``met`` if all
    ``cv_count`` are within, else ``no_data`` (the 优质均衡 rule asks for all of them: 教督〔2017〕6号)."""
    if statuses.eq("not_met").any():
        return "not_met"
    return "met" if int(statuses.eq("met").sum()) == cv_count else NO_DATA
