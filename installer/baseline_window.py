"""A bare PySide6 window, frozen the same way as the program, to compare start-up times (installer/startup.py).

It does what every Qt program does before its first window and nothing more: a ``QApplication``, a
``QMainWindow`` with a title, ``show()``, the event loop.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Bare PySide6 window")
    window.setCentralWidget(QLabel("Bare PySide6 window"))
    window.resize(800, 600)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
