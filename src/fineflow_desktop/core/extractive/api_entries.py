"""API-reference headings and entries: the kind words documentation generators title items with
and the questions they give.

* ``api_item`` / ``api_item_question``: a heading naming one item with its kind — rustdoc
  ("Struct std::fs::File", "Function std::array::from_mut"), the Node.js doc tool ("Class:
  net.Socket", "Event: 'close'"), Doxygen ("Json::Value Class Reference"), javadoc ("Class
  HashMap<K,V>"), SQLite's Tcl interface ("The \"collate\" method") → "What is the
  std::fs::File struct for?", "What does std::array::from_mut() do?";
* ``kind_label``: texinfo's ``@deffn`` terms ("Function: po_file_t po_file_create ()",
  "Variable: int errno") split into kind and the rest;
* ``named_entry_question``: a section headed by a name whose first sentence names it with its
  kind ("The reset command causes …", gnuplot) → "What does the reset command do?";
  ``named_paragraph_question``: a paragraph inside a section that opens the same way ("The
  inline option uses …").

Anchor glyphs and overload counters ("◆ Value() [9/14]") leave headings in
``sentences.heading_topic``, which every heading rule reads through."""

from __future__ import annotations

import re

from fineflow_desktop.core.extractive.sentences import heading_topic, is_question_sentence

# The kinds of API items documentation generators title pages and entries with: rustdoc
# ("Struct std::fs::File", "Type Definition std::io::Result"), the Node.js doc tool ("Class:
# net.Socket", "Event: 'close'"), Doxygen ("Json::Value Class Reference", "json.h File
# Reference"), javadoc ("Class HashMap<K,V>"). Value: how the question names the item.
THING_KINDS = frozenset("""class struct enum union trait interface namespace module package type typedef
protocol record file crate object""".split()) | {"type definition", "type alias", "class template",
                                                   "struct template", "primitive type"}
CALL_KINDS = frozenset("function method fn constructor procedure".split())
NAMED_KINDS = frozenset("""constant variable property field attribute member macro event keyword static
enumerator signal slot pragma command statement operator directive option setting parameter""".split())
_KINDS = "|".join(sorted((k.replace(" ", r"\s+") for k in THING_KINDS | CALL_KINDS | NAMED_KINDS),
                         key=len, reverse=True))
_KIND_FIRST = re.compile(rf"^(?P<kind>{_KINDS})(?P<colon>:)?\s+(?P<name>\S+)$", re.I)
_KIND_LAST = re.compile(rf"^(?P<the>the\s+)?(?P<name>\S+)\s+(?P<kind>{_KINDS})(?:\s+(?P<ref>reference))?$", re.I)
_KIND_LABEL = re.compile(rf"^(?:{_KINDS}|special form|user option|instance variable|data type)\s*:\s+(?P<rest>\S.*)$", re.I)
_CODE_NAME = re.compile(r"::|[A-Za-z]\.[A-Za-z]|_|[a-z][A-Z]|\(\)$")


def api_item(heading: str) -> tuple[str, str] | None:
    """``(name, kind)`` when *heading* names one API item with its kind ("Struct std::fs::File"
    → ``("std::fs::File", "struct")``, "Class: net.Socket", "Json::Value Class Reference"), else
    None. The name is one token; without a colon or a "Reference" suffix it must look like code
    (``::``, a dot between letters, ``_``, camelCase), so "Function Documentation", "Type
    Systems" or "File system" name no item."""
    h = heading_topic(heading).strip()
    m = (_KIND_FIRST.match(h) if h[:1].isupper() else None) or _KIND_LAST.match(h)
    if not m:
        return None
    name = m.group("name").strip("`")
    kind = " ".join(m.group("kind").lower().split())
    quoted = len(name) > 2 and name[0] in "\"“'‘" and name[-1] in "\"”'’"
    if m.groupdict().get("the") and not (quoted or _CODE_NAME.search(name)):
        return None  # "The Interface Option": words, not a name
    named_by_form = bool(m.groupdict().get("colon") or m.groupdict().get("ref") or quoted)
    # A plain lower-case word names an item only after a module-like kind ("Module copyreg" in
    # Python's "See also" lists); after other kinds it is English: "File system" (Node.js fs.html's
    # title, was "What is the system file for?"), "Function pointers", "Type conversion"
    lower_name = (bool(re.fullmatch(r"[a-z_][a-z0-9_]*", name)) and m.re is _KIND_FIRST
                  and kind in ("module", "package", "crate"))
    if not re.search(r"[A-Za-z]", name) or (not named_by_form and not lower_name and not _CODE_NAME.search(name)):
        return None
    if kind == "fn":
        kind = "function"
    return name, kind


