"""Labelled frames: disclosure applied in the frame itself, and the display the notebook shows."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from qyanalysis.report.frames import display_texts, frame_html, frame_texts, labelled, spec_of, with_spec


@pytest.fixture()
def frame():
    # 3 persons is a small count (<5); 10 is then hidden as its complement in the same column, so the
    # total (53) cannot give the 3 back; 40 stays. Shares rest on fewer than 30 persons in rows a, b.
    return pd.DataFrame({"group": ["a", "b", "c"], "persons": [3.0, 10.0, 40.0], "share": [0.5, 0.25, 0.1]})


def test_small_counts_and_what_derives_from_them_are_missing_in_the_frame_itself(frame):
    out = labelled(frame, "en", counts=("persons",), units={"share": "share"}, small_base="persons")
    assert math.isnan(out.loc[0, "persons"]) and math.isnan(out.loc[1, "persons"])
    assert out.loc[2, "persons"] == 40.0
    assert math.isnan(out.loc[0, "share"]) and math.isnan(out.loc[1, "share"])
    assert out.loc[2, "share"] == pytest.approx(0.1)
    assert frame.loc[0, "persons"] == 3.0  # the input is not changed


def test_the_display_marks_hidden_cells_and_words_numbers_in_their_unit(frame):
    out = labelled(frame, "en", counts=("persons",), units={"share": "share"}, small_base="persons")
    texts = display_texts(out, spec_of(out))
    assert list(texts["persons"]) == ["<5", "[c]", "40"]
    assert list(texts["share"]) == ["[c]", "[c]", "10.0 %"]


def test_words_are_hidden_only_when_links_say_they_derive_from_a_count(frame):
    """A text column that gives a count back ("adds 3 places") is hidden when linked; other words stay."""
    words = frame.assign(sentence=["3 pupils", "10 pupils", "40 pupils"], name=["x", "y", "z"])
    out = labelled(words, "en", counts=("persons",), units={"sentence": "text", "name": "text"},
                   links={"sentence": ("persons",)})
    assert list(out["sentence"]) == ["[c]", "[c]", "40 pupils"]
    assert list(out["name"]) == ["x", "y", "z"]
    assert list(display_texts(out, spec_of(out))["sentence"]) == ["[c]", "[c]", "40 pupils"]


def test_a_share_on_fewer_than_30_persons_is_marked():
    frame = pd.DataFrame({"persons": [20.0, 40.0], "share": [0.5, 0.25]})
    out = labelled(frame, "en", counts=("persons",), units={"share": "share"}, small_base="persons")
    texts = display_texts(out, spec_of(out))
    assert texts.loc[0, "share"] != "50.0 %" and texts.loc[0, "share"].startswith("50.0 %")
    assert texts.loc[1, "share"] == "25.0 %"


def test_the_html_escapes_title_data_and_note():
    frame = pd.DataFrame({"school_name": ["<script>x</script>"], "value": [1.0]})
    out = labelled(frame, "zh", title="<b>标题</b>", units={"value": "ratio"}, note="a & b",
                   headers={"school_name": "学校"})
    text = frame_html(out)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "&lt;b&gt;标题" in text and "a &amp; b" in text


def test_failing_cells_are_marked_never_where_disclosure_hid_them(frame):
    """A value failing its standard: class, tint and ✗ before it, the legend once; a hidden cell unmarked."""
    out = labelled(frame, "en", counts=("persons",), units={"share": "share"},
                   failing={"share": [True, False, pd.NA], "persons": [True, True, True]},
                   header_notes={"share": "standard ≥ 20.0 % <b>"}, header_titles={"share": "Share & more"},
                   headers={"group": "Group", "persons": "Persons", "share": "Share"})
    spec = spec_of(out)
    assert spec.failing == {"share": (), "persons": (2,)}  # rows 0 and 1 hidden: never marked
    text = frame_html(out)
    assert text.count("qy-fail") == 1 and ">✗\u00a040<" in text
    assert text.count('class="qy-legend"') == 1
    assert "standard ≥ 20.0 % &lt;b&gt;" in text and 'title="Share &amp; more"' in text
    # the CSV and workbook texts: the standard beside the header, no mark in the cells
    texts = frame_texts(out)
    assert "Share (standard ≥ 20.0 % <b>)" in texts.columns and "✗" not in "".join(texts.stack())


def test_an_empty_frame_shows_its_empty_text():
    out = labelled(pd.DataFrame(columns=["value"]), "en", title="Title", empty_text="Nothing here")
    assert "Nothing here" in frame_html(out) and "<table" not in frame_html(out)


def test_with_spec_changes_only_the_display():
    out = labelled(pd.DataFrame({"value": [1.0]}), "en", title="Old")
    renamed = with_spec(out, title="New")
    assert spec_of(renamed).title == "New" and spec_of(out).title == "Old"
    assert renamed["value"].tolist() == [1.0]


def test_a_plain_frame_displays_as_pandas_does(ipython_shell):
    from qyanalysis.report.frames import install_display

    install_display()
    data, _ = ipython_shell.display_formatter.format(pd.DataFrame({"x": [1]}))
    assert "dataframe" in data["text/html"]
    data, _ = ipython_shell.display_formatter.format(labelled(pd.DataFrame({"value": [1.0]}), "en", title="T"))
    assert "<h2>T</h2>" in data["text/html"] and "qy-table" in data["text/html"]
