"""The 优质均衡 readiness page (``08_balance_readiness``, with section 2): its analyses as labelled frames.

What the national assessment asks (《县域义务教育优质均衡发展督导评估办法》,
教督〔2017〕6号; ``qyanalysis/verdicts/targets/assessment.csv``), where a county stands,
which schools hold it back and at what cost, and when it would be ready at
the current pace. Every number comes from the library:
:func:`qyanalysis.verdicts.readiness.readiness` / :func:`~qyanalysis.verdicts.readiness.verdicts`
/ :func:`~qyanalysis.verdicts.readiness.readiness_matrix` /
:func:`~qyanalysis.verdicts.readiness.trajectory` and
:func:`qyanalysis.measures.gaps.county_plan` /
:func:`~qyanalysis.measures.gaps.resource_totals`, each computed once per
kernel for every county (``page.memo``) and selected here; the builders
word and label them (:func:`qyanalysis.report.frames.labelled`). On the city
page (``county="city"``) each builder gives the county-by-county version.
Views in ``qyanalysis.report.views.balance_readiness`` draw these frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qyanalysis import settings
from qyanalysis.contract.indicators import BALANCE_INDICATORS, CATALOGUE
from qyanalysis.present.html import GAP_LIST_FILE  # the whole list, written beside the pages (runner.outputs)
from qyanalysis.present.labels import indicator_label, indicator_short_label, t
from qyanalysis.present.narrative import coverage_label
from qyanalysis.present.numbers import format_number, format_value
from qyanalysis.present.palette import STATUS_SYMBOLS, STATUSES
from qyanalysis.present.shown import whole_threshold
from qyanalysis.report.frames import labelled, spec_of
from qyanalysis.report.page import Page
from qyanalysis.report.tables.common import county_names, listed_counties
from qyanalysis.report.registry import builder

# Rows of the city's school gap list (the costliest first) and of a county's (in school order).
MAX_GAP_ROWS_CITY = 40
MAX_GAP_ROWS_COUNTY = 80
# A school part meets a 优质均衡 standard at or above it: a gap row's value is printed against its standard
# by this comparison (qyanalysis.present.shown: "0.896 vs 0.900", never "0.90 vs 0.90").
STANDARD_COMPARATOR = ">="
# Statuses of a trajectory row that say the indicator is not met this year.
UNMET_TRAJECTORY = ("on_pace", "not_before_horizon", "yes_no_unmet", "too_few_years")
# Unit of a yearly change of a value in a unit: a share or rate changes by percentage points.
SLOPE_UNITS = {"share": "pp", "rate": "pp"}
# Hidden column suffix of the city matrix: the status code behind each county's worded column.
STATUS_SUFFIX = "__status"


def title(page: Page) -> str:
    """The page's title (the heading under the county's name): "义务教育优质均衡评估准备"."""
    return t("readiness.page_title", page.lang)


# --- results shared by every page of a kernel -------------------------------------------------------


def _readiness_rows(page: Page) -> pd.DataFrame:
    """:func:`qyanalysis.verdicts.readiness.readiness` of every county in the page's year, once per kernel."""
    from qyanalysis.verdicts.readiness import readiness

    return page.memo(("readiness_rows", page.year),
                     page.on_measures(lambda: readiness(page.dataset, None, page.year)))


def _gap_plan(page: Page):
    """:func:`qyanalysis.measures.gaps.county_plan` of every county in the page's year, once per kernel."""
    from qyanalysis.measures.gaps import county_plan
    from qyanalysis.verdicts.targets.limits import balance_cv_limits

    return page.memo(("gap_plan", page.year), lambda: county_plan(page.dataset, None, page.year,
                                                                  limits=balance_cv_limits(page.dataset)))


def _trajectories(page: Page) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`qyanalysis.verdicts.readiness.trajectory` of every county up to the page's year, once per kernel."""
    from qyanalysis.verdicts.readiness import trajectory

    return page.memo(("readiness_trajectory", page.year),
                     page.on_measures(lambda: trajectory(page.dataset, None, page.year)))


def _own_rows(page: Page, frame: pd.DataFrame) -> pd.DataFrame:
    """The page's county's rows of an every-county frame (all rows on the city page), as a copy."""
    if page.is_city:
        return frame.copy()
    return frame[frame["county_code"].astype("str") == page.county_code].copy()


def part_name(part: str, lang: str) -> str:
    """The 办法's name of a part (资源配置 …) in ``lang``, from the assessment's own labels."""
    from qyanalysis.verdicts.targets.assessment import PART_LABELS

    zh, en = PART_LABELS[part]
    return zh if lang == "zh" else en


def indicator_reference(part: str, number: object, indicator: str, lang: str) -> str:
    """"政府保障程度 4 · 学校规模超标校数": an indicator by its part, number and catalogue name."""
    return f"{part_name(part, lang)} {number} · {indicator_label(indicator, lang)}"


def listed(references: list[str], lang: str) -> str:
    """References joined by the catalogue's list separator ("无" / "none" when empty)."""
    return t("narrative.list_separator", lang).join(references) if references else t("readiness.none", lang)


def year_text(year: float, horizon: int, lang: str) -> str:
    """A year, or "after HORIZON" when the projection never reaches the standard (NaN)."""
    return t("readiness.when.after", lang, horizon=horizon) if pd.isna(year) else str(int(year))


