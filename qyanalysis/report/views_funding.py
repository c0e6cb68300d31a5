"""Deep-dive views of the rules and reported inputs of sections 5–7.

Section 5: the item-27 temporary-teacher rule worked out in words and numbers,
support placements (item 29, a city target) and teacher pay against civil
servants (item 30). Section 6: the private-school share of enrolment (item 31
context). Section 7: per-student public funding against the provincial
standard and special-education funding against 6,000 元 (item 35); the key
tasks of item 34 are in :mod:`qyanalysis.report.views_tasks`.

The figures are the library's: ``qyanalysis.measures`` (temporary-teacher
counts and ratio, enrolment table, funding ratio) and the measure frame and
scorecard of the page. Person counts go through disclosure control
(:func:`qyanalysis.report.safe_tables.display_frame`); amounts of money and
averages are not counts of persons.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qyanalysis import settings
from qyanalysis.measures import staffing
from qyanalysis.measures.provision import enrolment_table
from qyanalysis.present.charts import league_chart
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_value
from qyanalysis.report.page import Page
from qyanalysis.report.show import latest_rows, show_figure
from qyanalysis.report.safe_tables import display_frame, heading, is_small_count, paragraph, show_safe_table
from qyanalysis.report.views_staffing import K, headers_for, registry_threshold, scope_dataset

ITEM27_TARGET = "t27_temporary_teacher_excess_cut"
# Levels whose pupils count as compulsory education (for the private share over the years).
COMPULSORY_LEVELS = ("primary", "junior", "nine_year")
PRIVATE_OWNERSHIPS = ("private_inclusive", "private")
# Census levels in the contract's order (docs/data-dictionary.md), for tables by level.
LEVEL_ORDER = {level: i for i, level in enumerate((
    "kindergarten", "primary", "junior", "nine_year", "senior", "complete_secondary", "twelve_year",
    "special", "vocational"))}


# --- item 27: the temporary-teacher rule ----------------------------------------------------------

def item27_table(page: Page) -> pd.DataFrame:
    """Item 27 worked out for the page's counties, with the scorecard's verdict.

    The arithmetic is :func:`qyanalysis.measures.staffing.item27_steps` (the
    rule's one home) with the target's share of the excess as in force for
    each county (registry after ``targets_override``); ``met`` is the
    scorecard's status of ``t27_temporary_teacher_excess_cut`` (NA where the
    rule does not apply or the scorecard has no verdict).
    """
    from qyanalysis.targets import load_targets
    from qyanalysis.targets.overrides import thresholds_in_force

    counts = staffing.temporary_teacher_counts(scope_dataset(page).schools)
    codes = sorted(counts["county_code"].astype("str").unique())
    share = thresholds_in_force(load_targets(), ITEM27_TARGET, codes, page.dataset.targets_override)
    steps = staffing.item27_steps(counts, page.year, share)
    steps = steps[steps["temporary_now"].notna()].reset_index(drop=True)
    card = page.all_counties_scorecard if page.is_city else page.scorecard
    status = card.loc[card["target_id"] == ITEM27_TARGET].set_index("county_code")["status"]
    met = pd.Series(status.reindex(steps["county_code"]).to_numpy() == "met", dtype="boolean")
    steps["met"] = met.where(steps["applies"].to_numpy())
    return steps


def _count(value: float, lang: str) -> str:
    return format_value(value, "count", lang)


def _item27_sentence(row: pd.Series, year: int, lang: str) -> str:
    """The rule for one county in words, with its numbers."""
    choice = settings.TEMPORARY_RATIO_DENOMINATOR
    share = lambda v: format_value(v, "share", lang)  # noqa: E731
    text = t(f"{K}item27.ratio", lang, previous_year=year - 1,
             temporary=_count(row["temporary_previous"], lang),
             established=_count(row["established_previous"], lang), base=_count(row["base_previous"], lang),
             definition=t(f"{K}denominator.{choice}", lang), ratio=share(row["ratio_previous"]),
             limit=share(settings.TEMPORARY_RATIO_LIMIT_SHARE),
             compare=t(f"{K}item27.{'above' if row['applies'] else 'not_above'}", lang))
    change = dict(year=year, now=_count(row["temporary_now"], lang), cut=_count(row["actual_cut"], lang),
                  previous=_count(row["temporary_previous"], lang))
    if not row["applies"]:
        verdict = "kept" if row["actual_cut"] >= 0 else "grew"
        return text + t(f"{K}item27.not_applicable", lang, **change) + t(f"{K}item27.{verdict}", lang)
    return text + t(f"{K}item27.applies", lang, excess=format_value(row["excess"], "count", lang),
                    limit=share(settings.TEMPORARY_RATIO_LIMIT_SHARE),
                    base=_count(row["base_previous"], lang),
                    temporary=_count(row["temporary_previous"], lang),
                    cut_share=share(row["cut_share"]),
                    required=format_value(row["required_cut"], "count", lang), **change,
                    verdict=t(f"{K}item27.{'met' if row['met'] else 'not_met'}", lang))


def _too_small(row: pd.Series) -> bool:
    """True when a count of the worked example describes 1–4 persons (it could not be shown)."""
    counts = row[["temporary_previous", "temporary_now", "established_previous"]].astype(float)
    return bool(is_small_count(counts).any())


def show_temporary_teacher_rule(page: Page) -> None:
    """Item 27 worked out: last year's ratio, the 5 % line, the excess, the cut required, the actual cut."""
    heading(t(f"{K}item27.title", page.lang))
    steps = item27_table(page)
    paragraph(t(f"{K}item27.setting", page.lang, definition=t(
        f"{K}denominator.{settings.TEMPORARY_RATIO_DENOMINATOR}", page.lang)))
    if steps.empty:
        paragraph(t(f"{K}item27.no_data", page.lang, previous_year=page.year - 1))
        return
    if not page.is_city:
        row = steps.iloc[0]
        paragraph(t(f"{K}item27.small", page.lang) if _too_small(row) else _item27_sentence(row, page.year,
                                                                                               page.lang))
        return
    _show_item27_table(page, steps)


