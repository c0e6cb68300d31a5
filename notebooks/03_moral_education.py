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
from qyanalysis.report import open_page, show, views_quality

page = open_page(county, year, data_dir, lang, section=3, as_of=as_of)

# %% header and summary
show.show_header(page)
show.show_summary(page)

# %% items 12-17: targets, in-year forecasts, tasks
show.show_items(page)

# %% quality: fitness good-or-better rate by location and level
views_quality.show_fitness_by_group(page)

# %% quality: share of pupils fitness-tested by location and level
views_quality.show_fitness_tested_by_group(page)

# %% quality: myopia rate and its change by location and level
views_quality.show_myopia_by_group(page)

# %% quality: trends over the census years against the national targets
views_quality.show_quality_trends(page)

# %% quality: the county against the other counties
views_quality.show_quality_league(page)

# %% city-wide targets: the city's figure and each county's count
views_quality.show_city_targets(page)
