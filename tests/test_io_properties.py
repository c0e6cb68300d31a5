"""Property-based tests of the input layer (hypothesis).

* Random valid ``schools`` and ``indicators`` frames, generated from the declarations of
  ``qyanalysis.contract.columns`` (part <= whole rules respected), written as CSV (UTF-8, GB18030) and
  Parquet, always load and round-trip their values.
* One random bad cell never passes silently: ``load_dataset`` raises ``DataValidationError`` naming that
  row and column.
* County normalisation against a random registry of the folder's own.
* The vectorised Parquet cell rendering equals the cell-by-cell one.
"""

from __future__ import annotations

import math
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qyanalysis.contract.columns import INDICATORS, SCHOOLS, YEAR_MAX, YEAR_MIN
from qyanalysis.contract.counties import CountyRegistry
from qyanalysis.contract.indicators import CATALOGUE
from qyanalysis.errors import DataValidationError
from qyanalysis.io import load_dataset
from qyanalysis.io.checks import PART_RULES
from qyanalysis.io.convert import convert_county
from qyanalysis.io.text import MISSING_TOKENS, cell_to_text, column_to_text

REGISTRY = CountyRegistry.builtin()
COUNTY_SPELLINGS = [(row.county_code, name) for row in REGISTRY.counties.itertuples()
                    for name in (row.county_code, row.name_zh, row.name_en, row.short_zh)]
# Free text without digits (no ID-card or phone look-alikes), commas, quotes or total-row words.
TEXT_ALPHABET = "清远英德连州阳山佛冈第中心小学校实验幼儿园 abcXYZ（）()·"
FORMATS = ["utf-8", "gb18030", "parquet"]
RULES = PART_RULES["schools"]
COMBINED = {level: rule for rule in RULES if rule.exact for level in rule.levels}
FIXTURE_OK = [HealthCheck.function_scoped_fixture]  # tmp_path_factory gives each example its own folder
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=FIXTURE_OK)


# --- generating valid frames from the declarations ----------------------------------------------

def _text():
    return st.text(TEXT_ALPHABET, min_size=1, max_size=10).filter(str.strip)


@st.composite
def school_rows(draw, n_rows: int) -> tuple[pd.DataFrame, list[str]]:
    """A valid schools frame (object columns, None = empty) and the expected county code of each row."""
    columns: dict[str, list[object]] = {c.name: [] for c in SCHOOLS.columns}
    codes = []
    for i in range(n_rows):
        row: dict[str, object] = {}
        for column in SCHOOLS.columns:
            optional = not column.required and draw(st.booleans())
            if column.kind == "id":
                row[column.name] = f"S{i:04d}"
            elif column.kind == "text":
                row[column.name] = draw(_text()).strip()
            elif column.kind == "county":
                code, name = draw(st.sampled_from(COUNTY_SPELLINGS))
                row[column.name] = name
                codes.append(code)
            elif column.kind == "year":
                row[column.name] = draw(st.integers(YEAR_MIN, YEAR_MAX))
            elif column.kind == "category":
                row[column.name] = None if optional else draw(st.sampled_from(column.allowed))
            elif column.kind == "bool":
                row[column.name] = None if optional else draw(st.booleans())
            elif column.kind == "count":
                row[column.name] = None if optional else draw(st.integers(0, 10**6))
            elif column.kind == "amount":
                row[column.name] = None if optional else draw(st.integers(0, 10**7)) / 10
        _respect_parts(draw, row)
        for name, value in row.items():
            columns[name].append(value)
    return pd.DataFrame(columns, dtype=object), codes


def _respect_parts(draw, row: dict[str, object]) -> None:
    """Make the drawn row obey every part rule: parts shrunk to fit their whole, combined levels summed."""
    for name in ("students_primary", "students_junior", "students_senior"):
        row[name] = None
    rule = COMBINED.get(row["level"])
    if rule is not None:
        students = int(row["students"])
        cuts = sorted(draw(st.lists(st.integers(0, students), min_size=len(rule.parts) - 1,
                                    max_size=len(rule.parts) - 1)))
        for part, low, high in zip(rule.parts, [0, *cuts], [*cuts, students]):
            row[part] = high - low
    for rule in RULES:
        if rule.exact or row[rule.whole] is None:
            continue
        budget = int(row[rule.whole])
        for part in rule.parts:
            if row[part] is not None:
                row[part] = min(int(row[part]), budget)
                budget -= row[part]


