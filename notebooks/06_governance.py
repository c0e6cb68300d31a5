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
# # Section 6 — governance (items 31–33)
# Private schools (item 31), rule of law (32) and inspection (33) are mostly
# qualitative: the page shows each item's tasks and their progress, and the
# private-school share of enrollment as context for item 31.

# %% tags=["parameters"]
county: str = "441803"  # county: 6-digit code or name (清新区, 清新, Qingxin District), or city
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # report language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% load
from qyanalysis.report import open_page, show, tables, views

page = open_page(county, year, data_dir, lang, section=6, as_of=as_of)

# %% header and summary
show.show_header(page)
show.show_summary(page)

# %% the targets of items 31-33 as one frame (display `targets` to see them all; one item's:
# `targets[targets["item"] == N]`); change a value and re-run the next cell
targets = tables.section_targets(page)

# %% items 31-33: targets and task progress
show.show_items(page, targets)

# %% task progress of the section's items at a glance
progress = tables.task_progress(page)
progress

# %%
views.task_progress_chart(progress)

# %% item 31 context: private schools' share of pupils by level and over the years
tables.private_schools(page)

# %% item 31 context: private share of compulsory-education pupils over the years
tables.private_share_over_years(page)
