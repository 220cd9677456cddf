"""The PySide6 desktop interface. Only this package imports Qt; it talks to ``mediation_desk.services``."""
