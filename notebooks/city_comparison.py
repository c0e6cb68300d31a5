# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
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
# Everything comes from `page.city_scorecard`, `page.all_counties_scorecard`
# and `page.measures`, each computed once.

# %% tags=["parameters"]
county: str = "city"  # city for the city-wide report (a county code or name also works)
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # report language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% load
from qyanalysis.report import open_page, show, views_city, views_map

page = open_page(county, year, data_dir, lang, as_of=as_of)

# %% header and summary of the city-wide targets
views_city.show_city_header(page)
show.show_summary(page)

# %% city-scope targets: table, sentences with the plan's words, in-year forecasts
views_city.show_city_scorecard(page)
views_city.show_county_quotas(page)

# %% the counties at a glance (pupil and teacher counts under disclosure control)
views_city.show_county_context(page)

# %% status of every county target: counts, a county map, then heat maps by plan section
views_city.show_status_counts(page)
views_map.show_county_maps(page)
views_city.show_status_heatmaps(page)

# %% league tables of key indicators with target and reference lines
views_city.show_league_tables(page)

# %% equity: resource inequality between and within counties (Theil T, Gini)
views_city.show_resource_inequality(page)

# %% equity: the 14 差异系数 of every county, and the binding ones over time
views_city.show_balance_cv_table(page)
views_city.show_balance_cv_trends(page)

# %% trends of key indicators across counties
views_city.show_trends(page)
