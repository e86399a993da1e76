"""Dataset formats: detect, read (record → canonical example) and write (example → record).

See ``canonical`` for the example shape, ``readers``/``writers`` for the schemas, ``source``
for reading a whole file as a stream of examples.
"""

from fineflow_desktop.core.formats.canonical import RecordError, example_hash, example_from_row, example_to_row
from fineflow_desktop.core.formats.detect import FORMAT_LABELS, IMPORT_FORMATS, detect_format, detect_record
from fineflow_desktop.core.formats.writers import EXPORT_FORMATS, EXPORT_LABELS, WRITERS, Unrepresentable

__all__ = [
    "RecordError", "example_hash", "example_from_row", "example_to_row",
    "FORMAT_LABELS", "IMPORT_FORMATS", "detect_format", "detect_record",
    "EXPORT_FORMATS", "EXPORT_LABELS", "WRITERS", "Unrepresentable",
]
