"""Package data: tokenizer vocabularies, icons, licence notices."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent
