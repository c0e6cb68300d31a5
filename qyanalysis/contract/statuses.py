"""What a count of targets lists: every status a target can have, and whose targets they are.

Declared here, below every floor and without pandas, so that the index pages
of a run with nothing to do (:mod:`qyanalysis.present.html`) list the statuses
in the order :func:`qyanalysis.contract.tallies.target_counts` counts them.
"""

from __future__ import annotations

#: Every status a target can have, in the order every count of targets lists them.
TARGET_STATUSES: tuple[str, ...] = ("met", "on_track", "at_risk", "not_met", "no_data", "not_applicable")
#: Whose targets a count is: a county's own, or the city's.
TARGET_SCOPES: tuple[str, ...] = ("county", "city")
#: The key of a unit's counts that holds its number of targets.
TOTAL = "total"
#: Note of a sampled target (``qyanalysis.verdicts.targets.overrides.SAMPLED_TARGETS``) when no sampling list is given.
SAMPLE_NOT_GIVEN = "sampled_counties_not_given"
#: Note of a county left out of a sampling list that exists: the target does not bind it.
NOT_IN_SAMPLE = "not_applicable: not in the sample"
