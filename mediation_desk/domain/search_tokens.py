"""The tokens of the case search index and the queries over them (pure: no database).

**Text** (the case number, title, facts and every party's name): a text is split into runs of ``str.isalnum()``
characters, ASCII letters folded to lower case (SQLite's ``LIKE`` folds only those). A run ``c1 … cn`` becomes its
bigrams ``c1c2 c2c3 … c(n-1)cn`` followed by its last character ``cn`` alone. A query run of one character ``X``
is the prefix query ``"X"*`` (every ``X`` starts a bigram or ends a run); a run of n ≥ 2 characters is the phrase
of its bigrams, which matches exactly where the run occurs inside one run of the text: the last-character token
of each run (one character, never equal to a bigram) keeps a phrase from reaching into the next run, field or
name. So a query of a single run matches exactly the cases whose number, title, facts or a party's name contain
it (``LIKE '%run%'``), and a query of several runs (with spaces or punctuation between) is a pre-filter that the
``LIKE`` itself then checks.

**Pinyin** (party names only): a name matches a query of Latin letters when consecutive characters of it, from
any character on, spell the query, each character by one of its readings (toneless, ``pypinyin`` with every
heteronym: 曾 is ``zeng`` and ``ceng``) written whole, by its first letter, or by its initial ``zh``/``ch``/``sh``;
the last character spelled by any prefix of a reading. So ``zs``, ``zhs``, ``zhangs``, ``zhangsan`` and ``zsan``
find 张三 and ``zhangsanf`` does not. Characters without a reading (``·``) are skipped; a Latin letter or digit
reads as itself. For every start position the index holds the spellings of the next ``PINYIN_SPAN`` characters
(fewer when the combinations of readings would exceed ``PINYIN_BUDGET``), the last of them whole: a query is the
prefix query ``"query"*`` over them. A name longer than ``PINYIN_SPAN`` also gets, for every suffix, its initials
and its whole pinyin (first readings), so a company's name is found by its initials. :func:`matches_pinyin` is
the definition the index is tested against (within the caps).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterable
from functools import cache

PINYIN_QUERY = re.compile(r"[a-z]+")
PINYIN_SPAN = 4  # characters spelled from each start position
PINYIN_READINGS = 3  # readings kept per character (heteronyms)
PINYIN_BUDGET = 64  # tokens per name at most (before the suffixes of a long name)
_INITIALS = ("zh", "ch", "sh")
_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


# ---------------------------------------------------------------------------------------------------------------
# Text


def fold(text: str) -> str:
    """ASCII letters in lower case, every other character as it is (what ``LIKE`` treats as equal)."""
    return text.translate(_ASCII_UPPER)


_RUN = re.compile(r"[^\W_]+")  # letters and digits: exactly the characters ``str.isalnum()`` accepts


def runs(text: str) -> list[str]:
    """The runs of letters and digits of the text (folded), in order."""
    return _RUN.findall(fold(text))


def run_tokens(run: str) -> list[str]:
    """A run's bigrams, then its last character."""
    tokens = list(map(operator.add, run, run[1:]))
    tokens.append(run[-1])
    return tokens


def text_tokens(texts: Iterable[str | None]) -> str:
    """The body of a case in the index: every text's runs as tokens, space-separated."""
    tokens: list[str] = []
    for text in texts:
        if text:
            for run in _RUN.findall(fold(text)):
                tokens.extend(run_tokens(run))
    return " ".join(tokens)


def text_query(text: str) -> str | None:
    """The FTS5 query for a free text (the runs ANDed), or ``None`` when it has no letter or digit."""
    parts: list[str] = []
    for run in runs(text):
        if len(run) == 1:
            parts.append(f'"{run}"*')
        else:
            parts.append('"' + " ".join(run[start : start + 2] for start in range(len(run) - 1)) + '"')
    return " AND ".join(parts) if parts else None


def exact_text_query(text: str) -> bool:
    """Whether the index answers the free text exactly (the text is one run): no ``LIKE`` check needed."""
    folded = fold(text.strip())
    return bool(folded) and all(char.isalnum() for char in folded)


