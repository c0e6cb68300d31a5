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
# # Exploring the data
#
# The questions researchers ask first, each as visible steps — **build a frame,
# show it, draw it** — so that changing one line (the indicator, the county, the
# year) and re-running answers the next question:
#
# 1. one indicator across counties and years;
# 2. one county's schools, with disclosure control applied;
# 3. urban, town and rural schools compared;
# 4. distributions across schools and counties (seaborn);
# 5. a model of which schools pass the 优质均衡 school rule (statsmodels' formula API);
# 6. adding a new indicator with a target, end to end.
#
# It runs on the bundled **synthetic** demonstration data (合成演示数据 — not
# official statistics) unless `data_dir` names a data folder.

# %% tags=["parameters"]
county: str = "清城区"  # county: 6-digit code or name (清城区, 清城, Qingcheng District)
year: int = 2022  # census year explored
data_dir: str = ""  # data folder; empty means the bundled synthetic demonstration data
lang: str = "zh"  # labels and charts: "zh" (Chinese) or "en" (English)
as_of: str = ""  # snapshot month YYYY-MM; empty means the latest monthly or quarterly period of the data

# %% [markdown]
# `open_page` checks the parameters and loads the data once per kernel. The page
# holds the data (`page.dataset`), every measure of every county and year
# (`page.measures`, the tidy measure frame of `qy.measures.compute_all`) and
# `page.memo(name, fn)`, which computes `fn()` once per kernel for this data.

# %%
import qyanalysis as qy
from qyanalysis.report import open_page, show

page = open_page(county, year, data_dir, lang, as_of=as_of)
dataset = page.dataset
counties = dataset.counties
names = {code: counties.name(code, lang) for code in counties.codes}
names[page.county_code], page.year, page.as_of, dataset.is_demo

# %% [markdown]
# ## 1. One indicator across counties and years
# Any code of the indicator catalogue (`qy.contract.CATALOGUE`) will do; here the
# fitness good-or-better rate (体质健康优良率, plan item 13). The measure frame has
# one row per county × year × period × indicator; annual values have period "".

# %%
indicator = "fitness_good_rate"
measures = page.measures
across = measures[(measures["indicator"] == indicator) & (measures["period"] == "")
                  & measures["county_code"].isin(counties.codes)]
across = across.assign(county_name=across["county_code"].map(names))
across.pivot(index="county_name", columns="year", values="value").round(3)

# %% [markdown]
# The threshold comes from the scorecard (the registry after any county
# override), never from a copy. The scorecard of every county is computed once
# per kernel with `page.memo`.

# %%
everyone = page.memo(("scorecard", None, page.year, page.as_of),
                     lambda: qy.scorecard(dataset, None, page.year, as_of=page.as_of))
scored = everyone[(everyone["indicator"] == indicator) & (everyone["level"] == "county")]
threshold = scored["threshold"].median() if len(scored) else None
show.show_figure(qy.charts.small_multiples(across, indicator, lang, threshold=threshold))

# %%
scored = scored.assign(county_name=scored["county_code"].map(names))
show.show_figure(qy.charts.league_chart(scored, indicator, threshold=threshold, lang=lang))

# %% [markdown]
# ## 2. One county's schools, with disclosure applied
# Schools are institutions: their names may be shown. A count of 1–4 persons
# may not, nor a cell from which one could be recovered by subtracting from a
# published total: `qy.suppression.apply_sdc` shows such counts as "<5" and hides
# a complementary cell as "[c]" (docs/methods.md, "Disclosure control"). Each
# count column is protected against its own county total. The table is made safe
# as a whole, then cut to the schools with the most dropouts.

# %%
schools = dataset.schools
mine = schools[(schools["county_code"] == page.county_code) & (schools["year"] == page.year)
               & schools["dropouts"].notna() & (schools["students"] > 0)]
drill = mine[["school_name", "level", "location", "students", "dropouts"]].assign(
    dropout_rate=mine["dropouts"] / mine["students"])
safe = qy.suppression.apply_sdc(drill, count_columns=["dropouts"], rate_columns=["dropout_rate"],
                               numerator_col="dropouts", denominator_col="students", lang=lang)
safe["students"] = qy.suppression.suppress_counts(drill, ["students"])["students"]
safe.loc[drill.sort_values("dropouts", ascending=False).index].head(15)

# %% [markdown]
# The same rate pooled by location × school level, with its Wilson 95 %
# interval (`qy.quality.rate_table`). Only groups whose counts are not 1–4
# persons are drawn.

# %%
groups = qy.quality.rate_table(dataset, "compulsory_dropout_rate",
                               by=["county_code", "year", "location", "level"])
