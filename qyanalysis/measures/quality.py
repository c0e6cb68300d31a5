"""Education-quality measures: dropout, retention, fitness and myopia (docs/methods.md).

Every rate is pooled from counts (Σ numerator ÷ Σ denominator over the
schools of a county and year) with a Wilson 95 % interval
(``qyanalysis.measures.rates``). Public functions:

* :func:`measures` — the measure frame of this module (docs/design.md).
* :func:`rate_table` — a rate by county × year × location × level, for notebooks.
* :func:`school_rate_inputs` — the per-school numerator and denominator of a rate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from qyanalysis import settings
from qyanalysis.contract.columns import COMPULSORY_LEVELS
from qyanalysis.dataset import Dataset
from qyanalysis.measures.balance import compulsory_enrollment
from qyanalysis.measures.coverage import COVERAGE_COLUMNS, combine, whole
from qyanalysis.measures.rates import (
    as_measure_frame,
    concat_measure_frames,
    indicator_columns,
    newcombe_difference_interval,
    pooled_rate,
    round_difference,
    with_rate,
)

COUNTY_YEAR = ["county_code", "year"]
SCHOOL_KEYS = ["county_code", "year", "location", "level"]
def _has(frame: pd.DataFrame, *columns: str) -> bool:
    return all(c in frame.columns for c in columns)


def _inputs(schools: pd.DataFrame, numerator: pd.Series, denominator: pd.Series) -> pd.DataFrame:
    """School keys with one numerator and one denominator column."""
    out = pd.DataFrame({key: schools[key] if key in schools else pd.NA for key in SCHOOL_KEYS},
                       index=schools.index)
    out["numerator"] = numerator.astype("float64")
    out["denominator"] = denominator.astype("float64")
    if "school_id" in schools:
        out["school_id"] = schools["school_id"]  # names the schools missing in the coverage
    return out


def _compulsory_students(schools: pd.DataFrame) -> pd.Series:
    """Compulsory-education enrollment of each school (NaN when not known).

    :func:`qyanalysis.measures.balance.compulsory_enrollment`: primary, junior
    and nine_year schools: all ``students``; complete secondary schools: the
    junior pupils; twelve-year schools: primary + junior pupils; other levels: NaN.
    """
    return compulsory_enrollment(schools)


def dropout_inputs(schools: pd.DataFrame) -> pd.DataFrame | None:
    """Per-school compulsory dropouts and compulsory enrollment.

    Denominator: the compulsory enrollment (:func:`_compulsory_students`).
    Numerator: ``dropouts`` for primary, junior and nine-year schools; for a
    combined school with senior pupils (complete secondary, twelve-year) the
    census gives one dropout count for the whole school, so it is apportioned
    **pro rata to enrollment**: dropouts × compulsory enrollment ÷ students. This
    assumes equal dropout risk at every level of the school; it may be
    fractional. Special-education, vocational and kindergarten schools are
    outside compulsory-school enrollment (``columns.COMPULSORY_LEVELS``).

    Returns:
        The input frame for :func:`rate_table`, or None when ``dropouts`` is
        not in the census.
    """
    if not _has(schools, "dropouts"):
        return None
    schools = schools.loc[schools["level"].isin(COMPULSORY_LEVELS)]
    compulsory = _compulsory_students(schools)
    whole = schools["level"].isin(("primary", "junior", "nine_year"))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = compulsory / schools["students"].where(schools["students"] > 0)
    dropouts = schools["dropouts"].where(whole, schools["dropouts"] * share)
    return _inputs(schools, dropouts, compulsory)


def fitness_good_inputs(schools: pd.DataFrame) -> pd.DataFrame | None:
    """Per-school (优秀 + 良好) and tested pupils, National Student Fitness Standard.

    Schools of ``settings.FITNESS_LEVELS``; a school missing either grade count
    is left out of the rate.
    """
    if not _has(schools, "fitness_excellent", "fitness_good", "fitness_tested"):
        return None
    schools = schools.loc[schools["level"].isin(settings.FITNESS_LEVELS)]
    good_or_better = schools["fitness_excellent"] + schools["fitness_good"]
    return _inputs(schools, good_or_better, schools["fitness_tested"])


def fitness_tested_inputs(schools: pd.DataFrame) -> pd.DataFrame | None:
    """Per-school tested pupils and enrollment, where fitness testing is recorded."""
    if not _has(schools, "fitness_tested"):
        return None
    schools = schools.loc[schools["level"].isin(settings.FITNESS_LEVELS)]
    return _inputs(schools, schools["fitness_tested"], schools["students"])


def myopia_inputs(schools: pd.DataFrame) -> pd.DataFrame | None:
    """Per-school myopic pupils and screened pupils (WS/T 663-2020), primary level and above.

    Schools of ``settings.MYOPIA_LEVELS``: kindergartens are left out of the
    rate and so of its change (the screening definition concerns children over
    6; the national 总体近视率 covers primary, junior and senior pupils).
    """
    if not _has(schools, "myopia_cases", "myopia_screened"):
        return None
    schools = schools.loc[schools["level"].isin(settings.MYOPIA_LEVELS)]
    return _inputs(schools, schools["myopia_cases"], schools["myopia_screened"])


SCHOOL_RATES: dict[str, Callable[[pd.DataFrame], pd.DataFrame | None]] = {
    "compulsory_dropout_rate": dropout_inputs,
    "fitness_good_rate": fitness_good_inputs,
    "fitness_tested_share": fitness_tested_inputs,
    "myopia_rate": myopia_inputs,
}


def school_rate_inputs(dataset: Dataset, indicator: str) -> pd.DataFrame | None:
    """Per-school numerator and denominator of a school-census rate.

    Args:
        dataset: The dataset.
        indicator: One of ``SCHOOL_RATES``.

    Returns:
        ``county_code, year, location, level, numerator, denominator`` per
        school, or None when the census lacks the inputs.

    Raises:
        KeyError: ``indicator`` is not a school-census rate.
    """
    if indicator not in SCHOOL_RATES:
        raise KeyError(f"{indicator!r} is not a school-census rate; choose one of {sorted(SCHOOL_RATES)}")
    return SCHOOL_RATES[indicator](dataset.schools)


def rate_table(
    dataset: Dataset,
    indicator: str,
    by: Sequence[str] = ("county_code", "year", "location", "level"),
) -> pd.DataFrame:
    """A pooled rate with its Wilson interval by any grouping of schools.

    For the notebooks: e.g. the dropout rate by county × location (urban /
    town / rural) × school level. ``level`` is the school's census level
    (combined schools form their own groups, with the apportioned counts of
    :func:`dropout_inputs`).

    Args:
        dataset: The dataset.
        indicator: ``compulsory_dropout_rate``, ``fitness_good_rate``,
            ``fitness_tested_share`` or ``myopia_rate``.
        by: Grouping columns among ``county_code, year, location, level``.

    Returns:
        The ``by`` columns, ``numerator, denominator, value, ci_low, ci_high``
        and ``indicator``; no rows when the census lacks the inputs. Schools
        without a location are left out of location groups.
    """
    by = list(by)
    inputs = school_rate_inputs(dataset, indicator)
    if inputs is None:
        columns = [*by, "numerator", "denominator", "value", "ci_low", "ci_high", "indicator"]
        return pd.DataFrame(columns=columns)
    out = pooled_rate(inputs, "numerator", "denominator", by, settings.CONFIDENCE)
    out["indicator"] = indicator
    return out


def _county_rates(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Every school-census rate pooled by county and year (absent inputs → absent key)."""
    out = {}
    for indicator in SCHOOL_RATES:
        inputs = school_rate_inputs(dataset, indicator)
        if inputs is not None:
            out[indicator] = pooled_rate(inputs, "numerator", "denominator", COUNTY_YEAR, settings.CONFIDENCE)
    return out


