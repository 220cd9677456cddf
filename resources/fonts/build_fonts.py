"""Build the printing fonts of ``resources/fonts/`` from Debian's font packages (run once; the results are committed).

    apt-get install -y fonts-noto-cjk fonts-hanazono
    pip install fonttools
    python resources/fonts/build_fonts.py            # writes the three fonts beside this script
    python resources/fonts/build_fonts.py --check    # rebuilds into a temporary folder and compares

- ``mdserif-sc-regular.ttf``: the body face, Noto Serif CJK SC Regular (a Song face; subfont 2 of Debian's
  ``NotoSerifCJK-Regular.ttc``) subset to ASCII, Latin-1 punctuation, general punctuation, CJK symbols and
  punctuation, enclosed numbers, the whole CJK Unified Ideographs block (U+4E00-U+9FFF) and the full-width forms,
  with its CFF outlines converted to TrueType quadratic outlines (ReportLab embeds only TrueType outlines).
- ``mdserif-sc-bold.ttf``: the title face, Noto Serif CJK SC Bold, converted the same way, subset to the same
  symbols and the 6,763 Chinese characters of GB 2312 (titles and headings are fixed text; a rarer character
  in a title falls back to the body face).
- ``mdrare.ttf``: the fallback for rare characters, from HanaMinA and HanaMinB (花園明朝, GlyphWiki), taken under
  the Hanazono Font License: CJK Extension A, the CJK compatibility ideographs, and the characters outside the
  Basic Multilingual Plane that HanaMinA carries or Noto Serif CJK SC covers (the rare characters of names and
  places in the mainland, Hong Kong and Taiwan character sets, such as 𠈌 U+2020C).

The fonts are renamed (``MediationDesk Serif SC``, ``MediationDesk Rare``) as modified versions, with hinting
and OpenType layout tables left out (ReportLab uses neither), and ``head.modified`` kept from the source so that a
rebuild with the same fontTools gives the same bytes.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent
NOTO = Path("/usr/share/fonts/opentype/noto")
HANAZONO = Path("/usr/share/fonts/truetype/hanazono")
NOTO_SC = 2  # subfont index of Noto Serif CJK SC in Debian's collections (JP, KR, SC, TC, HK)
MAX_ERROR = 1.0  # font units (of 1,000 per em) that a quadratic outline may stray from the cubic one

SYMBOLS: tuple[range, ...] = (
    range(0x20, 0x7F),  # ASCII
    range(0xA0, 0x100),  # Latin-1: ¥ · × ÷ § °
    range(0x2000, 0x2070),  # general punctuation: — ‘ ’ “ ” … ‰ ′ ″
    range(0x2100, 0x2150),  # letterlike: ℃ №
    range(0x2160, 0x2180),  # Roman numerals
    range(0x2460, 0x2500),  # enclosed alphanumerics: ① ⑴ ⒈
    range(0x25A0, 0x2600),  # geometric shapes: □ ■ ○ ●
    range(0x3000, 0x3040),  # CJK symbols and punctuation: 、 。 〇 《 》 「 」 【 】
    range(0x3200, 0x3300),  # enclosed CJK: ㈠ ㊣
    range(0xFE30, 0xFE50),  # CJK compatibility forms
    range(0xFF00, 0xFFF0),  # half-width and full-width forms
)
URO = range(0x4E00, 0xA000)


def gb2312_hanzi() -> list[int]:
    """The 6,763 Chinese characters of GB 2312 (rows 16 to 87)."""
    found = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                char = bytes((row, cell)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            found.append(ord(char))
    return found


@dataclass(frozen=True, slots=True)
class Names:
    family: str
    style: str
    postscript: str
    notice: str


def _subset(font: TTFont, unicodes: Iterable[int]) -> None:
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.glyph_names = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.name_languages = [0x409]
    options.drop_tables += ["BASE", "GDEF", "GPOS", "GSUB", "VORG", "vhea", "vmtx", "FFTM", "gasp", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(set(unicodes)))
    subsetter.subset(font)


def _quadratic(font: TTFont) -> None:
    """Replace the CFF table by a ``glyf`` table of quadratic outlines (what ReportLab can embed)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    font["head"].glyphDataFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs"):
        setattr(maxp, attribute, 0)
    maxp.maxZones, maxp.maxStackElements, maxp.maxSizeOfInstructions, maxp.maxComponentElements = 1, 0, 0, 0
    maxp.maxComponentDepth = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: TTFont, names: Names) -> None:
    table = font["name"]
    table.names = [record for record in table.names if record.nameID in (0, 13, 14)]
    full = f"{names.family} {names.style}" if names.style != "Regular" else names.family
    for name_id, text in (
        (1, names.family),
        (2, names.style),
        (3, f"{names.postscript};mediation-desk"),
        (4, full),
        (5, "Version 1.000"),
        (6, names.postscript),
    ):
        table.setName(text, name_id, 3, 1, 0x409)
    table.setName(names.notice, 0, 3, 1, 0x409)


