"""House style of the reports: fonts that show Chinese, the palette, status colours.

Chinese must render on a machine with no system CJK font and without a single
"Glyph … missing from font" warning. :func:`use_house_style` therefore

1. applies seaborn's ``whitegrid`` theme first (:data:`SEABORN_THEME`: it sets
   the fonts too, so it must come before the font settings, never after);
2. picks a CJK family: a system one found by ``matplotlib.font_manager``
   (:data:`SYSTEM_CJK_FAMILIES`, in order of preference), else the OFL Noto
   Sans SC shipped by the ``pylopdf-fonts-zh-cn`` dependency, registered with
   ``font_manager.fontManager.addfont``;
3. sets ``font.family`` to an explicit list, CJK family first and DejaVu Sans
   after it: matplotlib >= 3.6 falls back glyph by glyph along that list, so a
   symbol the CJK font lacks is drawn from DejaVu Sans;
4. sets ``axes.unicode_minus = False`` (CJK fonts do not all carry U+2212).

Every family named in the list is installed (a missing one would make
matplotlib log "findfont: Font family … not found").

Status colours follow the Okabe–Ito colour-blind-safe palette; because met /
not met (and on track / at risk) have similar grey levels, the key charts also
carry a hatch (bars, cells) or a marker (dots) per status.
"""

from __future__ import annotations

import importlib.resources
import io
from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

# The status palette has its own light module (no matplotlib); re-exported here for the charts.
from qyanalysis.present.palette import (  # noqa: F401
    STATUS_COLOURS,
    STATUS_TEXT_COLOURS,
    STATUSES,
    check_status,
)

# Preferred system families, best first (fontconfig / Windows / macOS names).
SYSTEM_CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
)
BUNDLED_FONT_PACKAGE = "pylopdf_fonts_zh_cn"
BUNDLED_FONT_FILE = "NotoSansSC-Regular.otf"
# Latin fallback after the CJK family; ships with matplotlib, so always present.
LATIN_FALLBACK_FAMILY = "DejaVu Sans"

# Figures sized for a phone-readable page.
FIGURE_WIDTH_IN = 7.0
FIGURE_HEIGHT_IN = 4.0
FIGURE_DPI = 110

# Okabe & Ito (2008), "Color Universal Design" — safe for the common colour-vision deficiencies.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
NEUTRAL_COLOUR = "#0072B2"
THRESHOLD_COLOUR = "#222222"
GRID_COLOUR = "#DDDDDD"

# Greyscale cue for bars and heat-map cells (matplotlib hatch strings).
STATUS_HATCHES: dict[str, str] = {
    "met": "",
    "not_met": "xxx",
    "on_track": "///",
    "at_risk": "...",
    "no_data": "",
    "not_applicable": "---",
}
# Greyscale cue for dots (matplotlib marker codes).
STATUS_MARKERS: dict[str, str] = {
    "met": "o",
    "not_met": "X",
    "on_track": "^",
    "at_risk": "D",
    "no_data": "s",
    "not_applicable": "_",
}


def bundled_font_path() -> Path:
    """Path of the Noto Sans SC file shipped by ``pylopdf-fonts-zh-cn``."""
    return Path(str(importlib.resources.files(BUNDLED_FONT_PACKAGE) / BUNDLED_FONT_FILE))


def installed_families() -> set[str]:
    """Font family names known to matplotlib's font manager."""
    return {entry.name for entry in font_manager.fontManager.ttflist}


def find_system_cjk_family() -> str | None:
    """The first of :data:`SYSTEM_CJK_FAMILIES` matplotlib can use, or None (the bundled file excluded)."""
    bundled = bundled_font_path()
    known = {entry.name for entry in font_manager.fontManager.ttflist if Path(entry.fname) != bundled}
    return next((family for family in SYSTEM_CJK_FAMILIES if family in known), None)


def register_bundled_font() -> str:
    """Register the bundled Noto Sans SC with matplotlib (once) and return its family name."""
    path = bundled_font_path()
    for entry in font_manager.fontManager.ttflist:
        if Path(entry.fname) == path:
            return entry.name
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


@lru_cache(maxsize=2)
def cjk_family(use_system_fonts: bool = True) -> str:
    """The CJK family the reports use: a system font if any, else the bundled Noto Sans SC.

    Args:
        use_system_fonts: False skips the system search (reproducible output,
            and a way to test the bundled font on any machine).
    """
    system = find_system_cjk_family() if use_system_fonts else None
    return system if system is not None else register_bundled_font()


def font_families(use_system_fonts: bool = True) -> list[str]:
    """The explicit ``font.family`` list: the CJK family, then the Latin fallback."""
    return [cjk_family(use_system_fonts), LATIN_FALLBACK_FAMILY]