def addition_text(amount: float, indicator: str, add_unit: str, lang: str) -> str:
    """An addition of an indicator's resource: "3 名体育、艺术专任教师", "330.0 平方米教学及辅助用房" …

    Persons and rooms are whole: an addition of at least x of them is ⌈x⌉
    (:func:`qyanalysis.present.shown.whole_threshold`).
    """
    unit = {"persons": "count", "rooms": "count", "yuan": "yuan", "m2": "m2"}[add_unit]
    shown = round(float(amount)) if unit == "yuan" else amount  # equipment to the yuan
    if unit == "count":  # persons and rooms whole: what reaches the standard (at least 2.3 rooms: 3)
        shown = whole_threshold(float(amount), STANDARD_COMPARATOR)
    return t(f"readiness.add.{indicator}", lang, amount=format_number(shown, unit))


def unit_cost_source(source: str, lang: str) -> str:
    """Where a unit cost comes from, worded (:func:`qyanalysis.measures.gaps.unit_cost_table`'s ``source``)."""
    if source == "settings override":
        return t("readiness.source.override", lang)
    if source in ("assumption", "definition"):
        return t(f"readiness.source.{source}", lang)
    if source.startswith("assumption"):
        return t("readiness.source.wage_assumed", lang)
    return t("readiness.source.wage", lang)


# --- the assessment --------------------------------------------------------------------------------


@builder
def readiness(page: Page) -> pd.DataFrame:
    """Every indicator of the 办法: part, number, wording, value, standard, status, veto flag.

    County page: one row per indicator (51), in the assessment's order; the
    wording is the 办法's, marked ※ where it is not yet confirmed against
    the text (``wording = summary``); ``threshold`` is the standard in force
    (registry thresholds after the county's overrides). City page: the
    matrix of :func:`matrix`.

    Returns:
        ``part_name, number, wording, value, comparator, threshold, status,
        veto_text`` shown (and ``coverage_text`` where a row is incomplete: "34 of 35 schools"
        in words); ``assessment_id, indicator, unit, veto, veto_applies, wording_status``
        kept for views and tests.
    """
    if page.is_city:
        return matrix(page)
    rows = _own_rows(page, _readiness_rows(page)).reset_index(drop=True)
    lang = page.lang
    mark = t("readiness.unconfirmed_mark", lang)
    frame = pd.DataFrame({
        "assessment_id": rows["assessment_id"].astype("str"),
        "part": rows["part"].astype("str"),
        "part_name": [part_name(p, lang) for p in rows["part"]],
        "number": rows["number"].astype("str"),
        "wording": [(zh if lang == "zh" else en) + (mark if wording != "confirmed" else "")
                    for zh, en, wording in zip(rows["label_zh"], rows["label_en"], rows["wording"], strict=True)],
        "indicator": rows["indicator"].astype("str"),
        "value": rows["value"].astype("float64"),
        "comparator": rows["comparator"].astype("str"),
        "threshold": rows["standard"].astype("float64"),
        "unit": rows["unit"].astype("str"),
        "status": rows["status"].astype("str"),
        "veto": rows["veto"].astype(bool),
        "veto_applies": rows["veto_applies"].astype(bool),
        "veto_text": [t("readiness.veto_yes" if v else "readiness.veto_no", lang) for v in rows["veto"]],
        "wording_status": rows["wording"].astype("str"),
        "coverage_text": [coverage_label(str(c), lang) for c in rows["coverage"].fillna("")],
    })
    partial = ("coverage_text",) if frame["coverage_text"].ne("").any() else ()
    return labelled(frame, lang, title=t("readiness.table", lang),
                    columns=("part_name", "number", "wording", "value", "comparator", "threshold", "status",
                             "veto_text", *partial),
                    headers={"part_name": t("readiness.part", lang), "number": t("readiness.number", lang),
                             "wording": t("readiness.wording", lang), "veto_text": t("readiness.veto", lang)},
                    units={"part_name": "text", "number": "text", "wording": "text", "veto_text": "text",
                           "coverage_text": "text"},
                    note=t("readiness.table_note", lang))


def status_key(statuses: pd.DataFrame, lang: str) -> str:
    """The statuses of a grid with their marks, in the palette's order: "✓ 达标、✗ 未达标"."""
    found = set(statuses.stack().dropna().astype("str"))
    return t("narrative.list_separator", lang).join(
        f"{STATUS_SYMBOLS[s]} {t(f'status.{s}', lang)}" for s in STATUSES if s in found)


@builder
def matrix(page: Page) -> pd.DataFrame:
    """Counties × indicators of the 办法 (city page): one row per indicator, one column per county.

    A status grid: each county's column holds its status in words (header: the county's short name,
    清城 / Qingcheng), coloured and marked by the status kept beside it in ``<code>__status``; each
    indicator goes by its part and number and a short name, the 办法's full wording its tooltip
    (``wording``; the county pages list it in full); the note names the veto items (``veto_text``
    kept). Built on :func:`qyanalysis.verdicts.readiness.readiness_matrix`.
    """
    from qyanalysis.verdicts.readiness import readiness_matrix

    lang = page.lang
    wide = readiness_matrix(_readiness_rows(page))
    codes = [c for c in wide.columns if c not in ("assessment_id", "part", "part_zh", "number", "indicator",
                                                  "label_zh", "label_en", "veto")]
    frame = pd.DataFrame({
        "assessment_id": wide["assessment_id"].astype("str"),
        "part": wide["part"].astype("str"),
        "part_name": [part_name(p, lang) for p in wide["part"]],
        "number": wide["number"].astype("str"),
        "reference": [f"{part_name(p, lang)} {n}" for p, n in zip(wide["part"], wide["number"], strict=True)],
        "indicator": wide["indicator"].astype("str"),
        "indicator_name": [indicator_label(code, lang) for code in wide["indicator"]],
        "indicator_short": [indicator_short_label(code, lang) for code in wide["indicator"]],
        "wording": (wide["label_zh"] if lang == "zh" else wide["label_en"]).astype("str"),
        "veto_text": [t("readiness.veto_yes" if v else "readiness.veto_no", lang) for v in wide["veto"]],
    })
    headers = {"reference": t("readiness.number", lang), "indicator_short": t("column.indicator", lang),
               "veto_text": t("readiness.veto", lang)}
    names = county_names(page, codes, "map")  # the short names (清城, Qingcheng): eight columns in view
    for code, name in zip(codes, names, strict=True):
        statuses = wide[code]
        frame[code] = [t(f"status.{s}", lang) if isinstance(s, str) else t("value.missing", lang) for s in statuses]
        frame[code + STATUS_SUFFIX] = statuses.astype("object")
        headers[code] = name
    vetoes = listed(list(frame.loc[wide["veto"].astype(bool).to_numpy(), "reference"]), lang)
    return labelled(frame, lang, title=t("readiness.matrix", lang),
                    columns=("reference", "indicator_short", *codes), headers=headers,
                    units={c: "text" for c in ("reference", "indicator_short", "veto_text", *codes)},
                    note=t("readiness.matrix_note", lang, statuses=status_key(wide[codes], lang),
                           vetoes=vetoes),
                    statuses={c: c + STATUS_SUFFIX for c in codes},
                    titles={"indicator_short": "wording"}, grid=True)


