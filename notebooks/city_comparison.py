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
# # City comparison — every county side by side
# Rendered by the batch with `county="city"`. City-scope targets (seats with
# in-year forecasts, studios, support teachers, key tasks), the status of every
# county target, county maps (差异系数 verdict, targets not met), league
# tables, the Theil decomposition of resources between and within counties,
# the 14 差异系数 per county, and trends since 2019.
# Each analysis is three steps: build the frame (`x = tables.name(page)`: numbers,
# disclosure applied), show it (`x`), draw it (`views.chart(x)`). Change a line
# and re-run the cell to try another analysis.

# %% tags=["parameters"]
county: str = "city"  # city for the city-wide report (a county code or name also works)
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # report language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% load
from qyanalysis.report import open_page, show, tables, views

page = open_page(county, year, data_dir, lang, as_of=as_of)

# %% header and summary of the city-wide targets
show.show_header(page)
show.show_summary(page)

# %% city-scope targets: table, sentences with the plan's words, in-year forecasts
targets = tables.city_targets(page)
targets

# %%
views.target_sentences(targets)

# %%
show.show_in_year_trends(page, targets)

# %% each county's part of the city-wide targets
quotas = tables.county_quotas(page)
quotas

# %% the counties at a glance (pupil and teacher counts under disclosure control)
context = tables.county_context(page)
context

# %% status of every county target: counts per county
status_counts = tables.county_status_counts(page)
status_counts

# %% county maps: the 差异系数 verdict and the targets not met
map_values = tables.county_map_values(page)
map_values

# %%
views.county_maps(map_values)

# %% heat maps of every county target by plan section (the frame has one row per target and county)
statuses = tables.county_statuses(page)
views.status_heatmaps(statuses)

# %% league tables of key indicators with target and reference lines
leagues = tables.league_tables(page)
leagues

# %%
views.league_charts(leagues)

# %% equity: resource inequality between and within counties (Theil T, Gini)
inequality = tables.resource_inequality(page)
inequality

# %% equity: the 14 差异系数 of every county, coloured by status (the frame drawn as a coloured table)
cv_matrix = tables.balance_cv_matrix(page)
views.cv_matrix_table(cv_matrix)

# %% equity: the binding 差异系数 over the years (one figure: a row per county, a column per level)
cv_trends = tables.balance_cv_trends(page)
views.trend_panels(cv_trends)

# %% trends of key indicators across counties (one figure: a row per county, a column per indicator)
trends = tables.key_trends(page)
views.trend_panels(trends)