groups = groups[(groups["county_code"] == page.county_code) & (groups["year"] == page.year)]
small = ((groups[["numerator", "denominator"]] > 0)
         & (groups[["numerator", "denominator"]] < qy.disclosure.SUPPRESSION_THRESHOLD)).any(axis=1)
drawable = groups[~small].sort_values(["location", "level"])
drawable[["location", "level", "value", "ci_low", "ci_high"]].round(4)

# %%
overall = measures[(measures["county_code"] == page.county_code) & (measures["year"] == page.year)
                   & (measures["indicator"] == "compulsory_dropout_rate") & (measures["period"] == "")]
show.show_figure(qy.charts.group_rate_chart(drawable, "compulsory_dropout_rate", lang,
                                            overall=float(overall["value"].iloc[0]),
                                            overall_name=names[page.county_code]))

# %% [markdown]
# ## 3. Urban, town and rural schools
# Resources per pupil pooled over the county's compulsory school parts by
# location (Σ resource ÷ Σ pupils, combined schools split as for the 差异系数),
# and each location against the urban value.

# %%
resources = ["teaching_area_per_student", "sports_area_per_student", "equipment_value_per_student",
             "multimedia_rooms_per_100"]
gaps = qy.equity.location_gaps(dataset, page.year, resources)
gaps = gaps[gaps["county_code"] == page.county_code]
gaps.pivot(index="indicator", columns="location", values=["value", "ratio_to_urban"]).round(2)

# %%
show.show_figure(qy.charts.gap_chart(gaps[["indicator", "location", "value"]], lang))

# %% [markdown]
# ## 4. Distributions across schools and counties
# Every compulsory school part of every county (combined schools split by level, as for the
# 差异系数) with its seven per-pupil values and its verdict under the 优质均衡 school rule
# (`qy.equity.school_balance_table`). Under the disclosure rule a part of 1–4 pupils is left out:
# its per-pupil values could give its count back. The frame: quartiles of one indicator by county
# and location; change `resource` to look at another of the seven.

# %%
import pandas as pd
import seaborn as sns

parts = pd.concat([qy.equity.school_balance_table(dataset, code, page.year).assign(county_name=names[code])
                   for code in counties.codes], ignore_index=True)
parts = parts[parts["students"] >= qy.disclosure.SUPPRESSION_THRESHOLD]
parts = parts.assign(location_name=parts["location"].map(lambda code: qy.labels.t(f"location.{code}", lang)))
resource = "teaching_area_per_student"
spread = parts.groupby(["county_name", "location_name"])[resource].describe()
spread[["count", "25%", "50%", "75%"]].round(2)

# %%
fig, ax = qy.charts.new_figure(height_in=4.8)
sns.boxplot(data=parts, x=resource, y="county_name", hue="location_name", ax=ax, fliersize=2, linewidth=0.8)
ax.set_xlabel(qy.labels.indicator_label(resource, lang))
ax.set_ylabel("")
ax.legend(title="", fontsize=8)
show.show_figure(fig)

# %% [markdown]
# ## 5. A model: which schools pass the school rule?
# A logistic regression with statsmodels' formula API: a school part's pass (at least six of the
# seven indicators met, the seventh at 85 % of its line) against its location, level and size
# (log pupils), on the parts that can be judged. The table gives each term's odds ratio with its
# 95 % interval; the sentence below says what the model does and does not show.

# %%
import numpy as np
import statsmodels.formula.api as smf

judged = parts.dropna(subset=["passes"]).assign(passed=lambda f: f["passes"].astype(int),
                                                log_students=lambda f: np.log(f["students"]))
formula = "passed ~ C(location, Treatment('urban')) + C(level) + log_students"
model = smf.logit(formula, data=judged).fit(disp=False)
odds = pd.DataFrame({"odds_ratio": np.exp(model.params), "ci_low": np.exp(model.conf_int()[0]),
                     "ci_high": np.exp(model.conf_int()[1]), "p_value": model.pvalues}).drop(index="Intercept")
odds.round(3)

# %%
fig, ax = qy.charts.new_figure(height_in=3.2)
rows = np.arange(len(odds))
spread_low, spread_high = odds["odds_ratio"] - odds["ci_low"], odds["ci_high"] - odds["odds_ratio"]
ax.errorbar(odds["odds_ratio"], rows, xerr=[spread_low, spread_high], fmt="o", color="#33658a", capsize=3)
ax.axvline(1.0, color="#999999", linewidth=0.8)
ax.set_yticks(rows, odds.index)
ax.set_xscale("log")
ax.set_xlabel("odds ratio (95 % interval, log scale)" if lang == "en" else "优势比（95% 区间，对数刻度）")
show.show_figure(fig)

# %%
from IPython.display import Markdown

