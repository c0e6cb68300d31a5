"""English pages in English: the scan for Chinese left on an English page, shared by the report run's pages
(tests/test_runner_outputs.py) and the methods page (tests/test_methods_english.py).

Chinese that an English page may carry, each for a reason. Everything else is a leftover.

- Names: the counties and the city (registry), the schools (the data) — proper names, as in the data.
- Official numbers a reader looks a document or form up by: document numbers in source citations, e.g.
  教督〔2017〕6号 (DOCUMENT_NUMBER), and the census forms' numbers, e.g. 基础基522, 教基5176
  (FORM_NUMBER); and the one document title the readiness page cites beside its number.
- Terms of the statistics forms given as "English (中文)", so that a reader can find the column in the
  forms the figures come from: 专任教师 (full-time teachers), 教职工 (staff), and the map review
  number 审图号 of the Map Management Regulations.
- The navigation bar's link to the same page in Chinese (when there is one), named in its language: 中文.
- On the methods page only (``originals=True``): a Chinese original in parentheses directly after its
  English rendering, "enrollment (在校生数)" (ORIGINAL) — the census forms' terms a reader must find in
  the forms, the plan's own title once. The parentheses hold the original alone (no Latin letter), so an
  English sentence with a Chinese word in it is still a leftover; tests/test_methods_english.py keeps
  such originals few.
"""

from __future__ import annotations

import html
import re

from qyanalysis.present.labels import t

OFFICIAL_TITLES = ("《县域义务教育优质均衡发展督导评估办法》",)
FORM_TERMS = ("(专任教师)", "(教职工)", "(审图号)")
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,6}〔\d{4}〕\d{1,4}号")
# The census forms' numbers: 基础基522 (up to census year 2020), 教基5176 (from 2021); NNN(N) as a pattern.
FORM_NUMBER = re.compile(r"(?:基础基|教基)(?:\d{3,4}|N{3,4})")
# Han characters, CJK punctuation (、。〔〕《》) and full-width forms (,:()).
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
MARKUP = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
# "English (中文)": parentheses right after an English word (or a closing quote), holding Chinese and no
# Latin letter.
ORIGINAL = re.compile(r"(?<=[A-Za-z0-9’”])\s\((?=[^()A-Za-z]*[\u3400-\u9fff])[^()A-Za-z]*\)")


def allowed_names(demo) -> list[str]:
    """The proper names, titles and form terms an English page may give in Chinese, longest first."""
    registry = demo.counties
    names = {registry.name(code, "zh") for code in [*registry.codes, registry.city_code]}
    names |= {str(v) for v in registry.counties["short_zh"].dropna()}
    names |= {str(v) for v in demo.schools["school_name"].dropna()}
    names.add(t("html.nav.other_lang", "en"))  # the link to the Chinese page, in its language: 中文
    return sorted(names | set(OFFICIAL_TITLES) | set(FORM_TERMS), key=len, reverse=True)


def page_text(text: str) -> str:
    """A page's visible text: markup, scripts, styles and data URIs dropped, entities decoded."""
    return html.unescape(MARKUP.sub(" ", re.sub(r'="data:[^"]*"', "", text)))


def originals(text: str) -> list[str]:
    """The "English (中文)" originals of a page's text (ORIGINAL), numbers dropped first."""
    return ORIGINAL.findall(FORM_NUMBER.sub(" ", DOCUMENT_NUMBER.sub(" ", page_text(text))))


def chinese_leftovers(text: str, allowed: list[str], originals: bool = False) -> list[str]:
    """The Chinese passages of a page's text outside the allowed names, titles, terms and numbers (with
    context); with ``originals``, also outside "English (中文)" originals (the methods page)."""
    plain = FORM_NUMBER.sub(" ", DOCUMENT_NUMBER.sub(" ", page_text(text)))
    for name in allowed:
        plain = plain.replace(name, " ")
    if originals:
        plain = ORIGINAL.sub(" ", plain)
    return [plain[max(0, m.start() - 40):m.end() + 10].strip() for m in CHINESE.finditer(plain)]