def api_item_question(heading: str) -> tuple[str, str] | None:
    """(question, ``api_heading``) for a heading that names an API item with its kind
    (``api_item``): "What does std::array::from_mut() do?", "What is the net.Socket class
    for?", "What is the std::char::UNICODE_VERSION constant?", "What does the JSON_ASSERT macro
    do?", "What is the 'close' event?"; None for other headings."""
    item = api_item(heading)
    if not item:
        return None
    name, kind = item
    if name[:1] in "\"“'‘" and kind not in THING_KINDS and kind != "event":
        q = f"What does the {name} {kind} do?"  # The "collate" method (Tcl interface of SQLite)
    elif kind in CALL_KINDS and kind == "method" and not _CODE_NAME.search(name.removesuffix("()")):
        q = f"What does the {name} method do?"
    elif kind in CALL_KINDS:
        q = f"What does {name.removesuffix('()')}() do?"
    elif kind in ("macro", "command", "pragma", "statement", "directive", "operator", "option"):
        q = f"What does the {name} {kind} do?"
    elif kind in THING_KINDS:
        q = f"What is the {name} {kind} for?"
    else:
        q = f"What is the {name} {kind}?"
    return (q, "api_heading") if is_question_sentence(q) else None


# ---------------------------------------------------------------- a section that names what its heading is

# "The reset command causes …", "The set xrange command sets …", "The qt terminal device
# generates …": the opening of a reference entry that names its heading's subject and its kind.
_NAMED_OPENING = re.compile(r"^The\s+(?P<name>(?:[\w.:<>-]+\s+){0,2}?[\w.:<>-]+)\s+(?P<kind>command|option|terminal|"
                            r"function|setting|style|variable|keyword|operator|statement|directive|method|module|"
                            r"program|utility|tool|macro|pragma|parameter|property|attribute|field|flag|element|"
                            r"plot style|driver|class|environment|package)(?:\s+device)?"
                            r"(?:\s+(?P<adverb>(?!only\b)[a-z]{3,}ly))?\s+(?P<verb>[a-z]+)\b")
# Kinds asked "What does the X <kind> do?" (they act); the others "What is the X <kind>?" (they hold
# or name something: a variable, a class, an environment). Every line of the list counts (it was
# once built from its first line only, so "method … driver" were asked "What is the X method?").
_DOES_KINDS = frozenset("""command option terminal function setting style keyword operator statement directive
method program utility tool macro pragma flag driver""".split()) | {"plot style"}
_NOT_VERBS = frozenset("of for in on to with from by at as and or that which is are was were".split()) - {"is", "are"}
# Words that stand between "The" and a kind as adjectives, not names ("The following option
# takes …", "The main environment is …"): ordinary English, no site's wording.
_NOT_NAMES = frozenset("""following same first last next previous other new old main default above below given
current corresponding abstract second third only latter former original standard special optional resulting simple basic
global local general various appropriate specified particular underlying actual final whole entire single
additional above-mentioned preceding built-in""".split())
# Kinds of a member of something else: named alone ("the mode parameter", "the color property")
# they are ambiguous unless the name itself is qualified or code ("tlsSocket.authorized").
_MEMBER_KINDS = frozenset("parameter property attribute field element flag setting variable style".split())
# Plural nouns that follow a kind in a compound ("class methods", "option values"), not verbs.
_ENTRY_NOUNS = frozenset("""methods declarations instances names values types members definitions arguments
parameters options functions classes variables commands settings fields attributes keywords operators""".split())


