"""Adding a computed indicator with a target takes four things: a catalogue entry, a measure function,
a registry row and a test (README, "Adding an indicator").

The test adds a toy indicator the way a user would — through the public hooks
(``contract.indicators.register``, ``measures.measure``, ``targets.register_targets``),
editing no package file — and finds it in every place that derives from those:
the measure frame, the scorecard with a verdict, the zh/en names, the methods
text and the data dictionary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import qyanalysis as qy
from qyanalysis import measures
from qyanalysis.verdicts import targets
from qyanalysis.contract import indicators
from qyanalysis.dataset import Dataset
from qyanalysis.io.dictionary import data_dictionary_markdown
from qyanalysis.measures.rates import pooled_rate
from qyanalysis.present import labels
from qyanalysis.report import methods

A, B = "441802", "441803"  # 清城区, 清新区
CODE = "junior_dropout_rate"
TARGET = "t08_junior_dropout_rate"
QUOTE = "加大控辍保学工作力度,全市义务教育辍学率控制在0.5%以下,随迁子女入读公办学校的比例达到85%以上。"

# 1. the catalogue entry, with its definition
ENTRY = indicators.Indicator(
    CODE, 8, "rate", "computed", "初中辍学率", "Junior-school dropout rate", interval=True,
    formula="Σ dropouts ÷ Σ pupils of junior schools (初中), pooled by county and year.",
    counted="Schools of level junior; nine-year and complete secondary schools are left out.",
    source="清远市2022年教育工作要点 第8条")


# 2. the measure function
def junior_dropout_rate(dataset: Dataset) -> pd.DataFrame:
    """Σ dropouts ÷ Σ pupils of a county's junior schools, with a Wilson interval (plan item 8)."""
    junior = dataset.schools[dataset.schools["level"] == "junior"]
    return pooled_rate(junior, "dropouts", "students", ["county_code", "year"])


# 3. the registry row
ROW = {"target_id": TARGET, "item": 8, "section": 2, "theme": "equity", "indicator": CODE, "scope": "city",
       "comparator": "<=", "threshold": 0.005, "unit": "rate", "rule": "absolute", "quote": QUOTE,
       "source": "清远市2022年教育工作要点 第8条", "label_zh": "初中辍学率控制在0.5%以下",
       "label_en": "Junior-school dropout rate at most 0.5 %"}


@pytest.fixture()
def toy_indicator():
    """The toy indicator registered for one test, and removed afterwards (nothing leaks into other tests)."""
    indicators.register(ENTRY)
    measures.measure(CODE)(junior_dropout_rate)
    targets.register_targets(ROW)
    try:
        yield
    finally:
        targets.unregister_targets([TARGET])
        measures.unregister_measure(CODE)
        indicators.unregister(CODE)


def _dataset() -> Dataset:
    """County A: junior schools of 400 and 600 pupils with 1 and 2 dropouts, and a primary school that does
    not count; county B: one junior school of 500 pupils with 4 dropouts."""
    schools = pd.DataFrame({
        "school_id": ["a1", "a2", "a3", "b1"], "school_name": ["a1", "a2", "a3", "b1"],
        "county_code": [A, A, A, B], "year": np.array([2022] * 4, dtype="int64"),
        "level": ["junior", "junior", "primary", "junior"], "ownership": ["public"] * 4,
        "location": ["urban", "rural", "urban", "town"],
        "students": [400.0, 600.0, 900.0, 500.0], "dropouts": [1.0, 2.0, 10.0, 4.0],
    })
    empty = pd.DataFrame({"county_code": pd.Series(dtype="str"), "year": pd.Series(dtype="int64"),
                          "period": pd.Series(dtype="str"), "indicator": pd.Series(dtype="str"),
                          "value": pd.Series(dtype="float64"), "source": pd.Series(dtype="str")})
    return Dataset(schools=schools, indicators=empty)


def test_a_toy_indicator_reaches_the_measure_frame_scorecard_names_and_methods(toy_indicator):
    dataset = _dataset()
    frame = qy.measures.compute_all(dataset)
    rows = frame[frame["indicator"] == CODE].set_index("county_code")
    # A: (1 + 2) ÷ (400 + 600) = 0.003, the primary school's 10 dropouts left out; B: 4 ÷ 500 = 0.008
    assert rows.loc[A, "value"] == pytest.approx(0.003)
    assert rows.loc[B, "value"] == pytest.approx(0.008)
    assert rows.loc[A, "denominator"] == pytest.approx(1000.0)
    assert rows.loc[A, "ci_low"] < 0.003 < rows.loc[A, "ci_high"]  # the entry declares an interval

    card_a = qy.scorecard(dataset, "清城区", 2022).set_index("target_id")
    card_b = qy.scorecard(dataset, B, 2022).set_index("target_id")
    assert card_a.loc[TARGET, "value"] == pytest.approx(0.003)
    assert card_a.loc[TARGET, "threshold"] == pytest.approx(0.005)
    assert card_a.loc[TARGET, "status"] == "met"  # 0.003 ≤ 0.005
    assert card_b.loc[TARGET, "status"] == "not_met"  # 0.008 > 0.005
    assert card_a.loc[TARGET, "label_zh"] == "初中辍学率控制在0.5%以下"
    assert card_a.loc[TARGET, "scope_note"] == "city_target"  # the sentence says 全市: a city line

    assert labels.indicator_label(CODE, "zh") == "初中辍学率"
    assert labels.indicator_label(CODE, "en") == "Junior-school dropout rate"
    for lang, heading in (("en", "Junior-school dropout rate"), ("zh", "初中辍学率")):
        text = methods.methods_markdown(lang)
        assert text.count(f"### {heading}\n") == 1 and text.count(f"`{CODE}`\n") == 1
        assert ENTRY.formula in text and ENTRY.counted in text  # no Chinese wording given: the English
        assert f"≤ 0.5 %{',' if lang == 'zh' else ', '}" in methods.indicator_markdown(CODE, lang)
        assert f"| `{TARGET}` |" in text
    line = f"| `{CODE}` | 8 | rate | computed | 初中辍学率 | Junior-school dropout rate |"
    assert line in data_dictionary_markdown()


def test_without_its_inputs_the_new_target_says_no_data(toy_indicator):
    dataset = _dataset()
    dataset.schools = dataset.schools.assign(dropouts=np.nan)
    card = qy.scorecard(dataset, A, 2022).set_index("target_id")
    assert card.loc[TARGET, "status"] == "no_data"


def test_removing_the_toy_indicator_leaves_the_shipped_library_as_it_was():
    before = (set(indicators.CATALOGUE), len(targets.load_targets()), methods.methods_markdown("en"))
    stamps = [(*measures.version(), targets.version())]
    indicators.register(ENTRY)
    measures.measure(CODE)(junior_dropout_rate)
    targets.register_targets(ROW)
    stamps.append((*measures.version(), targets.version()))
    measures.measure(CODE)(junior_dropout_rate)  # again, as a notebook cell run twice: nothing changes
    targets.register_targets(ROW)
    assert (*measures.version(), targets.version()) == stamps[-1]
    assert all(a < b for a, b in zip(stamps[0], stamps[1], strict=True))  # each registry says it changed
    assert CODE in methods.methods_markdown("en")
    targets.unregister_targets([TARGET])
    measures.unregister_measure(CODE)
    indicators.unregister(CODE)
    after = (set(indicators.CATALOGUE), len(targets.load_targets()), methods.methods_markdown("en"))
    assert after == before
    assert not labels.has_label(f"indicator.{CODE}")
