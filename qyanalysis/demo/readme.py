"""The notice files written beside the demonstration data: ``metadata.json`` and ``README.md``.

The README states the data's snapshot month, how each 2022 input is dated,
and — for Qingyuan — the 优质均衡 calibration measured on the written census
(``qyanalysis.demo.calibration``), so that what it says is what the files show.
"""

from __future__ import annotations

import pandas as pd

from qyanalysis.contract.indicators import BALANCE_INDICATORS, CATALOGUE
from qyanalysis.demo.calibration import (
    NEAR_LIMIT, PUBLISHED_2022, PUBLISHED_SOURCE, city_totals_by_stage, near_limit_cvs, passing_shares,
    registry_cv_limits,
)
from qyanalysis.demo.snapshot import (
    AS_OF, AS_OF_MONTH, AS_OF_MONTH_NAME, AS_OF_YEAR, AT_SNAPSHOT, MONTHLY_FLOWS, MONTHS, QUARTERLY_FLOWS, QUARTERS,
)
from qyanalysis.demo.assessment import README_SECTION as ASSESSMENT_README

NOTICE_ZH = "本数据为合成演示数据,并非官方统计数据。"
NOTICE_EN = "Synthetic demonstration data, not official statistics."
TITLE = "清远市2022年教育工作要点 分析演示数据 / Qingyuan 2022 education work plan — demonstration dataset"
SECONDARY_LEVELS = ("primary", "junior", "nine_year", "senior", "complete_secondary", "twelve_year")
TITLE_SYNTHETIC = "合成示范地区演示数据 / Synthetic demonstration region"


def metadata(seed: int, n_counties: int, synthetic_region: bool, files: list[str], has_roster: bool) -> dict:
    """The ``metadata.json`` record (no timestamp, so that files are byte-identical for a seed)."""
    return {
        "synthetic": True,
        "title": TITLE_SYNTHETIC if synthetic_region else TITLE,
        "notice_zh": NOTICE_ZH,
        "notice_en": NOTICE_EN,
        "generator": "qyanalysis.demo",
        "seed": seed,
        "counties": n_counties,
        "region": "synthetic" if synthetic_region else "qingyuan",
        "years": [2019, 2020, 2021, 2022],
        "as_of": AS_OF,
        "teachers_roster": has_roster,
        "files": files,
    }


def _level_table(schools: pd.DataFrame) -> str:
    latest = schools[schools["year"] == schools["year"].max()]
    table = latest.groupby("level").agg(schools=("school_id", "size"), pupils=("students", "sum"),
                                        teachers=("teachers", "sum"))
    lines = ["| level | schools | pupils | teachers |", "|---|---:|---:|---:|"]
    lines += [f"| {level} | {row.schools:,} | {row.pupils:,} | {row.teachers:,} |"
              for level, row in table.iterrows()]
    return "\n".join(lines)


_QINGYUAN_STORY = """
## What the data are made to show (Qingyuan)

The profiles of the eight counties are set by hand so that the reports have
something to say. They are invented; they describe no real county.

- **Qingcheng (441802)**, the urban district: about 37 % migrant children,
  large schools and big classes (many primary classes above 45), the most
  temporary teachers (about 8 %), a public-kindergarten share below 50 % and
  a migrant public-school share below 85 %. Its schools are the newest and
  best equipped: most of them pass the 优质均衡 6-of-7 school rule; the
  others fall short mostly on qualified teachers per pupil (big classes)
  and on sports grounds.
- **Liannan (441826) and Lianshan (441825)**, the mountainous autonomous
  counties, and **Yangshan (441823)**: small rural schools and teaching
  points (many under 50 pupils), ample floor area but too little equipment,
  too few multimedia rooms and backbone teachers, so only a minority of
  their schools pass the school rule. Lianshan's primary backbone-teacher
  差异系数 is just above 0.50; Liannan's primary CVs and Yangshan's junior
  floor-area CV sit just inside their limits. Liannan's compulsory dropout
  rate is above 0.5 % and its junior retention below 95 %; by September
  Liannan and Lianshan had each trained fewer than 60 backbone teachers,
  far from the pace for 100 by the year's end.
- **Yingde (441881)**, large and rural: a majority of schools pass the
  school rule, but backbone teachers are spread unevenly between primary
  schools (差异系数 just above 0.50); its temporary-teacher ratio is above
  5 % and still grows, so the item-27 rule applies there and in Qingcheng.
- **Qingxin (441803), Fogang (441821) and Lianzhou (441882)**: a majority
  of schools pass the school rule and every 差异系数 is well inside its
  limit.
- Fitness 优良率 lies between about 45 % and 58 %; myopia falls in every
  county except Qingxin, where it rises.
- Yangshan pays its teachers less than its civil servants; Yangshan and
  Yingde fund pupils below the (invented) provincial standard.
- By September (the snapshot): the city is on track for the 20,500
  compulsory places and at risk for the 2,000 preschool places; support
  placements received are on pace for 135, those sent are behind it; 9 of
  the 10 labour-education model schools and 92 of the 100 studios exist;
  two counties have not yet created their model parent-school zone.
"""