def _indicator_value(code: str, draw) -> object:
    unit = CATALOGUE[code].unit
    if unit in ("share", "rate"):
        fraction = draw(st.integers(0, 1000)) / 1000
        return draw(st.sampled_from([fraction, f"{fraction * 100:g}%"]))
    if unit == "count":
        return draw(st.integers(0, 10**5))
    if unit in ("pp", "change"):
        return draw(st.integers(-1000, 1000)) / 1000
    if unit == "flag":  # yes/no: written 1/0 (the words 是/否 are read in tests/test_assessment.py)
        return draw(st.integers(0, 1))
    return draw(st.integers(0, 10**7)) / 100


PERIODS = st.one_of(st.just(None), st.tuples(st.integers(1, 12)).map(lambda m: f"2022-{m[0]:02d}"),
                    st.integers(1, 4).map(lambda q: f"2022-Q{q}"))


@st.composite
def indicator_rows(draw) -> tuple[pd.DataFrame, list[str], list[float]]:
    """A valid indicators frame, the expected county codes and the expected values (as fractions)."""
    keys = draw(st.lists(st.tuples(st.sampled_from(COUNTY_SPELLINGS), st.integers(2019, 2023), PERIODS,
                                   st.sampled_from(sorted(CATALOGUE))),
                         min_size=1, max_size=8, unique_by=lambda k: (k[0][0], k[1], k[2], k[3])))
    values = [_indicator_value(code, draw) for *_, code in keys]
    frame = pd.DataFrame({"county": [k[0][1] for k in keys], "year": [k[1] for k in keys],
                          "period": [k[2] for k in keys], "indicator": [k[3] for k in keys],
                          "value": [str(v) for v in values], "source": "hypothesis"}, dtype=object)
    expected = [float(v[:-1]) / 100 if isinstance(v, str) else float(v) for v in values]
    return frame, [k[0][0] for k in keys], expected


# --- writing ------------------------------------------------------------------------------------

def _typed(frame: pd.DataFrame, table) -> pd.DataFrame:
    """Parquet columns typed as an export would: Int64 / float64 / boolean / str by declared kind."""
    out = {}
    for name in frame.columns:
        kind = table.column(name).kind
        values = frame[name]
        if kind in ("count", "year"):
            out[name] = pd.array(values.tolist(), dtype="Int64")
        elif kind == "amount":
            out[name] = pd.array(values.tolist(), dtype="Float64").astype("float64")
        elif kind == "bool":
            out[name] = pd.array(values.tolist(), dtype="boolean")
        else:
            out[name] = values.astype("str").where(values.notna(), None)
    return pd.DataFrame(out)


def write(folder, name: str, frame: pd.DataFrame, table, fmt: str) -> None:
    if fmt == "parquet":
        _typed(frame, table).to_parquet(folder / f"{name}.parquet", index=False)
    else:
        frame.to_csv(folder / f"{name}.csv", index=False, encoding=fmt)


def folder_with(tmp_path_factory, schools: pd.DataFrame, fmt: str, indicators: pd.DataFrame | None = None):
    folder = tmp_path_factory.mktemp("prop")
    write(folder, "schools", schools, SCHOOLS, fmt)
    if indicators is None:
        indicators = pd.DataFrame({"county": ["清城"], "year": ["2022"], "indicator": ["myopia_rate"],
                                   "value": ["0.5"]})
    write(folder, "indicators", indicators, INDICATORS, fmt)
    return folder


def _same(loaded: pd.Series, written: pd.Series, kind: str) -> None:
    written = written.tolist()
    if kind in ("count", "amount", "year"):
        expected = [math.nan if v is None else float(v) for v in written]
        expected_array = np.array(expected, dtype="float64")
        np.testing.assert_array_equal(loaded.astype("float64").to_numpy(), expected_array)
    elif kind == "bool":
        assert [None if v is pd.NA else bool(v) for v in loaded] == written
    elif kind == "category":
        assert [None if pd.isna(v) else v for v in loaded] == written
    else:
        assert loaded.tolist() == written


# --- valid frames load and round-trip -----------------------------------------------------------

@SETTINGS
@given(st.integers(1, 6).flatmap(school_rows), st.sampled_from(FORMATS))
def test_random_valid_schools_load_and_round_trip(tmp_path_factory, drawn, fmt):
    frame, codes = drawn
    schools = load_dataset(folder_with(tmp_path_factory, frame, fmt)).schools
    assert schools["county_code"].tolist() == codes
    for column in SCHOOLS.columns:
        if column.kind != "county":
            _same(schools[column.name], frame[column.name], column.kind)


