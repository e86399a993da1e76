"""Rebuild Qt's ``libicudata.so.73`` without the ICU data trees Qt never reads (about 15 MB).

``libicudata`` is one symbol, ``icudt73_dat``: an ICU "common data" package (a header, a sorted
table of contents, then every item, 16-byte aligned; ICU's ``ucmndata.c``). Qt 6 calls only these
ICU services (every ``*_73`` import of the bundled Qt libraries and plugins, ``nm -D``; checked
again at build time by ``qt_icu_imports``): collation (``ucol_*``: ``coll/``, ``ucadata.icu``),
codecs (``ucnv_*``: ``*.cnv``), locale-aware case mapping (``u_strToUpper/Lower``: built into
libicuuc) and time zones (``ucal_open``, ``ucal_getTimeZoneDisplayName``,
``ucal_getCanonicalTimeZoneID``: ``zone/``, ``zoneinfo64``, ``metaZones``, locale roots).
The trees below feed only ICU services Qt does not call — break iterators (Qt segments text with
its own Unicode tables), measure units, currency, language and region display names (Qt's
``QLocale`` carries its own CLDR data), transliteration and rule-based number spelling — so they
go; every other item is copied byte for byte, in the same order.

The new library is assembled with binutils (``as`` + ``ld``, already needed for ``strip``): same
soname, same exported symbol. The frozen smoke test (``ui/smoke.py``'s Qt text checks: collation,
a legacy codec, a time-zone name) and ``tests/test_packaging.py`` (the rebuilt data preloaded into
Qt) check the result.

    python packaging/slim_icu.py BUNDLE_DIR      # prints what it saved
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

from bundle_step import run_step  # packaging/, the script's own folder

# Item-name trees (after the ``icudt73l/`` package prefix) left out; see the module docstring.
DROPPED_TREES = ("brkitr", "unit", "curr", "lang", "region", "translit", "rbnf")
# ICU API families a Qt library may import and still be served by the kept data. An import from
# any other family (ubrk_, unum_, utrans_, uldn_…) stops the build: the data it needs may be gone.
QT_ICU_FAMILIES = ("ucol_", "ucnv_", "UCNV_", "ucal_", "u_strToUpper", "u_strToLower")


PAD = b"\xaa"  # the filler byte pkgdata writes between items (so an unchanged package reads back identical)


class IcuError(RuntimeError):
    """The library or the Qt that loads it is not what this script was written for."""


def data_symbol(lib: Path) -> tuple[str, int, int]:
    """``(name, file offset, size)`` of the ``icudt*_dat`` symbol in *lib* (readelf)."""
    syms = subprocess.run(["readelf", "--dyn-syms", "-W", str(lib)], capture_output=True, text=True, check=True).stdout
    found = [line.split() for line in syms.splitlines() if re.search(r"\sicudt\d+_dat$", line)]
    if len(found) != 1:
        raise IcuError(f"{lib}: expected one icudt*_dat symbol")
    _, value, size, *_rest, name = found[0]
    vaddr = int(value, 16)
    sections = subprocess.run(["readelf", "-S", "-W", str(lib)], capture_output=True, text=True, check=True).stdout
    for line in sections.splitlines():
        cols = line.replace("[ ", "[").split()
        if len(cols) > 5 and cols[1] == ".rodata":
            addr, off = int(cols[3], 16), int(cols[4], 16)
            return name, vaddr - addr + off, int(size, 0)
    raise IcuError(f"{lib}: no .rodata section")


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split an ICU common-data package into ``(header, [(item name, item bytes), …])``.
    Raises ``IcuError`` if *blob* is not one (magic ``0xda27``, format ``CmnD``)."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
        raise IcuError("not an ICU common-data package")
    toc = header_size
    count = struct.unpack_from("<I", blob, toc)[0]
    entries = [struct.unpack_from("<II", blob, toc + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_off, data_off) in enumerate(entries):
        name = blob[toc + name_off: blob.index(b"\0", toc + name_off)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(blob) - toc
        items.append((name, blob[toc + data_off: toc + end]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The inverse of ``read_package``: the same layout ICU's pkgdata writes (entry table, names,
    items each starting on a 16-byte boundary of the package)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table_end = 4 + 8 * len(items) + len(names)
    pos = table_end + (-(len(header) + table_end) % 16)
    entries, body, name_pos = [], bytearray(), 4 + 8 * len(items)
    for name, data in items:
        entries.append((name_pos, pos))
        name_pos += len(name) + 1
        body += data + PAD * (-len(data) % 16)
        pos += len(data) + (-len(data) % 16)
    table = struct.pack("<I", len(items)) + b"".join(struct.pack("<II", *e) for e in entries) + names
    table += PAD * (-(len(header) + len(table)) % 16)
    return header + table + bytes(body)


def dropped(name: str) -> bool:
    """True for an item under one of ``DROPPED_TREES`` (``icudt73l/brkitr/…``)."""
    parts = name.split("/")
    return len(parts) > 2 and parts[1] in DROPPED_TREES


def qt_icu_imports(qt_root: Path) -> set[str]:
    """ICU functions (``*_NN`` versioned names) imported by the Qt libraries/plugins and PySide6
    modules under *qt_root* (``libicu*`` themselves excluded)."""
    found: set[str] = set()
    for path in qt_root.rglob("*.so*"):
        if path.is_symlink() or path.name.startswith("libicu"):
            continue
        syms = subprocess.run(["readelf", "--dyn-syms", "-W", str(path)], capture_output=True, text=True).stdout
        for line in syms.splitlines():
            cols = line.split()
            if len(cols) >= 8 and cols[6] == "UND" and re.search(r"_\d\d$", cols[7].split("@")[0]):
                found.add(cols[7].split("@")[0])
    return found


def build_library(package: bytes, symbol: str, soname: str, out: Path) -> None:
    """Assemble a shared library exporting *symbol* = *package* (16-byte aligned, read-only) with
    *soname*, as ICU's own ``pkgdata --mode dll`` does, using binutils' ``as`` and ``ld`` (no symbol
    table: lintian's unstripped-binary-or-object)."""
    with tempfile.TemporaryDirectory() as tmp:
        dat, asm, obj = Path(tmp) / "data.bin", Path(tmp) / "data.s", Path(tmp) / "data.o"
        dat.write_bytes(package)
        asm.write_text(f'\t.section .rodata\n\t.balign 16\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
                       f'\t.size {symbol}, {len(package)}\n{symbol}:\n\t.incbin "{dat}"\n'
                       '\t.section .note.GNU-stack,"",@progbits\n')
        subprocess.run(["as", "-o", str(obj), str(asm)], check=True)
        subprocess.run(["ld", "-shared", "-s", "-soname", soname, "-z", "noexecstack", "--hash-style=gnu",
                        "-o", str(out), str(obj)], check=True)


def slim_icu(bundle: Path) -> tuple[int, int]:
    """Replace ``PySide6/Qt/lib/libicudata.so.*`` under *bundle* by one without ``DROPPED_TREES``;
    returns ``(bytes saved, items dropped)``. Raises ``IcuError`` (nothing changed) when Qt imports
    an ICU service outside ``QT_ICU_FAMILIES`` or the library is not a common-data package."""
    internal = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    qt = internal / "PySide6"
    libs = [p for p in sorted((qt / "Qt" / "lib").glob("libicudata.so.*")) if not p.is_symlink()]
    if len(libs) != 1:
        raise IcuError(f"expected one libicudata under {qt}, found {libs}")
    lib = libs[0]
    unexpected = sorted(f for f in qt_icu_imports(qt) if not f.startswith(QT_ICU_FAMILIES))
    if unexpected:
        raise IcuError(f"Qt imports ICU functions whose data may be dropped: {unexpected}")
    for tool in ("as", "ld", "readelf"):
        if shutil.which(tool) is None:
            raise IcuError(f"{tool} not found (install binutils)")
    symbol, offset, size = data_symbol(lib)
    raw = lib.read_bytes()
    header, items = read_package(raw[offset: offset + size])
    kept = [(name, data) for name, data in items if not dropped(name)]
    package = write_package(header, kept)
    _, check = read_package(package)
    if check != kept:
        raise IcuError("rebuilt ICU package does not read back the same")
    soname = subprocess.run(["readelf", "-d", str(lib)], capture_output=True, text=True).stdout
    soname = re.search(r"\(SONAME\).*\[(.+)\]", soname).group(1)
    with tempfile.TemporaryDirectory() as tmp:
        new = Path(tmp) / lib.name
        build_library(package, symbol, soname, new)
        if data_symbol(new)[0] != symbol:
            raise IcuError("rebuilt library does not export " + symbol)
        saved = lib.stat().st_size - new.stat().st_size
        mode = lib.stat().st_mode
        shutil.copyfile(new, lib)
        lib.chmod(mode)
    return saved, len(items) - len(kept)


def report(bundle: Path) -> str:
    """Run ``slim_icu`` on *bundle*; its one-line report."""
    saved, n = slim_icu(bundle)
    return (f"slim-icu: {n} ICU data items Qt never reads left out ({', '.join(DROPPED_TREES)}); "
            f"{saved / 1024 / 1024:.1f} MB saved")


if __name__ == "__main__":
    raise SystemExit(run_step(__doc__, report))