def _noto(source: Path, unicodes: Iterable[int], names: Names) -> TTFont:
    font = TTCollection(str(source), recalcTimestamp=False).fonts[NOTO_SC]
    _subset(font, unicodes)
    _quadratic(font)
    _rename(font, names)
    return font


def build_serif(target: Path, bold: bool) -> None:
    style = "Bold" if bold else "Regular"
    source = NOTO / f"NotoSerifCJK-{style}.ttc"
    hanzi: Iterable[int] = gb2312_hanzi() if bold else URO
    symbols = [code for block in SYMBOLS for code in block]
    notice = "© 2017-2022 Adobe (http://www.adobe.com/). Modified from Noto Serif CJK SC by Mediation Desk."
    names = Names("MediationDesk Serif SC", style, f"MediationDeskSerifSC-{style}", notice)
    font = _noto(source, [*symbols, *hanzi], names)
    font.save(str(target))


def _rare_codes(hana_a: TTFont) -> tuple[list[int], list[int]]:
    """The characters the rare font takes from HanaMinA, and the ones it takes from HanaMinB."""
    in_a = hana_a.getBestCmap()
    noto = TTCollection(str(NOTO / "NotoSerifCJK-Regular.ttc"), lazy=True).fonts[NOTO_SC].getBestCmap()
    hana_b = TTFont(str(HANAZONO / "HanaMinB.ttf"), lazy=True).getBestCmap()
    extension_a = [code for code in range(0x3400, 0x4DC0) if code in in_a]
    compatibility = [code for code in range(0xF900, 0xFB00) if code in in_a]
    supplementary = [code for code in in_a if code >= 0x20000]
    from_b = sorted(code for code in noto if code >= 0x20000 and code not in in_a and code in hana_b)
    return [*extension_a, *compatibility, *supplementary], from_b


def build_rare(target: Path) -> None:
    hana_a = TTFont(str(HANAZONO / "HanaMinA.ttf"), recalcTimestamp=False)
    from_a, from_b = _rare_codes(hana_a)
    _subset(hana_a, from_a)
    hana_b = TTFont(str(HANAZONO / "HanaMinB.ttf"), recalcTimestamp=False)
    _subset(hana_b, from_b)
    with tempfile.TemporaryDirectory() as folder:
        parts = [Path(folder, "a.ttf"), Path(folder, "b.ttf")]
        hana_a.save(str(parts[0]))
        hana_b.save(str(parts[1]))
        merged = Merger().merge([str(part) for part in parts])
    merged.recalcTimestamp = False
    merged["head"].created = hana_a["head"].created
    merged["head"].modified = hana_a["head"].modified
    notice = "Copyright 2008-2017 GlyphWiki Project. Subset of HanaMinA and HanaMinB by Mediation Desk."
    _rename(merged, Names("MediationDesk Rare", "Regular", "MediationDeskRare-Regular", notice))
    merged.save(str(target))


OUTPUTS = {
    "mdserif-sc-regular.ttf": lambda path: build_serif(path, bold=False),
    "mdserif-sc-bold.ttf": lambda path: build_serif(path, bold=True),
    "mdrare.ttf": build_rare,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="rebuild in a temporary folder and compare")
    parser.add_argument("--only", choices=sorted(OUTPUTS), action="append", help="build only this font")
    args = parser.parse_args(argv)
    names = args.only or list(OUTPUTS)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) if args.check else HERE
        different = []
        for name in names:
            print(f"building {name}", flush=True)
            OUTPUTS[name](folder / name)
            if args.check and not filecmp.cmp(folder / name, HERE / name, shallow=False):
                different.append(name)
        if different:
            print("differs from the committed file: " + ", ".join(different), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
