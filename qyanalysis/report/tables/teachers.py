"""Section 5 (the "New Strong Teachers" programme, items 24–30): the page's analyses as labelled frames.

Staffing by stage (primary / junior / senior) and location (urban / town /
rural, and all together): pupil–teacher ratios of **full-time teachers**
(专任教师) beside Guangdong's 2021 figures and, only when the census has
``staff``, students per **staff member** (教职工) against the national
establishment norms (中央编办发〔2014〕72号; the two are never mixed);
qualifications with Wilson intervals; backbone and PE/arts teachers per 100
pupils; the age of the workforce, subject shortages and rotation from the
teacher roster; the item-27 rule worked out; support placements (item 29) and
pay (item 30). Every table is of the page's year only: the county's schools
and roster of that year (every county's on the city page).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import pandas as pd

from qyanalysis import settings
from qyanalysis.contract.columns import LOCATIONS
from qyanalysis.contract.indicators import BALANCE_INDICATORS, get
from qyanalysis.dataset import Dataset
from qyanalysis.measures import staffing, teachers
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_number, format_value
from qyanalysis.present.shown import shown_row, whole_threshold
from qyanalysis.report.frames import is_small_count, labelled, spec_of, with_spec
from qyanalysis.report.page import Page
from qyanalysis.report.tables.common import (
    counties_cut_note,
    county_names,
    latest_inputs,
    ranked_counties,
    listed_counties,
    target_threshold,
    unit_header,
    _unit_rows,
)
from qyanalysis.report.registry import builder

ALL_LOCATIONS = "all"
STAGE_ORDER = {stage: i for i, stage in enumerate(staffing.STAGES)}
LOCATION_ORDER = {code: i for i, code in enumerate((*LOCATIONS, ALL_LOCATIONS))}
# Indicators of the location chart, in panel order (catalogue codes, so the chart words them).
PROFILE_INDICATORS = ("pupil_teacher_ratio_primary", "pupil_teacher_ratio_junior",
                      "qualified_teacher_share_primary", "qualified_teacher_share_junior",
                      "backbone_teachers_per_100_pupils", "pe_arts_teachers_per_100_pupils",
                      "older_teacher_share")
ITEM27_TARGET = "t27_temporary_teacher_excess_cut"
K = "report.staffing."


# --- scope, grouping and words --------------------------------------------------------------------

def _year_scope(page: Page) -> Dataset:
    """The page's data of its year: the county's schools and roster (every county's for the city page).

    Computed once per kernel (``page.memo``); every table of the page works on it.
    """
    def scoped() -> Dataset:
        roster = page.dataset.teachers
        if roster is not None:
            keep = roster["year"] == page.year
            if not page.is_city:
                keep &= roster["county_code"] == page.county_code
            roster = roster[keep]
        return replace(page.dataset, schools=page.schools, teachers=roster)

    return page.memo(("teachers_year_scope", page.county_code, page.year), scoped)


def by_location(table: Callable[[Sequence[str]], pd.DataFrame]) -> pd.DataFrame:
    """``table(by)`` for each location and for all locations together (``location`` = "all").

    Args:
        table: A measure table function of the grouping on the page's year scope,
            e.g. ``lambda by: staffing.pupil_teacher_table(data, by)``.

    Returns:
        The rows of ``table(("location",))`` and of ``table(())`` with
        ``location`` = "all", sorted by stage (if any) and location.
    """
    parts = [table(["year", "location"]), table(["year"]).assign(location=ALL_LOCATIONS)]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=["year", "location"])
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[frame["location"].isin(LOCATION_ORDER)]
    keys = frame["location"].map(LOCATION_ORDER)
    if "stage" in frame:
        keys = frame["stage"].map(STAGE_ORDER) * 10 + keys
    return frame.assign(_order=keys).sort_values("_order", kind="stable").drop(columns="_order").reset_index(
        drop=True)


# The measure table of each grouping the section shows (a name → the table of the year scope's grouping).
_TABLES: dict[str, Callable[[Dataset, Sequence[str]], pd.DataFrame]] = {
    "pupil_teacher": lambda data, by: staffing.pupil_teacher_table(data, by),
    "establishment": lambda data, by: staffing.establishment_table(data, by),
    "qualification": lambda data, by: staffing.qualification_table(data, by),
    "backbone_teachers": lambda data, by: staffing.per_100_pupils_table(data, "backbone_teachers", by),
    "pe_arts_teachers": lambda data, by: staffing.per_100_pupils_table(data, "pe_arts_teachers", by),
    "age": lambda data, by: teachers.age_table(data, by),
    "subjects": lambda data, by: teachers.subject_supply_table(data, None, by),
}


def _location_rows(page: Page, name: str) -> pd.DataFrame:
    """:func:`by_location` of the measure table ``name`` (:data:`_TABLES`) on the page's year scope.

    Computed once per kernel (``page.memo``): the location chart and the
    detailed tables share it. Read-only: copy before changing it.
    """
    data = _year_scope(page)
    return page.memo(("teachers_by_location", name, page.county_code, page.year),
                     lambda: by_location(lambda by: _TABLES[name](data, by)))


def with_names(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Adds ``stage_name`` and ``location_name`` (display words) where the codes are present."""
    out = frame.copy()
    if "stage" in out:
        out["stage_name"] = out["stage"].map(lambda s: t(f"level.{s}", lang)).astype("str")
    if "location" in out:
        words = {c: t(f"location.{c}", lang) for c in LOCATIONS}
        words[ALL_LOCATIONS] = t(f"{K}all_locations", lang)
        out["location_name"] = out["location"].map(words).astype("str")
    return out


def _location_frame(page: Page, rows: pd.DataFrame, title: str, columns: Mapping[str, str | None], *,
                    counts: Sequence[str], units: Mapping[str, str], note: str = "", empty_text: str = "",
                    **options) -> pd.DataFrame:
    """:func:`by_location` rows labelled: stage (if any) and location first, then ``columns``.

    Args:
        columns: Column → key under ``report.staffing.column.`` of its header (None: the catalogue's
            ``column.<name>`` label).
        counts: Person-count columns (disclosure control).
        units: Value column → unit.
        **options: ``links``, ``small_base``, ``row_groups`` of :func:`~qyanalysis.report.frames.labelled`.
    """
    rows = with_names(rows, page.lang)
    names = [c for c in ("stage_name", "kind", "location_name") if c in rows]
    headers = {c: t(f"{K}column.{key}", page.lang)
               for c, key in {**{c: c for c in names}, **columns}.items() if key is not None}
    return labelled(rows, page.lang, title=title, columns=(*names, *columns), headers=headers,
                    units={**dict.fromkeys(names, "text"), **units}, counts=counts, note=note,
                    empty_text=empty_text, **options)


# --- staffing by stage and location ---------------------------------------------------------------

@builder
def location_profile(page: Page) -> pd.DataFrame:
    """Urban, town and rural schools side by side on the main staffing indicators (for one chart).

    A group whose persons (teachers, or pupils for per-100 figures) number
    1–4 is left out, as the detailed tables hide it.

    Returns:
        ``indicator, location, value, persons`` in :data:`PROFILE_INDICATORS` order.
    """
    specs = (  # (table name, indicator code or stage prefix, column counting persons)
        ("pupil_teacher", "pupil_teacher_ratio_", "denominator"),
        ("qualification", "qualified_teacher_share_", "denominator"),
        ("backbone_teachers", "backbone_teachers_per_100_pupils", "numerator"),
        ("pe_arts_teachers", "pe_arts_teachers_per_100_pupils", "numerator"),
        ("age", "older_teacher_share", "denominator"),
    )
    parts = []
    for name, code, persons in specs:
        rows = _location_rows(page, name)
        if not rows.empty:
            indicator = code + rows["stage"] if code.endswith("_") else code
            parts.append(rows.assign(indicator=indicator, persons=rows[persons]))
    columns = ["indicator", "location", "value", "persons"]
    rows = pd.concat([p[columns] for p in parts], ignore_index=True) if parts else pd.DataFrame(columns=columns)
    keep = rows["location"].isin(LOCATIONS) & rows["indicator"].isin(PROFILE_INDICATORS)
    rows = rows[keep & ~is_small_count(rows["persons"].astype("float64"))]
    order = {code: i for i, code in enumerate(PROFILE_INDICATORS)}
    rows = rows.sort_values("indicator", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    rows["unit"] = rows["indicator"].map(lambda code: get(code).unit).astype("str")
    return labelled(rows, page.lang, title=t(f"{K}profile", page.lang), columns=("indicator", "location", "value"),
                    counts=("persons",), row_groups="indicator",
                    note=t(f"{K}profile_note", page.lang))


@builder
def pupil_teacher_ratios(page: Page) -> pd.DataFrame:
    """Pupils per full-time teacher (专任教师) by stage and location, beside Guangdong's 2021 ratios."""
    rows = _location_rows(page, "pupil_teacher")
    reference = "reference_guangdong_2021"
    return _location_frame(
        page, rows, t(f"{K}ptr", page.lang),
        {"numerator": "pupils", "denominator": "teachers", "value": "pupils_per_teacher", reference: reference,
         "difference_from_reference": "difference"},
        counts=("numerator", "denominator"),
        units={"value": "ratio", reference: "ratio", "difference_from_reference": "ratio"},
        links={reference: []}, row_groups="stage", note=t(f"{K}ptr_note", page.lang))


@builder
def students_per_staff(page: Page) -> pd.DataFrame:
    """Students per staff member (教职工) against the national establishment norms — only with ``staff``."""
    data = _year_scope(page)
    has_staff = "staff" in data.schools.columns
    rows = _location_rows(page, "establishment").copy() if has_staff else pd.DataFrame(columns=["year", "location"])
    if not rows.empty:
        rows["within_text"] = rows["within_norm"].map(lambda v: t("value.missing", page.lang) if pd.isna(v)
                                                      else t(f"{K}{'yes' if v else 'no'}", page.lang))
    return _location_frame(
        page, rows, t(f"{K}staff", page.lang),
        {"numerator": "pupils", "denominator": "staff", "value": "pupils_per_staff", "norm": "norm",
         "within_text": "within_text"},
        counts=("numerator", "denominator"), units={"value": "ratio", "norm": "ratio", "within_text": "text"},
        links={"norm": []}, row_groups="stage", note=t(f"{K}staff_note", page.lang) if has_staff else "",
        empty_text="" if has_staff else t(f"{K}no_staff", page.lang))


@builder
def qualification_shares(page: Page) -> pd.DataFrame:
    """Full-time teachers above the required qualification (primary 大专+, junior 本科+), with Wilson intervals."""
    rows = _location_rows(page, "qualification")
    reference = "reference_guangdong_2021"
    return _location_frame(
        page, rows, t(f"{K}qualification", page.lang),
        {"denominator": "teachers", "numerator": "qualified_teachers", "value": "qualified_share",
         "ci_low": None, "ci_high": None, reference: reference},
        counts=("denominator", "numerator"),
        units={"value": "share", "ci_low": "share", "ci_high": "share", reference: "share"},
        links={reference: []}, small_base="denominator", row_groups="stage",
        note=t(f"{K}qualification_note", page.lang))


@builder
def teachers_per_100_pupils(page: Page) -> pd.DataFrame:
    """Backbone and PE/arts teachers per 100 pupils by location, beside the 优质均衡 school standards."""
    parts = []
    for column, code in (("backbone_teachers", "backbone_teachers_per_100"),
                         ("pe_arts_teachers", "pe_arts_teachers_per_100")):
        rows = _location_rows(page, column)
        if not rows.empty:
            standard = BALANCE_INDICATORS[code].primary  # the same for primary and junior schools
            parts.append(rows.assign(kind=t(f"balance.{code}", page.lang), standard=standard))
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["year", "location"])
    return _location_frame(
        page, rows, t(f"{K}per100", page.lang),
        {"numerator": "count_teachers", "denominator": "pupils", "value": "per100", "standard": "standard"},
        counts=("numerator", "denominator"), units={"kind": "text", "value": "per100", "standard": "per100"},
        links={"standard": []}, row_groups="kind", note=t(f"{K}per100_note", page.lang))


# --- the teacher roster: age, subjects, rotation --------------------------------------------------

def _age_gap_note(page: Page, frame: pd.DataFrame) -> str:
    """The rural–urban sentence under the age table (:func:`measures.teachers.older_share_gap`), "" when
    either location is missing or a count it rests on is hidden."""
    spec = spec_of(frame)
    pair = frame["location"].isin(("rural", "urban"))
    hidden = {label for cells in spec.hidden.values() for label in cells}
    if hidden & set(frame.index[pair]):
        return ""
    gap = teachers.older_share_gap(frame[frame["location"].isin(LOCATIONS)])
    if gap is None:
        return ""
    share = {k: format_value(gap[k], "share", page.lang) for k in ("rural", "urban")}
    points = {k: format_number(gap[k], "pp") for k in ("difference", "low", "high")}
    return t(f"{K}age_gap", page.lang, **share, **points, rural_age=format_number(gap["rural_age"], "years"),
             urban_age=format_number(gap["urban_age"], "years"))


@builder
def age_structure(page: Page) -> pd.DataFrame:
    """The age of the workforce by location: share aged 50+ (Wilson intervals) and mean age (roster)."""
    rows = _location_rows(page, "age")
    frame = _location_frame(
        page, rows, t(f"{K}age", page.lang),
        {"denominator": "roster_teachers", "numerator": "older", "value": "older_share", "ci_low": None,
         "ci_high": None, "mean_age_years": "mean_age"},
        counts=("denominator", "numerator"),
        units={"value": "share", "ci_low": "share", "ci_high": "share", "mean_age_years": "years"},
        links={"mean_age_years": ["denominator"]}, small_base="denominator",
        empty_text=t(f"{K}no_roster", page.lang))
    return with_spec(frame, note=_age_gap_note(page, frame)) if not frame.empty else frame


@builder
def subject_shortages(page: Page) -> pd.DataFrame:
    """Teachers of PE, music and fine arts per 100 pupils by location (roster).

    The subjects side by side and their sum: :func:`qyanalysis.measures.teachers.subject_table`.
    """
    supply = _location_rows(page, "subjects")
    table = teachers.subject_table(supply)
    table = table.sort_values("location", key=lambda s: s.map(LOCATION_ORDER)).reset_index(drop=True)
    table = with_names(table, page.lang)
    subjects = settings.SHORTAGE_SUBJECTS
    counts = ("pupils", *(f"{s}_teachers" for s in subjects))
    units = {"location_name": "text", **{f"{s}_per100": "per100" for s in subjects}, "combined_per100": "per100"}
    links = {f"{s}_per100": [f"{s}_teachers"] for s in subjects} | {"combined_per100": list(counts[1:])}
    headers = {c: t(f"{K}column.{c}", page.lang) for c in ("location_name", "pupils", "combined_per100")}
    for s in subjects:
        name = t(f"{K}subject.{s}", page.lang)
        headers[f"{s}_teachers"] = t(f"{K}column.subject_teachers", page.lang, subject=name)
        headers[f"{s}_per100"] = t(f"{K}column.subject_per100", page.lang, subject=name)
    columns = ("location_name", "pupils", *(c for s in subjects for c in (f"{s}_teachers", f"{s}_per100")),
               "combined_per100")
    return labelled(table, page.lang, title=t(f"{K}subjects", page.lang), columns=columns, headers=headers,
                    units=units, counts=counts, links=links, note=t(f"{K}subjects_note", page.lang),
                    empty_text=t(f"{K}no_roster", page.lang))


@builder
def rotation(page: Page) -> pd.DataFrame:
    """Rotation of eligible teachers (>= 10 %) and backbone teachers among them (>= 20 %) by location.

    No interval: who is rotated is the bureau's decision, an administrative
    share (the indicator catalogue's ``interval`` flag).
    """
    frame = teachers.roster(_year_scope(page))
    rows = pd.DataFrame(columns=["year", "location"])
    if frame is not None:
        rates = by_location(lambda by: teachers.rotation_rate(frame, by))
        backbone = by_location(lambda by: teachers.backbone_share_of_rotated(frame, by))
        rows = rates
        if not rates.empty:
            backbone = backbone.reindex(columns=["location", "numerator", "value"])
            rows = rates.merge(backbone, on="location", how="left", suffixes=("", "_backbone"), validate="1:1")
    codes = {"rate": "teacher_rotation_rate", "backbone": "backbone_share_of_rotated"}
    threshold = {key: format_value(target_threshold(page, f"t26_{code}"), "share", page.lang)
                 for key, code in codes.items()}
    columns = {"denominator": "eligible", "numerator": "rotated", "value": "rotation_rate",
               "numerator_backbone": "rotated_backbone", "value_backbone": "backbone_share"}
    return _location_frame(page, rows, t(f"{K}rotation", page.lang), columns,
                           counts=("denominator", "numerator", "numerator_backbone"),
                           units={"value": "share", "value_backbone": "share"}, small_base="denominator",
                           note=t(f"{K}rotation_note", page.lang, **threshold) if frame is not None else "",
                           empty_text=t(f"{K}no_roster", page.lang))


# --- item 27: the temporary-teacher rule ----------------------------------------------------------

def _item27_steps(page: Page) -> pd.DataFrame:
    """Item 27 worked out (:func:`qyanalysis.measures.staffing.item27_steps`) for the page's counties.

    The share of the excess to cut is the target's as in force for each
    county (registry after ``targets_override``); ``met`` is the scorecard's
    status of ``t27_temporary_teacher_excess_cut`` (NA where the rule does not
    apply or the scorecard has no verdict). Only last year's and this year's
    census rows are read.
    """
    from qyanalysis.verdicts.targets import load_targets
    from qyanalysis.verdicts.targets.overrides import thresholds_in_force

    schools = page.dataset.schools
    keep = schools["year"].isin((page.year - 1, page.year))
    if not page.is_city:
        keep &= schools["county_code"] == page.county_code
    counts = staffing.temporary_teacher_counts(schools[keep])
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


def required_whole(required: float) -> float:
    """The item-27 cut required, in whole persons as its target's comparison implies (≥ 71.29 → 72).

    The cut is the threshold of :data:`ITEM27_TARGET`; it is printed as the
    scorecard prints that threshold (:func:`qyanalysis.present.shown.whole_threshold`).
    """
    from qyanalysis.verdicts.targets import load_targets

    if pd.isna(required):
        return float("nan")
    targets = load_targets()
    comparator = targets.loc[targets["target_id"] == ITEM27_TARGET, "comparator"].iloc[0]
    return whole_threshold(float(required), str(comparator))


def item27_sentence(row: pd.Series, year: int, lang: str) -> str:
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
    return text + t(f"{K}item27.applies", lang, excess=_count(row["excess"], lang),
                    limit=share(settings.TEMPORARY_RATIO_LIMIT_SHARE),
                    base=_count(row["base_previous"], lang),
                    temporary=_count(row["temporary_previous"], lang),
                    cut_share=share(row["cut_share"]),
                    required=_count(required_whole(row["required_cut"]), lang), **change,
                    verdict=t(f"{K}item27.{'met' if row['met'] else 'not_met'}", lang))


@builder
def temporary_teacher_rule(page: Page) -> pd.DataFrame:
    """Item 27 worked out: last year's ratio, the 5 % line, the excess, the cut required, the actual cut.

    One row per county (the page's own, or every listed county on the city
    page); on a county page the note says the rule in words with the
    county's numbers, unless a count of 1–4 persons is involved.

    Returns:
        ``county_code, county_name, temporary_previous, established_previous,
        base_previous, ratio_previous, applies, excess, cut_share,
        required_cut, required_whole (the cut in whole persons, as the
        scorecard prints the threshold: shown), temporary_now, actual_cut, met, verdict``.
    """
    steps = _item27_steps(page)
    steps = steps[steps["county_code"].isin(listed_counties(page))].reset_index(drop=True)
    steps["county_name"] = county_names(page, steps["county_code"]).to_numpy()
    steps["required_whole"] = steps["required_cut"].map(required_whole).astype("float64")
    steps["verdict"] = pd.Series([t(f"{K}item27.{'met_short' if met else 'not_met_short'}", page.lang) if applies
                                  else t("status.not_applicable", page.lang)
                                  for applies, met in zip(steps["applies"], steps["met"], strict=True)],
                                 index=steps.index, dtype="object")
    setting = t(f"{K}item27.setting", page.lang,
                definition=t(f"{K}denominator.{settings.TEMPORARY_RATIO_DENOMINATOR}", page.lang))
    counts = ("temporary_previous", "established_previous", "base_previous", "temporary_now")
    columns = ("county_name", "temporary_previous", "base_previous", "ratio_previous", "excess", "required_whole",
               "temporary_now", "actual_cut", "verdict")
    headers = {c: t(f"{K}column.{c}", page.lang) for c in columns[1:] if c != "required_whole"}
    headers["required_whole"] = t(f"{K}column.required_cut", page.lang)
    headers["county_name"] = t("column.county_name", page.lang)
    frame = labelled(steps, page.lang, title=t(f"{K}item27.title", page.lang), columns=columns, headers=headers,
                     units={"ratio_previous": "share", "excess": "count", "required_whole": "count",
                            "actual_cut": "count", "verdict": "text"},
                     counts=counts, links={"verdict": []},
                     empty_text=setting + " " + t(f"{K}item27.no_data", page.lang, previous_year=page.year - 1))
    if page.is_city or frame.empty:
        return with_spec(frame, note=" ".join(n for n in (setting, counties_cut_note(page)) if n))
    hidden = bool(spec_of(frame).hidden)
    sentence = t(f"{K}item27.small", page.lang) if hidden else item27_sentence(steps.iloc[0], page.year, page.lang)
    return with_spec(frame, note=setting + " " + sentence)


# --- support placements and pay ---------------------------------------------------------------------

@builder
def support_teachers(page: Page) -> pd.DataFrame:
    """Item 29: principals and teachers received and sent by county (latest of the year), the city totals
    against the city's target in the note."""
    codes = ("support_teachers_received", "support_teachers_sent")
    table = latest_inputs(page.measures, codes, listed_counties(page), page.year)
    table = table.dropna(subset=list(codes), how="all").reset_index(drop=True)
    table["county_name"] = county_names(page, table["county_code"]).to_numpy()
    notes = [counties_cut_note(page)]
    card = page.city_scorecard
    for code in codes:
        row = card[card["indicator"] == code]
        if not row.empty and pd.notna(row["value"].iloc[0]):
            notes.append(t(f"{K}support_total", page.lang, indicator=t(f"indicator.{code}", page.lang),
                           total=shown_row(row.iloc[0]).text("value", page.lang),
                           threshold=shown_row(row.iloc[0]).text("threshold", page.lang),
                           status=t(f"status.{row['status'].iloc[0]}", page.lang)))
    in_year = ("period",) if (table["period"] != "").any() else ()
    return labelled(table, page.lang, title=t(f"{K}support", page.lang),
                    columns=("county_name", *in_year, *codes),
                    headers={"county_name": t("column.county_name", page.lang),
                             "period": t("column.period", page.lang),
                             **{c: t(f"indicator.{c}", page.lang) for c in codes}},
                    units={"period": "text"}, counts=codes, note=" ".join(n for n in notes if n))


@builder
def pay_comparison(page: Page) -> pd.DataFrame:
    """Item 30: average teacher pay against local civil servants (元 a year), the gap and the ratio (>= 1.0)."""
    codes = ("teacher_avg_pay_yuan", "civil_servant_avg_pay_yuan", "teacher_salary_ratio")
    table = staffing.pay_comparison(_unit_rows(page, codes))
    if table[list(codes)].isna().all().all():
        table = table.iloc[0:0]
    return labelled(table, page.lang, title=t(f"{K}pay", page.lang),
                    columns=("unit_name", *codes[:2], "gap_yuan", codes[2]),
                    headers={"unit_name": unit_header(page), "gap_yuan": t(f"{K}column.pay_gap", page.lang),
                             **{c: t(f"indicator.{c}", page.lang) for c in codes}},
                    units={"unit_name": "text", "teacher_avg_pay_yuan": "yuan", "civil_servant_avg_pay_yuan": "yuan",
                           "gap_yuan": "yuan", "teacher_salary_ratio": "ratio"},
                    note=" ".join(n for n in (counties_cut_note(page), t(f"{K}pay_note", page.lang)) if n))


@builder
def pay_league(page: Page) -> pd.DataFrame:
    """City page: counties ranked on the teacher-to-civil-servant pay ratio against 1.0 (item 30)."""
    return ranked_counties(page, "teacher_salary_ratio", "t30_teacher_salary_ratio")