_SYNTHETIC_STORY = """
## A synthetic region

With `--counties N` the generator makes a region of N invented counties
(codes `900001` …, names 示范县0001 / Demo County 0001) and a city row
`900000` (示范市), listed in `counties.csv`, which replaces the built-in
Qingyuan registry when the folder is loaded. Every county parameter is drawn
at random around the Qingyuan values from one latent "rurality": the more
rural a county, the fewer of its schools pass the 优质均衡 school rule and
the wider the gaps between them. City-level totals (seat targets, programme
counts) are the Qingyuan plan's.
"""


def _codes(codes) -> str:
    return ", ".join(f"`{code}`" for code in codes)


def _snapshot_section() -> str:
    """How the indicators of the snapshot year are dated (``qyanalysis.demo.snapshot``)."""
    dated = set(MONTHLY_FLOWS) | set(QUARTERLY_FLOWS) | set(AT_SNAPSHOT)
    annual = sorted(code for code, entry in CATALOGUE.items() if entry.origin == "input" and code not in dated)
    return f"""
## Snapshot: as of {AS_OF}

The data are what the bureau would hold at the end of {AS_OF_MONTH_NAME}
{AS_OF_YEAR} (`metadata.json`: `"as_of": "{AS_OF}"`), {AS_OF_MONTH} months into
the plan's year; the reports read the as-of month from the latest monthly or
quarterly period of `indicators.csv`. 2019–2021 are closed years with annual
values only. In {AS_OF_YEAR}:

| {AS_OF_YEAR} figures | `period` | indicators |
|---|---|---|
| cumulative in-year flows, monthly | {MONTHS[0]} … {MONTHS[-1]} | {_codes(MONTHLY_FLOWS)} |
| cumulative in-year flows, quarterly | {QUARTERS[0]} … {QUARTERS[-1]} | {_codes(QUARTERLY_FLOWS)} |
| stocks and progress at the snapshot | {AS_OF} | {_codes(AT_SNAPSHOT)} |
| school-year census and budget figures | empty (annual) | {_codes(annual)} |

No in-year flow has an annual {AS_OF_YEAR} value: its year-end figure is not
known in {AS_OF_MONTH_NAME}, and the reports forecast it. Each indicator uses one
kind of period (never `YYYY-MM` and `YYYY-Qn` together). The annual
{AS_OF_YEAR} figures are known by {AS_OF_MONTH_NAME}: the school census and the
counts taken from it describe the autumn term of the
{AS_OF_YEAR}/{AS_OF_YEAR + 1} school year, and pay and per-pupil funding are
the year's budgeted amounts.

In `tasks.csv` progress is as of the same month: tasks due by {AS_OF} are
mostly `completed`, the others overdue (`delayed`, or still `in_progress`
past their due month); tasks due later in the year are not yet due (mostly
`in_progress` or `not_started`, a few completed early).
"""


def _stage_totals(schools: pd.DataFrame) -> str:
    """The city's 2022 schools and pupils by stage beside the published figures (Qingyuan only)."""
    totals = city_totals_by_stage(schools, AS_OF_YEAR)
    lines = ["| stage | schools | published | pupils | published |", "|---|---:|---:|---:|---:|"]
    for stage, (n_published, pupils_published) in PUBLISHED_2022.items():
        row = totals.loc[stage]
        lines.append(f"| {stage} | {row.schools:,} ({row.schools / n_published - 1:+.1%}) | {n_published:,} "
                     f"| {row.pupils:,} ({row.pupils / pupils_published - 1:+.1%}) | {pupils_published:,} |")
    return "\n".join(lines)


