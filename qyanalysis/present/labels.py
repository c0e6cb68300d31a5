"""Every user-facing string, in Chinese and English, from one catalogue.

Fixed strings and templates live in ``labels.json`` (``{key: {"zh": …, "en": …}}``);
indicator names and section titles are taken from the contract
(``contract.indicators.CATALOGUE``, ``contract.plan.SECTIONS``) under the keys
``indicator.<code>`` and ``section.<number>``, never copied. An indicator added to
the catalogue (also at run time, ``contract.indicators.register``) has its names
here at once; a ``labels*.json`` file may still reword one (the file wins where it
has the key). ``t`` is strict:
an unknown key raises KeyError and a language other than zh/en raises
ValueError — a report never shows a silently substituted string.

Numbers are worded by :mod:`qyanalysis.present.numbers` (:func:`format_value`,
re-exported here): one place decides that a share is "85.2 %" and a count has
thousands separators.
"""

from __future__ import annotations

import json
import string
from functools import lru_cache
from pathlib import Path

from qyanalysis.contract import indicators
from qyanalysis.contract.indicators import BALANCE_INDICATORS, CATALOGUE
from qyanalysis.contract.plan import SECTIONS

LANGS: tuple[str, ...] = ("zh", "en")
LABELS_JSON = Path(__file__).with_name("labels.json")
# Further catalogue files, one per report area (labels_<area>.json), merged with labels.json.
LABELS_GLOB = "labels_*.json"
_COMPARATOR_SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is "zh" or "en", else raise ValueError."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


def _contract_entries() -> dict[str, dict[str, str]]:
    entries = {
        f"indicator.{code}": {"zh": entry.label_zh, "en": entry.label_en} for code, entry in CATALOGUE.items()
    }
    for section in SECTIONS:
        entries[f"section.{section.number}"] = {
            "zh": f"{section.numeral_zh}、{section.title_zh}",
            "en": f"{section.number}. {section.title_en}",
        }
    for code, (label_zh, label_en, *_standards) in BALANCE_INDICATORS.items():
        entries[f"balance.{code}"] = {"zh": label_zh, "en": label_en}
    return entries


@lru_cache(maxsize=1)
def file_entries() -> dict[str, dict[str, str]]:
    """The strings of ``labels.json`` and ``labels_*.json`` (read once).

    Raises:
        ValueError: A key defined in two files.
    """
    fixed = json.loads(LABELS_JSON.read_text(encoding="utf-8"))
    for extra in sorted(LABELS_JSON.parent.glob(LABELS_GLOB)):
        entries = json.loads(extra.read_text(encoding="utf-8"))
        twice = sorted(set(fixed) & set(entries))
        if twice:
            raise ValueError(f"{extra.name} redefines labels: {twice}")
        fixed.update(entries)
    return fixed


@lru_cache(maxsize=2)
def _catalogue(version: int) -> dict[str, dict[str, str]]:
    """The catalogue for one state of the indicator catalogue (``indicators.version()``)."""
    return {**_contract_entries(), **file_entries()}


def catalogue() -> dict[str, dict[str, str]]:
    """The whole catalogue: the contract's names, then ``labels.json`` and ``labels_*.json`` over them.

    Built once per state of the indicator catalogue, so an indicator registered at
    run time has its names at once. A file's key wins over the contract's name for
    the same key (rewording an indicator without touching the contract).

    Raises:
        ValueError: A key defined in two files.
    """
    return _catalogue(indicators.version())


def t(key: str, lang: str = "zh", **fields: object) -> str:
    """The string for ``key`` in ``lang``, with ``fields`` filled into its template.

    Args:
        key: Catalogue key, e.g. ``"status.met"`` or ``"indicator.fitness_good_rate"``.
        lang: "zh" or "en".
        **fields: Values for the template's ``{name}`` fields (inserted verbatim,
            not escaped: escaping belongs to the caller that writes HTML/Markdown).

    Raises:
        KeyError: Unknown key, or a template field not given.
        ValueError: Unknown language.
    """
    check_lang(lang)
    try:
        entry = catalogue()[key]
    except KeyError:
        raise KeyError(f"no label {key!r} in the zh/en catalogue") from None
    text = entry[lang]
    return text.format(**fields) if template_fields(text) else text


def template_fields(text: str) -> set[str]:
    """Names of the ``{fields}`` in a template."""
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


def has_label(key: str) -> bool:
    """True when ``key`` is in the catalogue."""
    return key in catalogue()


def status_label(status: str, lang: str = "zh") -> str:
    """达标 / met … for a scorecard status."""
    return t(f"status.{status}", lang)


def indicator_label(code: str, lang: str = "zh") -> str:
    """The catalogue name of an indicator code (or of a per-school 优质均衡 indicator)."""
    if code in BALANCE_INDICATORS:
        return t(f"balance.{code}", lang)
    return t(f"indicator.{code}", lang)


def indicator_short_label(code: str, lang: str = "zh") -> str:
    """A few words for an indicator where a table has little room ("小学高学历教师差异系数"), from
    ``labels_short.json``; its catalogue name (:func:`indicator_label`) where it has no short one."""
    key = f"indicator_short.{code}"
    return t(key, lang) if has_label(key) else indicator_label(code, lang)


def section_title(number: int, lang: str = "zh") -> str:
    """The heading of plan section ``number`` (1–7), e.g. "二、全力推进教育高质量发展"."""
    return t(f"section.{number}", lang)


def unit_label(unit: str, lang: str = "zh") -> str:
    """Axis-label name of a unit, e.g. "占比(%)" / "share (%)"."""
    return t(f"unit.{unit}", lang)


def column_label(column: str, lang: str = "zh") -> str:
    """Table header for a scorecard or measure-frame column."""
    return t(f"column.{column}", lang)


def comparator_label(comparator: str, lang: str = "zh") -> str:
    """Words for a comparator: ">=" → "不低于" / "at least"."""
    return t(f"comparator.{comparator}", lang)


def comparator_symbol(comparator: str) -> str:
    """Typographic symbol of a comparator (">=" → "≥") for compact chart labels."""
    return _COMPARATOR_SYMBOLS[comparator]


def demo_banner(lang: str = "zh") -> str:
    """The sentence every page built from demonstration data must carry."""
    return t("banner.demo", lang)
