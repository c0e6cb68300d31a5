"""Deep-dive views of section 5 (the "New Strong Teachers" programme) from the census and the roster.

Staffing by stage (primary / junior / senior) and location (urban / town /
rural): pupil–teacher ratios of **full-time teachers** (专任教师) beside
Guangdong's 2021 figures and, only when the census has ``staff``, students per
**staff member** (教职工) against the national establishment norms
(中央编办发〔2014〕72号; the two are never mixed); qualifications with Wilson
intervals; backbone and PE/arts teachers per 100 pupils; the age of the
workforce, subject shortages and rotation from the teacher roster. The rules
and reported inputs (items 27, 29, 30 and sections 6–7) are in
:mod:`qyanalysis.report.views_funding`, which shares the scope helpers here.

Each view asks a ``qyanalysis.measures`` function for a tidy frame of the page's
scope (the county, or every county for the city page), hides person counts of
1–4 and any figure that would give one back
(:func:`qyanalysis.report.safe_tables.display_frame`), and shows a table or a
chart in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import pandas as pd

from qyanalysis import settings
from qyanalysis.contract.indicators import BALANCE_INDICATORS
from qyanalysis.dataset import Dataset
from qyanalysis.measures import staffing, teachers
from qyanalysis.measures.rates import newcombe_difference_interval
from qyanalysis.present.charts import gap_chart
from qyanalysis.present.labels import t
from qyanalysis.present.numbers import format_number, format_value
from qyanalysis.report.page import Page
from qyanalysis.report.safe_tables import (
    display_frame,
    heading,
    hidden_marks,
    interval_text,
    is_small_count,
    paragraph,
    show_safe_table,
    suppressed_counts,
)
from qyanalysis.report.show import show_figure

LOCATIONS = ("urban", "town", "rural")
ALL_LOCATIONS = "all"
STAGE_ORDER = {stage: i for i, stage in enumerate(staffing.STAGES)}
LOCATION_ORDER = {code: i for i, code in enumerate((*LOCATIONS, ALL_LOCATIONS))}
# Indicators of the location chart, in panel order (catalogue codes, so the chart words them).
GAP_INDICATORS = ("pupil_teacher_ratio_primary", "pupil_teacher_ratio_junior",
                  "qualified_teacher_share_primary", "qualified_teacher_share_junior",
                  "backbone_teachers_per_100_pupils", "pe_arts_teachers_per_100_pupils",
                  "older_teacher_share")
_SCOPE_KEY = "views_staffing.scope"
K = "report.staffing."


# --- scope and headers ----------------------------------------------------------------------------

def headers_for(lang: str, *columns: str) -> dict[str, str]:
    """Header text of this module's columns from the ``report.staffing.column.*`` labels."""
    return {c: t(f"{K}column.{c}", lang) for c in columns}


def scope_dataset(page: Page) -> Dataset:
    """The page's data: the county's schools and roster (county page) or every county's (city page).

    Cached on the page, so each view of a notebook works on the same subset.
    """
    if _SCOPE_KEY not in page._cache:
        dataset = page.dataset
        if not page.is_city:
            code = page.county_code
            roster = dataset.teachers
            dataset = replace(dataset, schools=dataset.schools[dataset.schools["county_code"] == code],
                              teachers=None if roster is None else roster[roster["county_code"] == code])
        page._cache[_SCOPE_KEY] = dataset
    return page._cache[_SCOPE_KEY]


def by_location(page: Page, table: Callable[[Sequence[str]], pd.DataFrame]) -> pd.DataFrame:
    """``table(by)`` of the page's year for each location and for all locations together.

    Args:
        page: The page (its year).
        table: A measure table function of the grouping, e.g.
            ``lambda by: staffing.pupil_teacher_table(data, by)``.

    Returns:
        The rows of ``table(("year", "location"))`` and of ``table(("year",))``
        with ``location`` = "all", sorted by stage (if any) and location.
    """
    parts = [table(("year", "location")), table(("year",)).assign(location=ALL_LOCATIONS)]
    parts = [p[p["year"] == page.year] for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=["year", "location"])
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[frame["location"].isin(LOCATION_ORDER)]
    keys = frame["location"].map(LOCATION_ORDER)
    if "stage" in frame:
        keys = frame["stage"].map(STAGE_ORDER) * 10 + keys
    return frame.assign(_order=keys).sort_values("_order", kind="stable").drop(columns="_order").reset_index(
        drop=True)


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


