"""The validated, typed dataset every analysis works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.errors import ValidationIssue


@dataclass
class Dataset:
    """Typed tables of one data folder (docs/data-dictionary.md), after validation.

    Every table uses the English column names of ``qyanalysis.contract.columns``;
    the input ``county`` column is replaced by ``county_code`` (6-digit string).
    Numeric columns are ``float64`` with NaN for missing values, ``year`` is
    ``int64``, booleans are pandas ``boolean``, text is ``str``.

    Attributes:
        schools: school × year census.
        indicators: county × year × period × indicator; ``period`` is "" for
            annual figures, else ``YYYY-MM`` or ``YYYY-Qn``; ``value`` float.
        teachers: teacher × year roster, or None when not supplied.
        tasks: task × county, or None when not supplied (the registry's default
            tasks are used then).
        targets_override: county-specific thresholds, or None.
        survey: the 社会认可度 survey (county × year × respondent group), or None.
        counties: The county registry in force (built-in or the folder's own).
        source: The folder (or file) the data came from, if any.
        is_demo: True when the data is the synthetic demonstration set.
        data_hash: SHA-256 of the input files' bytes (provenance, caching).
        warnings: Problems that did not make the data unusable.
    """

    schools: pd.DataFrame
    indicators: pd.DataFrame
    teachers: pd.DataFrame | None = None
    tasks: pd.DataFrame | None = None
    targets_override: pd.DataFrame | None = None
    survey: pd.DataFrame | None = None
    counties: CountyRegistry = field(default_factory=CountyRegistry.builtin)
    source: Path | None = None
    is_demo: bool = False
    data_hash: str = ""
    warnings: list[ValidationIssue] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        """Years present in the school census, ascending."""
        return sorted(int(y) for y in self.schools["year"].unique())

    @property
    def latest_year(self) -> int:
        """The most recent census year."""
        return self.years[-1]

    @property
    def as_of(self) -> str | None:
        """The data's snapshot month ``YYYY-MM``: the latest in-year period of ``indicators``.

        ``YYYY-MM`` periods count as their month, ``YYYY-Qn`` as the quarter's
        last month (3·n); None when ``indicators`` has annual figures only (the
        years are complete). ``qyanalysis run --as-of`` and
        ``scorecard(..., as_of=...)`` may name another month.
        """
        periods = self.indicators["period"].fillna("").astype("str") if len(self.indicators) else None
        if periods is None:
            return None
        months = periods.str.extract(r"^(\d{4})-(\d{2})$").dropna().astype(int)
        quarters = periods.str.extract(r"^(\d{4})-Q([1-4])$").dropna().astype(int)
        quarters[1] = quarters[1] * 3
        ends = pd.concat([months, quarters], ignore_index=True)
        if ends.empty:
            return None
        year, month = max(zip(ends[0], ends[1], strict=True))
        return f"{year:04d}-{month:02d}"
