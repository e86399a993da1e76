"""Prompt-injection flags for chunks: patterns that tolerate filler words, role markers, hidden text.

``detect_injection(text) -> list[Flag]`` reports *why* a chunk looks like it tries to steer a
model (``Flag.reason``) and the text that matched (``Flag.match``); it never edits the text.
One flag per reason (the first match). Three layers:

1. **Instruction patterns**, case-insensitive, with up to a few filler words between the key
   words so "ignore **all of the** previous instructions" matches like "ignore previous
   instructions": instruction override, "forget everything", role reassignment ("you are
   now…", "from now on you will…"), persona jailbreaks ("act as DAN", "pretend to be an
   unrestricted AI"), "do anything now", special modes ("developer mode"), removal of
   restrictions, prompt leaking, output hijacking ("just print \\"…\\""), "new instructions:".
   The families follow the taxonomies of Perez & Ribeiro 2022 ("Ignore Previous Prompt":
   goal hijacking, prompt leaking), Liu et al. 2023 ("Jailbreaking ChatGPT via Prompt
   Engineering": pretending, attention shifting, privilege escalation) and Greshake et al.
   2023 (indirect prompt injection in retrieved content, the case of chunks).
2. **Role markers** of chat templates smuggled into content: ``system:`` / ``assistant:`` at a
   line start, ChatML ``<|im_start|>``, Llama-2 ``[INST]`` / ``<<SYS>>``, Alpaca
   ``### Instruction``, ``<system>`` tags.
3. **Hidden text**: zero-width characters, Unicode tag characters (invisible ASCII), bidi
   override/isolate controls ("Trojan Source", Boucher & Anderson 2021), and base64 blobs
   (decoded: flagged when they hide readable text, or when very long).

Documentation gives orders too ("drop any constraints", "override all access restrictions").
What sets an injection apart is *who is addressed*: the override verbs count only in imperative
position (sentence or clause start, after "and"/"then"/"please") or after words addressing the
model ("you must", "I want you to"); their object must name a model's instructions
("instructions", "prompt", "guidelines"…), or — for words that also name database rules,
access restrictions or shell commands — refer back to them ("previous", "above", "your"); and a
match opening with an upper-case keyword followed by lower-case words ("DROP TABLE … rules") is
SQL or shell, not an order to a model. Every flag carries the exact matched span.

Measured in ``bench/bench_extract_docs.py`` (false-positive rate per documentation set, Giskard
recall) and ``bench/bench_injection.py``. The patterns were written from the families above,
not from that test set.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import asdict, dataclass

MAX_MATCH_CHARS = 120


@dataclass(frozen=True)
class Flag:
    """One reason a chunk was flagged: *match* is the exact text that matched (``text[start:end]``,
    at most ``MAX_MATCH_CHARS``, then cut with "…"); *start*/*end* are character offsets into
    the scanned text (None for counts such as "5 zero-width characters")."""

    reason: str
    match: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def quoted(self) -> str:
        """``reason: “matched text”`` — what the UI shows."""
        return f"{self.reason}: “{self.match}”"


# Up to N filler words (any non-space run) between key words: "ignore [all of the] previous".
def _f(n: int) -> str:
    return rf"[,;:]?(?:\s+\S+){{0,{n}}}?\s+"


_VERB_IGNORE = r"(?:ignore|disregard|forget|overlook|skip|override|bypass|neglect|discard|abandon|drop|set\s+aside)"
_BEFORE = r"(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|old|existing|system|all|any|every|your)"
_ORDERS = r"(?:instructions?|prompts?|directions?|directives?|rules|guidelines|commands?|programming|guidance|restrictions|constraints|context|orders|training)"
_PERSONA = (
    r"(?:(?-i:DAN|STAN|DUDE|AIM|UCAR|BetterDAN|Mongo\s+Tom)"
    r"|an?\s+(?:\w+\s+)?(?:unrestricted|unfiltered|uncensored|evil|jailbroken|amoral|rogue|unethical|unlimited)\b"
    r"|another\s+(?:\S+\s+){0,2}?(?:AI|model|assistant|chatbot|language\s+model|persona|character))"
)

_MODES = r"(?:developer|god|unrestricted|unfiltered|uncensored|evil|chaos|opposite)\s+mode\b"

# Who is addressed. Documentation also says "drop any constraints" or "parameters will override
# any conflicting command line options"; an injection *orders the model*: the verb stands in
# imperative position (start of a sentence or clause, after "and"/"then"/"please"/"now") or
# after words that address it ("you must", "I want you to", "your task is to").
_LEAD = (r"(?:^|(?<=[.!?:;\n\"“(*])|(?<=\.\.\.)|\b(?:and|then|so|now|please|but|instead|also|first)\b)"
         r"[\s,]*(?:(?:please|now|just|simply|kindly|also|first|nevermind)[\s,!.]+){0,2}")
_ADDRESSED = (r"\b(?:you\s+(?:must|should|will|shall|need\s+to|have\s+to|are\s+to|can\s+now|are\s+(?:going|required|"
              r"instructed|supposed)\s+to)|i\s+(?:want|need|order|command)\s+you\s+to|your\s+(?:new\s+|only\s+)?"
              r"(?:task|job|goal)\s+is\s+to)\s+(?:now\s+|simply\s+|just\s+)?")
_IMPERATIVE = rf"(?:{_LEAD}|{_ADDRESSED})"
# Word fillers (no sentence punctuation): "ignore [all of the] previous instructions".
def _w(n: int) -> str:
    return rf"(?:[\s,]+[\w'’-]+){{0,{n}}}?[\s,]+"


# Objects that only ever mean a model's instructions, and objects that also name database rules,
# access restrictions or shell commands — those need "previous/above/your" to refer back.
_STRONG_ORDERS = r"(?:instructions?|prompts?|directions|directives?|guidelines|programming|guidance|orders|training)"
_WEAK_ORDERS = r"(?:rules|restrictions|constraints|commands|context|policies|limitations)"
_BACK = r"(?:previous|prior|above|earlier|preceding|foregoing|your|former)"

# (reason, trigger substrings of the lowercased text, pattern): the regex runs only when a
# trigger is present, which skips nearly all clean text cheaply.
_PATTERNS: list[tuple[str, tuple[str, ...], re.Pattern]] = [
    ("instruction override: ignore previous instructions", ('ignore', 'disregard', 'forget', 'overlook', 'skip', 'override', 'bypass', 'neglect', 'discard', 'abandon', 'drop', 'aside'), re.compile(
        rf"{_IMPERATIVE}(?P<m>{_VERB_IGNORE}\b{_w(6)}{_BEFORE}\b{_w(4)}{_STRONG_ORDERS}\b"
        rf"|{_VERB_IGNORE}\b{_w(3)}{_BACK}\b{_w(2)}{_WEAK_ORDERS}\b)", re.I)),
    ("instruction override: forget everything", ('forget', 'disregard', 'erase'), re.compile(
        rf"{_IMPERATIVE}(?P<m>(?:forget|disregard|erase)\s+(?:about\s+)?(?:everything|all\s+(?:of\s+)?(?:that|this|it))\s*(?:[.!]|(?:you|that\s+you|i|we've|above|before|previously|so\s+far|up\s+to)\b))", re.I)),
    ("instruction override: disregard the above", ('ignore', 'disregard', 'forget'), re.compile(
        rf"{_IMPERATIVE}(?P<m>(?:ignore|disregard|forget)\s+(?:\S+\s+){{0,2}}?(?:the\s+)?(?:above|foregoing|preceding)\b(?!\s+(?:example|section|code|table|list|figure|steps?|paragraph|commands?|query|output|error|message|warning)))", re.I)),
    ("role reassignment: you are now", ('you are now',), re.compile(
        r"\byou\s+are\s+now\s+(?:\S+\s+){0,3}?(?:(?-i:DAN|STAN|DUDE|AIM)\b|an?\s+(?:new|different|unrestricted|unfiltered|uncensored|evil|free|jailbroken)\b|no\s+longer\s+(?:an?\s+)?(?:AI|assistant|bound|restricted|limited)|free\b|going\s+to\s+(?:act|pretend|be|play)|in\s+\S+\s+mode)", re.I)),
    ("role reassignment: from now on", (' on', 'henceforth', 'starting now'), re.compile(
        r"\b(?:from\s+(?:now|here|this\s+point)\s+on(?:wards?)?|henceforth|starting\s+now),?\s+(?:you|your)\b(?:\s+\S+){0,4}?\s+(?:act|pretend|respond|answer|reply|behave|roleplay|role-play|ignore|simulate|play|be\s+(?:called|named|known))\b", re.I)),
    ("role reassignment: take on the role", ('role', 'persona', 'character', 'identity'), re.compile(
        r"\byou\s+(?:will|shall|must|are\s+going\s+to|are\s+about\s+to|should)\s+(?:now\s+)?(?:take\s+on|assume|adopt|play|enter|immerse\s+yourself\s+(?:in|into))\s+(?:the\s+)?(?:role|persona|character|identity)\s+of\b", re.I)),
    ("role reassignment: new purpose", (' is now',), re.compile(
        r"\byour\s+(?:new\s+|primary\s+|only\s+|real\s+|true\s+)?(?:purpose|goal|task|role|job|mission)\s+is\s+now\b", re.I)),
    ("persona jailbreak: act as an unrestricted persona", ('act', 'behave', 'respond', 'answer', 'pretend', 'roleplay', 'role-play', 'play', 'immerse', 'simulate', 'impersonate'), re.compile(
        rf"\b(?:act|behave|respond|answer|pretend|roleplay|role-play|play|immerse|simulate|impersonate)\b(?:\s+\S+){{0,5}}?\s+(?:as|like|to\s+be|role\s+of|yourself\s+(?:as|into))\s+(?:\S+\s+){{0,3}}?{_PERSONA}", re.I)),
    ("persona jailbreak: do anything now", ('anything',), re.compile(r"\bdo\s+anything\s+now\b", re.I)),
    ("persona jailbreak: special mode", ('mode',), re.compile(
        r"\b(?-i:DAN)\s+mode\b|\bjailbr(?:eak|oken)\s+mode\b"
        # "Developer Mode" is also a real Windows setting: only with words aimed at an AI nearby.
        rf"|\b(?:act|pretend|simulate|respond|answer|you|chatgpt|ai|assistant|model)\b[^.\n]{{0,60}}?\b{_MODES}"
        rf"|\b{_MODES}[^.\n]{{0,40}}?\b(?:you|your|chatgpt|ai|assistant|model|respond|answer|reply)\b", re.I)),
    ("persona jailbreak: stay in character", ('character',), re.compile(
        r"\b(?:stay|remain|keep)\s+in\s+character\b|\bbreak(?:ing)?\s+character\b", re.I)),
    ("restriction removal", ('without', 'free', 'bound', 'break', 'broke'), re.compile(
        r"\b(?:without|free\s+(?:of|from)|not\s+bound\s+by|no\s+longer\s+bound\s+by|(?:broken|break|breaks|freed)\s+(?:free\s+)?(?:of|from))\s+(?:any\s+|all\s+|the\s+)?(?:\S+\s+){0,2}?(?:ethical|moral|content|safety|openai|typical|usual|ai)\s+(?:\S+\s+)?(?:guidelines|restrictions|rules|filters|polic(?:y|ies)|constraints|confines|limitations|boundaries)\b", re.I)),
    ("restriction removal: vendor policy", ('openai', 'anthropic'), re.compile(
        r"\b(?:openai|anthropic)(?:'s|’s)?\s+(?:content\s+|usage\s+|safety\s+)?polic(?:y|ies)\b", re.I)),
    ("prompt leak", ('prompt', 'instruction', 'rules', 'system message'), re.compile(
        r"\b(?:reveal|print|show|repeat|output|display|leak|disclose|tell\s+me|give\s+me|write\s+out)\s+(?:\S+\s+){0,4}?(?:system\s+prompt|(?:initial|original|hidden|secret|previous|full)\s+(?:prompt|instructions)|your\s+(?:instructions|prompt|system\s+message|rules))\b", re.I)),
    ("output hijack: just say", ('just', 'only', 'instead', 'simply'), re.compile(
        # an order, not advice to a reader ("If you just write “…”", "do not just say “…”"); the
        # dots of "e.g." / "i.e." end no sentence ("(e.g., just write "reference_" again)")
        r"(?:^|(?<=[!?:;\n\"“(])|(?<=\.)(?<!\b[a-z]\.[a-z]\.)|\b(?:and|then|now|please)\b)[\s,!.]*"
        r"(?P<m>(?:just|only|instead|simply),?\s+(?:say|print|output|write|respond\s+with|reply\s+with|answer\s+with)\s*:?\s*[\"“«])", re.I)),
    ("output hijack: stop everything", ('everything',), re.compile(r"\b(?:stop|halt|cease)\s+everything\b", re.I)),
    ("new instructions", ('instruction', 'task', 'rules', 'directive', 'prompt'), re.compile(
        r"(?:^|[\n.!?]\s*)\s*(?P<m>(?:new|updated|revised|real|actual|true|additional|secret|hidden|important)\s+(?:instructions?|task|directives?|system\s+prompt)\s*:"
        r"|(?:new|updated|real|actual|true|secret|hidden)\s+rules\s*:)", re.I)),
    # Role markers of chat templates.
    ("role marker: system:/assistant: line", ('system:', 'assistant:'), re.compile(r"(?m)^[ \t]*(?:system|assistant):(?=\s|$)", re.I)),
    ("role marker: ChatML/special token", ('<|',), re.compile(
        r"<\|\s*(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\s*\|>", re.I)),
    ("role marker: [INST] / <<SYS>>", ('inst]', '<<sys>>', '<</sys>>'), re.compile(r"\[/?INST\]|<</?SYS>>", re.I)),
    ("role marker: ### Instruction", ('##',), re.compile(r"(?m)^[ \t]*#{2,4}[ \t]*(?:instruction|system|response)[ \t]*:?[ \t]*$", re.I)),
    # A tag used as markup: a closing tag, an opening tag that a closing tag follows, or one that
    # opens a line of text. Not a placeholder of a synopsis ("{<system>} <x>, {<system>} <y>",
    # "Each <system> can be first, second, …"), which names a value in a grammar.
    ("role marker: <system> tag", ('system', 'instructions'), re.compile(
        r"<\s*/\s*(?:system|system_prompt|instructions)\s*>"
        r"|<\s*(?:system|system_prompt|instructions)\s*>(?=[\s\S]*?<\s*/\s*(?:system|system_prompt|instructions)\s*>)"
        r"|(?m:^)[ \t]*<\s*(?:system|system_prompt|instructions)\s*>(?![ \t]*[<{\[|,])", re.I)),
]

