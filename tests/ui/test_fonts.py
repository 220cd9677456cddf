"""The interface draws every character of a name: Chinese from the bundled WenQuanYi Micro Hei, and the rare ones
it lacks (生僻字, also outside the Basic Multilingual Plane) from the bundled rare-character font, never as an
empty box."""

from __future__ import annotations

from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QApplication


def glyph_runs(text: str) -> list[tuple[str, list[int]]]:
    layout = QTextLayout(text, QApplication.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [(run.rawFont().familyName(), list(run.glyphIndexes())) for run in layout.glyphRuns()]


def test_common_chinese_comes_from_the_bundled_font(qapp: QApplication) -> None:
    runs = glyph_runs("张三调解")
    assert [family for family, _glyphs in runs] == ["WenQuanYi Micro Hei"]
    assert all(0 not in glyphs for _family, glyphs in runs)


def test_a_rare_character_outside_the_bmp_is_drawn_and_not_a_box(qapp: QApplication) -> None:
    runs = glyph_runs("张𠈌明")  # U+2020C, CJK Extension B
    assert all(0 not in glyphs for _family, glyphs in runs), runs
    assert len({family for family, _glyphs in runs}) == 2  # the rare one from the second bundled font
    assert sum(len(glyphs) for _family, glyphs in runs) == 3
