"""Bytes → text with encoding detection: BOM, then a UTF-8 fast path, then charset-normalizer.

Most files are UTF-8, and strict UTF-8 decoding is both fast and almost never wrong on non-UTF-8
bytes, so it goes first; charset-normalizer (a maintained chardet successor) only runs when
that fails. Line endings are normalized to ``\\n``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from fineflow_desktop.core.ingest.base import ParseError

# Order matters: the UTF-32 LE BOM starts with the UTF-16 LE BOM.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# Bytes looked at by charset-normalizer for large files (it samples `steps` chunks anyway).
_DETECT_SAMPLE = 256 * 1024


def decode_bytes(path: Path | str, data: bytes) -> tuple[str, str]:
    """Decode *data* read from *path*; returns ``(text, encoding_name)``.

    Newlines are normalized to ``\\n`` and a BOM is removed. Raises ``ParseError`` when the
    bytes look binary (NUL bytes without a UTF-16/32 BOM) or no encoding fits.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(name)
            except UnicodeDecodeError as exc:
                raise ParseError(path, f"invalid {name} text after its byte-order mark at byte {exc.start}") from exc
            return _newlines(text), name
    try:
        return _newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:_DETECT_SAMPLE]:
        raise ParseError(path, "binary content (NUL bytes), not a text file")
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:_DETECT_SAMPLE] if len(data) > _DETECT_SAMPLE else data))
    if not matches:
        raise ParseError(path, "cannot detect the text encoding (not a text file?)")
    encoding = _prefer_cp1252(data[:_DETECT_SAMPLE], matches)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        # The sample fitted but the rest does not: keep going, marking bad bytes visibly.
        text = data.decode(encoding, errors="replace")
    return _newlines(text), encoding


# Accented letters frequent in Western European languages (French, German, Spanish, Portuguese,
# Italian, Dutch, Nordic): the most common legacy text files are Windows-1252.
_COMMON_ACCENTS = frozenset("àâäáãåæçèéêëìíîïñòóôöõøœùúûüÿßÀÂÄÁÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÖÕØŒÙÚÛÜŸ€’‘“”–—…")


def _prefer_cp1252(sample: bytes, matches) -> str:
    """charset-normalizer's best guess, unless cp1252 is a close candidate that reads better.

    On short Western European text charset-normalizer often ranks a Baltic or Central
    European code page first (e.g. cp1257 for French, turning "è" into "č"); cp1252 wins the
    tie when it decodes more of the non-ASCII bytes into common Western accented letters.
    """
    best = matches[0]
    alt = next((m for m in matches if m.encoding in ("cp1252", "windows_1252")), None)
    if alt is None or alt is best or alt.chaos > best.chaos + 0.2:
        return best.encoding

    def common(enc: str) -> int:
        text = sample.decode(enc, errors="replace")
        return sum(ch in _COMMON_ACCENTS for ch in text if ord(ch) > 127)

    return alt.encoding if common(alt.encoding) > common(best.encoding) else best.encoding


def _newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