def _named_opening(paragraph: str) -> tuple[str, str] | None:
    """``(name, kind)`` of a paragraph that opens "The <name> <kind> <verb> …", else None."""
    first = " ".join(paragraph.split())
    m = _NAMED_OPENING.match(first)
    if not m or m.group("verb") in _NOT_VERBS:
        return None
    return m.group("name"), m.group("kind")


def _named_question(name: str, kind: str, opening: str) -> tuple[str, str] | None:
    """The question a paragraph *opening* "The <name> <kind> <verb> …" answers. Its verb decides:
    "is used to/for …" → "What is the X method used for?"; "is/are" + anything else ("The
    FLINT_VERSION macro is a static text string …", "The init program is executed as …": what
    it is, or a property) → "What is the X macro?"; an action verb ("The msgcat program
    concatenates …") → "What does the msgcat program do?" for a kind that acts
    (``_DOES_KINDS``), else "What is the Monad class?" ("The Monad class defines …")."""
    first = " ".join(opening.split())
    m = _NAMED_OPENING.match(first)
    verb = m.group("verb") if m else ""
    after = first[m.end("verb"):].split() if m else []
    nxt = after[0].lower() if after else ""
    if verb in ("is", "are") and nxt == "used" and len(after) > 1 and after[1].lower() in ("to", "for"):
        q = f"What is the {name} {kind} used for?"
    elif kind in _DOES_KINDS and verb not in ("is", "are"):
        q = f"What does the {name} {kind} do?"
    else:
        q = f"What is the {name} {kind}?"
    return (q, "named_entry") if is_question_sentence(q) else None


def named_entry_question(heading: str, text: str) -> tuple[str, str] | None:
    """("What does the reset command do?", ``named_entry``) when *heading* is a name ("Reset",
    "Xrange", "Qt"), or a name with its kind ("The Eq Class"), and the section's first prose
    paragraph opens with "The <name> <kind> <verb>" naming it ("The reset command causes …",
    "The set xrange command sets …", "The Eq class provides …" → "What is the Eq class?");
    else None. Written on gnuplot's reference (a page
    per command, option and terminal); the shape is the usual opening of a reference entry in
    any manual."""
    topic = heading_topic(heading).rstrip(".:")
    words = topic.split()
    if not 1 <= len(words) <= 4 or topic.endswith("?"):
        return None
    first = ""
    for par in re.split(r"\n[ \t]*\n", text.strip()):
        p = par.strip()
        if not p or not p[0].isupper() or " | " in p or (p.endswith(":") and len(p.split()) <= 3):
            continue  # "Syntax:" and its code ("reset {bind | errors}") come before the description
        first = " ".join(p.split())
        break
    named = _named_opening(first)
    if not named:
        return None
    name, kind = named
    name_words = [w.lower() for w in name.split()]
    topic_words = [w.lower().replace("_", " ") for w in words]
    if len(topic_words) > 1 and topic_words[0] == "the" and topic_words[-1] == kind:
        topic_words = topic_words[1:-1]  # "The Eq Class" headed the entry of the Eq class
    if not topic_words or len(topic_words) > 3:
        return None
    if not all(w in name_words or w in " ".join(name_words) for w in topic_words):
        return None  # the sentence names something else
    return _named_question(name, kind, first)


# Adverbs between "is" and what it says ("is primarily intended to", "is basically a wrapper", "is
# just an alias for"): read past them. "only" stays a remark (``named_paragraph_question``).
_ADVERBS = r"(?:(?!only\b)(?:[a-z]{3,}ly|just|also|often|always)\s+)*"
# Participles of a passive that says whether the item may or must be used, not what it is or
# what happens with it: "is required for every virtual table implementation", "is ignored if
# data is a buffer", "is generally required when …", "is usually preferred if …"; how a text or
# a display presents it ("The expensive_test function is listed as ignored."); or how it is built
# or installed ("The dbhash program is implemented by a single file of C-code …" says nothing of
# what it does).
_STATUS_PARTICIPLES = ("required needed recommended preferred allowed permitted supported unsupported "
                       "discouraged ignored deprecated disabled enabled removed omitted reserved "
                       "listed mentioned described documented shown marked labelled labeled "
                       "implemented compiled installed")
