"""The limits of a ledger file, checked before anything is loaded, so that no file can exhaust the machine.

A county's yearly ledger holds a few thousand cases; the limits leave room for a prefecture's and still keep the
memory an import needs to a few hundred megabytes at most:

- a file is at most ``MAX_FILE_BYTES`` on disk;
- a sheet (or a CSV file) has at most ``MAX_ROWS`` rows, header and title rows included, and no cell with content
  beyond column ``MAX_COLUMNS`` (a ledger has about twenty); a sheet to be read that *declares* a range beyond
  ``MAX_ROWS`` rows or ``MAX_DECLARED_COLUMNS`` columns (the ``<dimension>`` Excel writes, which one styled empty
  cell at XFD1048576 stretches to the whole grid) is refused before any sheet is read;
- a CSV line is at most ``MAX_LINE_CHARS`` long (the csv module makes a list of a line's cells at once);
- a cell holds at most ``MAX_CELL_CHARS`` characters (Excel's own limit);
- an ``.xlsx`` is a zip archive: its central directory, the number of its members, each member's uncompressed
  size (the sheets', the shared strings' and every other part's) and the ratio of uncompressed to compressed size
  are checked from the archive's directory before a single member is decompressed. Python's ``zipfile`` never
  decompresses a member beyond the size its directory declares, so the declared sizes are a real bound.

Dates: a ledger's cases were received between ``EARLIEST_DATE`` (the Regulations on People's Mediation
Committees took effect in 1989; no desk holds earlier cases) and today. Numbers: the columns' SQL types and
business sense bound the persons involved, the amount and a case number's year and sequence.
"""

from __future__ import annotations

from datetime import date

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 64
MAX_DECLARED_COLUMNS = 1024
MAX_CELL_CHARS = 32_767
MAX_LINE_CHARS = MAX_COLUMNS * MAX_CELL_CHARS

MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
MAX_SHEETS = 100
MAX_SHEET_XML_BYTES = 128 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_PART_BYTES = 16 * 1024 * 1024  # styles, the workbook, relationships and every other part
MAX_TOTAL_XML_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # deflate reaches about 1000:1 on a bomb; a real sheet stays far below 100:1
RATIO_FROM_BYTES = 1024 * 1024  # small parts may compress better; the ratio is checked above this size

EARLIEST_DATE = date(1990, 1, 1)

MAX_PERSONS = 100_000
MAX_AMOUNT_FEN = 10**12  # ten billion yuan: beyond it a cell is a typo (fen written as yuan, extra digits)
MAX_NUMBER_SEQ = 999_999  # a case number's sequence within its organisation and year
MAX_NUMBER_CHARS = 60  # the case number's column


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"
