"""justext (used by trafilatura) loads its language stoplists from ``justext/stoplists/*.txt``;
pyinstaller-hooks-contrib 2026.9 has no hook for it."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("justext")
