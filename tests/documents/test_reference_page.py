"""Page 1 of the agreement, rendered by poppler's ``pdftoppm``, matches the stored reference image within a
tolerance (fonts, layout and line breaks stay as they were looked at and approved).

Set ``MEDIATION_DESK_UPDATE_REFERENCE=1`` to write a new reference after a deliberate change of the look, and look
at it before committing it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from mediation_desk.documents import AgreementData, CaseData, PartyData, Verification, build_agreement
from tests.documents.conftest import FACTS, RARE_NAME, TERMS, run_tool

REFERENCE = Path(__file__).resolve().parent / "reference" / "agreement-page1.png"
DPI = 50
MEAN_TOLERANCE = 2.0  # mean grey-level difference (0-255)
PIXEL_TOLERANCE = 0.01  # share of pixels that may differ by more than a quarter of the range


def reference_agreement() -> AgreementData:
    parties = (
        PartyData(
            "申请人",
            RARE_NAME,
            gender="男",
            ethnicity="汉族",
            birth_date=date(1968, 5, 3),
            id_label="居民身份证号码",
            id_number="331122196805031350",
            phone="13800001111",
            address="浙江省缙云县五云街道示例村3组12号",
            occupation="农民",
        ),
        PartyData(
            "被申请人",
            "缙云县示例建材有限公司",
            organisation=True,
            address="缙云县五云街道工业区8号",
            representative="李建国",
            phone="05783123456",
        ),
    )
    case = CaseData(
        "示例村人民调解委员会",
        "(2025)缙五人调字第12号",
        date(2025, 3, 1),
        "损害赔偿纠纷",
        "当事人申请",
        parties,
        facts=FACTS,
        presiding=("王秀英",),
        assisting=("陈国庆",),
        recorder="陈国庆",
    )
    return AgreementData(
        case,
        "(2025)缙五人调字第12号",
        FACTS,
        TERMS,
        "银行转账",
        "示例村村民委员会",
        date(2025, 3, 15),
        3,
        effective_date=date(2025, 3, 5),
        verification=Verification("7KQ2M-X9HCD", "7KQ2M-X9HCD-4PRT8-WNZ3E", "MD-VERIFY:7KQ2MX9HCD4PRT8WNZ3E"),
    )


def render_page(pdf: bytes, tmp_path: Path, page: int = 1) -> Image.Image:
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    run_tool(
        "pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", str(page), "-l", str(page), str(source), str(tmp_path / "p")
    )
    found = sorted(tmp_path.glob("p-*.png"))
    assert found
    with Image.open(found[0]) as image:
        return image.convert("L")


def test_page_one_of_the_agreement_matches_the_reference(tmp_path: Path) -> None:
    rendered = render_page(build_agreement(reference_agreement()), tmp_path)
    if os.environ.get("MEDIATION_DESK_UPDATE_REFERENCE"):
        REFERENCE.parent.mkdir(exist_ok=True)
        rendered.save(REFERENCE, optimize=True)
    with Image.open(REFERENCE) as stored:
        reference = stored.convert("L")
    assert rendered.size == reference.size
    difference = ImageChops.difference(rendered, reference)
    mean = ImageStat.Stat(difference).mean[0]
    far = sum(difference.histogram()[65:])
    share = far / (rendered.size[0] * rendered.size[1])
    assert mean <= MEAN_TOLERANCE, (mean, share)
    assert share <= PIXEL_TOLERANCE, (mean, share)
    ink = ImageStat.Stat(rendered).mean[0]
    assert 200 < ink < 252  # a page of text, neither blank nor black