def registry_threshold(page: Page, target_id: str) -> float:
    """The threshold of ``target_id`` on this page (a county override wins), else the registry's."""
    from qyanalysis.targets import load_targets

    card = page.scorecard
    rows = card.loc[(card["target_id"] == target_id) & card["threshold"].notna()]
    if not rows.empty:
        return float(rows["threshold"].iloc[0])
    registry = load_targets()
    return float(registry.loc[registry["target_id"] == target_id, "threshold"].iloc[0])


# --- staffing by stage and location ---------------------------------------------------------------

def location_profile(page: Page) -> pd.DataFrame:
    """``indicator, location, value`` of :data:`GAP_INDICATORS` by location, for the location chart.

    A group whose persons (teachers, or pupils for per-100 figures) number
    1–4 is left out, as its tables hide it.
    """
    data = scope_dataset(page)
    specs = (  # (table of the grouping, indicator code or stage prefix, column counting persons)
        (lambda by: staffing.pupil_teacher_table(data, by), "pupil_teacher_ratio_", "denominator"),
        (lambda by: staffing.qualification_table(data, by), "qualified_teacher_share_", "denominator"),
        (lambda by: staffing.per_100_pupils_table(data, "backbone_teachers", by),
         "backbone_teachers_per_100_pupils", "numerator"),
        (lambda by: staffing.per_100_pupils_table(data, "pe_arts_teachers", by),
         "pe_arts_teachers_per_100_pupils", "numerator"),
        (lambda by: teachers.age_table(data, by), "older_teacher_share", "denominator"),
    )
    tables = []
    for table, code, persons in specs:
        rows = by_location(page, table)
        if not rows.empty:
            indicator = code + rows["stage"] if code.endswith("_") else code
            tables.append(rows.assign(indicator=indicator, persons=rows[persons]))
    if not tables:
        return pd.DataFrame(columns=["indicator", "location", "value"])
    rows = pd.concat([f[["indicator", "location", "value", "persons"]] for f in tables], ignore_index=True)
    small = is_small_count(rows["persons"])
    rows = rows[rows["location"].isin(LOCATIONS) & rows["indicator"].isin(GAP_INDICATORS) & ~small]
    order = {code: i for i, code in enumerate(GAP_INDICATORS)}
    return rows.sort_values("indicator", key=lambda s: s.map(order), kind="stable")[
        ["indicator", "location", "value"]].reset_index(drop=True)


def show_location_profile(page: Page) -> None:
    """Urban, town and rural schools side by side on the main staffing indicators (one chart)."""
    heading(t(f"{K}profile", page.lang))
    rows = location_profile(page)
    if rows.empty:
        paragraph(t("report.no_data_table", page.lang))
        return
    show_figure(gap_chart(rows, page.lang))
    paragraph(t(f"{K}profile_note", page.lang))


def location_table(page: Page, table: pd.DataFrame, columns: Sequence[str], headers: Mapping[str, str], *,
                   counts: Sequence[str], units: Mapping[str, str], **options: object) -> None:
    """Rows of :func:`by_location` as a safe table: stage (if any) and location first, then ``columns``.

    Args:
        page: The page.
        table: :func:`by_location` rows.
        columns: Columns shown after the stage and location.
        headers: Column → key under ``report.staffing.column.`` of its header.
        counts: Person-count columns (disclosure control).
        units: Value column → unit, as for :func:`display_frame`.
        **options: ``links``, ``small_base``, ``row_groups`` of :func:`display_frame`.
    """
    if table.empty:
        paragraph(t("report.no_data_table", page.lang))
        return
    table = with_names(table, page.lang)
    shown = display_frame(table, counts, units, page.lang, **options)
    names = [c for c in ("stage_name", "kind", "location_name") if c in table]
    words = {c: t(f"{K}column.{key}", page.lang) for c, key in {**{c: c for c in names}, **headers}.items()}
    show_safe_table(page, shown, [*names, *columns], words)


