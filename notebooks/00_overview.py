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
# # County overview — the scorecard at a glance
# Every target of the 2022 plan for one county: status counts, the narrative
# summary, and where each of the 37 items is reported.

# %% tags=["parameters"]
county: str = "441803"  # county: 6-digit code or name (清新区, 清新, Qingxin District)
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # report language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% load
from qyanalysis.report import open_page, show, tables

page = open_page(county, year, data_dir, lang, as_of=as_of)

# %% header and summary
show.show_header(page)
show.show_summary(page)

# %% status of the targets by plan section
by_section = tables.status_by_section(page)
by_section

# %% every item, its targets and its section page
links = tables.section_links(page)
links
