"""House style: Chinese renders on a machine without CJK fonts, with no missing-glyph warning."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import matplotlib as mpl
import pytest
import seaborn as sns
from matplotlib import font_manager

from qyanalysis.present import style

# Runs in a fresh interpreter with a fresh MPLCONFIGDIR (no font cache, no
# matplotlibrc) and every warning an error outside the recorded block.
_FRESH_MACHINE_SCRIPT = textwrap.dedent(
    """
    import io, json, logging, warnings
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from qyanalysis.present import style

    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setLevel(logging.DEBUG)
    logging.getLogger("matplotlib").addHandler(handler)

    def draw(path):
        fig = Figure(figsize=(7, 4), dpi=110)
        ax = fig.subplots()
        ax.plot([1, 2, 3], [-1.5, 0.2, 2.0], label="城区 −变化")
        ax.bar([1, 2], [1, -1], label="乡村")
        ax.set_title("清新区 2022 年目标完成情况 ≥ 50.0%")
        ax.set_xlabel("月份 (2022)")
        ax.set_ylabel("新增公办学位(数量)")
        ax.set_xticks([1, 2, 3], ["一月", "二月", "三月"])
        ax.legend(title="图例")
        fig.suptitle("本报告使用合成演示数据,并非官方统计数据。")
        fig.savefig(path, format="png")

    result = {"system_family": style.find_system_cjk_family()}
    for case, use_system in (("default", True), ("bundled", False)):
        style.use_house_style(use_system_fonts=use_system)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            draw(io.BytesIO())
        result[case] = {"family": list(matplotlib.rcParams["font.family"]),
                        "warnings": [str(w.message) for w in caught]}
    result["log_house"] = log.getvalue()

    # Negative control: the same figure with DejaVu Sans only must be caught.
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw(io.BytesIO())
    result["control_warnings"] = [str(w.message) for w in caught]
    print(json.dumps(result))
    """
)


def _run_fresh(tmp_path) -> dict:
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mplconfig"), "MPLBACKEND": "Agg"}
    (tmp_path / "mplconfig").mkdir()
    completed = subprocess.run([sys.executable, "-W", "error", "-c", _FRESH_MACHINE_SCRIPT], env=env,
                               capture_output=True, text=True, timeout=180, check=False)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_chinese_renders_on_a_fresh_machine_without_missing_glyph_warnings(tmp_path):
    result = _run_fresh(tmp_path)
    for case in ("default", "bundled"):
        assert result[case]["warnings"] == [], result[case]
        assert result[case]["family"][-1] == style.LATIN_FALLBACK_FAMILY
    assert result["bundled"]["family"][0] == "Noto Sans SC"
    assert "missing from font" not in result["log_house"]
    assert "findfont" not in result["log_house"]
    # The control shows the check can fail: without the CJK family, glyphs go missing.
    assert any("missing from font" in message for message in result["control_warnings"])


def test_this_machine_has_no_system_cjk_font_so_the_bundled_one_is_used():
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig not installed")
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=True).stdout
    listed = listed.strip()
    if listed:
        pytest.skip("this machine has a system CJK font; the bundled font is tested explicitly above")
    assert style.find_system_cjk_family() is None
    assert style.cjk_family(True) == "Noto Sans SC"


def test_bundled_font_file_ships_with_the_dependency():
    path = style.bundled_font_path()
    assert path.name == "NotoSansSC-Regular.otf"
    assert path.is_file()


def test_use_house_style_is_idempotent_and_registers_the_font_once():
    style.use_house_style(use_system_fonts=False)
    first = {key: mpl.rcParams[key] for key in style.house_rc(False)}
    style.use_house_style(use_system_fonts=False)
    second = {key: mpl.rcParams[key] for key in style.house_rc(False)}
    assert first == second
    path = str(style.bundled_font_path())
    assert sum(entry.fname == path for entry in font_manager.fontManager.ttflist) == 1
    assert mpl.rcParams["axes.unicode_minus"] is False
    assert mpl.rcParams["font.family"][0] == style.cjk_family(False)


def test_the_house_theme_is_seaborn_s_whitegrid_theme_with_the_house_palette():
    """rcParams after use_house_style equal those after seaborn's own set_theme and the house settings, but
    for the colour map of images (style.SEABORN_THEME)."""
    with mpl.rc_context():
        style.use_house_style()
        ours = dict(mpl.rcParams)
        mpl.rcdefaults()
        sns.set_theme(context="notebook", style="whitegrid", palette=list(style.PALETTE))
        mpl.rcParams.update(style.house_rc())
        theirs = dict(mpl.rcParams)
    differ = {key for key in theirs if ours[key] != theirs[key]}
    assert differ == {"image.cmap"} and theirs["image.cmap"] == "rocket"


def test_fonts_survive_a_later_seaborn_theme_only_through_use_house_style():
    style.use_house_style()
    sns.set_theme()  # seaborn resets the font family to its default
    assert not style.house_style_active()
    style.ensure_house_style()
    assert style.house_style_active()
    assert mpl.rcParams["font.family"] == style.font_families()


def test_status_colours_cover_every_status_and_differ_in_greyscale_cue():
    assert set(style.STATUS_COLOURS) == set(style.STATUSES) == set(style.STATUS_HATCHES) == set(
        style.STATUS_MARKERS)
    # met / not_met and on_track / at_risk have close grey levels: hatches and markers must differ.
    for a, b in (("met", "not_met"), ("on_track", "at_risk")):
        assert style.STATUS_HATCHES[a] != style.STATUS_HATCHES[b]
        assert style.STATUS_MARKERS[a] != style.STATUS_MARKERS[b]
    assert len(set(style.STATUS_COLOURS.values())) == len(style.STATUSES)


def test_check_status_rejects_unknown_values():
    assert style.check_status("at_risk") == "at_risk"
    with pytest.raises(ValueError, match="unknown status"):
        style.check_status("ok")


def test_new_figure_is_phone_sized_and_not_registered_with_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig, _ax = style.new_figure()
    assert tuple(fig.get_size_inches()) == (7.0, 4.0)
    assert fig.dpi == 110
    assert plt.get_fignums() == before


def test_a_laid_out_figure_is_saved_whole_and_the_same_bytes_each_time():
    import io

    from PIL import Image

    from qyanalysis.present.style import FIGURE_DPI, new_figure, png_bytes

    def figure():
        fig, ax = new_figure(width_in=4.0, height_in=3.0)
        ax.plot([0, 1], [0, 1], label="线")
        fig.legend(loc="outside lower center")
        ax.set_title("标题")
        return fig

    png = png_bytes(figure())
    width, height = Image.open(io.BytesIO(png)).size
    assert (width, height) == (round(4.0 * FIGURE_DPI), round(3.0 * FIGURE_DPI))
    assert png_bytes(figure()) == png


def test_a_laid_out_figure_drawn_once_gives_the_bytes_savefig_gives():
    """png_bytes draws a constrained-layout figure once; savefig lays it out, then draws it again."""
    import io

    from qyanalysis.present.style import new_figure, png_bytes

    def figure():
        fig, axes = new_figure(1, 2, width_in=6.0, height_in=3.0)
        axes[0].bar(["城区", "镇区", "乡村"], [0.52, 0.47, 0.31], label="优良率")
        axes[1].plot([2019, 2020, 2021, 2022], [0.41, 0.44, 0.46, 0.5], marker="o")
        axes[1].axhline(0.5, linestyle="--")
        fig.legend(loc="outside lower center")
        fig.suptitle("体质健康优良率")
        return fig

    saved = io.BytesIO()
    reference = figure()
    reference.savefig(saved, format="png", metadata={"Software": None}, bbox_inches=reference.bbox_inches)
    drawn = figure()
    canvas = drawn.canvas
    assert png_bytes(drawn) == saved.getvalue()
    assert drawn.canvas is canvas  # the figure is left with the canvas it had


def test_a_figure_laid_out_in_one_pass_keeps_its_decorations_on_the_canvas():
    """OnePassLayout (every new_figure): titles, axis labels and the outside legend of a two-panel chart
    with long Chinese tick labels end inside the canvas, and the axes do not overlap."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from qyanalysis.present.style import OnePassLayout, new_figure

    fig, axes = new_figure(1, 2, width_in=7.0, height_in=4.0)
    assert isinstance(fig.get_layout_engine(), OnePassLayout)
    names = ["每百名学生拥有高于规定学历教师数", "生均体育运动场馆面积", "生均教学仪器设备值"]
    for ax, title in zip(axes, ["小学(限值 0.50)", "初中(限值 0.45)"]):
        ax.barh(names, [0.1, 0.23, 0.31], label="达标")
        ax.set_title(title, loc="left")
        ax.set_xlabel("差异系数")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center")
    fig.suptitle("优质均衡差异系数")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    decorations = [fig._suptitle, *fig.legends]
    for ax in axes:
        decorations += [ax.title, ax._left_title, ax.xaxis.label, *ax.get_yticklabels()]
    for artist in decorations:
        box = artist.get_window_extent(renderer)
        assert box.x0 >= 0 and box.y0 >= 0, artist
        assert box.x1 <= fig.bbox.width and box.y1 <= fig.bbox.height, artist
    left, right = (ax.get_window_extent(renderer) for ax in axes)
    assert left.x1 < right.x0
