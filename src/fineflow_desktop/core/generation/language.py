"""Which language generated pairs should be written in, with a cheap detector as fallback.

Issue 4: output language follows the chunk's language unless the user picks one (a peer tool
turned English documents into Chinese pairs). ``chunks.language`` may be NULL; then we guess
from the script (CJK, Cyrillic, ...) or, for Latin script, from common function words. When
unsure we say "the same language as the source text" rather than guess wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

SAME_AS_SOURCE = "the same language as the source text"

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
    "ru": "Russian", "uk": "Ukrainian", "ar": "Arabic", "el": "Greek", "he": "Hebrew",
    "hi": "Hindi", "th": "Thai", "pl": "Polish", "sv": "Swedish", "tr": "Turkish",
}

# The most frequent function words of each language (short, distinctive lists; our choice).
_STOPWORDS = {
    "en": "the and of to is in that it for are with as this be on not or by",
    "de": "der die und das ist nicht ein eine zu den mit von sich auch für auf dem",
    "fr": "le la les et des est une un du que pour dans pas qui sur au avec",
    "es": "el la los las que y es un una del por para con se no en como",
    "it": "il la che di e è un una per non sono del della con gli le",
    "pt": "o a os as que e é um uma do da para com não em por se",
    "nl": "de het een en is van dat niet op te met voor zijn er aan",
}
_STOP_SETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Unicode character-name prefixes -> language code for non-Latin scripts.
_SCRIPTS = (
    ("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("HANGUL", "ko"), ("CJK", "zh"),
    ("CYRILLIC", "ru"), ("ARABIC", "ar"), ("GREEK", "el"), ("HEBREW", "he"),
    ("DEVANAGARI", "hi"), ("THAI", "th"),
)


def detect_language(text: str, sample_chars: int = 2000) -> str | None:
    """ISO 639-1 code of *text*'s language, or ``None`` when unsure. Looks at the first
    *sample_chars* characters only (cost is O(sample))."""
    sample = text[:sample_chars]
    letters = [c for c in sample if c.isalpha()]
    if len(letters) < 20:
        return None
    # Weighted counts: one CJK/kana/hangul character carries about a word, so it counts 3
    # Latin letters; otherwise a Chinese sentence full of "JSON"/"Python" reads as Latin.
    scripts: Counter[str] = Counter()
    for ch in letters:
        if ch.isascii():
            scripts["latin"] += 1
            continue
        name = unicodedata.name(ch, "")
        for prefix, lang in _SCRIPTS:
            if name.startswith(prefix):
                scripts[lang] += 3 if lang in ("zh", "ja", "ko") else 1
                break
        else:
            scripts["latin"] += 1 if name.startswith("LATIN") else 0
    total = sum(scripts.values())
    script, count = scripts.most_common(1)[0]
    if script != "latin":
        # Japanese text mixes kana with CJK ideographs: any real share of kana means Japanese.
        if script == "zh" and scripts["ja"] > 0.1 * count:
            return "ja"
        return script if count >= 0.3 * total else None
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 8:
        return None
    scores = {lang: sum(w in stops for w in words) for lang, stops in _STOP_SETS.items()}
    best = max(scores, key=scores.get)
    ranked = sorted(scores.values(), reverse=True)
    # Require a clear winner: enough hits and a margin over the runner-up.
    if ranked[0] >= max(3, 0.08 * len(words)) and ranked[0] >= 1.5 * ranked[1]:
        return best
    return None


def language_name(code_or_name: str) -> str:
    """``"de"`` -> ``"German"``; anything else (already a name, or an unknown code) unchanged."""
    return LANGUAGE_NAMES.get(code_or_name.strip().lower(), code_or_name.strip())


def language_instruction(chosen: str | None, chunk_language: str | None, text: str) -> str:
    """The language phrase for the prompt: user's pick > chunk's language > detected > same as source."""
    for value in (chosen, chunk_language):
        if value and value.strip() and value.strip().lower() not in ("auto", "und"):
            return language_name(value)
    detected = detect_language(text)
    return LANGUAGE_NAMES[detected] if detected else SAME_AS_SOURCE