def show_pupil_teacher_ratios(page: Page) -> None:
    """Pupils per full-time teacher (专任教师) by stage and location, beside Guangdong's 2021 ratios."""
    heading(t(f"{K}ptr", page.lang))
    table = by_location(page, lambda by: staffing.pupil_teacher_table(scope_dataset(page), by))
    if not table.empty:
        table["difference"] = table["value"] - table["reference_guangdong_2021"]
    reference = "reference_guangdong_2021"
    location_table(page, table, ["numerator", "denominator", "value", reference, "difference"],
                   {"numerator": "pupils", "denominator": "teachers", "value": "pupils_per_teacher",
                    reference: reference, "difference": "difference"},
                   counts=["numerator", "denominator"], units={"value": "ratio", reference: "ratio",
                                                              "difference": "ratio"},
                   links={reference: []}, row_groups="stage")
    paragraph(t(f"{K}ptr_note", page.lang))


def show_students_per_staff(page: Page) -> None:
    """Students per staff member (教职工) against the national establishment norms — only with ``staff``."""
    heading(t(f"{K}staff", page.lang))
    data = scope_dataset(page)
    if "staff" not in data.schools.columns:
        paragraph(t(f"{K}no_staff", page.lang))
        return
    table = by_location(page, lambda by: staffing.establishment_table(data, by))
    if not table.empty:
        table["within_text"] = table["within_norm"].map(lambda v: t("value.missing", page.lang) if pd.isna(v)
                                                        else t(f"{K}{'yes' if v else 'no'}", page.lang))
    location_table(page, table, ["numerator", "denominator", "value", "norm", "within_text"],
                   {"numerator": "pupils", "denominator": "staff", "value": "pupils_per_staff",
                    "norm": "norm", "within_text": "within_text"},
                   counts=["numerator", "denominator"],
                   units={"value": "ratio", "norm": "ratio", "within_text": "text"},
                   links={"norm": []}, row_groups="stage")
    paragraph(t(f"{K}staff_note", page.lang))


def show_qualification_shares(page: Page) -> None:
    """Full-time teachers above the required qualification (primary 大专+, junior 本科+), with intervals."""
    heading(t(f"{K}qualification", page.lang))
    table = by_location(page, lambda by: staffing.qualification_table(scope_dataset(page), by))
    if not table.empty:
        table["interval"] = interval_text(table["ci_low"], table["ci_high"], "share", page.lang)
    reference = "reference_guangdong_2021"
    location_table(page, table, ["denominator", "numerator", "value", "interval", reference],
                   {"denominator": "teachers", "numerator": "qualified_teachers", "value": "qualified_share",
                    "interval": "interval", reference: reference},
                   counts=["denominator", "numerator"],
                   units={"value": "share", "interval": "text", reference: "share"},
                   links={reference: []}, small_base="denominator", row_groups="stage")
    paragraph(t(f"{K}qualification_note", page.lang))


def show_teachers_per_100_pupils(page: Page) -> None:
    """Backbone and PE/arts teachers per 100 pupils by location, beside the 优质均衡 school standards."""
    heading(t(f"{K}per100", page.lang))
    data = scope_dataset(page)
    parts = []
    for column, code in (("backbone_teachers", "backbone_teachers_per_100"),
                         ("pe_arts_teachers", "pe_arts_teachers_per_100")):
        rows = by_location(page, lambda by, c=column: staffing.per_100_pupils_table(data, c, by))
        if not rows.empty:
            standard = BALANCE_INDICATORS[code][2]  # the same for primary and junior schools
            parts.append(rows.assign(kind=t(f"balance.{code}", page.lang), standard=standard))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    location_table(page, table, ["numerator", "denominator", "value", "standard"],
                   {"numerator": "count_teachers", "denominator": "pupils", "value": "per100",
                    "standard": "standard"},
                   counts=["numerator", "denominator"], units={"value": "per100", "standard": "per100"},
                   links={"standard": []}, row_groups="kind")
    paragraph(t(f"{K}per100_note", page.lang))