# ---------------------------------------------------------------------------------------------------------------
# Pinyin


@cache
def char_readings(char: str) -> tuple[str, ...]:
    """The toneless pinyin readings of one character (its lower case itself for a Latin letter or a digit), the
    first ``PINYIN_READINGS`` of them."""
    if char.isascii():
        return (char.lower(),) if char.isalnum() else ()
    from pypinyin import Style, pinyin  # a large module: loaded with the first name, never at start-up

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    if not readings:
        return ()
    found = dict.fromkeys(reading.lower() for reading in readings[0] if reading.isascii() and reading.isalpha())
    return tuple(found)[:PINYIN_READINGS]


def name_readings(name: str) -> tuple[tuple[str, ...], ...]:
    """The readings of each character of the name that has one."""
    return tuple(found for found in (char_readings(char) for char in name) if found)


@cache
def spellings(readings: tuple[str, ...]) -> tuple[str, ...]:
    """How a character other than the last of a query may be spelled: each reading whole, its initial
    ``zh``/``ch``/``sh``, its first letter."""
    found: dict[str, None] = {}
    for reading in readings:
        found[reading] = None
        if reading[:2] in _INITIALS:
            found[reading[:2]] = None
        found[reading[0]] = None
    return tuple(found)


def pinyin_query(text: str) -> str | None:
    """The text as a pinyin query (lower case, spaces and apostrophes dropped), or ``None`` if it is not one."""
    folded = re.sub(r"[\s']", "", text.lower())
    return folded if PINYIN_QUERY.fullmatch(folded) else None


def _combinations(readings: tuple[tuple[str, ...], ...], start: int, span: int) -> int:
    total = len(readings[start + span - 1])
    for options in readings[start : start + span - 1]:
        total *= len(spellings(options))
    return total


def _start_tokens(readings: tuple[tuple[str, ...], ...], start: int, budget: int) -> list[str]:
    span = min(PINYIN_SPAN, len(readings) - start)
    while span > 1 and _combinations(readings, start, span) > budget:
        span -= 1
    middle = [spellings(options) for options in readings[start : start + span - 1]]
    return ["".join(parts) for parts in itertools.product(*middle, readings[start + span - 1])]


def pinyin_tokens(name: str) -> list[str]:
    """The pinyin tokens of one party name (see the module's docstring), without repeats."""
    readings = name_readings(name)
    if not readings:
        return []
    found: dict[str, None] = {}
    starts = len(readings)
    share = max(1, PINYIN_BUDGET // starts)
    for start in range(starts):
        found.update(dict.fromkeys(_start_tokens(readings, start, share)))
    if len(readings) > PINYIN_SPAN:
        for start in range(starts):
            suffix = readings[start:]
            found["".join(options[0][0] for options in suffix)] = None
            found["".join(options[0] for options in suffix)] = None
    return list(found)


def names_pinyin(names: Iterable[str]) -> str:
    """The pinyin column of a case: every party name's tokens, space-separated."""
    found: dict[str, None] = {}
    for name in names:
        found.update(dict.fromkeys(pinyin_tokens(name)))
    return " ".join(found)


def pinyin_match_query(query: str) -> str:
    """The FTS5 prefix query for a pinyin query (letters only)."""
    return f'"{query}"*'


def _match_from(readings: tuple[tuple[str, ...], ...], position: int, query: str, offset: int) -> bool:
    if offset == len(query):
        return True
    if position == len(readings):
        return False
    for reading in readings[position]:
        if reading.startswith(query[offset:]):
            return True  # the last character: any prefix of a reading
        for spelled in spellings((reading,)):
            if query.startswith(spelled, offset) and _match_from(readings, position + 1, query, offset + len(spelled)):
                return True
    return False


def matches_pinyin(name: str, query: str) -> bool:
    """Whether consecutive characters of the name spell ``query`` (the definition: see the module's docstring)."""
    readings = name_readings(name)
    return bool(query) and any(_match_from(readings, start, query, 0) for start in range(len(readings)))
