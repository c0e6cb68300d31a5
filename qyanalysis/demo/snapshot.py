"""The month the demonstration data describe, and how each 2022 input is dated.

The demonstration dataset is what a city bureau would hold at the end of
September 2022 (:data:`AS_OF`), three quarters into the plan's year:

* **In-year flows** — counts that accumulate during the year (new public
  seats, people trained, teachers placed, applications made) — are reported
  as *cumulative* figures for the months (``YYYY-MM``) or quarters
  (``YYYY-Qn``) up to the snapshot, one kind of period per indicator, and
  never as a 2022 year-end (annual) value: the year is not over.
* **Stocks and in-year progress** — designated base schools, pilot towns,
  studios, pilot counties, the share of attached classes standardised, model
  parent-school zones — carry their value at the snapshot month only.
* **School-year and budget figures** — the autumn 2022 school census and the
  counts taken from it (junior cohort, disabled children, purchased
  kindergarten places of the autumn term), budgeted pay and per-pupil
  funding — are annual 2022 values, known by September.

Earlier years (2019–2021) are closed and carry annual (year-end) values only.
"""

from __future__ import annotations

AS_OF_YEAR = 2022
AS_OF_MONTH = 9
AS_OF = f"{AS_OF_YEAR}-{AS_OF_MONTH:02d}"
AS_OF_MONTH_NAME = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                    "October", "November", "December")[AS_OF_MONTH - 1]
MONTHS = tuple(f"{AS_OF_YEAR}-{m:02d}" for m in range(1, AS_OF_MONTH + 1))
QUARTERS = tuple(f"{AS_OF_YEAR}-Q{q}" for q in range(1, AS_OF_MONTH // 3 + 1))

# Cumulative in-year counts, reported for every month up to the snapshot.
MONTHLY_FLOWS = ("new_public_seats_preschool", "new_public_seats_compulsory", "new_public_seats_senior")
# Cumulative in-year counts, reported for every quarter up to the snapshot.
QUARTERLY_FLOWS = ("backbone_trained", "support_teachers_received", "support_teachers_sent",
                   "education_groups_applied")
IN_YEAR_FLOWS = MONTHLY_FLOWS + QUARTERLY_FLOWS
# Stocks and in-year progress: one value, at the snapshot month.
AT_SNAPSHOT = ("arts_base_schools", "arts_pilot_towns", "labor_feature_schools", "labor_demo_schools",
               "evaluation_pilots", "famous_studios", "ideology_pilot_counties",
               "attached_classes_standardised_share", "parent_school_zone")