@builder
def verdict(page: Page) -> pd.DataFrame:
    """Could the county apply? "Ready to apply" only when every indicator is met and no veto applies.

    County page: four rows — the verdict (with the tally of statuses), the
    indicators not met, those lacking data, the vetoes that apply — each
    indicator named by part, number and name. City page: one row per
    county (verdict, tallies, what is not met); the note names the counties
    that could apply this year. From :func:`qyanalysis.verdicts.readiness.verdicts`.
    """
    from qyanalysis.verdicts.readiness import verdicts

    lang = page.lang
    rows = _own_rows(page, _readiness_rows(page))
    tallies = verdicts(rows) if not rows.empty else pd.DataFrame()
    refs = rows.assign(reference=[indicator_reference(p, n, i, lang) for p, n, i in
                                  zip(rows["part"], rows["number"], rows["indicator"], strict=True)])
    if page.is_city:
        return _city_verdicts(page, tallies, refs)
    if tallies.empty:
        return labelled(pd.DataFrame(columns=["what", "detail"]), lang, title=t("readiness.verdict", lang))
    tally = tallies.iloc[0]
    conclusion = (t(f"readiness.verdict.{tally['verdict']}", lang) + "。" if lang == "zh" else
                  t(f"readiness.verdict.{tally['verdict']}", lang) + ". ")
    conclusion += t("readiness.tally", lang, **{k: format_number(tally[k], "count") for k in (
        "indicators", "met", "not_met", "no_data", "not_applicable")})
    frame = pd.DataFrame({
        "what": [t(k, lang) for k in ("readiness.conclusion", "readiness.not_met_list", "readiness.no_data_list",
                                      "readiness.veto_list")],
        "detail": [conclusion,
                   listed(list(refs.loc[refs["status"].eq("not_met") & ~refs["veto"], "reference"]), lang),
                   listed(list(refs.loc[refs["status"].eq("no_data"), "reference"]), lang),
                   listed(list(refs.loc[refs["veto_applies"], "reference"]), lang)],
        "verdict": str(tally["verdict"]),
    })
    return labelled(frame, lang, title=t("readiness.verdict", lang), columns=("what", "detail"),
                    headers={"what": t("readiness.what", lang), "detail": t("readiness.detail", lang)},
                    units={"what": "text", "detail": "text"})


def _city_verdicts(page: Page, tallies: pd.DataFrame, refs: pd.DataFrame) -> pd.DataFrame:
    """One verdict per county (city page), with the counties that could apply in the note: short enough to
    be whole in a laptop's first screen. What each county has not met or lacks is in the frame
    (``missing``) and, shown, in the status grid of every indicator that follows (:func:`readiness`)."""
    lang = page.lang
    missing = refs[refs["status"].isin(["not_met", "no_data"])]
    short = (missing["part"].map(lambda p: part_name(p, lang)) + " " + missing["number"].astype("str"))
    listed_short = short.groupby(missing["county_code"].astype("str")).agg(
        lambda s: t("narrative.list_separator", lang).join(dict.fromkeys(s)))
    frame = pd.DataFrame({
        "county_code": tallies["county_code"].astype("str"),
        "county_name": county_names(page, tallies["county_code"]),
        "verdict_text": [t(f"readiness.verdict.{v}", lang) for v in tallies["verdict"]],
        "verdict": tallies["verdict"].astype("str"),
        "met": tallies["met"].astype("int64"), "not_met": tallies["not_met"].astype("int64"),
        "no_data": tallies["no_data"].astype("int64"), "vetoes": tallies["vetoes"].astype("int64"),
    })
    frame["missing"] = frame["county_code"].map(listed_short).fillna(t("readiness.none", lang)).astype("str")
    ready = frame.loc[frame["verdict"] == "ready", "county_name"].tolist()
    return labelled(frame, lang, title=t("readiness.verdict_city", lang),
                    columns=("county_name", "verdict_text", "met", "not_met", "no_data", "vetoes"),
                    headers={"verdict_text": t("readiness.conclusion", lang),
                             "met": t("readiness.met_count", lang), "not_met": t("readiness.not_met_count", lang),
                             "no_data": t("readiness.no_data_count", lang),
                             "vetoes": t("readiness.vetoes_count", lang),
                             "missing": t("readiness.not_met_list", lang) + " / " + t("readiness.no_data_list",
                                                                                        lang)},
                    units={"county_name": "text", "verdict_text": "text", "missing": "text", "met": "count",
                           "not_met": "count", "no_data": "count", "vetoes": "count"},
                    note=("" if lang == "zh" else " ").join(
                        (t("readiness.can_apply", lang, counties=listed(ready, lang)),
                         t("readiness.missing_in_grid", lang))))