def _show_item27_table(page: Page, steps: pd.DataFrame) -> None:
    """Every county's steps of the rule (city page)."""
    steps = steps[steps["county_code"].isin(listed_counties(page))]
    table = steps.assign(county_name=county_names(page, steps["county_code"]))
    table["verdict"] = [t(f"{K}item27.{'met_short' if met else 'not_met_short'}", page.lang) if applies
                        else t("status.not_applicable", page.lang)
                        for applies, met in zip(table["applies"], table["met"], strict=True)]
    counts = ["temporary_previous", "base_previous", "temporary_now"]
    units = {"ratio_previous": "share", "excess": "count", "required_cut": "count", "actual_cut": "count",
             "verdict": "text"}
    shown = display_frame(table, counts, units, page.lang, links={"verdict": []})
    columns = ["county_name", "temporary_previous", "base_previous", "ratio_previous", "excess",
               "required_cut", "temporary_now", "actual_cut", "verdict"]
    headers = headers_for(page.lang, *columns[1:])
    headers["county_name"] = t("column.county_name", page.lang)
    show_safe_table(page, shown, columns, headers)
    note_if_cut(page)


# --- reported inputs by county: support placements, pay, funding -----------------------------------

def wide_inputs(measures: pd.DataFrame, codes: Sequence[str], county_codes: Sequence[str],
                years: Sequence[int]) -> pd.DataFrame:
    """Annual measure-frame values of ``codes`` side by side, one row per county × year.

    Args:
        measures: The measure frame (``page.measures``).
        codes: Indicator codes (become columns; absent ones are all-NaN columns).
        county_codes: Counties kept.
        years: Years kept.

    Returns:
        ``county_code, year`` and one float column per code, sorted.
    """
    rows = measures[measures["indicator"].isin(codes) & (measures["period"] == "")
                    & measures["county_code"].isin(county_codes) & measures["year"].isin(years)]
    wide = rows.pivot_table(index=["county_code", "year"], columns="indicator", values="value",
                            aggfunc="first")
    wide = wide.reindex(columns=list(codes)).reset_index()
    wide.columns.name = None
    return wide.astype({code: "float64" for code in codes}).sort_values(["county_code", "year"]).reset_index(
        drop=True)


