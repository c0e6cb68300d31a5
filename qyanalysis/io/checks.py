"""Rules across cells and rows: duplicate keys, parts larger than their whole,
implausible ages, indicator values against the catalogue, personal data.

The rules are declared as data (``PART_RULES``, ``AGE_RULES``, …) so that the
data dictionary documents exactly what is checked. Each check is vectorised
over the whole table and records every offending row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qyanalysis.contract.columns import TABLES
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.contract.indicators import CATALOGUE, FLAG_UNIT, FRACTION_UNITS
from qyanalysis.contract.plan import ITEMS
from qyanalysis.io.problems import Report, TableView
from qyanalysis.io.text import number_text, short


@dataclass(frozen=True)
class PartRule:
    """Parts that may not exceed (or must add up to) their whole.

    Attributes:
        parts: Columns whose sum is the part.
        whole: The column they are part of.
        exact: True when the parts must add up to the whole exactly.
        levels: Only for schools of these levels (all rows when empty).
    """

    parts: tuple[str, ...]
    whole: str
    exact: bool = False
    levels: tuple[str, ...] = ()


PART_RULES: dict[str, tuple[PartRule, ...]] = {
    "schools": (
        PartRule(("fitness_excellent", "fitness_good"), "fitness_tested"),
        PartRule(("myopia_cases",), "myopia_screened"),
        PartRule(("migrant_students",), "students"),
        PartRule(("disabled_students",), "students"),
        PartRule(("dropouts",), "students"),
        PartRule(("classes_over_limit",), "classes"),
        PartRule(("students_primary", "students_junior"), "students", exact=True, levels=("nine_year",)),
        PartRule(("students_junior", "students_senior"), "students", exact=True,
                 levels=("complete_secondary",)),
        PartRule(("students_primary", "students_junior", "students_senior"), "students", exact=True,
                 levels=("twelve_year",)),
        PartRule(("teachers_above_required_qualification",), "teachers"),
        PartRule(("backbone_teachers",), "teachers"),
        PartRule(("pe_arts_teachers",), "teachers"),
        PartRule(("teachers_senior_title",), "teachers"),
    ),
    "survey": (PartRule(("satisfied",), "respondents"),),
}


@dataclass(frozen=True)
class AgeRule:
    """A birth year that must give a plausible age in the row's year.

    Attributes:
        birth: The birth-year column (exempt from ``YEAR_MIN``..``YEAR_MAX``).
        year: The reference-year column.
        min_age: Youngest plausible age (inclusive).
        max_age: Oldest plausible age (inclusive).
        who: Who the row describes, for messages.
    """

    birth: str
    year: str
    min_age: int
    max_age: int
    who: str


AGE_RULES: dict[str, tuple[AgeRule, ...]] = {"teachers": (AgeRule("birth_year", "year", 16, 80, "teacher"),)}

# Tables whose rows may carry the city (prefecture) code instead of a county's.
CITY_ALLOWED_TABLES = ("indicators", "tasks", "targets_override")
# Indicator units that may be written with a % sign.
PERCENT_UNITS = (*FRACTION_UNITS, "pp", "change")
# Indicator units whose values cannot be negative.
NONNEGATIVE_UNITS = ("share", "rate", "count", "ratio", "yuan", "m2", "per100", "m2_per_student",
                     "yuan_per_student")
ID_CARD_PATTERN = r"(?:^|[^0-9])[0-9]{17}[0-9Xx](?:[^0-9]|$)"
MOBILE_PATTERN = r"(?:^|[^0-9])1[3-9][0-9]{9}(?:[^0-9]|$)"


def personal_content(text: pd.Series) -> tuple[str, np.ndarray] | None:
    """What personal identifier a text column holds, if any: ID-card numbers or mobile numbers.

    Returns:
        ``(what, mask)`` for the first kind found, else None. The values
        themselves are never repeated in messages.
    """
    for what, pattern in (("ID-card numbers (18 digits)", ID_CARD_PATTERN),
                          ("mobile phone numbers (11 digits starting with 1)", MOBILE_PATTERN)):
        mask = text.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)
        if mask.any():
            return what, mask
    return None


def check_keys(view: TableView, report: Report) -> None:
    """Duplicate keys (``Table.key``): every row after the first of its key is an error."""
    table = TABLES[view.table_name]
    key = list(table.key)
    if not all(k in view.frame for k in key) or not view.has(*(k for k in key if table.column(k).required)):
        return
    sub = view.frame[key]
    valid = sub.notna().all(axis=1).to_numpy()
    duplicate = sub.duplicated(keep="first").to_numpy() & valid
    if not duplicate.any():
        return
    group = sub.groupby(key, sort=False, dropna=True).ngroup().to_numpy()
    first_of_group = pd.Series(np.arange(len(sub)))[valid].groupby(group[valid]).min()
    what = table.description.split(" (")[0]

    def describe(pos: int) -> str:
        values = ", ".join(f"{view.header(k)}={short(view.text[k].iloc[pos]) if k in view.text else ''}"
                           for k in key)
        first_row = view.rows[first_of_group[group[pos]]]
        return f"duplicate key ({values}), first given at row {first_row}; expected one row per {what}"

    report.cells(view, duplicate, key[0], describe)


def check_parts(view: TableView, report: Report) -> None:
    """Parts larger than their whole, and combined schools whose levels do not add up (``PART_RULES``)."""
    frame = view.frame
    for rule in PART_RULES.get(view.table_name, ()):
        if not view.has(*rule.parts, rule.whole):
            continue
        parts = frame[list(rule.parts)].to_numpy(dtype="float64")
        total = parts.sum(axis=1)
        whole = frame[rule.whole].to_numpy(dtype="float64")
        known = ~np.isnan(parts).any(axis=1) & ~np.isnan(whole)
        if rule.levels:
            known &= frame["level"].isin(rule.levels).to_numpy(dtype=bool)
        bad = known & ((np.abs(total - whole) > 1e-9) if rule.exact else (total > whole + 1e-9))
        report.cells(view, bad, rule.parts[0], _part_message(view, rule, total, whole))


def _part_message(view: TableView, rule: PartRule, total: np.ndarray,
                  whole: np.ndarray) -> Callable[[int], str]:
    expression = " + ".join(view.header(p) for p in rule.parts)
    whole_header = view.header(rule.whole)

    def describe(pos: int) -> str:
        stated = f"{expression} = {number_text(total[pos])}"
        if rule.exact:
            level = view.frame["level"].iloc[pos]
            return (f"{stated} differs from {whole_header} = {number_text(whole[pos])} for a {level} school; "
                    f"expected {expression} = {whole_header}")
        return (f"{stated} is more than {whole_header} = {number_text(whole[pos])}; "
                f"expected at most {whole_header}")

    return describe


def check_ages(view: TableView, report: Report) -> None:
    """Birth years that make a person implausibly young or old (``AGE_RULES``)."""
    for rule in AGE_RULES.get(view.table_name, ()):
        if not view.has(rule.birth, rule.year):
            continue
        birth = view.frame[rule.birth].to_numpy(dtype="float64")
        year = view.frame[rule.year].to_numpy(dtype="float64")
        age = year - birth
        bad = ~np.isnan(age) & ((age < rule.min_age) | (age > rule.max_age))
        report.cells(view, bad, rule.birth, lambda pos, r=rule: (
            f"birth year {number_text(birth[pos])} makes the {r.who} {number_text(age[pos])} years old in "
            f"{number_text(year[pos])}; expected an age from {r.min_age} to {r.max_age}"))


def check_city(view: TableView, report: Report, registry: CountyRegistry) -> None:
    """Rows of county-level tables (schools, teachers) that name the city instead of a county."""
    city = registry.city_code
    if city is None or view.table_name in CITY_ALLOWED_TABLES or "county" not in view.headers:
        return
    bad = (view.frame["county"] == city).to_numpy(dtype=bool)
    report.cells(view, bad, "county", lambda pos: (
        f"'{short(view.text['county'].iloc[pos])}' is the city ({city}), not a county; "
        f"expected the county the row belongs to"))


def check_indicator_values(view: TableView, report: Report) -> None:
    """Indicator values against their catalogue unit: fractions 0–1, "85" for 85 %, whole counts, flags 0 / 1."""
    if view.table_name != "indicators" or not view.has("indicator", "value"):
        return
    code = view.frame["indicator"]
    unit = code.map({c: e.unit for c, e in CATALOGUE.items()}).fillna("").to_numpy(dtype=object)
    value = view.frame["value"].to_numpy(dtype="float64")
    percent = view.percent.get("value", np.zeros(len(value), dtype=bool))
    raw = view.text["value"]
    fraction = np.isin(unit, FRACTION_UNITS)
    finite = np.isfinite(value)

    def looks_like(points: str) -> Callable[[int], str]:
        return lambda pos: (f"{short(raw.iloc[pos])} looks like a {points}; give "
                            f"{number_text(value[pos] / 100)} or '{short(raw.iloc[pos])}%'")

    bare_percent = fraction & finite & ~percent & (value > 1)
    report.cells(view, bare_percent, "value", looks_like("percentage"))
    out_of_range = fraction & finite & ~bare_percent & ((value > 1) | (value < 0))
    report.cells(view, out_of_range, "value", lambda pos: (
        f"{short(raw.iloc[pos])} is outside 0–1 for {code.iloc[pos]} (a {unit[pos]}); "
        "expected a fraction from 0 to 1 (0%–100%)"))
    points = (unit == "pp") & finite & ~percent & (np.abs(value) > 1)
    report.cells(view, points, "value", looks_like("number of percentage points"))
    wrong_percent = percent & ~np.isin(unit, PERCENT_UNITS) & (unit != "")
    report.cells(view, wrong_percent, "value", lambda pos: (
        f"'{short(raw.iloc[pos])}' is a percentage but {code.iloc[pos]} is measured in {unit[pos]}; "
        "expected a plain number"))
    negative = np.isin(unit, NONNEGATIVE_UNITS) & ~fraction & ~wrong_percent & finite & (value < 0)
    report.cells(view, negative, "value", lambda pos: (
        f"negative value {short(raw.iloc[pos])} for {code.iloc[pos]} ({unit[pos]}); expected a number >= 0"))
    yes_no = view.yes_no.get("value", np.zeros(len(value), dtype=bool))
    flag = unit == FLAG_UNIT
    report.cells(view, yes_no & ~flag & (unit != ""), "value", lambda pos: (
        f"'{short(raw.iloc[pos])}' is a yes/no answer but {code.iloc[pos]} is measured in {unit[pos]}; "
        "expected a number"))
    report.cells(view, flag & ~yes_no & ~percent & finite & (value != 0) & (value != 1), "value", lambda pos: (
        f"{short(raw.iloc[pos])} is not a yes/no answer for {code.iloc[pos]}; expected 是/否, yes/no or 1/0"))
    fractional = (unit == "count") & ~wrong_percent & finite & (value >= 0) & (np.mod(value, 1) != 0)
    report.cells(view, fractional, "value", lambda pos: (
        f"{short(raw.iloc[pos])} is not a whole number but {code.iloc[pos]} is a count; "
        "expected a whole number"))


def check_period_kinds(view: TableView, report: Report) -> None:
    """One indicator of one county and year uses monthly or quarterly periods, not both.

    ``2022-09`` and ``2022-Q3`` both end in September: mixed in one series they
    would count that month twice in a forecast, so a quarterly row among
    monthly ones (or the reverse, whichever is rarer) is refused.
    """
    if view.table_name != "indicators" or not view.has("period", "indicator", "county", "year"):
        return
    period = view.frame["period"].fillna("").astype("str")
    quarterly = period.str.fullmatch(r"\d{4}-Q[1-4]").to_numpy(dtype=bool)
    monthly = period.str.fullmatch(r"\d{4}-\d{2}").to_numpy(dtype=bool)
    keys = [view.frame["county_code" if "county_code" in view.frame else "county"].astype("str"),
            view.frame["year"].astype("str"), view.frame["indicator"].astype("str")]
    series = pd.Series(keys[0] + "|" + keys[1] + "|" + keys[2])
    n_quarterly = pd.Series(quarterly).groupby(series).transform("sum").to_numpy()
    n_monthly = pd.Series(monthly).groupby(series).transform("sum").to_numpy()
    mixed = (n_quarterly > 0) & (n_monthly > 0)
    odd = mixed & np.where(n_quarterly <= n_monthly, quarterly, monthly)
    report.cells(view, odd, "period", lambda pos: (
        f"period {short(period.iloc[pos])} mixes quarters and months for {view.frame['indicator'].iloc[pos]} "
        f"in {view.frame['year'].iloc[pos]}; expected one kind per indicator and year "
        f"({'YYYY-MM' if quarterly[pos] else 'YYYY-Qn'} like the other rows)"))


def check_target_ids(view: TableView, report: Report) -> None:
    """``targets_override.target_id`` must exist in the target registry (when the opener passes its ids in).

    ``report.target_ids`` gives them (``qyanalysis.opening.load_dataset``); io reads no registry itself.
    """
    if view.table_name != "targets_override" or not view.has("target_id") or report.target_ids is None:
        return
    try:
        known = {str(i) for i in report.target_ids()}
    except Exception as exc:  # noqa: BLE001 - the registry is optional for validation
        report.add(view.label, None, view.header("target_id"),
                   f"target ids not checked: the target registry could not be loaded ({exc})", "warning")
        return
    ids = view.frame["target_id"]
    bad = ids.notna().to_numpy(dtype=bool) & ~ids.isin(known).to_numpy(dtype=bool)
    report.cells(view, bad, "target_id", lambda pos: (
        f"unknown target id '{short(ids.iloc[pos])}'; expected a target_id of the registry "
        "(see `qyanalysis targets`)"))


def check_task_items(view: TableView, report: Report) -> None:
    """``tasks.item`` must be a plan item (1–37)."""
    if view.table_name != "tasks" or not view.has("item"):
        return
    item = view.frame["item"]
    bad = item.notna().to_numpy(dtype=bool) & ~item.isin(ITEMS).to_numpy(dtype=bool)
    report.cells(view, bad, "item", lambda pos: (
        f"plan item {short(view.text['item'].iloc[pos])} does not exist; "
        f"expected a whole number from {ITEMS[0]} to {ITEMS[-1]}"))


def check_county_codes(view: TableView, report: Report) -> None:
    """A folder's own ``counties`` table must use 6-digit administrative division codes."""
    if view.table_name != "counties" or not view.has("county_code"):
        return
    codes = view.frame["county_code"]
    six_digits = codes.str.fullmatch(r"[0-9]{6}").fillna(False).to_numpy(dtype=bool)
    bad = codes.notna().to_numpy(dtype=bool) & ~six_digits
    report.cells(view, bad, "county_code", lambda pos: (
        f"'{short(codes.iloc[pos])}' is not a county code; expected a 6-digit administrative division code"))


ROW_CHECKS: tuple[Callable[[TableView, Report], None], ...] = (
    check_keys, check_parts, check_ages, check_indicator_values, check_period_kinds, check_target_ids,
    check_task_items, check_county_codes,
)
