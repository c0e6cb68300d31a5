"""The notice files written beside the demonstration data: ``metadata.json`` and ``README.md``."""

from __future__ import annotations

import pandas as pd

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
  a migrant public-school share below 85 %.
- **Liannan (441826) and Lianshan (441825)**, the mountainous Yao autonomous
  counties: small rural schools and teaching points (many under 50 pupils),
  fewer resources per pupil, older teachers; Liannan's compulsory dropout
  rate is above 0.5 % and its junior retention below 95 %; both trained
  fewer than 100 backbone teachers.
- **Yingde (441881)**, large and rural: wide gaps between primary schools
  (优质均衡 CVs above 0.50) and a temporary-teacher ratio above 5 % that
  still grows, so the item-27 rule applies there and in Qingcheng.
- Fitness 优良率 lies between about 45 % and 58 %; myopia falls in every
  county except Qingxin (441803), where it rises.
- Yangshan (441823) pays its teachers less than its civil servants; Yangshan
  and Yingde fund pupils below the (invented) provincial standard.
- Seats (item 6): by September the city is on track for the 20,500
  compulsory places and at risk for the 2,000 preschool places.
"""

_SYNTHETIC_STORY = """
## A synthetic region

With `--counties N` the generator makes a region of N invented counties
(codes `900001` …, names 示范县0001 / Demo County 0001) and a city row
`900000` (示范市), listed in `counties.csv`, which replaces the built-in
Qingyuan registry when the folder is loaded. Every county parameter is drawn
at random around the Qingyuan values from one latent "rurality". City-level
totals (seat targets, programme counts) are the Qingyuan plan's.
"""


def readme_text(schools: pd.DataFrame, seed: int, n_counties: int, synthetic_region: bool,
                has_roster: bool) -> str:
    """The README.md written beside the data: notice, files, conventions and calibration."""
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
  code whose origin is `input`, with `source` "synthetic demo". Annual rows have
  an empty `period`; the three item-6 seat counts of 2022 are monthly
  cumulative figures for 2022-01 … 2022-09 (the year is in progress); earlier
  years are annual totals. City-level counts (items 14, 15, 17, 19, 20, 25, 29)
  are **split over the counties, so the city total is the sum of the county
  rows**; no row uses the city code. `ideology_pilot_counties` and
  `parent_school_zone` are 1/0 per county.
- {roster}
- `tasks.csv` — plan milestones × county for the qualitative items (party
  building, ideology, safety, canteens, …) and the 60 key tasks of item 34
  (`is_key_task` true, task ids K01–K60, each owned by one county or by the
  city code), due months in 2022, progress as of September 2022.
- `targets_override.csv` — each county's quota of the three seat targets
  (`t06_new_public_seats_preschool/_compulsory/_senior`, the 2022 责任书);
  the quotas add up to the city targets 2,000 / 20,500 / 2,000.
{ASSESSMENT_README}- `metadata.json` — `"synthetic": true`, the notices, generator, seed and
  county count; loaders use it to mark reports as demonstration data.{counties}

## Latest year at a glance

{_level_table(schools)}
{_SYNTHETIC_STORY if synthetic_region else _QINGYUAN_STORY}
## Calibration

Public facts used (sources in `STANDARDS.md`):

- County populations: 2020 census (七普公报第二号); school counts and
  enrolment are set per resident (about 4 % of residents in kindergarten,
  8 % in primary, 3 % in junior, 1.5 % in senior secondary and 1 % in
  vocational schools), giving {n_kindergartens:,} kindergartens and
  {n_schools:,} primary and secondary schools including teaching points in
  2022.
- Guangdong 2021 (广东省教育事业发展统计公报): primary pupils per teacher
  18.22, junior 13.62; 99.19 % of primary teachers 大专+, 93.74 % of junior
  teachers 本科+. The city's figures in the data lie close to these.
- 优质均衡 per-pupil standards (教督〔2017〕6号) size buildings and
  equipment; class-size and school-size limits (45 / 50 pupils; 2,000 /
  2,500) are crossed on purpose in a few urban schools.
- National fitness target (优良率 >= 50 %) and the national myopia age
  profile (primary 36 %, junior 72 %, senior 81 %).
- Item-27 temporary-teacher line (5 %), the “5080” kindergarten shares, the
  plan's city targets and 2021 results (12,950 new compulsory and 5,540 new
  kindergarten public places), Qingxin and Lianshan as ideology pilot counties.

Invented on purpose, because no public figure exists: every school, every
county quota, the provincial per-student funding standard (950–1,150 元) and
all pay figures.
"""