# Irregular past participles (regular ones end in "-ed").
_IRREGULAR_PARTICIPLES = ("written known made built given run done taken shown set put read seen sent kept held "
                          "found bound thrown drawn chosen hidden begun")
# What follows "is" in a sentence that says what its subject is, is for or does: a kind ("is a
# …", "is Octave's decision-making statement"), a purpose ("is for …", "is used …"), a role ("is
# called to …", "is meant to …"), an equivalent ("is equivalent to index with …", "is similar to
# mesh, but …": defined by another item), or a passive that says how, by what or when it is used
# ("is executed as the first program …", "is called whenever a database connection … is closed",
# "is called with two arguments", "is written as ^", "is set by calling …") — an adjunct of
# manner, agent, instrument or time. A passive with a place or a condition ("is performed
# implicitly on any file names …", "is ignored if …", "is loaded automatically if …") and a
# status participle (``_STATUS_PARTICIPLES``) remain remarks.
_DESCRIBING_IS = re.compile(
    rf"{_ADVERBS}(?:(?:(?:a|an|the|one|any|some|this|that|its|their|our|for)\s|[A-Za-z][\w-]*['’]s\s|used\b"
    r"|(?:[a-z]+ed|meant|made|built|written|known)\s+to\s+\w"
    r"|(?:equivalent|identical|similar|analogous|synonymous)\s+(?:to|with)\b"
    rf"|(?!(?:{'|'.join(_STATUS_PARTICIPLES.split())})\b)(?:[a-z]+ed|{'|'.join(_IRREGULAR_PARTICIPLES.split())})"
    r"(?:\s+(?:and|or)\s+[a-z]+ed)?\s+(?:[a-z]{3,}ly\s+)?"
    r"(?:as|by|with|when|whenever|once|before|after|upon|during|via|through)\b))")


def _then_says_what(paragraph: str) -> bool:
    """True when the second sentence of *paragraph* says what its subject is or does: "It is
    a/an/the …" or "It [adverb] <verb>s …" ("The typeset command is supplied for compatibility
    with the Korn shell. It is a synonym for the declare builtin command.", "The keyboard
    function is placed in a script at the point where … It automatically sets …")."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph, maxsplit=2)
    return len(sentences) > 1 and bool(re.match(r"It\s+(?:[a-z]{3,}ly\s+)?(?:is\s+(?:a|an|the)\s|(?!is\b)[a-z]+[^s\W]s\s)",
                                                sentences[1]))


def _named_again(name: str, kind: str, paragraph: str) -> bool:
    """True when *paragraph* uses *name* again on its own, not before its *kind*: then a word
    shaped like a participle or an agent noun is the item's name ("The qfbred function applies …
    to the arguments of qfbred.", pari-tutorial.pdf), not an adjective ("The wrapped function …")."""
    return bool(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])(?!\s+{re.escape(kind)}\b)",
                          paragraph[paragraph.find(name) + len(name):]))


