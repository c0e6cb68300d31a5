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
# # Getting started with `qyanalysis`
#
# `qyanalysis` turns a city education bureau's statistics into per-county
# reports on the Qingyuan 2022 education work plan (清远市2022年教育工作要点).
# This notebook is for researchers who want to use the library directly in
# JupyterLab: load a data folder, see how validation reports problems, compute
# one 差异系数 by hand, draw a chart in the house style, and read the
# scorecard. It runs as it is on the bundled **synthetic** demonstration data
# (合成演示数据 — not official statistics), and under papermill with the same
# parameters as the report notebooks.

# %% tags=["parameters"]
county: str = "清城区"  # county: 6-digit code or name (清城区, 清城, Qingcheng District)
year: int = 2022  # report year (a census year of the data)
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # chart language: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% [markdown]
# ## 1. Load a data folder
# `qy.load_dataset(folder)` reads every table (CSV, Parquet or one Excel
# workbook; English or Chinese headers), validates it against the contract and
# returns a typed `Dataset`. `qy.demo_data_dir()` is the bundled demo folder.

# %%
import qyanalysis as qy

dataset = qy.load_dataset(data_dir or qy.demo_data_dir())
code = dataset.counties.normalise(county)  # any name or code → the 6-digit code
code, dataset.counties.name(code, lang), dataset.years, dataset.is_demo

# %% [markdown]
# Tables are pandas frames with English snake_case columns; `county` has become
# `county_code`. Counts are floats and an empty cell is NaN — never a silent 0.
# 注:学校表每行是一所学校一年的基层报表数据。

# %%
dataset.schools.head()

# %% [markdown]
# ## 2. When the data is wrong: `qy.DataValidationError`
# Validation collects every problem in one pass and raises
# `qy.DataValidationError`; its `.errors` are records with `file`, `row`
# (spreadsheet row, header = 1), `column` and `message` — the same lines
# `qyanalysis validate DATA_DIR` prints. To see it, we copy the demo data to a
# temporary folder and break three cells of the schools table with pandas.


# %%
import shutil
import tempfile
from pathlib import Path

scratch = Path(tempfile.mkdtemp(prefix="qy-broken-"))  # a scratch copy; the demo data stays read-only
for source in qy.demo_data_dir().iterdir():
    (scratch / source.name).write_bytes(source.read_bytes())
copy = qy.load_dataset(scratch)  # the untouched copy loads cleanly

# %%
broken = copy.schools.rename(columns={"county_code": "county"})  # back to the input column name
broken.loc[0, "students"] = -12  # a negative count
broken.loc[1, "level"] = "university"  # not a school level of the contract
broken.loc[2, "county"] = "北京市"  # not a county of the registry
broken.to_csv(scratch / "schools.csv", index=False)

# %%
try:
    qy.load_dataset(scratch)
    problems = []
except qy.DataValidationError as error:
    problems = error.errors
for issue in problems:
    print(issue)  # FILE:ROW:COLUMN: what is wrong, what was expected

# %%
shutil.rmtree(scratch)  # done with the broken copy
problems[0]  # one record: file, row, column, message, severity

# %% [markdown]
# ## 3. The 差异系数 of one county's primary schools
# 优质均衡 (教督〔2017〕6号) judges a county by the enrollment-weighted
# coefficient of variation of seven resources across its schools:
# X̄ = ΣPᵢXᵢ/P, S = √(Σ(Pᵢ/P)(Xᵢ − X̄)²), CV = S/X̄; limits 小学 ≤ 0.50, 初中 ≤ 0.45.
# Here: teaching equipment value per pupil (元/生) across the county's
# single-level primary schools.

# %%
schools = dataset.schools[(dataset.schools["county_code"] == code) & (dataset.schools["year"] == year)]
primary = schools[schools["level"] == "primary"]
equipment_per_pupil_yuan = primary["equipment_value_yuan"] / primary["students"]
qy.equity.difference_coefficient(equipment_per_pupil_yuan, primary["students"])

# %% [markdown]
# The scorecard's value differs a little: the official scope also counts the
# primary part of nine-year and twelve-year schools (resources split 1 : 1.1
# per pupil) and leaves out teaching points under 50 pupils. Section 5 shows it.

# %% [markdown]
# ## 4. A chart in the house style
# `qy.charts` functions take tidy frames and return a matplotlib `Figure` with
# the house style (a font that shows Chinese, colour-blind-safe status colours
# with hatches, phone-sized); `show.show_figure` displays it once and frees it.
# Here every county's fitness good-or-better rate (体质健康优良率) against the
# 50 % target, from the scorecard of all counties (`county=None`).

# %%
from qyanalysis.report import show

everyone = qy.scorecard(dataset, None, year, as_of=as_of or None)
fitness = everyone[(everyone["indicator"] == "fitness_good_rate") & (everyone["level"] == "county")]
limit = fitness["threshold"].iloc[0]  # the registry's 50 % after any override
show.show_figure(qy.charts.league_chart(fitness, "fitness_good_rate", threshold=limit, lang=lang))

# %% [markdown]
# ## 5. The scorecard of one county
# `qy.scorecard(dataset, county, year)` has one row per target: the value,
# the plan's threshold and a status (`met`, `not_met`, `on_track`, `at_risk`,
# `no_data`, `not_applicable`), with the plan's own sentence in `quote`.
# It is an ordinary frame: filter it like any other.

# %%
card = qy.scorecard(dataset, county, year, as_of=as_of or None)
card["status"].value_counts()

# %%
columns = ["item", "indicator", "value", "comparator", "threshold", "status"]
card.loc[card["indicator"].str.startswith("balance_cv_equipment"), columns]

# %%
card.loc[card["status"].isin(["not_met", "at_risk"]), columns]

# %% [markdown]
# ## Where next
# - `qy.measures.compute_all(dataset)`: every measure of every county and year
#   as one tidy frame (with 95 % intervals where a rate comes from counts).
# - `qyanalysis run --data DATA_DIR`: every county's report pages as HTML.
# - The section notebooks in this folder show how each report page is built.
