# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Section 5 — the "New Strong Teachers" programme (items 24–30)
# Staffing by stage and location: pupil–teacher ratios (full-time teachers)
# against Guangdong 2021, students per staff member against the establishment
# norms (only when the census has `staff`), qualifications with intervals,
# backbone and PE/arts teachers per 100 pupils, the item-27 temporary-teacher
# rule worked out, the ageing rural workforce, subject shortages, rotation,
# support placements (item 29) and pay against civil servants (item 30).

# %% tags=["parameters"]
county: str = "441803"  # county: 6-digit code or name (清新区, 清新, Qingxin District), or city
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # report language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% load
from qyanalysis.report import open_page, show, tables, views

page = open_page(county, year, data_dir, lang, section=5, as_of=as_of)

# %% header and summary
show.show_header(page)
show.show_summary(page)

# %% the targets of items 24-30 as one frame (display `targets` to see them all; one item's:
# `targets[targets["item"] == N]`); change a value and re-run the next cell
targets = tables.section_targets(page)

# %% items 24-30: targets, in-year forecasts, tasks
show.show_items(page, targets)

# %% [markdown]
# ## Staffing by stage and location
# Each analysis below is three steps: build the frame (numbers, disclosure applied),
# show it, draw it. Change a line and re-run the cell to try another analysis.

# %% staffing at a glance: urban, town and rural schools
profile = tables.location_profile(page)
profile

# %%
views.location_profile_chart(profile)

# %% pupil-teacher ratios (full-time teachers) by stage and location, Guangdong 2021 as reference
tables.pupil_teacher_ratios(page)

# %% students per staff member against the national establishment norms (only with staff)
tables.students_per_staff(page)

# %% qualifications by stage and location, with 95% intervals
tables.qualification_shares(page)

# %% backbone and PE/arts teachers per 100 pupils by location
tables.teachers_per_100_pupils(page)

# %% item 27: the temporary-teacher rule worked out
tables.temporary_teacher_rule(page)

# %% the ageing rural workforce: share aged 50+ and mean age by location
tables.age_structure(page)

# %% subject shortages: PE, music and fine arts per 100 pupils
tables.subject_shortages(page)

# %% item 26: rotation of eligible teachers and backbone teachers among them
tables.rotation(page)

# %% item 29: support placements (city figures)
tables.support_teachers(page)

# %% item 30: teacher pay against civil servants
pay = tables.pay_comparison(page)
pay

# %%
views.pay_league_chart(tables.pay_league(page))
