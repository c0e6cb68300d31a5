"""Buildings and equipment of the demonstration census.

Each school's stock is set from its 2022 pupils per level part times the
优质均衡 per-pupil standard of that level (教督〔2017〕6号: primary 4.5 m²
teaching area, 7.5 m² sports area, 2000 元 equipment, 2.3 multimedia rooms per
100 pupils; junior 5.8, 10.2, 2500, 2.4), times the county's ``space`` or
``equip`` factor, a small-school bonus (pupils ÷ type mean)^−0.15 and a
log-normal school effect whose spread is the county's ``sig_p`` (primary
schools) or ``sig_o`` (others). The county factors set how many schools pass
the 6-of-7 school rule (most in Qingcheng, a minority in Liannan, Lianshan
and Yangshan) and the spreads set the 差异系数 (Liannan's primary and
Yangshan's junior spreads put CVs just inside their limits; the
backbone-teacher spread ``sig_b`` of ``staffing.py`` puts Lianshan's and
Yingde's primary backbone CV just above 0.50); the data README states the
measured result. Senior, kindergarten, special and vocational figures are
demonstration settings.

Stocks then move slowly: 20 % of schools were extended in 2020–2022 (15 %
less floor area before), equipment value grows 6 % a year, multimedia rooms
and computers 5 %, library books 3 %.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from qyanalysis.demo.layout import TYPES
from qyanalysis.demo.panel import Effects, Rows, level_sum

# resource: (primary, junior, senior, {other type: value}) per pupil (per 100 pupils for rooms, computers).
STANDARDS: dict[str, tuple[float, float, float, dict[str, float]]] = {
    "teaching_area_m2": (4.5, 5.8, 7.0, {"kindergarten": 6.0, "special": 20.0, "vocational": 10.0}),
    "sports_area_m2": (7.5, 10.2, 11.0, {"kindergarten": 4.0, "special": 12.0, "vocational": 6.0}),
    "equipment_value_yuan": (2000.0, 2500.0, 3000.0, {"kindergarten": 800.0, "special": 8000.0,
                                                      "vocational": 6000.0}),
    "multimedia_rooms": (0.023, 0.024, 0.026, {"kindergarten": 0.015, "special": 0.08, "vocational": 0.03}),
    "computers": (0.12, 0.15, 0.18, {"kindergarten": 0.05, "special": 0.2, "vocational": 0.2}),
    "library_books": (25.0, 35.0, 45.0, {"kindergarten": 10.0, "special": 30.0, "vocational": 40.0}),
}
AREA_COLUMNS = ("teaching_area_m2", "sports_area_m2")
GROWTH = {"equipment_value_yuan": 0.06, "multimedia_rooms": 0.05, "computers": 0.05, "library_books": 0.03}
EXTENDED_SHARE = 0.20
AREA_BEFORE_EXTENSION = 0.85
SMALL_SCHOOL_EXPONENT = -0.15
TEACHING_POINT_EQUIPMENT = 0.5


def _base_year_rows(rows: Rows) -> Rows:
    """The same rows with each year's pupils replaced by the school's 2022 pupils (stocks are sized on 2022)."""
    first = rows.base_rows[rows.school]
    return dataclasses.replace(rows, primary=rows.primary[first], junior=rows.junior[first],
                               senior=rows.senior[first], other=rows.other[first],
                               students=rows.students[first])


def resource_columns(rows: Rows, effects: Effects) -> dict[str, object]:
    """Floor areas (m², 1 decimal), equipment value (whole 元) and room, computer and book counts."""
    base = _base_year_rows(rows)
    mean_size = TYPES["mean_size"].to_numpy(dtype=float)[rows.type_code]
    small_school = np.power(np.maximum(base.students, 1) / mean_size, SMALL_SCHOOL_EXPONENT)
    primary_type = np.isin(rows.type, ("primary", "teaching_point"))
    sigma = np.where(primary_type, rows.county_value("sig_p"), rows.county_value("sig_o"))
    common = effects.normal()
    extended = effects.uniform() < EXTENDED_SHARE
    extension_year = 2020 + np.floor(effects.uniform(0.0, 3.0))
    area_factor = np.where(extended & (rows.dt + 2022 < extension_year), AREA_BEFORE_EXTENSION, 1.0)
    county_factor = {
        "space": rows.county_value("space"),
        "equip": rows.county_value("equip")
        * np.where(rows.type == "teaching_point", TEACHING_POINT_EQUIPMENT, 1.0),
    }
    columns: dict[str, object] = {}
    for name, (primary, junior, senior, other) in STANDARDS.items():
        own = effects.normal()
        effect = np.exp(sigma * (0.6 * common + 0.8 * own) - np.square(sigma) / 2.0)
        factor = county_factor["space"] if name in AREA_COLUMNS else county_factor["equip"]
        if name == "library_books":
            factor = (county_factor["space"] + county_factor["equip"]) / 2.0
        stock = level_sum(base, primary, junior, senior, other) * factor * small_school * effect
        if name in AREA_COLUMNS:
            columns[name] = np.round(stock * area_factor, 1)
        elif name == "equipment_value_yuan":
            columns[name] = np.round(stock * np.power(1.0 + GROWTH[name], rows.dt)).astype(np.int64)
        else:
            columns[name] = effects.dither(stock * np.power(1.0 + GROWTH[name], rows.dt))
    return columns
