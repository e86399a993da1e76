"""trafilatura reads ``settings.cfg`` (and ``data/``) next to its modules at import time;
pyinstaller-hooks-contrib 2026.9 has no hook for it."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("trafilatura")
