"""PySide6 user interface. Shows and asks; never computes domain results itself."""