def _published_totals(schools: pd.DataFrame) -> str:
    """The calibration bullet on the city's published 2022 totals, with the measured table (Qingyuan only)."""
    return f"""- The city's totals at the start of the {AS_OF_YEAR}–{AS_OF_YEAR + 1} school year, from
  {PUBLISHED_SOURCE}. The per-resident rates and school sizes are set so that the data's
  {AS_OF_YEAR} totals lie within 10 % of each (measured by
  `qyanalysis.demo.calibration.city_totals_by_stage`), counted as the
  published figures and Chinese education statistics count them: teaching
  points are not schools (their pupils are primary pupils); a nine-year
  school (九年一贯制学校) is a junior school (初中学校), a complete secondary
  (完全中学) or twelve-year school (十二年一贯制学校) a regular senior school
  (普通高中学校); every pupil counts in their stage (a combined school's
  `students_primary/junior/senior` each in its own); senior means regular
  senior (普通高中), vocational and special schools apart.

{_stage_totals(schools)}

"""


def _share(value: float) -> str:
    return "–" if pd.isna(value) else f"{100 * value:.0f} %"


def _balance_section(schools: pd.DataFrame, profiles: pd.DataFrame) -> str:
    """The 优质均衡 calibration measured on the census of the snapshot year."""
    names = profiles.set_index("county_code")["short_zh"]
    shares = passing_shares(schools, AS_OF_YEAR)
    near = near_limit_cvs(schools, AS_OF_YEAR)
    rows = ["| county | school parts | passing | share passing | CVs above the limit "
            f"| CVs within {NEAR_LIMIT:.2f} below |", "|---|---:|---:|---:|---:|---:|"]
    for row in shares.itertuples():
        mine = near[near["county_code"] == row.Index]
        rows.append(f"| {names.get(row.Index, row.Index)} ({row.Index}) | {int(row.parts):,} "
                    f"| {int(row.passing):,} | {_share(row.passing_share)} | {int((mine['gap'] > 0).sum())} "
                    f"| {int((mine['gap'] <= 0).sum())} |")
    labels = {code: spec.label_en for code, spec in BALANCE_INDICATORS.items()}
    items = [f"- {names.get(r.county_code, r.county_code)} ({r.county_code}), {r.level}: "
             f"{labels[r.code].lower()} — {r.cv:.3f} against {r.limit:.2f} "
             f"({'above' if r.gap > 0 else 'inside'} by {abs(r.gap):.3f})"
             for r in near.itertuples()]
    limits = ", ".join(f"{level} ≤ {limit:.2f}" for level, limit in registry_cv_limits().items())
    return f"""
## 优质均衡 calibration (measured on `schools.csv`, {AS_OF_YEAR})

School resources are set so that the share of compulsory-school parts (a
combined school counts once per level; teaching points under 50 pupils are
out of scope) passing the school rule of 教督〔2017〕6号 — at least 6 of the
7 resource indicators at their standard, the remaining one at 85 % of it or
more — differs between counties, and so that some counties' enrollment-weighted
差异系数 sit just inside and others just outside the limits ({limits}).
Measured with `qyanalysis.measures.balance`, the same code as the reports:

{chr(10).join(rows)}

The 差异系数 above their limit or within {NEAR_LIMIT:.2f} below it:

{chr(10).join(items) if items else "- none"}

Every other 差异系数 is more than {NEAR_LIMIT:.2f} inside its limit.
"""


