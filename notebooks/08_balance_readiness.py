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
# # 优质均衡 readiness (item 8) — could the county apply for the national assessment?
# Every indicator of 《县域义务教育优质均衡发展督导评估办法》 (教督〔2017〕6号), the verdict,
# the schools short of the school standards with what they need and its cost, the
# 差异系数 floors, cost by resource and by county, and the year each standard would be
# met at the current pace. Rendered for every county and, with `county="city"`, for
# the city (every county side by side). Unit costs are settings (`GAP_COST_*`), most
# of them assumptions.

# %% tags=["parameters"]
county: str = "441802"  # county: 6-digit code or name (清城区, 清城, Qingcheng District), or "city"
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # report language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% load
from qyanalysis.report import open_page, show, tables, views

page = open_page(county, year, data_dir, lang, section=2, as_of=as_of)

# %% header
show.show_header(page, title=tables.balance_readiness.title(page))

# %% the answer first — the verdict: ready to apply only when every indicator is met and no veto applies
verdict = tables.verdict(page)
verdict

# %% … and the costliest gaps to close
costliest = tables.costliest(page)
costliest

# %% [markdown]
# Each analysis below is three steps: build the frame (numbers, disclosure applied),
# show it, draw it. Change a line and re-run the cell to try another analysis.

# %% what the page shows, with links to the methods of every indicator
assessment = tables.readiness(page)
views.methods_links(assessment)

# %% every indicator of the assessment (a county) or every county × indicator (the city)
assessment

# %%
views.readiness_chart(assessment)

# %% beside the veto on unfilled posts (V6): the census's temporary teachers of public compulsory schools
temporary = tables.veto_temporary_teachers(page)
temporary

# %% schools short of the school standards: least-cost additions and their cost
gaps = tables.school_gaps(page)
gaps

# %%
views.gap_chart(gaps)

# %% 差异系数 over their limits: levelling-up floors
floors = tables.cv_floors(page)
floors

# %% cost by resource (unit costs: assumptions unless a source is named)
by_resource = tables.cost_by_resource(page)
by_resource

# %%
views.resource_chart(by_resource)

# %% cost by county
by_county = tables.cost_by_county(page)
by_county

# %%
views.county_chart(by_county)

# %% trajectory: the year each standard would be met at the current pace, with its interval
pace = tables.trajectory(page)
pace

# %%
views.trajectory_chart(pace)

# %% when the county (each county) could apply
ready = tables.ready_years(page)
ready
