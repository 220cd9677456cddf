"""Printing benchmarks (DESIGN.md: one agreement PDF warm, and a batch of 1,000, at most 2× a bare ReportLab page
with the same font and text; each file under 200 KB).

The subject is ``documents.build_agreement`` (three copies with their furniture, the signature block, the seal
area and the QR code). The baseline is what the same text costs in ReportLab with nothing of ours: the same
registered font, the same paragraphs (the same copies) in a ``SimpleDocTemplate``, no page numbers, tables,
fallback or line-breaking rules. Both run warm (fonts registered, ReportLab imported) and alternate.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from bench import BenchResult, Mode, Trial, measure
from mediation_desk.documents import (
    AgreementData,
    BatchJob,
    CaseData,
    PartyData,
    Verification,
    batch,
    build_agreement,
)
from mediation_desk.documents.agreement import copies_text, numbered, performance_text
from mediation_desk.documents.blocks import particulars
from mediation_desk.documents.fonts import BODY, register

SIZES: dict[Mode, tuple[int, int]] = {Mode.SMOKE: (2, 5), Mode.QUICK: (10, 100), Mode.FULL: (30, 1_000)}
LIMIT_BYTES = 200 * 1024
FACTS = (
    "2025年2月，被申请人在申请人承包地旁施工，运输车辆碾压申请人种植的茶苗约0.5亩。申请人要求赔偿，双方就赔偿数额"
    "发生争执（申请人要求赔偿人民币8,000元，被申请人仅同意赔偿3,000元）。经调解员现场查看并听取双方陈述，认定被申请人"
    "施工时未采取防护措施，应承担主要责任；申请人未及时制止，亦有一定责任。"
)
TERMS = (
    "被申请人于2025年3月15日前一次性赔偿申请人茶苗损失人民币5,000元（大写：伍仟元整），通过银行转账支付。",
    "被申请人今后施工应采取防护措施，不再碾压申请人承包地；如再造成损失，另行协商赔偿。",
    "本协议履行完毕后，双方就本纠纷再无其他争议。",
)
GIVEN = "建国秀英志强丽华海燕国庆德明桂兰"
SURNAMES = "张王李赵陈刘杨黄周吴"


def agreement(index: int) -> AgreementData:
    """A synthetic two-party agreement; ``index`` varies the names and the number."""
    name = SURNAMES[index % 10] + GIVEN[(index * 2) % 16 : (index * 2) % 16 + 2]
    parties = (
        PartyData(
            "申请人",
            name,
            gender="男",
            ethnicity="汉族",
            birth_date=date(1970, 1 + index % 12, 1 + index % 28),
            address=f"浙江省缙云县五云街道示例村{index % 9 + 1}组{index % 50 + 1}号",
            occupation="农民",
            phone=f"138{index:08d}",
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
    number = f"(2025)缙五人调字第{index + 1}号"
    case = CaseData(
        "示例村人民调解委员会",
        number,
        date(2025, 3, 1),
        "损害赔偿纠纷",
        "当事人申请",
        parties,
        FACTS,
        presiding=("王秀英",),
        assisting=("陈国庆",),
        recorder="陈国庆",
    )
    code = f"7KQ2M-X9H{SURNAMES.index(name[0]) + 2}D"
    return AgreementData(
        case,
        number,
        FACTS,
        TERMS,
        "银行转账",
        "示例村村民委员会",
        date(2025, 3, 15),
        3,
        effective_date=date(2025, 3, 5),
        verification=Verification(code, code + "-4PRT8-WNZ3E", code),
    )


def bare(data: AgreementData) -> bytes:
    """The same text, copies and font in plain ReportLab."""
    style = ParagraphStyle("bare", fontName=BODY, fontSize=12, leading=22, wordWrap="CJK", firstLineIndent=24)
    title = ParagraphStyle("bare-title", parent=style, fontSize=22, leading=32, alignment=1)
    texts = [
        "人民调解协议书",
        f"编号：{data.number}",
        *[f"{party.role}：{particulars(party)}" for party in data.case.parties],
        "纠纷主要事实、争议事项及各方当事人责任：",
        data.facts,
        "经调解，双方自愿达成如下协议：",
        *numbered(data.terms),
        f"履行方式、地点和期限：{performance_text(data)}",
        copies_text(data),
        *[f"{party.role}：{party.name}　签名：" for party in data.case.parties],
        "主持调解员：王秀英（签名）　调解员：陈国庆（签名）　记录人：陈国庆（签名）",
        f"{data.case.org_name}（印章）　2025年3月5日",
    ]
    story = []
    for copy in range(data.copies):
        if copy:
            story.append(PageBreak())
        story += [Paragraph(texts[0], title), *[Paragraph(text, style) for text in texts[1:]]]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, initialFontName=BODY).build(story)
    return buffer.getvalue()


def _trial(make: Callable[[], object]) -> Trial:
    @contextmanager
    def trial() -> Iterator[Callable[[], object]]:
        yield make

    return trial


def _mode(sizes: object) -> Mode:
    from bench.benchmarks import SIZES as MODES

    return next((mode for mode, value in MODES.items() if value == sizes), Mode.FULL)


def agreement_pdf(_work: Path, sizes: object) -> BenchResult:
    """One agreement warm, then a batch, each against the bare ReportLab document of the same text."""
    repeat, count = SIZES[_mode(sizes)]
    register()
    data = agreement(0)
    build_agreement(data), bare(data)  # warm: fonts parsed, ReportLab's caches filled
    result = BenchResult(
        f"agreement_batch_{count}",
        f"one agreement (3 copies) ×{repeat}, then a batch of {count:,} agreements",
        "at most 2× the bare ReportLab document; each file under 200 KB (DESIGN.md)",
    )
    result.subject, result.baseline = measure(_trial(lambda: build_agreement(data)), _trial(lambda: bare(data)), repeat)
    single = result.ratio
    lengths: list[int] = []
    jobs = [agreement(index) for index in range(count)]
    batch_result, batch_bare = measure(
        _trial(lambda: lengths.extend(len(item.pdf) for item in batch([_job(job) for job in jobs]))),
        _trial(lambda: [bare(job) for job in jobs]),
        1,
    )
    assert batch_bare is not None
    result.notes.append(f"one agreement warm: ratio {single:.2f}× (median of {repeat})" if single else "no ratio")
    result.notes.append(
        f"batch of {count:,}: {batch_result.median / 1000:.1f} s against {batch_bare.median / 1000:.1f} s bare, "
        f"ratio {batch_result.median / batch_bare.median:.2f}×; {batch_result.median / count:.0f} ms per agreement"
    )
    largest = max(lengths)
    result.check(
        "every file under 200 KB", largest < LIMIT_BYTES, f"largest {largest / 1024:.0f} KB of {len(lengths):,}"
    )
    result.check("the batch built every agreement", len(lengths) == count, f"{len(lengths):,} of {count:,}")
    return result


def _job(data: AgreementData) -> BatchJob:
    return BatchJob(data.number, lambda: build_agreement(data))
