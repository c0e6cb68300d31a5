"""A subset CJK web font shipped beside the reports, for readers whose device has no Chinese font.

Pages prefer the reader's own fonts (PingFang, Microsoft YaHei, Noto Sans CJK
…); the CSS lists a local ``assets/qy-cjk.otf`` last, so a machine without any
CJK font (a bare Linux laptop, a headless browser) still shows Chinese as text
rather than missing-glyph boxes — with no network request. The file is a
subset of the OFL-licensed Noto Sans SC that ``pylopdf-fonts-zh-cn`` ships
(see :mod:`qyanalysis.present.style`), holding exactly the characters the
pages use, so it stays small (≈ 70 KB for 300 characters); the OFL text is
written beside it, as the licence requires.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path


ASSETS_DIR = "assets"
FONT_FILE = "qy-cjk.otf"
LICENSE_FILE = "qy-cjk-OFL.txt"
FONT_FAMILY = "QY CJK"
# The first code point subset into the font: everything from CJK radicals up
# (Latin text is left to the reader's own fonts).
FIRST_CJK_CODEPOINT = 0x2E80


def cjk_characters(texts: Iterable[str]) -> set[str]:
    """The distinct characters at or above U+2E80 (CJK, full-width punctuation) in ``texts``."""
    found: set[str] = set()
    for text in texts:
        found.update(text)  # the distinct characters first, at C speed: a page is megabytes of base64 charts
    return {c for c in found if ord(c) >= FIRST_CJK_CODEPOINT}


def subset_font(characters: Iterable[str]) -> bytes:
    """An OpenType subset of the bundled Noto Sans SC holding ``characters`` (plus .notdef).

    The output is deterministic for the same characters (no timestamps).
    """
    from fontTools import subset

    from qyanalysis.present.style import bundled_font_path  # imports matplotlib: only when subsetting

    options = subset.Options()  # no new time stamp, font bounds kept (pyftsubset's defaults)
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(bundled_font_path()), options)  # as pyftsubset loads it: tables read lazily
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in set(characters)))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def license_text() -> str:
    """The SIL Open Font License of the bundled font, from its package metadata."""
    dist = metadata.distribution("pylopdf-fonts-zh-cn")
    for file in dist.files or []:
        if file.name.upper().startswith("LICENSE"):
            return Path(str(dist.locate_file(file))).read_text(encoding="utf-8")
    return str(dist.metadata.get("License", "SIL Open Font License 1.1"))


def font_face_css(relative_assets: str) -> str:
    """The ``@font-face`` rule for the subset font, ``relative_assets`` being the page's path to ``assets/``."""
    return (f'@font-face{{font-family:"{FONT_FAMILY}";'
            f'src:url("{relative_assets.rstrip("/")}/{FONT_FILE}") format("opentype");font-display:swap;}}')


def write_font_asset(year_dir: Path, pages: Iterable[Path]) -> Path | None:
    """Write ``YEAR/assets/qy-cjk.otf`` covering every CJK character of ``pages`` (atomically).

    The font is rewritten only when the set of characters changes (its hash is
    kept in the file name of a small marker), so a no-op batch writes nothing.

    Returns:
        The font's path, or None when the pages contain no CJK character.
    """
    return write_font_characters(year_dir, cjk_characters(Path(p).read_text(encoding="utf-8") for p in pages))


def write_font_characters(year_dir: Path, characters: set[str],
                          subset: Callable[[set[str]], bytes] = subset_font) -> Path | None:
    """:func:`write_font_asset` for the CJK ``characters`` of the pages, known already.

    ``subset`` makes the font of ``characters`` (:func:`subset_font`; the batch passes one that hands
    back a subset it made while the last pages rendered, when it was made of the same characters).
    It is called only when the font on disk is not of these characters.
    """
    if not characters:
        return None
    assets = year_dir / ASSETS_DIR
    assets.mkdir(parents=True, exist_ok=True)
    marker = _marker(year_dir, characters)
    font_path = assets / FONT_FILE
    if font_is_current(year_dir, characters):
        return font_path
    _atomic_write(font_path, subset(characters))
    _atomic_write(assets / LICENSE_FILE, license_text().encode("utf-8"))
    for old in assets.glob(".qy-cjk-*"):
        old.unlink()
    marker.touch()
    return font_path


def _marker(year_dir: Path, characters: set[str]) -> Path:
    digest = hashlib.sha256("".join(sorted(characters)).encode("utf-8")).hexdigest()[:16]
    return year_dir / ASSETS_DIR / f".qy-cjk-{digest}"


def font_is_current(year_dir: Path, characters: set[str]) -> bool:
    """Whether ``YEAR/assets/qy-cjk.otf`` is the subset of exactly ``characters`` (nothing to write)."""
    return _marker(year_dir, characters).exists() and (year_dir / ASSETS_DIR / FONT_FILE).exists()


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
