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
# # Section 7 — safeguards (items 34–37)
# Key tasks completed against 60 (a city target), per-student public funding
# against the provincial standard (an input: amounts and their ratio),
# special-education funding against 6,000 yuan, and the progress of the
# campus-safety and logistics tasks (items 36–37, shown with each item).

# %% tags=["parameters"]
county: str = "441803"  # county: 6-digit code or name (清新区, 清新, Qingxin District), or city
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # report language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% load
from qyanalysis.report import open_page, show, tables, views

page = open_page(county, year, data_dir, lang, section=7, as_of=as_of)

# %% header and summary
show.show_header(page)
show.show_summary(page)

# %% the targets of items 34-37 as one frame (display `targets` to see them all; one item's:
# `targets[targets["item"] == N]`); change a value and re-run the next cell
targets = tables.section_targets(page)

# %% items 34-37: targets, in-year forecasts, tasks (safety and logistics progress)
show.show_items(page, targets)

# %% task progress of the section's items at a glance
progress = tables.task_progress(page)
progress

# %%
views.task_progress_chart(progress)

# %% item 34: key tasks by county and progress, against 60
key_tasks = tables.key_tasks(page)
key_tasks

# %% item 35: per-student public funding against the provincial standard
tables.funding(page)

# %%
views.funding_league_chart(tables.funding_league(page))

# %% item 35: special-education funding per student against 6,000 yuan
tables.special_education_funding(page)
