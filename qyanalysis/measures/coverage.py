"""Coverage: how complete the inputs of each measure row are — the one helper every measure uses.

Every computed measure row carries three columns (docs/design.md, "Measure frame"):

* ``units_expected`` — the units (schools, teachers, supplied figures) the
  measure should count in the group: every unit in the measure's scope;
* ``units_reporting`` — those of them whose every input is present;
* ``units_missing`` — the schools (or input codes) that are not complete,
  space-separated, the first :data:`MISSING_SHOWN` then ``+N``.

A row is complete when ``units_reporting ÷ units_expected`` reaches
``settings.MIN_COVERAGE_SHARE`` (``qyanalysis.verdicts.rules.row_complete``);
an incomplete row gives a final verdict only where the partial value already
decides it (a sum of counts that has passed its limit), otherwise ``no_data``
with "k of n" in the scorecard's ``coverage`` column.

A change or a ratio of two rows is as complete as the less complete of them
(:func:`combine`). :func:`require` is the check that no computed row leaves
the measures floor without its coverage (``qyanalysis.measures.compute_all``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

COVERAGE_COLUMNS = ("units_reporting", "units_expected", "units_missing")
#: How many incomplete units ``units_missing`` names before it says "+N".
MISSING_SHOWN = 5


def missing_text(ids: Sequence[str]) -> str:
    """``"a b c d e +3"``: the first :data:`MISSING_SHOWN` ids in order, then how many more."""
    ids = [str(i) for i in ids]
    shown = " ".join(ids[:MISSING_SHOWN])
    more = len(ids) - MISSING_SHOWN
    return f"{shown} +{more}" if more > 0 else shown


def tally(frame: pd.DataFrame, by: Sequence[str], complete: pd.Series, unit: str | None = "school_id",
          ) -> pd.DataFrame:
    """Coverage of each group: units expected, units reporting and which are missing.

    Args:
        frame: One row per unit in the measure's scope (a school, a school part, a teacher).
        by: Group columns, e.g. ``["county_code", "year"]``.
        complete: Boolean, aligned with ``frame``: the unit has every input the measure reads.
        unit: Column naming the unit in ``units_missing`` (its distinct values, in order of
            appearance); None or an absent column names none.

    Returns:
        The ``by`` columns and :data:`COVERAGE_COLUMNS`, one row per group (every group of
        ``frame``, also those where no unit reports).

    Example:
        Three schools of one county, one without its myopia count: 2 of 3, missing "s3".
    """
    keys = list(by)
    flags = complete.reindex(frame.index).fillna(False).to_numpy(dtype=bool)
    factorized = [pd.factorize(frame[key], sort=True) for key in keys]
    valid = np.logical_and.reduce([key_codes >= 0 for key_codes, _ in factorized])
    sizes = [len(uniques) for _, uniques in factorized]
    combined = np.ravel_multi_index([key_codes[valid] for key_codes, _ in factorized], sizes) if sizes else []
    present, inverse = np.unique(combined, return_inverse=True)
    codes = np.full(len(frame), -1)
    codes[valid] = inverse
    count = len(present)
    positions = np.unravel_index(present, sizes)
    out = pd.DataFrame({key: uniques[position] for key, (_, uniques), position
                        in zip(keys, factorized, positions, strict=True)})
    out["units_reporting"] = np.bincount(codes[valid], weights=flags[valid], minlength=count).astype("float64")
    out["units_expected"] = np.bincount(codes[valid], minlength=count).astype("float64")
    out["units_missing"] = ""
    absent = valid & ~flags
    if unit is not None and unit in frame.columns and absent.any():
        named: dict[int, dict[str, None]] = {}
        for code, name in zip(codes[absent].tolist(), frame[unit].to_numpy()[absent].tolist(), strict=True):
            named.setdefault(code, {})[str(name)] = None
        out["units_missing"] = [missing_text(list(named.get(i, ()))) for i in range(count)]
    return out


def whole(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the coverage of a figure made from supplied inputs that are all present: 1 of 1.

    For measures computed from the ``indicators`` table or from a table such as the
    survey, where a row exists only when all its inputs are given (a missing input
    means no row, so no value and ``no_data``).
    """
    return frame.assign(units_reporting=1.0, units_expected=1.0, units_missing="")


def combine(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """The coverage of a value made from two rows (a change, a ratio): that of the less complete.

    Args:
        left, right: Aligned frames (same index) with :data:`COVERAGE_COLUMNS`.

    Returns:
        :data:`COVERAGE_COLUMNS`, aligned: per row the (reporting, expected, missing) of the
        side whose share reporting is lower (``left`` on ties); a side without coverage
        (NaN) counts as complete.
    """
    take_right = (reporting_share(right).fillna(1.0) < reporting_share(left).fillna(1.0)).to_numpy()
    out = pd.DataFrame(index=left.index)
    for column in COVERAGE_COLUMNS:
        out[column] = np.where(take_right, right[column].to_numpy(), left[column].to_numpy())
    missing = out["units_missing"].astype("object")
    out["units_missing"] = missing.where(missing.notna(), "").astype("str")
    return out


def reporting_share(frame: pd.DataFrame) -> pd.Series:
    """``units_reporting ÷ units_expected`` of each row; NaN where no coverage is recorded (a supplied figure)."""
    expected = frame["units_expected"].astype("float64")
    return frame["units_reporting"].astype("float64") / expected.where(expected > 0)


def require(frame: pd.DataFrame, where: str) -> pd.DataFrame:
    """Check that every computed row of a measure frame carries its coverage; return the frame.

    Rows supplied by the ``indicators`` table (note ``input``) are the bureau's own
    figures and carry none.

    Raises:
        ValueError: naming the indicators (and ``where``) whose rows lack ``units_expected``.
    """
    computed = frame["note"].astype("str") != "input"
    lacking = computed & frame["units_expected"].isna()
    if lacking.any():
        codes = sorted(frame.loc[lacking, "indicator"].astype("str").unique())
        raise ValueError(f"{where}: measure rows without coverage for {', '.join(codes)}; every computed row "
                         "carries units_reporting and units_expected (qyanalysis.measures.coverage.tally)")
    return frame