def house_rc(use_system_fonts: bool = True) -> dict[str, object]:
    """rcParams the house style sets on top of the seaborn theme."""
    families = font_families(use_system_fonts)
    return {
        "font.family": families,
        "font.sans-serif": [*families, *mpl.rcParamsDefault["font.sans-serif"]],
        "axes.unicode_minus": False,
        "figure.figsize": (FIGURE_WIDTH_IN, FIGURE_HEIGHT_IN),
        "figure.dpi": FIGURE_DPI,
        "savefig.dpi": FIGURE_DPI,
        "savefig.bbox": "tight",
        "axes.titlesize": 12,
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "axes.titlelocation": "left",
        "svg.fonttype": "path",
        "grid.color": GRID_COLOUR,
    }


#: What ``seaborn.set_theme(context="notebook", style="whitegrid")`` sets (seaborn 0.13: its
#: ``axes_style`` and ``plotting_context``), written out so that drawing a chart imports neither
#: seaborn nor the scipy.stats it imports (about 1 s in every kernel and run); tests/test_style.py
#: checks it against seaborn. One value differs: ``image.cmap`` stays matplotlib's (seaborn's
#: ``rocket`` exists only once seaborn is imported; every house chart names its colour map).
#: Seaborn still draws on house figures in a notebook.
SEABORN_THEME: dict[str, object] = {
    "axes.axisbelow": True, "axes.edgecolor": ".8", "axes.facecolor": "white", "axes.grid": True,
    "axes.labelcolor": ".15", "axes.labelsize": 12, "axes.linewidth": 1.25, "axes.spines.bottom": True,
    "axes.spines.left": True, "axes.spines.right": True, "axes.spines.top": True, "axes.titlesize": 12,
    "figure.facecolor": "white", "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "font.size": 12, "grid.color": ".8", "grid.linestyle": "-", "grid.linewidth": 1, "legend.fontsize": 11,
    "legend.title_fontsize": 12, "lines.linewidth": 1.5, "lines.markersize": 6,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w", "patch.force_edgecolor": True, "patch.linewidth": 1, "text.color": ".15",
    "xtick.bottom": False, "xtick.color": ".15", "xtick.direction": "out", "xtick.labelsize": 11,
    "xtick.major.size": 6, "xtick.major.width": 1.25, "xtick.minor.size": 4, "xtick.minor.width": 1,
    "xtick.top": False, "ytick.color": ".15", "ytick.direction": "out", "ytick.labelsize": 11,
    "ytick.left": False, "ytick.major.size": 6, "ytick.major.width": 1.25, "ytick.minor.size": 4,
    "ytick.minor.width": 1, "ytick.right": False,
}


def use_house_style(use_system_fonts: bool = True) -> None:
    """Apply seaborn's whitegrid theme with the house palette, then the CJK fonts and house settings
    (idempotent).

    The theme comes first because it sets the fonts (``font.family``) too.

    Args:
        use_system_fonts: See :func:`cjk_family`.
    """
    mpl.rcParams.update(SEABORN_THEME)
    mpl.rcParams["axes.prop_cycle"] = mpl.cycler(color=[to_rgb(colour) for colour in PALETTE])
    mpl.rcParams.update(house_rc(use_system_fonts))


def house_style_active() -> bool:
    """True when rcParams carry a CJK family first (set by :func:`use_house_style`)."""
    families = mpl.rcParams["font.family"]
    return bool(families) and families[0] in {cjk_family(True), cjk_family(False)} and not mpl.rcParams[
        "axes.unicode_minus"
    ]


def ensure_house_style() -> None:
    """Apply :func:`use_house_style` unless a CJK-capable house style is already active.

    Chart functions call this so that Chinese renders even when a notebook
    forgot :func:`use_house_style`, without resetting a style it did apply.
    """
    if not house_style_active():
        use_house_style()


class OnePassLayout(ConstrainedLayoutEngine):
    """Matplotlib's constrained layout in one pass instead of two.

    ``do_constrained_layout`` lays a figure out twice because tick labels may change size once the axes
    have moved. A house chart's decorations (titles, labels set by the chart, a legend outside) are known
    before the first pass, so the second one moves its axes by a few pixels at most: of the 35 charts
    drawn for a county and the city, 26 came out identical and 9 with plot areas a few pixels wider
    (2026-12-07), for about a sixth less drawing time. Tested: every title, axis label and legend of a
    house chart stays inside its canvas.

    Built from matplotlib's own steps (``matplotlib._constrained_layout``), the loop of
    ``do_constrained_layout`` run once; where a later matplotlib lacks a step, or a figure compresses
    fixed-aspect axes, the usual layout is used.
    """

    def execute(self, fig: Figure):
        """Lay ``fig`` out: margins from its decorations, axes moved to fit, the suptitle above them."""
        try:
            from matplotlib import _constrained_layout as steps

            make_margins, reposition = steps.make_layout_margins, steps.reposition_axes
        except (ImportError, AttributeError):  # pragma: no cover - a matplotlib without these steps
            return super().execute(fig)
        if self._compress:  # fixed-aspect grids: the compressing steps stay matplotlib's
            return super().execute(fig)
        width, height = fig.get_size_inches()
        pads = {"w_pad": self._params["w_pad"] / width, "h_pad": self._params["h_pad"] / height}
        spaces = {"wspace": self._params["wspace"], "hspace": self._params["hspace"]}
        renderer = fig._get_renderer()
        grids = steps.make_layoutgrids(fig, None, rect=self._params["rect"])
        if not grids["hasgrids"]:
            return None
        make_margins(grids, fig, renderer, **pads, **spaces)
        steps.make_margin_suptitles(grids, fig, renderer, **pads)
        steps.match_submerged_margins(grids, fig)
        grids[fig].update_variables()
        if steps.check_no_collapsed_axes(grids, fig):
            reposition(grids, fig, renderer, **pads, **spaces)
            title = fig._suptitle
            if title is not None and title.get_in_layout() and title._autopos:
                title.set_position((title.get_position()[0], grids[fig].get_inner_bbox().y1 + pads["h_pad"]))
                title.set_verticalalignment("bottom")
        steps.reset_margins(grids, fig)
        return grids