# --- gaps and costs --------------------------------------------------------------------------------


@builder
def school_gaps(page: Page, *, every_row: bool = False) -> pd.DataFrame:
    """The costed school gap list: school part × indicator additions and their cost.

    From the plan (:func:`qyanalysis.measures.gaps.county_plan`): the
    least-cost additions that make each school part pass the 6-of-7 rule plus
    what a 差异系数 floor asks of it (``plan_add``), in the resource's own
    unit, and their cost. Schools are institutions, so their names are shown;
    the pupils of each part are a count of persons under disclosure control
    (1–4 hidden), and the per-pupil value derived from them with it. County
    page: in school order (at most :data:`MAX_GAP_ROWS_COUNTY` rows); city
    page: every county, the costliest :data:`MAX_GAP_ROWS_CITY` rows.
    ``every_row``: the whole list in the same order, under the same
    disclosure control (the downloads ``school_gaps.csv`` and the workbooks'
    gap sheet, :mod:`qyanalysis.runner.outputs`).

    Returns:
        ``county_name`` (city), ``school_name, level, indicator, value,
        threshold, students, addition, reach, cost_yuan, cost_basis_text``
        shown; ``county_code, school_id, unit, comparator, plan_add, add_unit,
        cost_basis`` kept (``comparator``: :data:`STANDARD_COMPARATOR`, by which
        the value and the standard are printed so as to read as they compare). A value below its
        standard (the plan's ``meets``, the school rule's own judgement) is marked failing.
    """
    lang = page.lang
    plan = _own_rows(page, _gap_plan(page).schools)
    rows = plan[plan["plan_add"] > 0]
    total = len(rows)
    if page.is_city:
        rows = rows.sort_values("plan_cost_yuan", ascending=False, kind="stable")
    if not every_row:
        rows = rows.head(MAX_GAP_ROWS_CITY if page.is_city else MAX_GAP_ROWS_COUNTY)
    rows = rows.reset_index(drop=True)
    indicator = rows["indicator"].astype("str")
    relaxed = rows["relaxed"].fillna(False).astype(bool)
    floor = rows["floor_add"].fillna(0.0) > 0
    rule = rows["add"].fillna(0.0) > 0
    reach = np.where(relaxed, t("readiness.reach_relaxed", lang), t("readiness.reach_full", lang))
    reach = [t("readiness.reach_and_floor", lang, reach=r) if f and a else (t("readiness.reach_floor", lang)
             if f else r) for r, f, a in zip(reach, floor, rule, strict=True)]
    frame = pd.DataFrame({
        "county_code": rows["county_code"].astype("str"),
        "county_name": county_names(page, rows["county_code"]),
        "school_id": rows["school_id"].astype("str"),
        "school_name": rows["school_name"].astype("str"),
        "level": rows["level"].astype("str"),
        "indicator": indicator,
        "unit": indicator.map(lambda code: BALANCE_INDICATORS[code].unit).astype("str"),
        "value": rows["value"].astype("float64"),
        "threshold": rows["standard"].astype("float64"),
        "comparator": STANDARD_COMPARATOR,
        "students": rows["students"].astype("float64"),
        "plan_add": rows["plan_add"].astype("float64"),
        "add_unit": rows["add_unit"].astype("str"),
        "addition": [addition_text(a, i, u, lang) for a, i, u in
                     zip(rows["plan_add"], rows["indicator"].astype("str"), rows["add_unit"], strict=True)],
        "reach": reach,
        "cost_yuan": rows["plan_cost_yuan"].astype("float64").round(),
        "cost_basis": rows["cost_basis"].astype("str"),
        "cost_basis_text": [t(f"readiness.cost_basis.{b}", lang) for b in rows["cost_basis"]],
    })
    shown = ("school_name", "level", "indicator", "value", "threshold", "students", "addition", "reach",
             "cost_yuan", "cost_basis_text")
    note = t("readiness.gaps_note", lang)
    if total > len(frame):
        shown_key = "readiness.gaps_shown" if page.is_city else "readiness.gaps_shown_first"
        note += (" " if lang == "en" else "") + t(shown_key, lang, rows=format_number(total, "count"),
                                                   shown=format_number(len(frame), "count"), file=GAP_LIST_FILE)
    safe = labelled(frame, lang, title=t("readiness.gaps", lang),
                    columns=(("county_name",) if page.is_city else ()) + shown,
                    headers={"county_name": t("column.county_name", lang),
                             "school_name": t("readiness.school_name", lang),
                             "level": t("readiness.part_level", lang), "threshold": t("readiness.standard", lang),
                             "students": t("readiness.students", lang), "addition": t("readiness.addition", lang),
                             "reach": t("readiness.reach", lang), "cost_yuan": t("readiness.cost", lang),
                             "cost_basis_text": t("readiness.cost_basis", lang)},
                    units={"county_name": "text", "school_name": "text", "addition": "text", "reach": "text",
                           "cost_yuan": "yuan", "cost_basis_text": "text"},
                    counts=("students",), note=note, empty_text=t("readiness.gaps_none", lang),
                    # a value below its standard, as the school rule judges it (balance.school_verdicts)
                    failing={"value": rows["meets"].eq(False)},
                    # what else gives the pupils back: a per-pupil value, the addition (s·P/m − R) and its words
                    links=dict.fromkeys(("value", "plan_add", "addition"), ("students",)))
    return safe


def _floor_text(value: float, indicator: str, lang: str) -> str:
    """A floor in its indicator's unit, or "none needed"."""
    if pd.isna(value):
        return t("readiness.no_floor", lang)
    return format_value(value, BALANCE_INDICATORS[indicator].unit, lang)


