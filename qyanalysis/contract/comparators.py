"""How a value is compared with a threshold: the one comparison of the scorecard, the readiness and the pages.

Declared on the ground floor so that the scorecard (``qyanalysis.verdicts.attainment``)
judges with it and the pages (``qyanalysis.present.shown``) print a value and
threshold that compare as the status says, without the pages importing the
attainment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TOLERANCE = 1e-9  # float tolerance of every comparison (absolute, relative above 1)


def compare(values: pd.Series, comparators: pd.Series, thresholds: pd.Series) -> np.ndarray:
    """Element-wise ``value <comparator> threshold`` with a float tolerance.

    tolerance = 1e-9 · max(1, |threshold|). ``>=``: v >= t − tol; ``<=``:
    v <= t + tol; ``>``: v > t + tol; ``<``: v < t − tol; ``==``: |v − t| <= tol.
    NaN on either side gives False.

    Returns:
        A boolean array aligned with the inputs.
    """
    v = values.to_numpy(dtype="float64")
    t = thresholds.to_numpy(dtype="float64")
    c = comparators.to_numpy(dtype="object")
    tol = TOLERANCE * np.maximum(1.0, np.abs(np.nan_to_num(t)))
    with np.errstate(invalid="ignore"):
        result = np.select(
            [c == ">=", c == "<=", c == ">", c == "<", c == "=="],
            [v >= t - tol, v <= t + tol, v > t + tol, v < t - tol, np.abs(v - t) <= tol],
            default=False,
        )
    return result.astype(bool)
