"""Tables of the equity pages (section 2) on sparse but valid data."""

from __future__ import annotations

import pandas as pd
import pytest

from qyanalysis.contract.plan import SECTIONS
from qyanalysis.dataset import Dataset
from qyanalysis.report import tables
from qyanalysis.report.frames import frame_html
from qyanalysis.report.tables import development
from qyanalysis.report.page import Page


@pytest.fixture(scope="module", autouse=True)
def shell(ipython_shell):
    """Every test here captures rich display outputs."""
    return ipython_shell


def _dataset(**resources) -> Dataset:
    """Two primary schools of Qingcheng in 2022; ``resources`` adds columns (one value per school)."""
    schools = pd.DataFrame({
        "school_id": ["s1", "s2"], "school_name": ["一小", "二小"], "county_code": "441802",
        "year": pd.Series([2022, 2022], dtype="int64"), "level": "primary", "ownership": "public",
        "location": "urban", "students": [100.0, 300.0],
        "teaching_area_m2": [float("nan"), float("nan")], **resources,
    })
    indicators = pd.DataFrame({"county_code": pd.Series(dtype="str"), "year": pd.Series(dtype="int64"),
                               "period": pd.Series(dtype="str"), "indicator": pd.Series(dtype="str"),
                               "value": pd.Series(dtype="float64"), "source": pd.Series(dtype="str")})
    return Dataset(schools=schools, indicators=indicators)


def _text(table, page: Page) -> str:
    return frame_html(table(page))


def test_schools_short_of_balance_says_which_columns_are_not_in_the_data():
    page = Page(_dataset(), "441802", 2022, "en", SECTIONS[1])
    text = _text(tables.schools_short_of_balance, page)
    # every one of the 7 resource columns is missing (teaching_area_m2 given but empty): none judged
    assert "Not in the data" in text and "none of the 2 schools" in text
    assert "teaching_area_m2" in text and "multimedia_rooms" in text
    zh = _text(tables.schools_short_of_balance, Page(_dataset(), "441802", 2022, "zh", SECTIONS[1]))
    assert "不在数据中" in zh and "教学及辅助用房面积" in zh


def test_missing_balance_columns_names_only_the_empty_ones():
    page = Page(_dataset(backbone_teachers=[1.0, 3.0]), "441802", 2022, "en", SECTIONS[1])
    missing = development.missing_balance_columns(page)
    assert "backbone_teachers" not in missing and "teaching_area_m2" in missing
    assert len(missing) == 6