def rate_change(rates: pd.DataFrame, keys: Sequence[str] = ()) -> pd.DataFrame:
    """Year-on-year change of a pooled rate within each group, in fraction points.

    value = rate(y) − rate(y − 1), e.g. a myopia rate going from 0.4637 to
    0.4595 is −0.0042 (−0.42 points; plan item 13 asks for <= −0.005,
    综合防控儿童青少年近视实施方案, 教体艺〔2018〕3号). The 95 % interval
    (``settings.CONFIDENCE``) is Newcombe's hybrid score interval from the two
    years' counts (Newcombe 1998, method 10), the years treated as independent
    samples. Any grouping: county, location, level, or none.

    Args:
        rates: Pooled rates (:func:`rate_table` output): ``keys``, ``year``,
            ``numerator``, ``denominator``, ``value``.
        keys: Group columns other than ``year`` (empty: one series).

    Returns:
        ``keys, year, previous_value, value, ci_low, ci_high`` and the coverage of the less
        complete year (:func:`~qyanalysis.measures.coverage.combine`) for every group and year
        whose previous year is present (no row otherwise).
    """
    on = [*keys, "year"]
    rates = rates.assign(**{c: rates[c] if c in rates else np.nan for c in COVERAGE_COLUMNS})
    carried = ["numerator", "denominator", "value", *COVERAGE_COLUMNS]
    previous = rates[[*on, *carried]].assign(year=rates["year"] + 1)
    both = rates.merge(previous, on=on, suffixes=("", "_previous"), validate="1:1")
    low, high = newcombe_difference_interval(both["numerator"], both["denominator"],
                                             both["numerator_previous"], both["denominator_previous"],
                                             settings.CONFIDENCE)
    coverage = combine(both[list(COVERAGE_COLUMNS)],
                       both[[f"{c}_previous" for c in COVERAGE_COLUMNS]].set_axis(list(COVERAGE_COLUMNS), axis=1))
    return pd.concat([both[on].assign(previous_value=both["value_previous"],
                                      value=round_difference(both["value"] - both["value_previous"]),
                                      ci_low=low, ci_high=high), coverage], axis=1).reset_index(drop=True)


