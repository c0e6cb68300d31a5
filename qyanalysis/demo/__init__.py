"""The synthetic demonstration dataset (``qyanalysis demo-data``; docs/data-dictionary.md).

``generate_demo_data(out_dir)`` writes Qingyuan's eight counties;
``generate_demo_data(out_dir, n_counties=N)`` a synthetic region of N counties
with its own ``counties.csv``. The generator is vectorised across counties and
deterministic: one ``numpy.random.default_rng(seed)`` is split into one
independent stream per part, rows are sorted, nothing depends on the clock, so
the same seed gives byte-identical files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from qyanalysis.contract.columns import COUNTIES
from qyanalysis.contract.counties import CITY_KIND
from qyanalysis.contract.indicators import CATALOGUE, FLAG_UNIT
from qyanalysis.demo.assessment import add_music_art_rooms, assessment_indicators, build_survey, readiness_knob
from qyanalysis.demo.census import build_schools
from qyanalysis.demo.inputs import build_indicators
from qyanalysis.demo.profiles import (
    qingyuan_counties, qingyuan_profiles, synthetic_counties, synthetic_profiles,
)
from qyanalysis.demo.readme import metadata, readme_text
from qyanalysis.demo.tasks import build_targets_override, build_tasks
from qyanalysis.demo.teachers import build_teachers

__all__ = ["generate_demo_data", "ROSTER_MAX_COUNTIES", "DEMO_FILES"]

ROSTER_MAX_COUNTIES = 100
DEMO_FILES = ("schools.csv", "indicators.csv", "teachers.parquet", "tasks.csv", "targets_override.csv",
              "survey.csv", "counties.csv", "metadata.json", "README.md")
_WHOLE_UNITS = ("count", "yuan")


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename (no half-written files)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV, unquoted (text never holds commas, quotes or line breaks: pyarrow refuses it otherwise),
    booleans as true/false, missing values as empty cells, integer-valued numbers without ".0"."""
    table = pa.Table.from_pandas(frame, preserve_index=False)

    def write(target: Path) -> None:
        with open(target, "wb") as handle:
            handle.write((",".join(frame.columns) + "\n").encode("utf-8"))
            pacsv.write_csv(table, handle, pacsv.WriteOptions(include_header=False, quoting_style="none"))

    _atomic_write(path, write)


def _indicator_text(indicators: pd.DataFrame) -> pd.DataFrame:
    """Values as text: whole numbers for counts and yuan, 是/否 for yes/no, up to 4 decimals otherwise."""
    units = indicators["indicator"].map(lambda code: CATALOGUE[code].unit)
    whole = units.isin(_WHOLE_UNITS).to_numpy()
    values = indicators["value"]
    text = np.where(whole, values.round().astype("int64").astype(str), values.round(4).astype(str))
    text = np.where(units.eq(FLAG_UNIT).to_numpy(), np.where(values.to_numpy() == 1, "是", "否"), text)
    return indicators.assign(value=text)


def _counties_table(counties: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """The synthetic region's ``counties`` table (COUNTIES columns); the city's population is the sum."""
    population = profiles.set_index("county_code")["population"]
    table = counties.assign(population_2020_census=counties["county_code"].map(population))
    city = table["kind"] == CITY_KIND
    table.loc[city, "population_2020_census"] = population.sum()
    table["population_2020_census"] = table["population_2020_census"].astype("int64")
    table["aliases"] = ""
    return table[[c.name for c in COUNTIES.columns]]


def generate_demo_data(out_dir: str | os.PathLike, n_counties: int | None = None, seed: int = 2022) -> Path:
    """Write the synthetic demonstration dataset into ``out_dir`` and return that folder.

    Args:
        out_dir: Folder to write (created if missing). Files of the dataset left
            from an earlier run that this run does not produce are removed.
        n_counties: None for Qingyuan's eight counties (the built-in registry);
            N for a synthetic region of N counties with its own ``counties.csv``
            (the teacher roster is skipped above ``ROSTER_MAX_COUNTIES``).
        seed: Random seed; the same seed gives byte-identical files.

    Returns:
        The output folder as a ``Path``.

    Raises:
        ValueError: ``n_counties`` outside 1–99,999.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    streams = np.random.default_rng(seed).spawn(10)  # the first six as before 优质均衡 readiness was added
    profile_rng, layout_rng, panel_rng, roster_rng, inputs_rng, tasks_rng = streams[:6]
    knob_rng, rooms_rng, assess_rng, survey_rng = streams[6:]
    synthetic_region = n_counties is not None
    if synthetic_region:
        counties = synthetic_counties(int(n_counties))
        profiles = synthetic_profiles(counties, profile_rng)
    else:
        counties = qingyuan_counties()
        profiles = qingyuan_profiles()
    city_code = str(counties.loc[counties["kind"] == CITY_KIND, "county_code"].iloc[0])

    knob = readiness_knob(profiles, knob_rng)
    schools = add_music_art_rooms(build_schools(profiles, layout_rng, panel_rng), profiles, knob, rooms_rng)
    has_roster = len(profiles) <= ROSTER_MAX_COUNTIES
    written = ["schools.csv", "indicators.csv", "tasks.csv", "targets_override.csv", "survey.csv"]
    _write_csv(schools, out / "schools.csv")
    extra = assessment_indicators(profiles, knob, assess_rng)
    _write_csv(_indicator_text(build_indicators(schools, profiles, inputs_rng, extra)), out / "indicators.csv")
    _write_csv(build_survey(profiles, knob, survey_rng), out / "survey.csv")
    _write_csv(build_tasks(profiles, city_code, tasks_rng), out / "tasks.csv")
    _write_csv(build_targets_override(profiles), out / "targets_override.csv")
    if has_roster:
        roster = build_teachers(schools, profiles, roster_rng)
        _atomic_write(out / "teachers.parquet",
                      lambda p: roster.to_parquet(p, index=False, engine="pyarrow", compression="zstd"))
        written.append("teachers.parquet")
    if synthetic_region:
        _write_csv(_counties_table(counties, profiles), out / "counties.csv")
        written.append("counties.csv")
    written += ["metadata.json", "README.md"]
    record = metadata(seed, len(profiles), synthetic_region, sorted(written), has_roster)
    _atomic_write(out / "metadata.json", lambda p: p.write_text(
        json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))
    _atomic_write(out / "README.md", lambda p: p.write_text(
        readme_text(schools, profiles, seed, synthetic_region, has_roster), encoding="utf-8"))
    for stale in set(DEMO_FILES) - set(written):
        (out / stale).unlink(missing_ok=True)
    return out
