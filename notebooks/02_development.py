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
# # Section 2 — high-quality development (items 5–11)
# School places, preschool "5080", 优质均衡 of compulsory education (差异系数
# per indicator, schools falling short, urban–rural gaps), special education.

# %% tags=["parameters"]
county: str = "441803"  # county: 6-digit code or name (清新区, 清新, Qingxin District)
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # report language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% load
from qyanalysis.report import open_page, show, tables, views

page = open_page(county, year, data_dir, lang, section=2, as_of=as_of)

# %% header and summary
show.show_header(page)
show.show_summary(page)

# %% the targets of items 5-11 as one frame (display `targets` to see them all; one item's:
# `targets[targets["item"] == N]`); change a value and re-run the next cell
targets = tables.section_targets(page)

# %% items 5-11: targets, in-year forecasts, tasks
show.show_items(page, targets)

# %% [markdown]
# ## 优质均衡: the 差异系数 of the seven resource indicators
# Each analysis below is three steps: build the frame (numbers, disclosure applied),
# show it, draw it. Change a line and re-run the cell to try another analysis.

# %% equity: 差异系数 of the seven 优质均衡 indicators against the limits
cvs = tables.balance_cvs(page)
cvs

# %%
views.cv_chart(cvs)

# %% equity: schools falling short of the 优质均衡 school rule
short = tables.schools_short_of_balance(page)
short

# %% equity: urban, town and rural schools compared
gaps = tables.location_gaps(page)
gaps

# %%
views.location_gap_chart(gaps)

# %% preschool enrollment by ownership
preschool = tables.preschool_enrollment(page)
preschool