def myopia_rate_change(myopia_rates: pd.DataFrame) -> pd.DataFrame:
    """Change of the myopia rate against the previous year by county, in fraction points.

    :func:`rate_change` by ``county_code``: value = rate(y) − rate(y − 1);
    −0.005 is a fall of 0.5 percentage points (plan item 13: "总体近视率下降0.5%以上",
    target <= −0.005; 综合防控儿童青少年近视实施方案, 2018), with Newcombe's
    interval. Counties without the previous year have no value.

    Args:
        myopia_rates: Pooled myopia rates by ``county_code, year`` (output of
            :func:`~qyanalysis.measures.rates.pooled_rate`).

    Returns:
        ``county_code, year, value, ci_low, ci_high`` and the coverage of the less complete
        year (numerator and denominator are not counts here and are left out).
    """
    change = rate_change(myopia_rates, ["county_code"])
    return change[["county_code", "year", "value", "ci_low", "ci_high", *COVERAGE_COLUMNS]]


def junior_retention(indicators: pd.DataFrame | None) -> pd.DataFrame:
    """Junior three-year retention rate (初中三年巩固率) from indicator inputs.

    value = ``junior_cohort_completers`` ÷ ``junior_cohort_entrants`` (final-
    year pupils ÷ the cohort's grade-7 entrants, 教督〔2017〕6号; 优质均衡
    standard >= 95 %), Wilson interval. Net in-migration can push the ratio
    above 1: the value is kept, the interval is undefined and the note says
    ``completers_exceed_entrants``.

    Returns:
        ``county_code, year, period, numerator, denominator, value, ci_low,
        ci_high, note``; empty when either input is not supplied.
    """
    wide = indicator_columns(indicators, ("junior_cohort_completers", "junior_cohort_entrants"))
    wide = wide.rename(columns={"junior_cohort_completers": "numerator", "junior_cohort_entrants": "denominator"})
    out = whole(with_rate(wide, settings.CONFIDENCE))
    out["note"] = np.where(out["numerator"] > out["denominator"], "completers_exceed_entrants", "")
    return out


def measures(dataset: Dataset) -> pd.DataFrame:
    """Quality measures of every county and year, as a measure frame.

    Indicators (plan items 8 and 13): ``compulsory_dropout_rate``,
    ``junior_retention_rate``, ``fitness_good_rate``,
    ``fitness_tested_share``, ``myopia_rate``, ``myopia_rate_change``. A
    measure whose inputs are absent is absent (the scorecard says no_data).

    Args:
        dataset: The dataset.

    Returns:
        The measure frame (docs/design.md), one row per county × year ×
        indicator.
    """
    rates = _county_rates(dataset)
    frames = [as_measure_frame(table, indicator) for indicator, table in rates.items()]
    if "myopia_rate" in rates:
        frames.append(as_measure_frame(myopia_rate_change(rates["myopia_rate"]), "myopia_rate_change"))
    frames.append(as_measure_frame(junior_retention(dataset.indicators), "junior_retention_rate"))
    return concat_measure_frames(frames)
