"""The language an extracted pair is written in.

The qa rules compose English questions ("What does the --echo option do?"), and the instruction
pass phrases English instructions. A pair that asks in English and answers in French teaches a
model to switch language mid-conversation, so a document in another language gets:

* in qa mode, only the questions the document asks itself (FAQ entries, question headings:
  ``own_question``);
* in instruction mode, instructions phrased in its own language when we have phrasings for it
  (``PHRASINGS``: English, French, German, Spanish, Italian, Portuguese, Dutch, Swedish,
  Polish, Turkish, Russian, Ukrainian, Japanese, Chinese, Korean), else none — the
  "why nothing" message then names the language (``language_name``).

The language is ``core.language.guess_language`` over the start of the document's text; text it
cannot tell ("und": code, a few words) is treated as English, as before this rule existed.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple

from fineflow_desktop.core.dedup import normalize_for_hash
from fineflow_desktop.core.language import STOP_WORDS, guess_language, stop_word_hits

ENGLISH = "en"
_SAMPLE_CHARS = 4000  # what guess_language reads
# A Latin-script language other than English must show as prose, not as a few function words in
# identifiers: at least this share of the sample's words are its stop words (its prose runs at
# 25-50%), and at least twice English's count, one-letter words left out. guess_language alone
# read a GTK reference page as Portuguese (557 words, 3 "do" from "do-overwrite-confirmation")
# and Haskell API pages too (the type variable "a" in every signature).
_MIN_STOP_SHARE = 0.10
# Code and addresses are no language: "gmail.com" holds Portuguese "com" (a CONTRIBUTORS list read
# as Portuguese), Boost's "non_coherent_tail_mean" Italian "non", "unary_plus" French "plus". Fenced
# code blocks and any token with "@", "/", ".", "_" or "::" inside a word go before counting, and
# fewer than _MIN_WORDS words of prose left cannot tell a language (guess_language reads paragraphs).
_FENCED = re.compile(r"^```.*?^```", re.S | re.M)
_NOT_PROSE = re.compile(r"\S*(?:[@/._]|::)\w\S*")
_MIN_WORDS = 40
# A section is judged on its own from this many letters of prose (about 80 words): a shorter one
# takes its document's language, as a heading-and-a-line section cannot tell.
_MIN_SECTION_LETTERS = 400


class Phrasings(NamedTuple):
    """Instruction templates of one language: ``sections`` take ``{topic}`` and ``{doc}``,
    ``overviews`` (a page's own top section) take ``{doc}``. Picked by a CRC-32 of the heading
    path (``instructions.instruction_for``)."""

    sections: tuple[str, ...]
    overviews: tuple[str, ...]


# English names the document bare ("in the Bash Reference Manual"); the others name it as
# "the document «…»", which needs no article or contraction agreeing with the title (French
# "du", German "des", Italian "del" depend on the title's first word otherwise) and, in the
# inflected languages, no case ending on the title or topic: the ending goes on the word
# "document" / "section" / "topic" (Polish "dokumentu", Russian "документа", Turkish
# "belgesinde", Korean "문서가"), or is one that no ending changes (Korean "에서", "의"). Quotes
# are each language's usual ones; French puts a no-break space inside its guillemets.
PHRASINGS: dict[str, Phrasings] = {
    "en": Phrasings(
        ("Explain “{topic}” in {doc}.",
         "Summarize the section “{topic}” of {doc}.",
         "Describe what {doc} says about “{topic}”."),
        ("Give an overview of {doc}.",
         "Summarize the introduction of {doc}.")),
    "fr": Phrasings(
        ("Explique «\u00a0{topic}\u00a0» dans le document «\u00a0{doc}\u00a0».",
         "Résume la section «\u00a0{topic}\u00a0» du document «\u00a0{doc}\u00a0».",
         "Décris ce que le document «\u00a0{doc}\u00a0» dit de «\u00a0{topic}\u00a0»."),
        ("Donne une vue d’ensemble du document «\u00a0{doc}\u00a0».",
         "Résume l’introduction du document «\u00a0{doc}\u00a0».")),
    "de": Phrasings(
        ("Erkläre „{topic}“ im Dokument „{doc}“.",
         "Fasse den Abschnitt „{topic}“ des Dokuments „{doc}“ zusammen.",
         "Beschreibe, was das Dokument „{doc}“ über „{topic}“ sagt."),
        ("Gib einen Überblick über das Dokument „{doc}“.",
         "Fasse die Einleitung des Dokuments „{doc}“ zusammen.")),
    "es": Phrasings(
        ("Explica «{topic}» en el documento «{doc}».",
         "Resume la sección «{topic}» del documento «{doc}».",
         "Describe lo que dice el documento «{doc}» sobre «{topic}»."),
        ("Da una visión general del documento «{doc}».",
         "Resume la introducción del documento «{doc}».")),
    "it": Phrasings(
        ("Spiega «{topic}» nel documento «{doc}».",
         "Riassumi la sezione «{topic}» del documento «{doc}».",
         "Descrivi che cosa dice il documento «{doc}» su «{topic}»."),
        ("Fornisci una panoramica del documento «{doc}».",
         "Riassumi l’introduzione del documento «{doc}».")),
    "pt": Phrasings(
        ("Explique “{topic}” no documento “{doc}”.",
         "Resuma a seção “{topic}” do documento “{doc}”.",
         "Descreva o que o documento “{doc}” diz sobre “{topic}”."),
        ("Dê uma visão geral do documento “{doc}”.",
         "Resuma a introdução do documento “{doc}”.")),
    "nl": Phrasings(
        ("Leg “{topic}” uit in het document “{doc}”.",
         "Vat de sectie “{topic}” van het document “{doc}” samen.",
         "Beschrijf wat het document “{doc}” zegt over “{topic}”."),
        ("Geef een overzicht van het document “{doc}”.",
         "Vat de inleiding van het document “{doc}” samen.")),
    "sv": Phrasings(
        ("Förklara ”{topic}” i dokumentet ”{doc}”.",
         "Sammanfatta avsnittet ”{topic}” i dokumentet ”{doc}”.",
         "Beskriv vad dokumentet ”{doc}” säger om ”{topic}”."),
        ("Ge en översikt över dokumentet ”{doc}”.",
         "Sammanfatta inledningen till dokumentet ”{doc}”.")),
    "pl": Phrasings(
        ("Wyjaśnij „{topic}” w dokumencie „{doc}”.",
         "Streść sekcję „{topic}” dokumentu „{doc}”.",
         "Opisz, co dokument „{doc}” mówi na temat „{topic}”."),
        ("Przedstaw ogólny zarys dokumentu „{doc}”.",
         "Streść wstęp dokumentu „{doc}”.")),
    "tr": Phrasings(
        ("“{doc}” belgesinde “{topic}” konusunu açıkla.",
         "“{doc}” belgesindeki “{topic}” bölümünü özetle.",
         "“{doc}” belgesinin “{topic}” konusunda ne söylediğini anlat."),
        ("“{doc}” belgesine genel bir bakış sun.",
         "“{doc}” belgesinin girişini özetle.")),
    "ru": Phrasings(
        ("Объясни тему «{topic}» из документа «{doc}».",
         "Кратко изложи раздел «{topic}» документа «{doc}».",
         "Опиши, что говорится в документе «{doc}» о «{topic}»."),
        ("Дай общий обзор документа «{doc}».",
         "Кратко изложи введение документа «{doc}».")),
    "uk": Phrasings(
        ("Поясни тему «{topic}» з документа «{doc}».",
         "Стисло виклади розділ «{topic}» документа «{doc}».",
         "Опиши, що в документі «{doc}» сказано про «{topic}»."),
        ("Дай загальний огляд документа «{doc}».",
         "Стисло виклади вступ документа «{doc}».")),
    "ja": Phrasings(
        ("文書「{doc}」の「{topic}」について説明してください。",
         "文書「{doc}」の「{topic}」の節を要約してください。",
         "文書「{doc}」が「{topic}」について述べていることを説明してください。"),
        ("文書「{doc}」の概要を説明してください。",
         "文書「{doc}」の導入部を要約してください。")),
    "zh": Phrasings(
        ("请解释文档《{doc}》中的“{topic}”。",
         "请总结文档《{doc}》中“{topic}”一节。",
         "请描述文档《{doc}》关于“{topic}”的内容。"),
        ("请概述文档《{doc}》。",
         "请总结文档《{doc}》的引言。")),
    "ko": Phrasings(
        ("“{doc}” 문서에서 “{topic}”에 대해 설명하세요.",
         "“{doc}” 문서의 “{topic}” 절을 요약하세요.",
         "“{doc}” 문서가 “{topic}”에 관해 말하는 내용을 설명하세요."),
        ("“{doc}” 문서의 개요를 설명하세요.",
         "“{doc}” 문서의 서론을 요약하세요.")),
}

_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
          "nl": "Dutch", "sv": "Swedish", "pl": "Polish", "tr": "Turkish", "ru": "Russian", "uk": "Ukrainian",
          "sr": "Serbian",
          "el": "Greek", "ar": "Arabic", "he": "Hebrew", "hi": "Hindi", "th": "Thai", "ko": "Korean",
          "ja": "Japanese", "zh": "Chinese"}


def document_language(texts: Iterable[str]) -> str:
    """ISO 639-1 code of the language of a document given as its chunk *texts* in order (the
    first ~4,000 characters of prose decide: code blocks, identifiers and addresses left out);
    ``"en"`` when ``guess_language`` cannot tell, or when a Latin-script guess rests on too few
    words or function words (``_MIN_WORDS``, ``_MIN_STOP_SHARE``)."""
    return _confident_language(_prose_sample(texts), ENGLISH) or ENGLISH


def section_language(texts: Iterable[str], document: str) -> str:
    """ISO 639-1 code of one section given as its chunk *texts*, in a document whose language is
    *document* (``document_language``): the section's own when it has at least
    ``_MIN_SECTION_LETTERS`` letters of prose and reads confidently as another language (the same
    tests, with *document* as the rival to beat), else *document*. A bilingual manual (an English
    part and a Polish part) is phrased in each part's language."""
    sample = _prose_sample(texts)
    if sum(map(str.isalpha, sample)) < _MIN_SECTION_LETTERS:
        return document
    return _confident_language(sample, document) or document


def _prose_sample(texts: Iterable[str]) -> str:
    sample: list[str] = []
    size = 0
    for text in texts:
        sample.append(text)
        size += len(text) + 2
        if size >= 4 * _SAMPLE_CHARS:  # code left out below may leave little prose
            break
    return _NOT_PROSE.sub(" ", _FENCED.sub(" ", "\n\n".join(sample)))[:_SAMPLE_CHARS]


def _confident_language(text: str, rival: str) -> str | None:
    """``guess_language(text)``, or None when it cannot tell or when a Latin-script guess other
    than *rival* rests on too few words or function words (at least ``_MIN_STOP_SHARE`` of
    ``_MIN_WORDS`` or more, and twice *rival*'s count)."""
    code = guess_language(text)
    if code == "und":
        return None
    if code in STOP_WORDS and code != rival:
        hits, n_words = stop_word_hits(text, min_letters=2)
        if n_words < _MIN_WORDS or hits[code] < _MIN_STOP_SHARE * n_words or hits[code] < 2 * hits.get(rival, 0):
            return None
    return code


def language_name(code: str) -> str:
    """English name of an ISO 639-1 *code* ("fr" → "French"); the code itself when unknown."""
    return _NAMES.get(code, code)


def own_question(question: str, heading_path: list[str], text: str) -> bool:
    """True when *question* is the document's own wording — it occurs in the section's
    *heading_path* or *text* (after ``normalize_for_hash``) — rather than one the English rules
    composed."""
    key = normalize_for_hash(question)
    return bool(key) and any(key in normalize_for_hash(t) for t in (*heading_path, text))
