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
# # Section 3 — moral education and whole-person development (items 12–17)
# The quality deep dive: fitness 优良率 and the tested share, the myopia rate
# and its change, by location and level with Wilson intervals; 2019–2022
# trends against the national targets; the county against the others;
# city-wide counts (arts, labour education, pilot counties) by county.

# %% tags=["parameters"]
county: str = "441803"  # county: 6-digit code or name (清新区, 清新, Qingxin District)
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # report language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% load
from qyanalysis.report import open_page, show, tables, views

page = open_page(county, year, data_dir, lang, section=3, as_of=as_of)

# %% header and summary
show.show_header(page)
show.show_summary(page)

# %% the targets of items 12-17 as one frame (display `targets` to see them all; one item's:
# `targets[targets["item"] == N]`); change a value and re-run the next cell
targets = tables.section_targets(page)

# %% items 12-17: targets, in-year forecasts, tasks
show.show_items(page, targets)

# %% [markdown]
# ## Item 13: fitness and myopia by location and level
# Each analysis below is three steps: build the frame (numbers, disclosure applied),
# show it, draw it. Change a line and re-run the cell to try another analysis.

# %% quality: fitness good-or-better rate by location and level
fitness = tables.fitness_by_group(page)
fitness

# %%
views.fitness_chart(fitness)

# %% quality: share of pupils fitness-tested by location and level
tested = tables.fitness_tested_by_group(page)
tested

# %%
views.tested_chart(tested)

# %% quality: myopia rate and its change by location and level
myopia = tables.myopia_by_group(page)
myopia

# %%
views.myopia_chart(myopia)

# %%
views.myopia_change_chart(myopia)

# %% quality: trends over the census years against the national targets
trends = tables.quality_trends(page)
trends

# %%
views.trends_chart(trends)

# %% quality: the county against the other counties — fitness good-or-better rate
fitness_league = tables.quality_league(page, "fitness_good_rate")
fitness_league

# %%
views.quality_league_chart(fitness_league)

# %% quality: the county against the other counties — share fitness-tested
tested_league = tables.quality_league(page, "fitness_tested_share")
tested_league

# %%
views.quality_league_chart(tested_league)

# %% quality: the county against the other counties — change of the myopia rate
myopia_league = tables.quality_league(page, "myopia_rate_change")
myopia_league

# %%
views.quality_league_chart(myopia_league)

# %% city-wide targets: the city's figure and each county's count
tables.city_count_targets(page)