@SETTINGS
@given(indicator_rows(), st.sampled_from(FORMATS))
def test_random_valid_indicators_load_and_round_trip(tmp_path_factory, drawn, fmt):
    frame, codes, values = drawn
    schools = pd.DataFrame({"school_id": ["S1"], "school_name": ["一小"], "county": ["清城"],
                            "year": [2022], "level": ["primary"], "ownership": ["public"], "students": [100]},
                           dtype=object)
    folder = folder_with(tmp_path_factory, schools, fmt, frame)
    indicators = load_dataset(folder).indicators
    assert indicators["county_code"].tolist() == codes
    assert indicators["indicator"].tolist() == frame["indicator"].tolist()
    assert indicators["period"].tolist() == frame["period"].fillna("").tolist()
    assert indicators["value"].tolist() == pytest.approx(values, abs=1e-12)


# --- one bad cell never passes silently ---------------------------------------------------------

def _break_part_rule(frame: pd.DataFrame, pos: int, rule) -> str:
    if rule.exact:
        frame.loc[pos, "level"] = rule.levels[0]
        frame.loc[pos, list(rule.parts)] = [1] * len(rule.parts)
        frame.loc[pos, rule.whole] = len(rule.parts) + 1  # parts add up to one less than the whole
    else:
        frame.loc[pos, rule.whole] = 10
        frame.loc[pos, list(rule.parts)] = [11] + [0] * (len(rule.parts) - 1)
    return rule.parts[0]


def _setter(column: str, values) -> object:
    """A mutation writing one drawn bad value into ``column`` at the chosen row."""
    def mutate(frame: pd.DataFrame, pos: int, draw) -> str:
        frame.loc[pos, column] = draw(values)
        return column
    return mutate


MUTATIONS = {
    "unknown county": _setter("county", _text().map(lambda t: "Atlantis" + t.strip())),
    "unknown category": _setter("level", st.sampled_from(["university", "小学部", "primary school"])),
    "text in a number column": _setter("classes", _text()),
    "negative count": _setter("teachers", st.integers(-99, -1)),
    "non-whole count": _setter("multimedia_rooms", st.integers(0, 99).map(lambda i: i + 0.5)),
    "fractional year": _setter("year", st.sampled_from([2021.5, 2022.25])),
    "implausible year": _setter("year", st.sampled_from([YEAR_MIN - 1, YEAR_MAX + 1, 0, 22])),
    "bad boolean": _setter("has_resource_room", st.sampled_from(["maybe", "2", "部分"])),
    "negative amount": _setter("sports_area_m2", st.sampled_from([-1.5, -1000])),
    "ID-card number in a text column": _setter("school_name", st.just("一小440102199001011234")),
    "empty required cell": _setter("students", st.none()),
    "part larger than its whole": lambda frame, pos, draw: _break_part_rule(frame, pos,
                                                                            draw(st.sampled_from(RULES))),
}


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURE_OK)
@given(st.data(), st.sampled_from(sorted(MUTATIONS)), st.sampled_from(["utf-8", "gb18030"]))
def test_one_bad_cell_is_reported_at_its_row_and_column(tmp_path_factory, data, kind, fmt):
    frame, _ = data.draw(st.integers(1, 5).flatmap(school_rows))
    frame = frame.astype(object)
    pos = data.draw(st.integers(0, len(frame) - 1))
    column = MUTATIONS[kind](frame, pos, data.draw)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder_with(tmp_path_factory, frame, fmt))
    found = [(e.file, e.row, e.column) for e in caught.value.errors]
    assert ("schools.csv", pos + 2, column) in found, (kind, found)


@settings(max_examples=15, deadline=None, suppress_health_check=FIXTURE_OK)
@given(st.data(), st.sampled_from(["unknown county", "negative count", "part larger than its whole",
                                   "text in a number column"]))
def test_one_bad_cell_in_parquet_is_reported(tmp_path_factory, data, kind):
    frame, _ = data.draw(st.integers(1, 4).flatmap(school_rows))
    pos = data.draw(st.integers(0, len(frame) - 1))
    column = MUTATIONS[kind](frame, pos, data.draw)
    folder = tmp_path_factory.mktemp("pq")
    text = frame.astype(object).where(frame.notna(), None)
    typed = {}
    for name in text.columns:  # typed where every cell fits the declared kind, text otherwise
        try:
            typed[name] = _typed(text[[name]], SCHOOLS)[name]
        except (TypeError, ValueError):
            typed[name] = text[name].map(lambda v: None if v is None else cell_to_text(v))
    pd.DataFrame(typed).to_parquet(folder / "schools.parquet", index=False)
    pd.DataFrame({"county": ["清城"], "year": [2022], "indicator": ["myopia_rate"], "value": [0.5]}
                 ).to_csv(folder / "indicators.csv", index=False)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    assert ("schools.parquet", pos + 2, column) in [(e.file, e.row, e.column) for e in caught.value.errors]


