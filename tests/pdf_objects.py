"""Assemble a PDF file from its numbered objects, for tests that build PDFs byte by byte."""


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF 1.4 file holding *objects* as objects 1..n (object 1 is the catalog), with a
    cross-reference table whose offsets are right, as PDF 32000-1 §7.5.4 asks."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