def new_figure(nrows: int = 1, ncols: int = 1, height_in: float = FIGURE_HEIGHT_IN,
               width_in: float = FIGURE_WIDTH_IN, squeeze: bool = True,
               **subplots_kw: object) -> tuple[Figure, object]:
    """A house-style figure that is not registered with pyplot.

    Not going through ``pyplot`` means no global figure list to leak into and
    no double display in notebooks; ``plt.close(fig)`` is still harmless.

    Args:
        nrows, ncols, squeeze, **subplots_kw: As for ``Figure.subplots`` (``sharex``, ``sharey`` …).
        height_in, width_in: Figure size in inches.

    Returns:
        ``(figure, axes)`` as ``Figure.subplots`` returns them.
    """
    ensure_house_style()
    fig = Figure(figsize=(width_in, height_in), dpi=FIGURE_DPI, layout=OnePassLayout())
    axes = fig.subplots(nrows, ncols, squeeze=squeeze, **subplots_kw)
    return fig, axes


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes without a time or software stamp (identical bytes for identical input).

    A figure laid out by the constrained layout engine (every :func:`new_figure`)
    already keeps its titles, labels and ``"outside"`` legends inside the
    canvas, so it is saved as laid out; ``bbox_inches="tight"`` would draw it
    a second time only to measure it (about 40 % of a chart's rendering time).
    Any other figure is saved with the house ``savefig.bbox`` (tight).
    """
    buffer = io.BytesIO()
    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine) and _saved_as_drawn(fig):
        _draw_once(fig, buffer)
        return buffer.getvalue()
    options: dict[str, object] = {"format": "png", "metadata": {"Software": None}}
    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        options["bbox_inches"] = fig.bbox_inches  # the whole canvas, exactly as laid out
    fig.savefig(buffer, **options)
    return buffer.getvalue()


def figure_alt(fig: Figure) -> str:
    """The figure's text alternative for a page (the ``alt`` of its ``<img>``): its title, on one line.

    The figure's label when a chart sets one (:meth:`~matplotlib.figure.Figure.set_label`, for a chart
    whose title is not its first text), else its ``suptitle``, else its axes' titles in order (each once,
    joined by "; "); "" when it has none. A title wrapped over lines is joined again: without a space
    next to a CJK character (:func:`qyanalysis.present.charts_base.wrap` breaks Chinese by characters),
    with one between words.
    """
    texts = [fig.get_label()]
    if not texts[0] and fig._suptitle is not None:
        texts = [fig._suptitle.get_text()]
    if not any(texts):
        texts = [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]
    titles = list(dict.fromkeys(one_line(text) for text in texts if text and text.strip()))
    return "; ".join(titles)


def one_line(text: str) -> str:
    """``text`` with its line breaks removed: nothing beside a CJK character, a space between words."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        cjk = ord(joined[-1]) >= 0x2E80 or ord(line[0]) >= 0x2E80
        joined += ("" if cjk else " ") + line
    return joined


def _saved_as_drawn(fig: Figure) -> bool:
    """Whether ``savefig`` would write the canvas as drawn: the figure's own resolution and colours."""
    dpi = mpl.rcParams["savefig.dpi"]
    return ((dpi == "figure" or dpi == fig.dpi) and not mpl.rcParams["savefig.transparent"]
            and all(mpl.rcParams[f"savefig.{prop}"] == "auto" for prop in ("facecolor", "edgecolor")))


def _draw_once(fig: Figure, out: io.BytesIO) -> None:
    """Draw ``fig`` on an Agg canvas once and write the pixels as PNG (no time or software stamp).

    The same bytes as ``savefig(format="png", bbox_inches=fig.bbox_inches)``,
    which draws a constrained-layout figure twice: once with rendering switched
    off to lay it out, once to paint. :meth:`Figure.draw` lays the figure out
    itself before painting, so one pass gives the same canvas (tested) in
    about 80 % of the time.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.image import imsave

    previous = fig.canvas
    try:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        imsave(out, canvas.buffer_rgba(), format="png", origin="upper", dpi=fig.dpi, metadata={"Software": None})
    finally:
        fig.set_canvas(previous)