def named_paragraph_question(paragraph: str) -> tuple[str, str] | None:
    """("What does the inline option do?", ``named_paragraph``) for a paragraph inside a
    section that opens by naming one item with its kind and saying what it does ("The inline
    option uses Asymptote's 'inline' mode …", "The join function is the conventional monad join
    operator."); else None. The name is one token, not an adjective ("The following option …"),
    and the verb is in the present third person ("uses", "allows", "is"): a description, not a
    narrative ("The main environment defined by …")."""
    named = _named_opening(paragraph)
    if not named:
        return None
    name, kind = named
    first = " ".join(paragraph.split())
    m = _NAMED_OPENING.match(first)
    verb = m.group("verb")
    after = first[m.end("verb"):].lstrip()
    if " " in name or name.lower() in _NOT_NAMES or not re.search(r"[A-Za-z]", name) \
            or not (verb.endswith("s") and not verb.endswith("ss")) or verb in _ENTRY_NOUNS \
            or not re.match(r"[\w‘“'\"]", after):
        return None  # "The infix class methods (+), (*) …": a compound noun and its list
    if name.startswith(("-", "+")) or (kind in _MEMBER_KINDS and not _CODE_NAME.search(name)):
        return None  # "the -g option", "the mode parameter": of which command or function?
    if (re.fullmatch(r"[a-z]+(?:ed|er|or)", name) and not _named_again(name, kind, first)) \
            or re.fullmatch(r"[a-z]+-[a-z]+|callback|hook", name) \
            or re.match(r"(?:not|no|never|only|optional|now|sometimes|still|documented)\b", after) \
            or re.search(r"\bdeprecated\b", first.split(". ", 1)[0]):
        # a participle or a role noun ("The wrapped function is …", "The setter function is passed …",
        # "The mix-in class comes first", "The callback function is called with two arguments" —
        # whose callback?); what it is not, or a remark that says nothing of what it
        # does ("The domain module is deprecated …", "The mark command is optional here …")
        return None
    if re.split(r"(?<=[.!?])\s+(?=[A-Z])", first, maxsplit=1)[0].endswith(":"):
        # its first sentence only introduces what follows — code or a list the answer does not
        # hold ("The MonadPlus class is defined as follows:", "The square module is defined in
        # square.js:", "The sqlite3 command is mostly used as follows to open or create a database:")
        return None
    if verb == "is" and not _DESCRIBING_IS.match(after) and not _then_says_what(first):
        # "is" + a property, not a kind, a purpose ("is for the Star Color Printer", "is used …")
        # or a role ("is called to create …", "is meant to be used …"): "The xOpen method is
        # required for every virtual table …", "The encoding option is ignored if …", "The
        # strict pragma is useful in …" — a remark about the item, no answer to what it is or
        # does, unless the next sentence says it ("… It is a synonym for the declare builtin.")
        return None
    phrased = _named_question(name, kind, first)
    return (phrased[0], "named_paragraph") if phrased else None


def kind_label(term: str) -> tuple[str, str] | None:
    """``(kind, rest)`` of a term opened by a kind and a colon, texinfo's ``@deffn`` shape
    ("Function: po_file_t po_file_create ()" → ``("function", "po_file_t po_file_create ()")``,
    "User Option: x" → ``("user option", "x")``), else None. The kind is lower case with single
    spaces; *rest* is the text after the colon."""
    m = _KIND_LABEL.match(term)
    if not m:
        return None
    return " ".join(term[: term.index(":")].lower().split()), m.group("rest")


# ---------------------------------------------------------------- overloads

def entry_signature(name: str, text: str) -> str | None:
    """The call signature of the entry *name* ("Value", "get") as its section *text* prints it,
    parameters and all, on one line: Doxygen's table row "Json::Value::Value | ( | const char * |
    begin, | | const char * | end | )" → "Value(const char * begin, const char * end)"; a plain
    "int get(const char *key, int def)" → "get(const char *key, int def)"; a heading "new
    Buffer(size)" → "Buffer(size)". None when *text* prints no parenthesised parameter list
    after the name (within its first 600 characters) or the list is empty. Used to tell overloads apart: one name, several entries on one page."""
    if not re.fullmatch(r"[A-Za-z_~][\w~]*|operator\S{1,3}", name):
        return None
    head = text[:600]
    m = re.search(rf"(?:^|[\s:.]){re.escape(name)}\s*(?:\|\s*)?\(", head, re.M)
    if not m:
        return None
    depth, i = 0, m.end() - 1
    for j in range(i, len(head)):
        depth += {"(": 1, ")": -1}.get(head[j], 0)
        if depth == 0:
            inner = head[i + 1: j]
            break
    else:
        return None
    params = " ".join(inner.replace("|", " ").split()).replace(" ,", ",")
    return f"{name}({params})" if re.search(r"\w", params) else None