@builder
def cv_floors(page: Page) -> pd.DataFrame:
    """The 差异系数 over their limits: the levelling-up floor f, the schools raised and the cost.

    From :attr:`qyanalysis.measures.gaps.GapPlan.indicators`: per level and
    indicator whose coefficient is over its limit (the registry's, after
    overrides), the floor on the values as they are and its cost, then the
    floor still needed after the school-rule additions and its cost.

    Returns:
        ``county_name`` (city), ``level, indicator, cv_before, limit,
        floor_alone_text, schools_raised_alone, floor_alone_cost_yuan,
        floor_text, schools_raised, floor_cost_yuan`` shown; ``floor_alone,
        floor`` kept. A coefficient the assessment judges not met is marked failing.
    """
    lang = page.lang
    rows = _own_rows(page, _gap_plan(page).indicators)
    rows = rows[(rows["cv_before"] > rows["limit"]) | rows["floor"].notna()].reset_index(drop=True)
    frame = rows[["county_code", "level", "indicator", "cv_before", "limit", "floor_alone", "schools_raised_alone",
                  "floor_alone_cost_yuan", "floor", "schools_raised", "floor_cost_yuan"]].copy()
    frame.insert(1, "county_name", county_names(page, frame["county_code"]))
    frame[["floor_alone_cost_yuan", "floor_cost_yuan"]] = frame[["floor_alone_cost_yuan", "floor_cost_yuan"]].round()
    frame["floor_alone_text"] = [_floor_text(v, i, lang) for v, i in zip(frame["floor_alone"], frame["indicator"],
                                                                        strict=True)]
    frame["floor_text"] = [_floor_text(v, i, lang) for v, i in zip(frame["floor"], frame["indicator"], strict=True)]
    shown = ("level", "indicator", "cv_before", "limit", "floor_alone_text", "schools_raised_alone",
             "floor_alone_cost_yuan", "floor_text", "schools_raised", "floor_cost_yuan")
    return labelled(frame, lang, title=t("readiness.floors", lang),
                    columns=(("county_name",) if page.is_city else ()) + shown,
                    headers={"county_name": t("column.county_name", lang), "cv_before": t("readiness.cv_before", lang),
                             "limit": t("readiness.limit", lang), "floor_alone_text": t("readiness.floor_alone", lang),
                             "schools_raised_alone": t("readiness.raised_alone", lang),
                             "floor_alone_cost_yuan": t("readiness.floor_alone_cost", lang),
                             "floor_text": t("readiness.floor_after", lang),
                             "schools_raised": t("readiness.raised_after", lang),
                             "floor_cost_yuan": t("readiness.floor_after_cost", lang)},
                    units={"county_name": "text", "cv_before": "ratio", "limit": "ratio", "floor_alone_text": "text",
                           "floor_text": "text", "schools_raised_alone": "count", "schools_raised": "count",
                           "floor_alone_cost_yuan": "yuan", "floor_cost_yuan": "yuan"},
                    note=t("readiness.floors_note", lang) if not frame.empty else "",
                    empty_text=t("readiness.floors_none", lang),
                    failing={"cv_before": _cv_not_met(page, frame)})


def _cv_not_met(page: Page, frame: pd.DataFrame) -> list[bool]:
    """Whether each county × level × indicator row's 差异系数 is not met, as the assessment judged it
    (the readiness status of ``balance_cv_<indicator>_<level>``)."""
    judged = _readiness_rows(page)
    keys = zip(judged["county_code"].astype("str"), judged["indicator"].astype("str"))
    status = dict(zip(keys, judged["status"]))
    return [status.get((str(county), f"balance_cv_{indicator}_{level}")) == "not_met"
            for county, indicator, level in zip(frame["county_code"], frame["indicator"], frame["level"],
                                                 strict=True)]


def _resource_rows(page: Page) -> pd.DataFrame:
    """The plan's additions and costs per resource of the page's county (summed over counties on the city
    page), with their unit costs and sources worded: the numbers behind :func:`cost_by_resource`."""
    from qyanalysis.measures.gaps import resource_totals

    lang = page.lang
    plan = _gap_plan(page)
    own = _own_rows(page, plan.by_resource)
    rows = resource_totals(own) if page.is_city else own.reset_index(drop=True)
    costs = plan.unit_costs.set_index("indicator")
    indicator = rows["indicator"].astype("str")
    unit_cost = indicator.map(costs["cost_yuan"]).astype("float64")
    frame = pd.DataFrame({
        "indicator": indicator,
        "plan_add": rows["plan_add"].astype("float64"),
        "add_unit": rows["add_unit"].astype("str"),
        "addition": [addition_text(a, i, u, lang) for a, i, u in
                     zip(rows["plan_add"], rows["indicator"].astype("str"), rows["add_unit"], strict=True)],
        "unit_cost_yuan": unit_cost,
        "unit_cost_text": [t(f"readiness.unit_cost.{u}", lang, amount=format_number(c, "count"))
                           for c, u in zip(unit_cost, rows["add_unit"], strict=True)],
        "cost_basis": rows["cost_basis"].astype("str"),
        "cost_basis_text": [t(f"readiness.cost_basis.{b}", lang) for b in rows["cost_basis"]],
        "plan_cost_yuan": rows["plan_cost_yuan"].astype("float64").round(),
        "source_text": [unit_cost_source(str(costs.loc[code, "source"]), lang) for code in indicator],
    })
    if page.is_city:
        frame["counties"] = rows["counties"].astype("int64")
    return frame


