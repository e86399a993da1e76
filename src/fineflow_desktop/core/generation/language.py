"""Which language generated pairs should be written in, with a cheap detector as fallback.

Issue 4: output language follows the chunk's language unless the user picks one (a peer tool
turned English documents into Chinese pairs). ``chunks.language`` may be NULL; then we guess
with ``core.language.guess_language`` (script, then function words). When unsure we say "the same language as the source text" rather than guess wrong.
"""

from __future__ import annotations

from fineflow_desktop.core.language import guess_language

SAME_AS_SOURCE = "the same language as the source text"

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
    "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "el": "Greek", "he": "Hebrew",
    "hi": "Hindi", "th": "Thai", "pl": "Polish", "sv": "Swedish", "tr": "Turkish",
}

def detect_language(text: str) -> str | None:
    """ISO 639-1 code of *text*'s language, or ``None`` when unsure (``core.language``'s guess;
    the same detector fills ``chunks.language`` at ingest)."""
    code = guess_language(text)
    return None if code == "und" else code


def language_name(code_or_name: str) -> str:
    """``"de"`` -> ``"German"``; anything else (already a name, or an unknown code) unchanged."""
    return LANGUAGE_NAMES.get(code_or_name.strip().lower(), code_or_name.strip())


def language_instruction(chosen: str | None, chunk_language: str | None, text: str) -> str:
    """The language phrase for the prompt: user's pick > chunk's language > detected > same as source."""
    for value in (chosen, chunk_language):
        if value and value.strip() and value.strip().lower() not in ("auto", "und"):
            return language_name(value)
    detected = detect_language(text)
    return LANGUAGE_NAMES.get(detected, detected) if detected else SAME_AS_SOURCE