def latest_inputs(measures: pd.DataFrame, codes: Sequence[str], county_codes: Sequence[str],
                  year: int) -> pd.DataFrame:
    """Each county's latest value of ``codes`` in ``year``, side by side, with the period it is for.

    The latest value is the annual (year-end) one when there is one, else the
    last month or quarter reported (an in-year snapshot, e.g. "2022-Q3").

    Returns:
        ``county_code, year, period`` ("" for year-end values; the periods,
        comma-separated, when the codes differ) and one float column per code.
    """
    rows = latest_rows(measures, codes, county_codes, year)
    periods = rows.groupby("county_code")["period"].agg(lambda p: ", ".join(sorted(set(p) - {""})))
    wide = wide_inputs(rows.assign(period=""), codes, county_codes, [year])
    return wide.assign(period=wide["county_code"].map(periods).fillna(""))[
        ["county_code", "year", "period", *codes]]


def _units_rows(page: Page, codes: Sequence[str]) -> pd.DataFrame:
    """County page: the county over every year; city page: every county this year. With a display name."""
    if page.is_city:
        frame = wide_inputs(page.measures, codes, listed_counties(page), [page.year])
    else:
        frame = wide_inputs(page.measures, codes, [page.county_code], page.dataset.years)
    names = county_names(page, frame["county_code"]) if page.is_city else frame["year"].astype("str")
    return frame.assign(unit_name=names)


def county_names(page: Page, codes: pd.Series) -> pd.Series:
    """Display names of county codes in the page's language (escaped later, by the table)."""
    return codes.map(lambda code: page.dataset.counties.name(code, page.lang)).astype("str")


def listed_counties(page: Page) -> list[str]:
    """Counties whose rows a table lists: the page's own, or on the city page those the city views show.

    The city page lists every county of a region of up to
    ``views_city.MAX_COUNTIES_SHOWN`` counties, else the largest by pupils;
    :func:`note_if_cut` says so on the page.
    """
    from qyanalysis.report.views_city import shown_counties

    return shown_counties(page) if page.is_city else [page.county_code]


def note_if_cut(page: Page) -> None:
    """On the city page of a large region: a line saying how many counties the tables list."""
    shown, total = len(listed_counties(page)), len(page.dataset.counties.codes)
    if page.is_city and shown < total:
        paragraph(t(f"{K}counties_cut", page.lang, shown=shown, total=total))


def _unit_header(page: Page) -> str:
    return t("column.county_name" if page.is_city else "column.year", page.lang)


def _league(page: Page, indicator: str, target_id: str) -> None:
    """City page: counties ranked on ``indicator`` with the target line, bars coloured by scorecard status."""
    card = page.all_counties_scorecard
    rows = card[(card["target_id"] == target_id) & card["county_code"].isin(listed_counties(page))
                & card["value"].notna()]
    if not page.is_city or rows.empty:
        return
    rows = rows.assign(county_name=county_names(page, rows["county_code"]))
    show_figure(league_chart(rows[["county_code", "county_name", "indicator", "value", "status"]], indicator,
                             registry_threshold(page, target_id), page.lang))


def show_support_teachers(page: Page) -> None:
    """Item 29: principals and teachers received and sent, by county, and the city totals against 135."""
    heading(t(f"{K}support", page.lang))
    codes = ("support_teachers_received", "support_teachers_sent")
    table = latest_inputs(page.measures, codes, listed_counties(page), page.year)
    table = table.dropna(subset=list(codes), how="all")
    if table.empty:
        paragraph(t("report.no_data_table", page.lang))
        return
    table = table.assign(county_name=county_names(page, table["county_code"]))
    shown = display_frame(table, list(codes), {}, page.lang)
    headers = {"county_name": t("column.county_name", page.lang), "period": t("column.period", page.lang),
               **{c: t(f"indicator.{c}", page.lang) for c in codes}}
    in_year = ["period"] if (table["period"] != "").any() else []
    show_safe_table(page, shown, ["county_name", *in_year, *codes], headers)
    note_if_cut(page)
    card = page.city_scorecard
    for code in codes:
        row = card[card["indicator"] == code]
        if not row.empty and pd.notna(row["value"].iloc[0]):
            paragraph(t(f"{K}support_total", page.lang, indicator=t(f"indicator.{code}", page.lang),
                        total=format_value(row["value"].iloc[0], "count", page.lang),
                        threshold=format_value(row["threshold"].iloc[0], "count", page.lang),
                        status=t(f"status.{row['status'].iloc[0]}", page.lang)))