_RESOURCE_HEADERS = {"addition": "readiness.addition", "unit_cost_text": "readiness.unit_cost",
                     "cost_basis_text": "readiness.cost_basis", "plan_cost_yuan": "readiness.cost",
                     "source_text": "readiness.unit_cost_source", "counties": "readiness.counties_needing"}
_RESOURCE_UNITS = {"addition": "text", "unit_cost_text": "text", "cost_basis_text": "text",
                   "plan_cost_yuan": "yuan", "source_text": "text", "counties": "count"}


@builder
def cost_by_resource(page: Page) -> pd.DataFrame:
    """What the plan adds of each resource, its unit cost (with its source) and the cost.

    County page: :attr:`GapPlan.by_resource` of the county; city page:
    summed over counties (:func:`qyanalysis.measures.gaps.resource_totals`).
    Unit costs are assumptions unless a public source is named; the note
    says so.

    Returns:
        ``indicator, addition, unit_cost_text, cost_basis_text, plan_cost_yuan,
        source_text`` (+ ``counties`` on the city page) shown; ``plan_add,
        add_unit, cost_basis, unit_cost_yuan`` kept.
    """
    lang = page.lang
    frame = _resource_rows(page)
    shown = ("indicator", "addition", "unit_cost_text", "cost_basis_text", "plan_cost_yuan", "source_text")
    if page.is_city:
        shown = (*shown[:2], "counties", *shown[2:])
    return labelled(frame, lang, title=t("readiness.by_resource", lang), columns=shown,
                    headers={c: t(key, lang) for c, key in _RESOURCE_HEADERS.items()}, units=_RESOURCE_UNITS,
                    note=t("readiness.by_resource_note", lang))


#: How many of the costliest gaps the readiness page's answer names.
COSTLIEST = 3


@builder
def costliest(page: Page, n: int = COSTLIEST) -> pd.DataFrame:
    """The answer's second half: the ``n`` resources whose gaps cost the most to close (what the plan adds
    and its cost), from the same rows as :func:`cost_by_resource`; empty when nothing is short."""
    lang = page.lang
    frame = _resource_rows(page)
    frame = frame[frame["plan_cost_yuan"] > 0].sort_values("plan_cost_yuan", ascending=False, kind="stable")
    shown = ("indicator", "addition", "plan_cost_yuan", *(("counties",) if page.is_city else ()))
    return labelled(frame.head(n).reset_index(drop=True), lang, title=t("readiness.costliest", lang, n=n),
                    columns=shown, headers={c: t(key, lang) for c, key in _RESOURCE_HEADERS.items()},
                    units=_RESOURCE_UNITS, note=t("readiness.costliest_note", lang),
                    empty_text=t("readiness.costliest_none", lang))


@builder
def cost_by_county(page: Page) -> pd.DataFrame:
    """The plan's cost per county (one row on a county page): school rule, floors, one-off, per year, total.

    From :attr:`qyanalysis.measures.gaps.GapPlan.by_county`; the total adds one
    year of teacher cost to the one-off costs.
    """
    lang = page.lang
    rows = _own_rows(page, _gap_plan(page).by_county).reset_index(drop=True)
    frame = rows[["county_code", "parts_failing", "cvs_over_limit", "school_rule_cost_yuan", "floor_cost_yuan",
                  "one_off_cost_yuan", "per_year_cost_yuan", "plan_cost_yuan"]].copy()
    frame.insert(1, "county_name", county_names(page, frame["county_code"]))
    money = ("school_rule_cost_yuan", "floor_cost_yuan", "one_off_cost_yuan", "per_year_cost_yuan",
             "plan_cost_yuan")
    frame[list(money)] = frame[list(money)].round()  # shown to the yuan
    return labelled(frame, lang, title=t("readiness.by_county", lang),
                    columns=("county_name", "parts_failing", "cvs_over_limit", *money),
                    headers={"county_name": t("column.county_name", lang),
                             "parts_failing": t("readiness.parts_failing", lang),
                             "cvs_over_limit": t("readiness.cvs_over", lang),
                             "school_rule_cost_yuan": t("readiness.school_rule_cost", lang),
                             "floor_cost_yuan": t("readiness.floor_cost", lang),
                             "one_off_cost_yuan": t("readiness.one_off_cost", lang),
                             "per_year_cost_yuan": t("readiness.per_year_cost", lang),
                             "plan_cost_yuan": t("readiness.plan_cost", lang)},
                    units={"county_name": "text", "parts_failing": "count", "cvs_over_limit": "count",
                           **dict.fromkeys(money, "yuan")},
                    note=t("readiness.by_county_note", lang))


# --- trajectory ------------------------------------------------------------------------------------


def _when(status: str, year: float, optimistic: float, pessimistic: float, years_used: float, horizon: int,
          lang: str) -> str:
    """The year met at the current pace, worded with its interval; else why there is none.

    "not before HORIZON" (a trend that does not reach the standard), a yes/no
    item (no pace to project), or an unknown year (fewer yearly values than
    ``settings.READINESS_MIN_YEARS``, with how many there are).
    """
    if status == "on_pace":
        return t("readiness.when.on_pace", lang, year=int(year), optimistic=year_text(optimistic, horizon, lang),
                 pessimistic=year_text(pessimistic, horizon, lang))
    if status == "not_before_horizon":
        return t("readiness.when.not_before", lang, horizon=horizon)
    if status == "too_few_years":
        return t("readiness.when.too_few_years", lang, years=int(years_used), min_years=settings.READINESS_MIN_YEARS)
    return t("readiness.when.yes_no_unmet", lang)