rural = odds.loc["C(location, Treatment('urban'))[T.rural]"]
Markdown(
    f"On {len(judged)} school parts: holding level and size fixed, a rural part's odds of passing are "
    f"{rural['odds_ratio']:.2f} times an urban part's "
    f"(95 % interval {rural['ci_low']:.2f}–{rural['ci_high']:.2f}). "
    "This is an association across schools in one year, not an effect: location stands for everything "
    "that differs between rural and urban schools, parts of one county are not independent, and on the "
    "demonstration data the figures are synthetic."
    if lang == "en" else
    f"基于 {len(judged)} 个学校学段：在学段和规模相同的条件下，农村学校达标的优势是城区学校的 "
    f"{rural['odds_ratio']:.2f} 倍（95% 区间 {rural['ci_low']:.2f}–{rural['ci_high']:.2f}）。"
    "这只是同一年各校之间的关联，不是因果效应：城乡差别代表了城乡学校之间的所有不同，同一县区的学校并不相互独立；"
    "演示数据中的数字是合成的。")

# %% [markdown]
# ## 6. Adding an indicator, end to end
# A new computed indicator with a target takes four things: **a catalogue
# entry, a measure function, a registry row and a test**. Everything else — its
# zh/en names, its line in the methods text, its scorecard rows and verdicts,
# its unit and interval — follows from them. In the package the entry goes into
# `qyanalysis/contract/indicators.py`, the function into a module of
# `qyanalysis/measures/` and the row into `qyanalysis/verdicts/targets/registry.csv`
# (README, "Adding an indicator"); here the same steps use the run-time hooks,
# so nothing in the package is edited. The example: the dropout rate of junior
# schools alone (初中辍学率), held to the plan's 0.5 % line (item 8).
#
# **Step 1 — the catalogue entry**, with its names, unit, interval and definition.

# %%
entry = qy.contract.indicators.register(qy.contract.Indicator(
    "junior_dropout_rate", 8, "rate", "computed", "初中辍学率", "Junior-school dropout rate", interval=True,
    formula="Σ dropouts ÷ Σ pupils of junior schools (初中), pooled by county and year.",
    counted="Schools of level junior; nine-year and complete secondary schools are left out.",
    source="清远市2022年教育工作要点 第8条"))
qy.labels.indicator_label(entry.code, lang)

# %% [markdown]
# **Step 2 — the measure function**: a dataset in, one row per county × year out
# (`county_code, year, value`, here also the counts and the Wilson interval of
# `pooled_rate`). The decorator adds it to every measure frame.


# %%
@qy.measures.measure("junior_dropout_rate")
def junior_dropout_rate(data):
    """Σ dropouts ÷ Σ pupils of each county's junior schools, with a Wilson 95 % interval (plan item 8)."""
    junior = data.schools[data.schools["level"] == "junior"]
    return qy.measures.rates.pooled_rate(junior, "dropouts", "students", ["county_code", "year"])


frame = qy.measures.compute_all(dataset)
frame[(frame["indicator"] == "junior_dropout_rate") & (frame["county_code"] == page.county_code)]

# %% [markdown]
# **Step 3 — the registry row**: the threshold, the comparator, the scope (全市 in the
# sentence makes it a city target) and the plan
# sentence it comes from (checked against the plan's text).

# %%
qy.targets.register_targets({
    "target_id": "t08_junior_dropout_rate", "item": 8, "section": 2, "theme": "equity",
    "indicator": "junior_dropout_rate", "scope": "city", "comparator": "<=", "threshold": 0.005,
    "unit": "rate", "rule": "absolute",
    "quote": "加大控辍保学工作力度,全市义务教育辍学率控制在0.5%以下,随迁子女入读公办学校的比例达到85%以上。",
    "source": "清远市2022年教育工作要点 第8条", "label_zh": "初中辍学率控制在0.5%以下",
    "label_en": "Junior-school dropout rate at most 0.5 %"})
card = qy.scorecard(dataset, county, page.year, as_of=page.as_of)
columns = ["target_id", "value", "comparator", "threshold", "status"]
card.loc[card["indicator"] == "junior_dropout_rate", columns]

# %% [markdown]
# Its entry in the methods text (the same generator writes `docs/methods.md`
# and every run's methods page):

# %%
from qyanalysis.report import methods

print(methods.indicator_markdown("junior_dropout_rate", lang))

# %% [markdown]
# **Step 4 — the test**: a small dataset whose value is computed by hand, as in
# `tests/test_adding_an_indicator.py` (1 + 2 dropouts among 400 + 600 junior
# pupils = 0.3 %, met; 4 among 500 = 0.8 %, not met). With those four in the
# package, `make docs` regenerates `docs/methods.md` and `docs/data-dictionary.md`.