def show_pay_comparison(page: Page) -> None:
    """Item 30: average teacher pay against local civil servants (元 a year) and the ratio (>= 1.0)."""
    heading(t(f"{K}pay", page.lang))
    codes = ("teacher_avg_pay_yuan", "civil_servant_avg_pay_yuan", "teacher_salary_ratio")
    table = _units_rows(page, codes)
    if table[list(codes)].isna().all().all():
        paragraph(t("report.no_data_table", page.lang))
        return
    table["gap_yuan"] = table["teacher_avg_pay_yuan"] - table["civil_servant_avg_pay_yuan"]
    shown = display_frame(table, [], {"teacher_avg_pay_yuan": "yuan", "civil_servant_avg_pay_yuan": "yuan",
                                      "gap_yuan": "yuan", "teacher_salary_ratio": "ratio"}, page.lang)
    headers = {"unit_name": _unit_header(page), "gap_yuan": t(f"{K}column.pay_gap", page.lang),
               **{c: t(f"indicator.{c}", page.lang) for c in codes}}
    show_safe_table(page, shown, ["unit_name", *codes[:2], "gap_yuan", codes[2]], headers)
    note_if_cut(page)
    _league(page, "teacher_salary_ratio", "t30_teacher_salary_ratio")
    paragraph(t(f"{K}pay_note", page.lang))


def show_funding(page: Page) -> None:
    """Item 35: per-student public funding against the provincial standard — amounts and their ratio."""
    heading(t(f"{K}funding", page.lang))
    codes = ("per_student_funding_yuan", "per_student_funding_standard_yuan", "per_student_funding_ratio")
    table = _units_rows(page, codes)
    if table[list(codes)].isna().all().all():
        paragraph(t("report.no_data_table", page.lang))
        return
    # A county without its own standard is measured against the city's (measures.provision): the standard
    # in force is then actual ÷ ratio.
    implied = table["per_student_funding_yuan"] / table["per_student_funding_ratio"]
    table["standard_yuan"] = table["per_student_funding_standard_yuan"].fillna(implied)
    table["gap_yuan"] = table["per_student_funding_yuan"] - table["standard_yuan"]
    shown = display_frame(table, [], {"per_student_funding_yuan": "yuan", "standard_yuan": "yuan",
                                      "gap_yuan": "yuan", "per_student_funding_ratio": "ratio"}, page.lang)
    headers = {"unit_name": _unit_header(page),
               "per_student_funding_yuan": t(f"indicator.{codes[0]}", page.lang),
               "standard_yuan": t(f"indicator.{codes[1]}", page.lang),
               "gap_yuan": t(f"{K}column.funding_gap", page.lang),
               "per_student_funding_ratio": t(f"indicator.{codes[2]}", page.lang)}
    show_safe_table(page, shown, ["unit_name", "per_student_funding_yuan", "standard_yuan", "gap_yuan",
                                  "per_student_funding_ratio"], headers)
    note_if_cut(page)
    _league(page, "per_student_funding_ratio", "t35_per_student_funding_ratio")
    paragraph(t(f"{K}funding_note", page.lang))