def slope_text(slope: float, indicator: str, lang: str) -> str:
    """A yearly change in the indicator's own unit, from its catalogue entry: "+1.80 所", "−0.5 个百分点".

    A share or rate changes by percentage points (:data:`SLOPE_UNITS`); a
    count carries the measure word of what it counts (``Indicator.counts``);
    a yes/no item or a missing slope is "—".
    """
    entry = CATALOGUE[indicator]
    if pd.isna(slope) or entry.unit == "flag":
        return t("value.missing", lang)
    # a fitted change of a count per year is no count of persons or schools: two decimals unless whole
    decimals = (0 if float(slope).is_integer() else 2) if entry.unit == "count" else None
    return format_value(slope, SLOPE_UNITS.get(entry.unit, entry.unit), lang, counts=entry.counts, signed=True,
                        decimals=decimals)


@builder
def trajectory(page: Page) -> pd.DataFrame:
    """The year each standard not met this year would be met at the 2019–2022 pace, with its interval.

    From :func:`qyanalysis.verdicts.readiness.trajectory` (OLS on the yearly values,
    ``settings.READINESS_INTERVAL`` prediction interval, looked at up to
    ``settings.READINESS_HORIZON_YEAR``). Only indicators not met this year
    (on the city page, only those with a trend: the others are named by
    :func:`ready_years`). The latest value is the readiness value where no
    trend was fitted.

    Returns:
        ``county_name`` (city), ``part_name, number, indicator, value`` (the
        latest), ``threshold, slope_text, when`` shown; ``trajectory_status, year_met,
        year_met_optimistic, year_met_pessimistic, horizon, year, interval, last_year, unit``
        kept for the chart.
    """
    lang = page.lang
    indicators, _ = _trajectories(page)
    rows = _own_rows(page, indicators)
    # the city lists the indicators with a trend; those without one are named in ready_years
    kept = UNMET_TRAJECTORY[:2] if page.is_city else UNMET_TRAJECTORY
    rows = rows[rows["status"].isin(kept)].reset_index(drop=True)
    now = _readiness_rows(page).set_index(["county_code", "assessment_id"])["value"]
    latest = pd.Series(list(zip(rows["county_code"], rows["assessment_id"], strict=True)), dtype="object").map(now)
    horizon = int(settings.READINESS_HORIZON_YEAR)
    unit = rows["indicator"].map(lambda code: CATALOGUE[code].unit).astype("str")
    frame = pd.DataFrame({
        "county_code": rows["county_code"].astype("str"),
        "county_name": county_names(page, rows["county_code"]),
        "part": rows["part"].astype("str"),
        "part_name": [part_name(p, lang) for p in rows["part"]],
        "number": rows["number"].astype("str"),
        "indicator": rows["indicator"].astype("str"),
        "unit": unit,
        "value": rows["last_value"].astype("float64").fillna(latest.astype("float64")),
        "threshold": rows["standard"].astype("float64"),
        "slope_text": [slope_text(s, code, lang) for s, code in
                       zip(rows["slope_per_year"], rows["indicator"].astype("str"), strict=True)],
        "when": [_when(s, y, o, p, n, horizon, lang) for s, y, o, p, n in zip(
            rows["status"], rows["year_met"], rows["year_met_optimistic"], rows["year_met_pessimistic"],
            rows["years_used"], strict=True)],
        "trajectory_status": rows["status"].astype("str"),
        "year_met": rows["year_met"].astype("float64"),
        "year_met_optimistic": rows["year_met_optimistic"].astype("float64"),
        "year_met_pessimistic": rows["year_met_pessimistic"].astype("float64"),
        "last_year": rows["last_year"].astype("float64"),
        "horizon": horizon,
        "year": page.year,
        "interval": float(settings.READINESS_INTERVAL),
    })
    interval = format_value(settings.READINESS_INTERVAL, "share", lang)
    shown = ("part_name", "number", "indicator", "value", "threshold", "slope_text", "when")
    return labelled(frame, lang, title=t("readiness.trajectory", lang),
                    columns=(("county_name",) if page.is_city else ()) + shown,
                    headers={"county_name": t("column.county_name", lang), "part_name": t("readiness.part", lang),
                             "number": t("readiness.number", lang), "value": t("readiness.last_value", lang),
                             "threshold": t("readiness.standard", lang), "slope_text": t("readiness.slope", lang),
                             "when": t("readiness.when", lang)},
                    units={"county_name": "text", "part_name": "text", "number": "text", "slope_text": "text",
                           "when": "text"},
                    note=t("readiness.trajectory_note", lang, interval=interval,
                           min_years=settings.READINESS_MIN_YEARS),
                    empty_text=t("readiness.trajectory_none", lang))


@builder
def ready_years(page: Page) -> pd.DataFrame:
    """When the county (each county, on the city page) could apply at the current pace, and what holds it back.

    From the county rows of :func:`qyanalysis.verdicts.readiness.trajectory`: by its
    ``outcome``, now, the year (with its interval), "not before HORIZON",
    no year (an unmet yes/no item) or an unknown year (too few years of data;
    with the year the others would be met). ``blocked_by`` names every
    blocker under its reason: not met by the horizon at the current pace, an
    unmet yes/no item, too few years.
    """
    lang = page.lang
    indicators, counties = _trajectories(page)
    rows = _own_rows(page, counties).reset_index(drop=True)
    horizon = int(settings.READINESS_HORIZON_YEAR)
    blockers = indicators[indicators["status"].isin(["not_before_horizon", "yes_no_unmet", "too_few_years"])]
    texts = [_ready_text(row, page.year, horizon, lang) for _, row in rows.iterrows()]
    blocked = [_blockers_text(blockers[blockers["county_code"] == code], horizon, lang) for code in rows["county_code"]]
    frame = pd.DataFrame({"county_code": rows["county_code"].astype("str"),
                          "county_name": county_names(page, rows["county_code"]),
                          "ready_when": texts, "blocked_by": blocked,
                          "outcome": rows["outcome"].astype("str"),
                          "ready_year": rows["ready_year"].astype("float64")})
    title = t("readiness.ready_years" if page.is_city else "readiness.ready_years_county", lang)
    return labelled(frame, lang, title=title, columns=("county_name", "ready_when", "blocked_by"),
                    headers={"county_name": t("column.county_name", lang),
                             "ready_when": t("readiness.ready_when", lang),
                             "blocked_by": t("readiness.blocked_by", lang)},
                    units={"county_name": "text", "ready_when": "text", "blocked_by": "text"})