# Zero-width characters that hide something: runs of two or more, joiners/non-joiners/word
# joiners, or a zero-width space inside a lower-case word ("Nor\u200bmal"). A lone U+200B after
# "_", ":", "," or inside a rule line is a line-break hint (DocBook puts them in long tokens:
# "BGWORKER_BACKEND_\u200bDATABASE", "2001:4f8:3:ba:\u200b2e0") and stays unflagged.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\u180e\ufeff]{2,}|[\u200c\u2060\u180e]|(?<=.)\ufeff"
                         "|(?<=[A-Za-z])\u200d|\u200d(?=[A-Za-z])|(?<=[a-z])\u200b(?=[a-z])|(?<=\\s)\u200b|\u200b(?=\\s)")
_TAG_CHARS = re.compile("[\U000e0000-\U000e007f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{32,}={0,2}(?![A-Za-z0-9+/=])")
MIN_ZERO_WIDTH = 3  # a stray one is common in web text; several hide something
LONG_BASE64 = 200


def _clip(s: str) -> str:
    return s if len(s) <= MAX_MATCH_CHARS else s[: MAX_MATCH_CHARS - 1] + "…"


def _code_keyword(span: str) -> bool:
    """True when the matched *span* starts with an upper-case keyword followed by lower-case
    words ("DROP all the dumped objects", "DROP TABLE always removes … rules"): SQL or a shell
    command spoken to a program, not an order to a model (those are shouted whole or not at all)."""
    head = re.match(r"[A-Za-z]+", span)
    if not head or not head.group(0).isupper() or len(head.group(0)) < 2:
        return False
    if re.search(rf"\b{_STRONG_ORDERS}\b", span, re.I):
        return False  # "Please IGNORE all previous instructions": emphasis; no program has instructions
    return any(ch.islower() for ch in span[head.end():])