def show_special_education_funding(page: Page) -> None:
    """Item 35: special-education funding per student against the 6,000 元 floor (教督〔2017〕6号)."""
    heading(t(f"{K}special", page.lang))
    code = "special_education_funding_per_student_yuan"
    table = _units_rows(page, (code,))
    if table[code].isna().all():
        paragraph(t("report.no_data_table", page.lang))
        return
    floor = registry_threshold(page, "t35_special_education_funding_per_student_yuan")
    table["gap_yuan"] = table[code] - floor
    table["verdict"] = [t("value.missing", page.lang) if pd.isna(v) else
                        t(f"status.{'met' if v >= floor else 'not_met'}", page.lang) for v in table[code]]
    shown = display_frame(table, [], {code: "yuan", "gap_yuan": "yuan", "verdict": "text"}, page.lang)
    headers = {"unit_name": _unit_header(page), code: t(f"indicator.{code}", page.lang),
               "gap_yuan": t(f"{K}column.special_gap", page.lang,
                             floor=format_value(floor, "yuan", page.lang)),
               "verdict": t("column.status", page.lang)}
    show_safe_table(page, shown, ["unit_name", code, "gap_yuan", "verdict"], headers)
    note_if_cut(page)


# --- item 31: private schools ----------------------------------------------------------------------

def private_share_table(enrolment: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Pupils and schools in private schools (普惠性民办 and other 民办) and their share of all pupils.

    private_share = Σ pupils of private schools ÷ Σ pupils of all schools, per
    group (a composition of the census, so no sampling interval). A group with
    any school lacking its enrolment has no share (the enrolment table's
    ``students_count`` is NaN then).

    Args:
        enrolment: :func:`qyanalysis.measures.provision.enrolment_table` rows.
        by: Grouping, e.g. ``["year", "level"]``.

    Returns:
        ``by`` columns, ``schools``, ``private_schools``, ``pupils``,
        ``private_pupils``, ``private_share``.
    """
    by = list(by)
    is_private = enrolment["ownership"].isin(PRIVATE_OWNERSHIPS)
    frame = enrolment[by].assign(
        schools=enrolment["schools_count"], private_schools=enrolment["schools_count"].where(is_private, 0.0),
        pupils=enrolment["students_count"], private_pupils=enrolment["students_count"].where(is_private, 0.0),
        incomplete=enrolment["students_count"].isna())
    out = frame.groupby(by, sort=True, observed=True).agg(
        schools=("schools", "sum"), private_schools=("private_schools", "sum"), pupils=("pupils", "sum"),
        private_pupils=("private_pupils", "sum"), incomplete=("incomplete", "any")).reset_index()
    for column in ("pupils", "private_pupils"):
        out[column] = out[column].where(~out["incomplete"])
    out = out.drop(columns="incomplete")
    out["private_share"] = out["private_pupils"] / out["pupils"].where(out["pupils"] > 0)
    return out


def show_private_schools(page: Page) -> None:
    """Item 31 context: private schools' share of pupils by level, and of compulsory pupils over the years."""
    heading(t(f"{K}private", page.lang))
    enrolment = enrolment_table(scope_dataset(page))
    by_level = private_share_table(enrolment[enrolment["year"] == page.year], ["level"])
    if by_level.empty:
        paragraph(t("report.no_data_table", page.lang))
        return
    by_level = by_level.sort_values("level", key=lambda s: s.map(LEVEL_ORDER), kind="stable")
    by_level["level_name"] = by_level["level"].map(lambda v: t(f"level.{v}", page.lang)).astype("str")
    counts = ["pupils", "private_pupils"]
    shown = display_frame(by_level, counts, {"schools": "count", "private_schools": "count",
                                             "private_share": "share"}, page.lang,
                          links={"schools": [], "private_schools": []})
    columns = ["level_name", "schools", "private_schools", "pupils", "private_pupils", "private_share"]
    show_safe_table(page, shown, columns, headers_for(page.lang, *columns))
    compulsory = enrolment[enrolment["level"].isin(COMPULSORY_LEVELS)]
    years = private_share_table(compulsory, ["year"])
    if not years.empty:
        years["year_name"] = years["year"].astype("str")
        shown = display_frame(years, counts, {"private_share": "share"}, page.lang)
        paragraph(t(f"{K}private_years", page.lang))
        show_safe_table(page, shown, ["year_name", "pupils", "private_pupils", "private_share"],
                        {**headers_for(page.lang, "pupils", "private_pupils", "private_share"),
                         "year_name": t("column.year", page.lang)})
    paragraph(t(f"{K}private_note", page.lang))
