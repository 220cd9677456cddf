"""Chinese line breaking, the fonts' per-character fallback and the ToUnicode fix, checked on the lines ReportLab
actually lays out (not only on what pdftotext gives back)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib import textsplit
from reportlab.platypus import paragraph

from mediation_desk.documents import fonts, patches
from mediation_desk.documents.linebreak import CLOSING, OPENING, break_lines, can_break, violations
from mediation_desk.documents.pages import PageSetup, render
from mediation_desk.documents.styles import FRAME_WIDTH, TERM, TEXT, para
from tests.documents.conftest import RARE_NAME, fonts_of, pdf_text

CLAUSES = (
    "被申请人于2025年3月15日前一次性赔偿申请人人民币5,000.00元（大写：伍仟元整），通过银行转账支付至申请人"
    "指定的账户（开户行：中国农业银行缙云县支行）；逾期未付的，每日按未付金额的万分之五支付违约金。",
    "双方确认：申请人所称“被申请人拖欠工资三个月”一事属实，被申请人同意于本协议签订之日起七日内支付；"
    "申请人同意不再就此事向劳动监察部门投诉。",
    "申请人张三、李四、王五（均系示例村村民）共同承包的茶园位于《土地承包经营权证》所载第12号地块……"
    "双方就界址问题——即东侧石坎的归属——达成一致！今后互不干涉？",
    "被申请人应当在2025-04-01前，将占用的通道（约3.5米宽、20米长）恢复原状，并赔偿ABC-123号车辆修理费¥1,200元。",
)


def laid_out(text: str, width: float, style: object = TEXT) -> list[str]:
    """The lines ReportLab lays a paragraph out in (after the patches), as text."""
    flowable = para(text, style)
    flowable.wrap(width, 10_000)
    lines = flowable.blPara.lines
    if flowable.blPara.kind == 0:
        return ["".join(words) for _space, words in lines]
    return ["".join(getattr(word, "text", "") for word in line.words) for line in lines]


def test_the_patches_are_installed_once_under_both_names() -> None:
    fonts.register()
    fonts.register()
    assert patches.installed()
    assert textsplit.wordSplit is patches.word_split
    assert paragraph.wordSplit is patches.word_split
    assert paragraph.cjkFragSplit is patches.cjk_frag_split


@pytest.mark.parametrize("clause", CLAUSES)
def test_no_laid_out_line_breaks_the_rules_at_any_width(clause: str) -> None:
    fonts.register()
    checked = 0
    for characters in range(8, 40):
        width = characters * 12 + 3
        lines = laid_out(clause, width)
        assert "".join(lines) == clause.replace(" ", "")
        assert violations(lines) == [], (characters, lines)
        checked += len(lines)
    assert checked > 100


def test_a_rare_character_makes_a_multi_fragment_paragraph_that_obeys_the_rules_too() -> None:
    text = f"申请人{RARE_NAME}（身份证号码331122196805031350）与被申请人“某公司”，就赔偿数额“5,000元”达成一致。" * 3
    for characters in range(10, 30):
        lines = laid_out(text, characters * 12 + 1, TERM)
        assert violations(lines) == []
        assert "".join(lines) == text


def test_numbers_amounts_and_latin_words_stay_on_one_line() -> None:
    fonts.register()
    for characters in range(8, 30):
        lines = laid_out(CLAUSES[0], characters * 12 + 2)
        assert not any(line.endswith("5,0") or line.startswith("00.00") for line in lines)
        joined = "|".join(lines)
        assert "2025年3月15日" in joined.replace("|", "")
        assert "2|025" not in joined
        assert "20|25" not in joined


def test_one_closing_mark_hangs_and_two_take_the_character_before_them_down() -> None:
    units = list("一二三四，五六七八”。九十")
    widths = [10.0] * len(units)
    hanging = break_lines(units, widths, [40.0])
    assert "".join(units[hanging[0].start : hanging[0].end]) == "一二三四，"  # the comma hangs past 40
    lines = break_lines(units, widths, [90.0])  # nine fit; the tenth is ”, and 。 follows it
    texts = ["".join(units[line.start : line.end]) for line in lines]
    assert texts[:2] == ["一二三四，五六七", "八”。九十"]  # 八 goes down with the two marks
    assert all(text[0] not in CLOSING for text in texts)


@given(
    st.text(
        alphabet=st.sampled_from(list("调解协议书当事人双方赔偿人民币元年月日") + list("，。、；：？！）》”’…（《“‘")),
        min_size=1,
        max_size=300,
    ),
    st.integers(min_value=3, max_value=30),
)
def test_any_text_breaks_without_losing_characters_or_breaking_rules(text: str, characters: int) -> None:
    units = list(text)
    lines = break_lines(units, [10.0] * len(units), [characters * 10.0])
    assert "".join("".join(units[line.start : line.end]) for line in lines) == text
    for before, line in itertools.pairwise(lines):
        # a rule may give way only where the line before had no place to break at all (a run of punctuation)
        cornered = not any(can_break(units, index) for index in range(before.start + 1, line.start + 1))
        assert cornered or units[line.start] not in CLOSING
        assert cornered or units[line.start - 1] not in OPENING


def test_to_unicode_maps_characters_outside_the_bmp_to_surrogate_pairs() -> None:
    assert patches.utf16_hex(0x4E2D) == "4E2D"
    assert patches.utf16_hex(0x2020C) == "D840DE0C"
    cmap = patches.to_unicode_cmap("AAAAAA+Test", [0, 32, 0x2020C, *range(0x4E00, 0x4E00 + 150)])
    assert "<02> <D840DE0C>" in cmap
    assert cmap.count("beginbfchar") == 2  # at most 100 entries per block


def test_a_rare_name_prints_in_the_fallback_font_and_comes_back_from_pdftotext(tmp_path: Path) -> None:
    assert fonts.face_for("𠈌") == fonts.RARE
    assert fonts.face_for("张") == fonts.BODY
    assert fonts.face_for("㐀") == fonts.RARE  # Extension A
    pdf = render([para(f"申请人：{RARE_NAME}，住示例村。")], PageSetup(title="test"))
    assert RARE_NAME in pdf_text(pdf)
    names = [row[0].split("+")[-1] for row in fonts_of(pdf, tmp_path)]
    assert "MediationDeskRare-Regular" in names
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in fonts_of(pdf, tmp_path))


def test_a_character_that_no_font_has_is_refused_by_name() -> None:
    with pytest.raises(fonts.MissingGlyph, match=r"U\+10FFFD"):
        fonts.markup("张\U0010fffd")


def test_the_title_face_covers_every_fixed_title() -> None:
    titles = (
        "人民调解协议书口头调解协议登记表申请书受理登记表权利义务告知书"
        "调查记录调解记录回访记录终止调解告知书卷宗卷内目录备考表"
    )
    assert fonts.covered(titles, fonts.TITLE)
    assert fonts.covered("纠纷主要事实、争议事项及各方当事人责任：经调解，双方自愿达成如下协议：", fonts.TITLE)


def test_justified_lines_fill_the_width() -> None:
    assert patches.char_spacing("调解协议书内容", 6.0, 12, last=False) == pytest.approx(1.0)
    assert patches.char_spacing("调解协议书内容", 12.0, 12, last=False) == 0.0  # 2 pt a character: left ragged
    assert patches.char_spacing("调解协议书内容", 6.0, 12, last=True) == 0.0
    assert patches.char_spacing("Latin only", 6.0, 12, last=False) == 0.0
    assert patches.char_spacing("调解", 30.0, 12, last=False) == 0.0  # too wide a gap: left ragged
    assert FRAME_WIDTH > 400
