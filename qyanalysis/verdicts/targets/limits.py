"""The limits the registry sets for a measure judged against them (the measures take them as a parameter).

A measure knows no target (docs/design.md, Floors): :func:`qyanalysis.measures.gaps.county_plan`
levels each county's 差异系数 up to the limits it is handed; they are read here, on the
verdicts floor, from the registry after the dataset's overrides.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from qyanalysis.dataset import Dataset
from qyanalysis.measures.gaps import INDICATOR_CODES


def balance_cv_limits(dataset: Dataset, county_codes: Iterable[str] | None = None) -> pd.DataFrame:
    """The 差异系数 limit of each indicator and level per county, from the target registry.

    The limits are the thresholds of the registry targets
    ``t08_balance_cv_<indicator>_<level>`` (0.50 primary, 0.45 junior,
    教督〔2017〕6号) after the dataset's ``targets_override`` for the county:
    what :func:`qyanalysis.measures.gaps.county_plan` levels up to (``limits=``).

    Args:
        dataset: The dataset (its overrides).
        county_codes: The counties (default: every county of the dataset's registry).

    Returns:
        ``county_code, level, indicator, limit``.
    """
    from qyanalysis.verdicts.targets import load_targets, target_rows

    codes = dataset.counties.codes if county_codes is None else county_codes
    targets = load_targets()
    wanted = {f"balance_cv_{code}_{level}": (code, level) for code in INDICATOR_CODES
              for level in ("primary", "junior")}
    targets = targets.loc[targets["indicator"].isin(list(wanted)) & (targets["scope"] == "county")]
    overrides = dataset.targets_override
    if overrides is not None:
        overrides = overrides.loc[overrides["target_id"].isin(targets["target_id"])]
    rows = target_rows(targets, [str(c) for c in codes], None, overrides)
    keys = rows["indicator"].map(wanted)
    return pd.DataFrame({"county_code": rows["county_code"].astype("str").to_numpy(),
                         "level": [k[1] for k in keys], "indicator": [k[0] for k in keys],
                         "limit": rows["threshold"].astype("float64").to_numpy()})