# --- county normalisation against a folder's own registry ---------------------------------------

NAME_CHARS = "东南西北中山河湖江海城新安平清远宁乐"


@st.composite
def registries(draw) -> CountyRegistry:
    names = draw(st.lists(st.text(NAME_CHARS, min_size=2, max_size=4), min_size=1, max_size=6, unique=True))
    suffix = draw(st.sampled_from(["区", "县", "市"]))
    english = [f"County {chr(65 + i)}{'x' * i}" for i in range(len(names))]
    return CountyRegistry.from_frame(pd.DataFrame({
        "county_code": [f"{990101 + i}" for i in range(len(names))], "name_zh": [n + suffix for n in names],
        "name_en": english, "short_zh": names}))


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


VARIANTS = [str.upper, str.lower, str.title, full_width, lambda t: t, lambda t: f" \u3000{t}\t"]


@settings(max_examples=60, deadline=None)
@given(registries(), st.data())
def test_any_variant_of_a_registry_name_maps_to_its_code(registry, data):
    row = data.draw(st.sampled_from(list(registry.table.itertuples())))
    name = data.draw(st.sampled_from([row.county_code, row.name_zh, row.name_en, row.short_zh]))
    spelled = data.draw(st.sampled_from(VARIANTS))(name)
    cut = data.draw(st.integers(0, len(spelled)))
    spelled = spelled[:cut] + data.draw(st.sampled_from(["", " ", "\u3000"])) + spelled[cut:]
    assert registry.normalise(spelled) == row.county_code
    converted = convert_county(pd.Series([spelled, spelled], dtype="str"), registry)
    assert converted.values.tolist() == [row.county_code] * 2 and not converted.problems[0].mask.any()


@settings(max_examples=60, deadline=None)
@given(registries(), st.text(min_size=1, max_size=10))
def test_strings_outside_a_registry_map_to_none(registry, text):
    def folded(value: str) -> str:
        return "".join(unicodedata.normalize("NFKC", value).strip().lower().split())

    known = {folded(str(n)) for r in registry.table.itertuples()
             for n in (r.county_code, r.name_zh, r.name_en, r.short_zh)}
    if folded(text) in known:
        return
    assert registry.normalise(text) is None
    converted = convert_county(pd.Series([text], dtype="str"), registry)
    blank = folded(text) in ("", *MISSING_TOKENS)
    assert converted.problems[0].mask.tolist() == [not blank]


# --- vectorised Parquet cell rendering ------------------------------------------------------------

FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6).map(float),
                   st.integers(-10**9, 10**9).map(lambda i: i / 1000), st.none())


@settings(max_examples=60, deadline=None)
@given(st.lists(FLOATS, max_size=30))
def test_float_columns_render_like_cells(values):
    series = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    assert column_to_text(series).tolist() == [cell_to_text(v) for v in series]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-2**63, 2**63 - 1)), max_size=20),
       st.lists(st.one_of(st.none(), st.booleans()), max_size=20),
       st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=20))
def test_integer_boolean_and_string_columns_render_like_cells(ints, bools, texts):
    as_cells = [
        (pd.Series(ints, dtype="Int64"), ints),
        (pd.Series(bools, dtype="boolean"), bools),
        (pd.Series([b for b in bools if b is not None], dtype=bool), [b for b in bools if b is not None]),
        (pd.Series(texts, dtype="str"), texts),
        (pd.Series(texts, dtype=object), texts),
        (pd.Series(texts, dtype=pd.ArrowDtype(pa.large_string())), texts),
    ]
    for series, cells in as_cells:
        assert column_to_text(series).tolist() == [cell_to_text(v) for v in cells], series.dtype


def test_other_parquet_types_render_like_cells(tmp_path):
    import datetime as dt
    import decimal

    frame = pd.DataFrame({
        "date": [dt.date(2022, 3, 1), None], "decimal": [decimal.Decimal("1.50"), None],
        "category": pd.Categorical(["primary", None]), "uint": np.array([1, 2**64 - 1], dtype=np.uint64),
        "float32": np.array([0.5, np.nan], dtype=np.float32), "huge": [1e20, -2.5e-7],
    })
    frame.to_parquet(tmp_path / "t.parquet")
    back = pd.read_parquet(tmp_path / "t.parquet")
    for name in back.columns:
        assert column_to_text(back[name]).tolist() == [cell_to_text(v) if not pd.isna(v) else ""
                                                       for v in back[name].astype(object)], name
