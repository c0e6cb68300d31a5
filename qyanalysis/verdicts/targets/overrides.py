"""County-specific thresholds (``targets_override``) and the target × unit rows to evaluate.

In 2022 the city signed quantified responsibility letters (责任书) with each
county; the quotas are not public (清远市教育局 report of 2022-03-10), so they arrive as
``targets_override`` rows: ``target_id, county_code, threshold[, comparator,
source, applies]``. An override replaces the registry threshold (and comparator when
given) for that county; an override of a city-scope target for a county
creates a county row carrying the county's quota. ``applies = false`` (否)
says the target does not bind that county (e.g. "省抽测县(市、区)优良率达50%以上"
binds only the counties the province samples): the county's row becomes
``not_applicable`` with the override's source in its note, and no threshold
is needed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qyanalysis.contract.statuses import NOT_IN_SAMPLE, SAMPLE_NOT_GIVEN
from qyanalysis.errors import DataValidationError, ValidationIssue

OVERRIDE_FILE = "targets_override"
COMPARATORS = (">=", "<=", ">", "<", "==")
REGISTRY_SOURCE = "registry"
_OVERRIDE_COLUMNS = ("target_id", "county_code", "threshold", "comparator", "source", "applies")


def check_overrides(overrides: pd.DataFrame | None, targets: pd.DataFrame) -> pd.DataFrame:
    """Validate and normalise a ``targets_override`` table.

    Args:
        overrides: Rows with ``target_id, county_code, threshold`` and optional
            ``comparator, source`` (``Dataset.targets_override``), or None.
        targets: The registry (:func:`qyanalysis.verdicts.targets.load_targets`).

    Returns:
        Columns ``target_id, county_code, threshold`` (float64), ``comparator``
        (``<NA>`` = keep the registry's), ``source`` (never empty) and
        ``applies`` (bool; missing = True); empty when ``overrides`` is None.

    Raises:
        DataValidationError: an unknown ``target_id``, a missing threshold or a
            duplicated (target_id, county_code) pair or an unknown comparator,
            one issue per row (row numbers as in the file: header = 1).
    """
    if overrides is None or overrides.empty:
        dtypes = {"threshold": "float64", "applies": "bool"}
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in _OVERRIDE_COLUMNS})
    frame = overrides.copy()
    for column in ("threshold", "comparator", "source", "applies"):
        if column not in frame:
            frame[column] = pd.NA
    frame = frame.loc[:, list(_OVERRIDE_COLUMNS)].reset_index(drop=True)
    frame["threshold"] = pd.to_numeric(frame["threshold"], errors="coerce").astype("float64")
    frame["source"] = frame["source"].fillna(OVERRIDE_FILE).astype("str")
    frame["applies"] = frame["applies"].astype("boolean").fillna(True).astype(bool)
    frame["comparator"] = frame["comparator"].replace("", pd.NA)
    issues = []
    unknown = ~frame["target_id"].isin(targets["target_id"])
    duplicated = frame.duplicated(["target_id", "county_code"], keep=False)
    bad_comparator = frame["comparator"].notna() & ~frame["comparator"].isin(COMPARATORS)
    no_threshold = frame["threshold"].isna() & frame["applies"]
    for index in frame.index[unknown | no_threshold | duplicated | bad_comparator]:
        row = frame.loc[index]
        if bad_comparator[index]:
            issues.append(ValidationIssue(OVERRIDE_FILE, int(index) + 2, "comparator",
                                          f"comparator {row['comparator']!r} not one of {COMPARATORS}"))
        elif unknown[index]:
            message = (f"unknown target_id {row['target_id']!r}, "
                       "expected one of the registry (qyanalysis targets)")
            issues.append(ValidationIssue(OVERRIDE_FILE, int(index) + 2, "target_id", message))
        elif no_threshold[index]:
            issues.append(ValidationIssue(OVERRIDE_FILE, int(index) + 2, "threshold",
                                          "threshold is missing, expected a number (or applies = 否)"))
        else:
            issues.append(ValidationIssue(OVERRIDE_FILE, int(index) + 2, "county",
                                          f"{row['target_id']} overridden twice for {row['county_code']}"))
    if issues:
        raise DataValidationError(issues)
    return frame


#: Targets whose plan sentence binds only some counties, with the words that say which:
#: "确保省抽测县(市、区)优良率达50%以上" (item 13) binds the counties the province samples.
#: ``targets_override.applies`` names them: once any county of such a target is listed with
#: applies 是, the list is the sample and a county not on it is ``not_applicable`` ("not in the sample");
#: without any list every county is evaluated and the row's note says the sampled counties
#: were not given.
SAMPLED_TARGETS: dict[str, str] = {"t13_fitness_good_rate": "省抽测县(市、区)"}
#: The notes of both cases are declared in ``qyanalysis.contract.statuses`` (the pages word them).


def county_reading(targets: pd.DataFrame) -> pd.Series:
    """Which city-wide targets every county is also read against.

    A city-wide (全市) target on a rate, share or change — e.g.
    "全市义务教育辍学率控制在0.5%以下" — means the same for a county's own
    rate, so each county gets a row marked ``scope_note = city_target`` (the
    county's reading of the city line) beside the city's own row. A city-wide
    total (a count, e.g. 20,500 new seats) does not divide among counties
    without a quota: counties get a row only where ``targets_override`` sets one.
    """
    return ((targets["scope"] == "city") & targets["rule"].isin(["absolute", "change_vs_previous"])
            & (targets["unit"] != "count"))


def target_rows(targets: pd.DataFrame, county_codes: Sequence[str], city_code: str | None,
                overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (target, unit) to evaluate, with the threshold in force.

    Units are the counties of ``county_codes`` and, when ``city_code`` is
    given, the city. A county gets every county-scope target, every
    ``all_counties`` city target (its own share of the city goal) and every
    city target overridden for it (its quota); the city gets the city-scope
    targets.

    Args:
        targets: The registry.
        county_codes: Counties whose rows are wanted.
        city_code: The city code, or None for no city rows.
        overrides: A ``targets_override`` table (validated here) or None.

    Returns:
        The registry columns plus ``county_code``, ``level`` (``county`` |
        ``city``), ``threshold_source`` (``registry`` or the override's
        source), ``applies`` (False where an override says the target does
        not bind the county, or the county is not on a sampling list that exists),
        ``sample_note`` and ``scope_note`` (``city_target`` on a county
        row that reads a city-wide target, see :func:`county_reading`).
    """
    checked = check_overrides(overrides, targets)
    codes = pd.DataFrame({"county_code": pd.Series(list(county_codes), dtype="str")})
    is_city = targets["scope"] == "city"
    reading = county_reading(targets)
    per_county = targets[~is_city | (targets["rule"] == "all_counties") | reading]
    parts = [per_county.merge(codes, how="cross").assign(level="county")]
    quota = checked[checked["county_code"].isin(codes["county_code"])]
    city_quota = targets[is_city & (targets["rule"] != "all_counties") & ~reading].merge(
        quota[["target_id", "county_code"]], on="target_id", how="inner", validate="1:m")
    parts.append(city_quota.assign(level="county"))
    if city_code is not None:
        parts.append(targets[is_city].assign(county_code=str(city_code), level="city"))
    rows = pd.concat(parts, ignore_index=True)
    rows = rows.merge(checked.rename(columns={"threshold": "_threshold", "comparator": "_comparator",
                                              "source": "_source"}),
                      on=["target_id", "county_code"], how="left", validate="m:1")
    overridden = rows["_threshold"].notna()
    rows["threshold"] = rows["threshold"].where(~overridden, rows["_threshold"]).astype("float64")
    rows["comparator"] = rows["_comparator"].fillna(rows["comparator"]).astype("str")
    excused = rows["_source"].notna() & rows["applies"].eq(False)
    rows["threshold_source"] = rows["_source"].where(overridden | excused, REGISTRY_SOURCE).astype("str")
    rows["applies"] = ~excused
    rows["scope_note"] = np.where((rows["level"] == "county") & county_reading(rows), "city_target", "")
    in_sample = checked["target_id"].isin(list(SAMPLED_TARGETS)) & checked["applies"].ne(False)
    listed = set(checked.loc[in_sample, "target_id"])  # a sample names who is in it (applies 是)
    county = rows["level"] == "county"
    unlisted = rows["target_id"].isin([t for t in SAMPLED_TARGETS if t not in listed]) & county
    outside = rows["target_id"].isin(list(listed)) & county & rows["_source"].isna()
    rows["applies"] = rows["applies"] & ~outside
    rows["sample_note"] = np.select([unlisted, outside], [SAMPLE_NOT_GIVEN, NOT_IN_SAMPLE], "")
    return rows.drop(columns=["_threshold", "_comparator", "_source"])


def thresholds_in_force(targets: pd.DataFrame, target_id: str, county_codes: Sequence[str],
                        overrides: pd.DataFrame | None = None) -> pd.Series:
    """The registry threshold of ``target_id`` for each county after ``targets_override``.

    Returns:
        Floats indexed by county code (the registry's value where no override applies).
    """
    rows = target_rows(targets, county_codes, None, overrides)
    rows = rows[rows["target_id"] == target_id]
    return rows.set_index("county_code")["threshold"].astype("float64")