def readme_text(schools: pd.DataFrame, profiles: pd.DataFrame, seed: int, synthetic_region: bool,
                has_roster: bool) -> str:
    """The README.md written beside the data: notice, files, snapshot, story and calibration.

    Args:
        schools: The generated ``schools`` table.
        profiles: The county profiles (``county_code``, ``short_zh``).
        seed: The generator's seed.
        synthetic_region: True for a ``--counties N`` region.
        has_roster: Whether ``teachers.parquet`` was written.
    """
    n_counties = len(profiles)
    command = "qyanalysis demo-data OUT" + (f" --counties {n_counties}" if synthetic_region else "")
    roster = ("`teachers.parquet` — pseudonymous teacher roster, teacher × year for 2021\n"
              "  and 2022 (ids like `T0000123`, never names). Per school and year the\n"
              "  established rows number `teachers`, the others `temporary_teachers`;\n"
              "  among established rows the counts of above-required qualification\n"
              "  (kindergarten, primary, special 大专+; junior and combined 本科+; senior,\n"
              "  vocational 研究生), backbone teachers and PE/music/fine-arts teachers equal\n"
              "  the school's columns. Rotation (交流轮岗): 8–14 % of eligible teachers,\n"
              "  15–30 % of them backbone teachers, by county." if has_roster else
              "`teachers.parquet` — not written: the roster is optional in the contract\n"
              "  and is skipped for synthetic regions of more than 100 counties\n"
              "  (`metadata.json`: `teachers_roster` false).")
    latest = schools[schools["year"] == schools["year"].max()]
    n_kindergartens = int((latest["level"] == "kindergarten").sum())
    n_schools = int(latest["level"].isin(SECONDARY_LEVELS).sum())
    counties = ("\n- `counties.csv` — the synthetic region's county table (COUNTIES columns)."
                if synthetic_region else "")
    story = _SYNTHETIC_STORY if synthetic_region else _QINGYUAN_STORY + _balance_section(schools, profiles)
    totals = "" if synthetic_region else _published_totals(schools)
    return f"""# {TITLE_SYNTHETIC if synthetic_region else TITLE}

> **{NOTICE_ZH}**
> **{NOTICE_EN}**

Every school, pupil, teacher and figure in this folder is invented by
`qyanalysis.demo` (seed {seed}, {n_counties} counties). It exists so that the
package, its notebooks and its reports can be run and read without real data.
Only the public facts listed under *Calibration* were used to make it look
plausible. Do not quote it as statistics about any place.

Regenerate (byte-identical for the same seed): `{command}`

## Files

- `schools.csv` — the school census, school × year 2019–2022, every column of
  `qyanalysis/contract/columns.py` SCHOOLS (English names; `county` holds the
  6-digit code). Counts are whole numbers; an empty cell means *not collected
  for this kind of school*, never zero: `students_primary/junior/senior` only
  for combined schools (nine_year, complete_secondary, twelve_year, and they
  add up to `students`); fitness and myopia columns only for primary and
  secondary schools; `migrant_students` only for compulsory schools;
  `dropouts` not for kindergartens; `temporary_teachers` and
  `pe_arts_teachers` not for kindergartens. `teachers` are established
  full-time teachers (专任教师); temporary teachers only in public schools.
  Schools keep their ids every year and change slowly. Teaching points are
  primary schools with `is_teaching_point` true.
- `indicators.csv` — county × year × period × indicator for every catalogue
  code whose origin is `input`, with `source` "synthetic demo", as of
  {AS_OF} (see *Snapshot* below). City-level counts (items 14, 15, 17, 19,
  20, 25, 29) are **split over the counties, so the city total is the sum of
  the county rows**; no row uses the city code. `ideology_pilot_counties`
  and `parent_school_zone` are 1/0 per county.
- {roster}
- `tasks.csv` — plan milestones × county for the qualitative items (party
  building, ideology, safety, canteens, …) and the 60 key tasks of item 34
  (`is_key_task` true, task ids K01–K60, each owned by one county or by the
  city code), due months in {AS_OF_YEAR}, progress as of {AS_OF}.
- `targets_override.csv` — each county's quota of the three seat targets
  (`t06_new_public_seats_preschool/_compulsory/_senior`, the 2022 责任书);
  the quotas add up to the city targets 2,000 / 20,500 / 2,000.
{ASSESSMENT_README}- `metadata.json` — `"synthetic": true`, the notices, generator, seed,
  county count and snapshot month (`as_of`); loaders use it to mark reports
  as demonstration data.{counties}

## Latest year at a glance

{_level_table(schools)}
{_snapshot_section()}{story}
## Calibration

Public facts used, with their sources:

- County populations: 2020 census (七普公报第二号); school counts and
  enrollment are set per resident (about 4 % of residents in kindergarten,
  10 % in primary, 4.5 % in junior, 2 % in regular senior secondary and 1 %
  in vocational schools), giving {n_kindergartens:,} kindergartens and
  {n_schools:,} primary and secondary schools including teaching points in
  2022.
{totals}- Guangdong 2021 (广东省教育事业发展统计公报): primary pupils per teacher
  18.22, junior 13.62; 99.19 % of primary teachers 大专+, 93.74 % of junior
  teachers 本科+. The city's figures in the data lie close to these.
- 优质均衡 per-pupil standards and school rule (教督〔2017〕6号) size
  buildings, equipment and the teacher indicators (see the calibration
  above); class-size and school-size limits (45 / 50 pupils; 2,000 / 2,500)
  are crossed on purpose, mostly in urban schools (Qingcheng's above all).
- National fitness target (优良率 >= 50 %) and the national myopia age
  profile (primary 36 %, junior 72 %, senior 81 %).
- Item-27 temporary-teacher line (5 %), the “5080” kindergarten shares, the
  plan's city targets and 2021 results (12,950 new compulsory and 5,540 new
  kindergarten public places), Qingxin and Lianshan as ideology pilot counties.

Invented on purpose, because no public figure exists: every school and its
resources (the county levels and spreads of floor area, equipment, backbone
and PE/arts teachers that give the pass shares and 差异系数 above), every
county quota, the monthly and quarterly pace of the in-year flows and their
year totals, the progress of every task, the provincial per-student funding
standard (950–1,150 元) and all pay figures.
"""