# --- the teacher roster: age, subjects, rotation --------------------------------------------------

def older_share_gap(table: pd.DataFrame) -> dict[str, float] | None:
    """Rural minus urban share of teachers aged 50 or over, with Newcombe's 95 % interval.

    difference = x_rural ÷ n_rural − x_urban ÷ n_urban (fraction points), interval
    by :func:`qyanalysis.measures.rates.newcombe_difference_interval` (Newcombe
    1998, method 10).

    Args:
        table: :func:`qyanalysis.measures.teachers.age_table` rows of one year with
            ``location``, ``numerator``, ``denominator``, ``mean_age_years``.

    Returns:
        ``rural, urban, difference, low, high, rural_age, urban_age``, or None
        when either location is missing.
    """
    rows = table.set_index("location")
    if not {"rural", "urban"} <= set(rows.index):
        return None
    rural, urban = rows.loc["rural"], rows.loc["urban"]
    low, high = newcombe_difference_interval(rural["numerator"], rural["denominator"], urban["numerator"],
                                             urban["denominator"], settings.CONFIDENCE)
    return {"rural": float(rural["value"]), "urban": float(urban["value"]),
            "difference": float(rural["value"] - urban["value"]), "low": float(low), "high": float(high),
            "rural_age": float(rural["mean_age_years"]), "urban_age": float(urban["mean_age_years"])}


def show_age_structure(page: Page) -> None:
    """The age of the workforce by location: share aged 50+ (with intervals) and mean age."""
    heading(t(f"{K}age", page.lang))
    table = by_location(page, lambda by: teachers.age_table(scope_dataset(page), by))
    if table.empty:
        paragraph(t(f"{K}no_roster", page.lang))
        return
    table["interval"] = interval_text(table["ci_low"], table["ci_high"], "share", page.lang)
    table["mean_age"] = table["mean_age_years"].map(lambda v: format_number(v, "years"))
    location_table(page, table, ["denominator", "numerator", "value", "interval", "mean_age"],
                   {"denominator": "roster_teachers", "numerator": "older", "value": "older_share",
                    "interval": "interval", "mean_age": "mean_age"},
                   counts=["denominator", "numerator"],
                   units={"value": "share", "interval": "text", "mean_age": "text"},
                   links={"mean_age": ["denominator"]}, small_base="denominator")
    gap = older_share_gap(table[table["location"].isin(LOCATIONS)])
    hidden = suppressed_counts(table, ["denominator", "numerator"]).isin(hidden_marks())
    if gap is not None and not hidden[table["location"].isin(("rural", "urban"))].any().any():
        share = {k: format_value(gap[k], "share", page.lang) for k in ("rural", "urban")}
        points = {k: format_number(gap[k], "pp") for k in ("difference", "low", "high")}
        paragraph(t(f"{K}age_gap", page.lang, **share, **points, rural_age=format_number(gap["rural_age"], "years"),
                    urban_age=format_number(gap["urban_age"], "years")))


