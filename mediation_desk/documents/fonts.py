"""The printing fonts: registered with ReportLab once per process, and a fallback per character.

Body text is set in a Song face (MediationDesk Serif SC, from Noto Serif CJK SC), titles in its bold. A character
that face lacks (a rare character of a name: Extension A, or outside the Basic Multilingual Plane, such as 𠈌) is
set in the bundled rare-character face (from HanaMinA/B), and failing that in a system font that has it
(SimSun-ExtB on Windows, HanaMinB on Linux), found the first time it is needed. A character no font has is an
error naming it: it never prints as an empty box. ``resources/fonts/README.md`` says where each font comes from.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from mediation_desk.documents import patches
from mediation_desk.domain.errors import DomainError
from mediation_desk.resources import resource_path

BODY = "MDSerif"
TITLE = "MDSerif-Bold"
RARE = "MDRare"
SHIPPED = {
    BODY: "mdserif-sc-regular.ttf",
    TITLE: "mdserif-sc-bold.ttf",
    RARE: "mdrare.ttf",
}
# Fonts of the operating system that cover characters outside the bundled set (the SIP above all), tried in order.
SYSTEM_FALLBACKS: tuple[tuple[str, str, int], ...] = (
    ("MDSystem-SimSunExtB", "Fonts/simsunb.ttf", 0),  # below %WINDIR%
    ("MDSystem-HanaMinB", "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", 0),
    ("MDSystem-HanaMinA", "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", 0),
)
IGNORED = frozenset("\u200b\u200c\u200d\u2060\ufeff")  # zero-width characters: nothing to print


class MissingGlyph(DomainError):
    """A character of the text is in no font the program has or the system offers."""


@dataclass(frozen=True, slots=True)
class Face:
    name: str
    chars: frozenset[int]


_LOCK = threading.Lock()
_FACES: dict[str, Face] = {}
_SYSTEM: list[Face] = []
_SYSTEM_TRIED: list[bool] = []
_CHOICE: dict[tuple[str, str], str | None] = {}


def _register(name: str, path: Path, index: int = 0) -> Face:
    font = TTFont(name, str(path), subfontIndex=index)
    pdfmetrics.registerFont(font)
    chars = frozenset(code for code, glyph in font.face.charToGlyph.items() if glyph)
    return Face(name, chars)


def register() -> None:
    """Register the bundled fonts and install the ReportLab changes (once per process; cheap afterwards)."""
    if _FACES:
        return
    with _LOCK:
        if _FACES:
            return
        patches.install()
        faces = {name: _register(name, resource_path("fonts", file)) for name, file in SHIPPED.items()}
        _FACES.update(faces)


def _system_candidates() -> list[tuple[str, Path, int]]:
    windows = Path(os.environ.get("WINDIR", r"C:\Windows"))
    found = []
    for name, where, index in SYSTEM_FALLBACKS:
        path = windows / where if where.startswith("Fonts/") else Path(where)
        if path.is_file():
            found.append((name, path, index))
    return found


def _system_faces() -> list[Face]:
    """The system's fallback fonts, registered the first time a character needs one."""
    with _LOCK:
        if not _SYSTEM_TRIED:
            _SYSTEM_TRIED.append(True)
            for name, path, index in _system_candidates():
                try:
                    _SYSTEM.append(_register(name, path, index))
                except (TTFError, OSError, ValueError):
                    continue  # a damaged or unusable font: the next one may do
    return _SYSTEM


def chain(primary: str) -> tuple[str, ...]:
    """The fonts tried for a character, in order."""
    if primary == TITLE:
        return (TITLE, BODY, RARE)
    return (primary, RARE) if primary != RARE else (RARE,)


def face_for(char: str, primary: str = BODY) -> str:
    """The font a character is set in: the first of the chain that has it, else a system font that has it."""
    key = (char, primary)
    if key in _CHOICE:
        chosen = _CHOICE[key]
    else:
        register()
        code = ord(char)
        chosen = next((name for name in chain(primary) if code in _FACES[name].chars), None)
        if chosen is None:
            chosen = next((face.name for face in _system_faces() if code in face.chars), None)
        _CHOICE[key] = chosen
    if chosen is None:
        raise MissingGlyph(
            f"无法打印字符“{char}”（U+{ord(char):04X}）：随程序提供的字体和本机字体中都没有这个字；"
            "请安装含有这个字的字体（Windows 的 SimSun-ExtB，或 Linux 的 fonts-hanazono）后再打印"
        )
    return chosen


def runs(text: str, primary: str = BODY) -> list[tuple[str, str]]:
    """``text`` cut into ``(font, piece)`` runs: each character in the first font that has it."""
    pieces: list[tuple[str, str]] = []
    for char in text:
        if char in IGNORED:
            continue
        font = primary if char in " \u3000" else face_for(char, primary)
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + char)
        else:
            pieces.append((font, char))
    return pieces


def markup(text: str, primary: str = BODY) -> str:
    """``text`` as ReportLab paragraph markup in ``primary``, rare characters wrapped in their fallback font."""
    parts = []
    for font, piece in runs(text, primary):
        escaped = escape(piece)
        parts.append(escaped if font == primary else f'<font face="{font}">{escaped}</font>')
    return "".join(parts)


def covered(text: str, font: str) -> bool:
    """Whether every character of ``text`` is in ``font`` itself (no fallback needed)."""
    register()
    chars = _FACES[font].chars
    return all(ord(char) in chars or char in IGNORED for char in text)


def shipped_paths() -> list[Path]:
    return [resource_path("fonts", file) for file in SHIPPED.values()]
