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
# # Section 4 — comprehensive education reform (items 18–23)
# School groups and evaluation pilots are city-wide targets: the page shows
# the city's figure with each county's count; the other items are tasks.

# %% tags=["parameters"]
county: str = "441803"  # county: 6-digit code or name (清新区, 清新, Qingxin District)
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # report language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% load
from qyanalysis.report import open_page, show, tables, views

page = open_page(county, year, data_dir, lang, section=4, as_of=as_of)

# %% header and summary
show.show_header(page)
show.show_summary(page)

# %% the targets of items 18-23 as one frame (display `targets` to see them all; one item's:
# `targets[targets["item"] == N]`); change a value and re-run the next cell
targets = tables.section_targets(page)

# %% items 18-23: targets, tasks
show.show_items(page, targets)

# %% city-wide targets: education groups and evaluation pilots by county
tables.city_count_targets(page)

# %% task progress by item and status
progress = tables.task_progress(page)
progress

# %%
views.task_progress_chart(progress)
