"""Render the application icon from its SVG: PNG files for Linux and a Windows ``.ico`` (run by build.py with the
build environment's PySide6, on Qt's offscreen platform).

    python installer/icons.py installer/linux/mediation-desk.svg OUTPUT_FOLDER

The ``.ico`` holds 16 to 48 pixels as 32-bit bitmaps (what every Windows and NSIS read) and 256 pixels as PNG.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path
from typing import cast

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 256)
PNG_IN_ICO = 256


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide6 wants str
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """An icon entry as a 32-bit bottom-up bitmap with an all-opaque AND mask (alpha carries the shape)."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in reversed(range(size)):  # Format_ARGB32 is BGRA in memory on little-endian machines
        line = cast(memoryview, image.constScanLine(y))
        rows.append(bytes(line)[: size * 4])
    mask_row = b"\x00" * (((size + 31) // 32) * 4)
    return header + b"".join(rows) + mask_row * size


def write_ico(images: dict[int, QImage], target: Path) -> None:
    payloads = [(size, png_bytes(img) if size >= PNG_IN_ICO else dib_bytes(img)) for size, img in images.items()]
    offset = 6 + 16 * len(payloads)
    directory = b""
    for size, payload in payloads:
        edge = 0 if size >= 256 else size
        directory += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(payload), offset)
        offset += len(payload)
    target.write_bytes(struct.pack("<HHH", 0, 1, len(payloads)) + directory + b"".join(p for _s, p in payloads))


def main(svg: Path, folder: Path) -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        print(f"cannot read {svg}", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    images = {size: render(renderer, size) for size in sorted(set(PNG_SIZES) | set(ICO_SIZES))}
    for size in PNG_SIZES:
        images[size].save(str(folder / f"{svg.stem}-{size}.png"))
    images[256].save(str(folder / f"{svg.stem}.png"))
    write_ico({size: images[size] for size in ICO_SIZES}, folder / f"{svg.stem}.ico")
    print(f"icons written to {folder}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