def detect_injection(text: str) -> list[Flag]:
    """Flags for *text* (empty list = nothing suspicious); see the module docstring.

    One flag per reason: the first match that is not a code keyword (``_code_keyword``). Each
    flag carries the exact matched span (offsets into *text*)."""
    flags: list[Flag] = []
    low = text.lower()
    for reason, triggers, pattern in _PATTERNS:
        if not any(t in low for t in triggers):
            continue
        for m in pattern.finditer(text):
            group = "m" if "m" in pattern.groupindex and m.group("m") is not None else 0
            start, end = m.span(group)
            if _code_keyword(text[start:end]):
                continue
            flags.append(Flag(reason, _clip(text[start:end]), start, end))
            break
    flags.extend(_hidden_text(text))
    return flags


def _hidden_text(text: str) -> list[Flag]:
    flags = []
    if text.isascii():
        zw = tags = bidi = []
    else:
        zw, tags, bidi = _ZERO_WIDTH.findall(text), _TAG_CHARS.findall(text), _BIDI.findall(text)
    n_zw = sum(len(z) for z in zw)
    if n_zw >= MIN_ZERO_WIDTH:
        flags.append(Flag("hidden text: zero-width characters", f"{n_zw} zero-width characters"))
    if tags:
        hidden = "".join(chr(ord(c) - 0xE0000) for c in tags if 0x20 <= ord(c) - 0xE0000 < 0x7F)
        flags.append(Flag("hidden text: Unicode tag characters", _clip(f"{len(tags)} invisible tag characters: {hidden!r}")))
    if bidi:
        flags.append(Flag("hidden text: bidi override characters", f"{len(bidi)} bidirectional control characters"))
    for m in _BASE64.finditer(text):
        blob = m.group(0)
        if not (re.search(r"[a-z]", blob) and re.search(r"[A-Z]", blob) and re.search(r"[0-9+/]", blob)):
            continue  # hex digests, identifiers and words are not base64 payloads
        decoded = _decode_text(blob)
        if decoded:
            flags.append(Flag("hidden text: base64-encoded text", _clip(f"{blob[:40]}… → {decoded}")))
            break
        if len(blob) >= LONG_BASE64:
            flags.append(Flag("hidden text: long base64 blob", _clip(f"{len(blob)} chars: {blob[:60]}")))
            break
    return flags


def _decode_text(blob: str) -> str | None:
    """The decoded text if *blob* is base64 of readable text with several words, else None."""
    try:
        raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    printable = sum(1 for ch in decoded if ch.isprintable() or ch in "\n\t")
    if printable < 0.95 * len(decoded) or len(decoded.split()) < 3:
        return None
    # Readable means words: a pickle or a key ("(dp1\nS'_auth_user_id'\np2") is data, not a message.
    letters = sum(ch.isalpha() or ch == " " for ch in decoded)
    if letters < 0.8 * len(decoded) or len(re.findall(r"[A-Za-z]{2,}", decoded)) < 3:
        return None
    return decoded