def _ready_text(row: pd.Series, year: int, horizon: int, lang: str) -> str:
    """A county's outcome (:data:`qyanalysis.verdicts.readiness.COUNTY_OUTCOMES`) in words."""
    outcome = row["outcome"]
    if outcome == "ready_now":
        return t("readiness.ready.now", lang, year=year)
    if outcome == "on_pace":
        return t("readiness.ready.on_pace", lang, year=int(row["ready_year"]),
                 optimistic=year_text(row["ready_year_optimistic"], horizon, lang),
                 pessimistic=year_text(row["ready_year_pessimistic"], horizon, lang))
    if outcome == "not_before_horizon":
        return t("readiness.ready.not_before", lang, horizon=horizon)
    if outcome == "blocked":
        return t("readiness.ready.blocked", lang)
    if pd.notna(row["ready_year_at_least"]):
        return t("readiness.ready.unknown_at_least", lang, year=int(row["ready_year_at_least"]))
    return t("readiness.ready.unknown", lang)


def _blockers_text(own: pd.DataFrame, horizon: int, lang: str) -> str:
    """The indicators holding a county back, listed under their reasons ("无" / "none" when there are none)."""
    parts = []
    for status, key in (("not_before_horizon", "not_by_horizon"), ("yes_no_unmet", "yes_no_unmet"),
                        ("too_few_years", "too_few_years")):
        hit = own[own["status"] == status]
        if len(hit):
            items = listed([indicator_reference(p, n, i, lang) for p, n, i in
                            zip(hit["part"], hit["number"], hit["indicator"], strict=True)], lang)
            parts.append(t(f"readiness.blocked.{key}", lang, items=items, horizon=horizon,
                           min_years=settings.READINESS_MIN_YEARS))
    return t("readiness.blocked.separator", lang).join(parts) if parts else t("readiness.none", lang)


# --- the 有编不补 veto beside the census's temporary teachers ----------------------------------------

#: The veto item the census's temporary teachers bear on (教督〔2017〕6号: 有编不补 or long-term 编外教师).
TEMPORARY_VETO = "veto_unfilled_posts_or_temporary_teachers"


def _veto_answers(page: Page) -> pd.Series:
    """The bureau's answer to the 有编不补 veto per county in the page's year: 是 / 否 / missing, worded."""
    rows = _readiness_rows(page)
    rows = rows[rows["indicator"] == TEMPORARY_VETO]
    answers = rows.set_index(rows["county_code"].astype("str"))["value"]
    return answers.map(lambda v: t("value.missing", page.lang) if pd.isna(v) else
                       t("readiness.veto_yes" if v == 1 else "readiness.veto_no", page.lang))


@builder
def veto_temporary_teachers(page: Page) -> pd.DataFrame:
    """The census's temporary teachers of public compulsory schools, beside the 有编不补 veto (V6).

    Temporary teachers (临聘教师), established teachers and the temporary share
    of all teachers (:func:`qyanalysis.measures.staffing.compulsory_temporary_teachers`).
    County page: one row per census year up to the page's year (whether the
    county relies on them long-term), the veto's answer in the note. City
    page: one row per listed county in the page's year, with the answer.
    The figures inform the veto; they cannot decide it (the approved
    establishment is not in the census).

    Returns:
        ``county_code, county_name, year, temporary, established, teachers,
        share, veto_text``.
    """
    from qyanalysis.measures.staffing import compulsory_temporary_teachers

    lang = page.lang
    schools = page.dataset.schools
    schools = schools[schools["year"] <= page.year]
    counts = compulsory_temporary_teachers(schools[schools["county_code"].isin(listed_counties(page))])
    if page.is_city:
        counts = counts[counts["year"] == page.year]
    counts = counts.sort_values(["county_code", "year"], kind="stable").reset_index(drop=True)
    answers = _veto_answers(page)
    codes = counts["county_code"].astype("str")
    counts["county_name"] = county_names(page, codes).to_numpy()
    counts["year"] = counts["year"].astype("int64").astype("str")
    counts["veto_text"] = codes.map(answers).fillna(t("value.missing", lang)).astype("str")
    first = ("county_name",) if page.is_city else ("year",)
    last = ("veto_text",) if page.is_city else ()
    own = answers.get(page.county_code, t("value.missing", lang)) if not page.is_city else ""
    note = t("readiness.temporary_note", lang) + ("" if page.is_city else " " + t(
        "readiness.temporary_veto", lang, answer=own))
    return labelled(counts, lang, title=t("readiness.temporary_title", lang),
                    columns=(*first, "temporary", "established", "share", *last),
                    headers={"county_name": t("column.county_name", lang), "year": t("column.year", lang),
                             "temporary": t("readiness.temporary", lang),
                             "established": t("readiness.established", lang),
                             "share": t("readiness.temporary_share", lang),
                             "veto_text": t("readiness.temporary_veto_column", lang)},
                    units={"county_name": "text", "year": "text", "temporary": "count", "established": "count",
                           "share": "share", "veto_text": "text"},
                    counts=("temporary", "established"), links={"share": ["temporary", "established"]},
                    note=note, empty_text=t("readiness.temporary_none", lang))