def subject_table(page: Page) -> pd.DataFrame:
    """PE, music and fine-arts teachers per 100 pupils by location, one row per location.

    From :func:`qyanalysis.measures.teachers.subject_supply_table` (roster
    teachers ÷ pupils of the schools on the roster); ``combined`` is the sum of
    the three subjects per 100 pupils (same pupils), the quantity the 优质均衡
    standard (0.9, 教督〔2017〕6号) counts.

    Returns:
        ``location, pupils, <subject>_teachers, <subject>_per100 … , combined_per100``.
    """
    supply = by_location(page, lambda by: teachers.subject_supply_table(scope_dataset(page), None, by))
    if supply.empty:
        return pd.DataFrame()
    wide = supply.pivot(index="location", columns="subject", values=["numerator", "value"])
    out = pd.DataFrame({"location": wide.index})
    out["pupils"] = supply.groupby("location")["denominator"].first().reindex(wide.index).to_numpy()
    for subject in settings.SHORTAGE_SUBJECTS:
        out[f"{subject}_teachers"] = wide[("numerator", subject)].to_numpy()
        out[f"{subject}_per100"] = wide[("value", subject)].to_numpy()
    out["combined_per100"] = out[[f"{s}_per100" for s in settings.SHORTAGE_SUBJECTS]].sum(axis=1, min_count=1)
    return out.sort_values("location", key=lambda s: s.map(LOCATION_ORDER)).reset_index(drop=True)


def show_subject_shortages(page: Page) -> None:
    """Teachers of PE, music and fine arts per 100 pupils by location (roster)."""
    heading(t(f"{K}subjects", page.lang))
    table = subject_table(page)
    if table.empty:
        paragraph(t(f"{K}no_roster", page.lang))
        return
    table = with_names(table, page.lang)
    subjects = settings.SHORTAGE_SUBJECTS
    counts = ["pupils", *(f"{s}_teachers" for s in subjects)]
    units = {f"{s}_per100": "per100" for s in subjects} | {"combined_per100": "per100"}
    links = {f"{s}_per100": [f"{s}_teachers"] for s in subjects} | {"combined_per100": counts[1:]}
    shown = display_frame(table, counts, units, page.lang, links=links)
    columns = ["location_name", "pupils"] + [c for s in subjects for c in (f"{s}_teachers", f"{s}_per100")]
    headers = headers_for(page.lang, "location_name", "pupils", "combined_per100")
    for s in subjects:
        name = t(f"{K}subject.{s}", page.lang)
        headers[f"{s}_teachers"] = t(f"{K}column.subject_teachers", page.lang, subject=name)
        headers[f"{s}_per100"] = t(f"{K}column.subject_per100", page.lang, subject=name)
    show_safe_table(page, shown, [*columns, "combined_per100"], headers)
    paragraph(t(f"{K}subjects_note", page.lang))


def show_rotation(page: Page) -> None:
    """Rotation of eligible teachers (>= 10 %) and backbone teachers among them (>= 20 %) by location."""
    heading(t(f"{K}rotation", page.lang))
    frame = teachers.roster(scope_dataset(page))
    if frame is None:
        paragraph(t(f"{K}no_roster", page.lang))
        return
    rates = by_location(page, lambda by: teachers.rotation_rate(frame, by))
    backbone = by_location(page, lambda by: teachers.backbone_share_of_rotated(frame, by))
    table = rates
    if not rates.empty:
        backbone = backbone.reindex(columns=["location", "numerator", "value"])
        table = rates.merge(backbone, on="location", how="left", suffixes=("", "_backbone"), validate="1:1")
    # No interval columns: who is rotated is the bureau's decision, an administrative share
    # (the indicator catalogue's ``interval`` flag).
    columns = ["denominator", "numerator", "value", "numerator_backbone", "value_backbone"]
    keys = ["eligible", "rotated", "rotation_rate", "rotated_backbone", "backbone_share"]
    location_table(page, table, columns, dict(zip(columns, keys, strict=True)),
                   counts=["denominator", "numerator", "numerator_backbone"],
                   units={"value": "share", "value_backbone": "share"},
                   small_base="denominator")
    codes = {"rate": "teacher_rotation_rate", "backbone": "backbone_share_of_rotated"}
    threshold = {key: format_value(registry_threshold(page, f"t26_{code}"), "share", page.lang)
                 for key, code in codes.items()}
    paragraph(t(f"{K}rotation_note", page.lang, **threshold))
