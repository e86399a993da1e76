"""Declarations followed by their description, for the offline extractive generator's qa pass.

An API reference lists its items as a *declaration* (a one-line code block: the item's type
signature or its definition's first line) followed by *prose that describes it* — Haddock
("```subparser :: Mod CommandFields a -> Parser a```" / "Builder for a command parser."), and
the same shape in any reference that prints a signature and then its documentation comment.
``declared_entries`` reads that shape in a section's text and asks about the declared item
(``declaration_question``); the answer is the description, up to the next declaration or the
next label ("Constructors", "Instances", "Arguments": a caption, not a sentence).

A declaration is recognised by its syntax, not by one site's words:

* a type signature ``name :: type`` (Haskell and its family: PureScript, Idris, Agda) — an item
  whose type (after its ``=>`` context) has an arrow is a function ("What does the subparser
  function do?"), an operator in parentheses an operator ("What does the <|> operator do?"),
  anything else a value ("What is defaultPrefs?");
* a type declaration ``data``/``newtype``/``type``/``class`` [context ``=>``] ``Name``
  ("What is the ParserInfo type?", "What is the HasName class?").

A code line of another shape (an example call, an equation "switch = flag False True") is no
declaration, so the prose after it is not read as its description."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fineflow_desktop.core.extractive.grammar import FUNCTION_WORDS, MIN_DEFINITION_WORDS, is_task_verb
from fineflow_desktop.core.extractive.sentences import is_question_sentence
from fineflow_desktop.core.extractive.structures import (
    clean_answer, is_description, is_entry_metadata, is_xref, split_paragraphs,
)

# "subparser :: Mod CommandFields a -> Parser a", "(<|>) :: f a -> f a -> f a", "flag' :: a -> …"
_TYPE_SIGNATURE = re.compile(r"^(?P<name>[a-z_][\w']*|\((?P<op>[^\w\s()]{1,4})\))\s+::\s+(?P<type>\S.*)$")
# "data ParserInfo a", "newtype ReadM a", "type ParserA = …", "class Functor f => Applicative f"
_TYPE_DECLARATION = re.compile(r"^(?P<kind>data|newtype|type|class)\s+(?:(?:\([^()]*\)|[^=()]+?)\s+=>\s+)?"
                               r"(?P<name>[A-Z][\w']*)(?:\s|$)")
_KIND_WORDS = {"data": "type", "newtype": "type", "type": "type", "class": "class"}
# Verbs an API description opens with besides the task verbs of ``grammar`` ("Show full help
# text on any error.", "Returns the value being read."): it says what the item does.
_MORE_VERBS = frozenset("""allow apply abort append ask compute construct hide ignore insert intersperse lift make
produce render return show skip suppress take turn""".split())


@dataclass(frozen=True)
class Declaration:
    """One declared item: its *name* ("subparser", "<|>", "ParserInfo") and *kind*
    ("function", "operator", "value", "type", "class")."""

    name: str
    kind: str


def read_declaration(line: str) -> Declaration | None:
    """The item a one-line declaration declares (module docstring: type signatures and type
    declarations), else None ("switch = flag False True", "length <$> many (flag' ())")."""
    line = " ".join(line.split())
    m = _TYPE_SIGNATURE.match(line)
    if m:
        if m.group("op"):
            return Declaration(m.group("op"), "operator")
        body = m.group("type")
        # the context ("Monoid m => m", "(Show a, Eq a) => …") constrains, the arrow after it decides
        body = body.split("=>", 1)[1] if "=>" in body else body
        return Declaration(m.group("name"), "function" if "->" in body else "value")
    m = _TYPE_DECLARATION.match(line)
    if m:
        return Declaration(m.group("name"), _KIND_WORDS[m.group("kind")])
    return None


def _says_what_it_does(description: str) -> bool:
    """True when *description* opens with a verb ("Show full help text …", "Returns the value
    …", "Disable parsing …"): it says what the item does, not what it is."""
    first = re.sub(r"[^\w-]", "", description.split()[0]) if description.split() else ""
    w = first.lower()
    return is_task_verb(first) or w in _MORE_VERBS or (w.endswith("s") and w[:-1] in _MORE_VERBS)


def declaration_question(item: Declaration, description: str = "") -> str | None:
    """The question a declaration's *description* answers: "What does the subparser function
    do?", "What does the <|> operator do?", "What is the ParserInfo type?" ("What is
    AltNodeType?": a name that ends in its kind). A value is asked what it is ("What is
    defaultPrefs?" ← "Default preferences.") or, when its description opens with a verb, what it
    does ("What does allPositional do?" ← "Disable parsing of …"); a value named by lower-case
    letters only (it may be an English word) is "the X value" ("What is the line value?", not
    "What is line?"). None when
    the question would not read as an English question."""
    if item.kind in ("function", "operator"):
        q = f"What does the {item.name} {item.kind} do?"
    elif item.kind == "value":
        phrase = f"the {item.name} value" if re.fullmatch(r"[a-z]+", item.name) else item.name
        q = f"What does {phrase} do?" if _says_what_it_does(description) else f"What is {phrase}?"
    elif item.name.lower().endswith(item.kind):
        q = f"What is {item.name}?"
    else:
        q = f"What is the {item.name} {item.kind}?"
    return q if is_question_sentence(q) else None


def _is_label(par: str) -> bool:
    """A caption over what follows ("Constructors", "Instances", "Arguments", "Methods"): a
    line of at most three words that ends no sentence."""
    p = " ".join(par.split())
    return "\n" not in par.strip() and len(p.split()) <= 3 and not re.search(r"[.!?:;,]$", p) and not p.startswith("```")


# Last words of a sentence that runs on into the code under it ("… is defined in Prelude as",
# "… for example", "… and not"): the code is an example inside prose, not an entry.
_LEAD_IN_WORDS = FUNCTION_WORDS | {"not", "example", "follows", "below", "like", "e.g.", "i.e."}


def _leads_in(par: str) -> bool:
    """True when prose paragraph *par* introduces what comes after it: it ends with a colon or
    with a word that leaves its sentence open ("… defined in Prelude as")."""
    p = par.strip()
    if not p or p.startswith(("```", "~~~")):
        return False
    return p.endswith(":") or p.split()[-1].lower() in _LEAD_IN_WORDS


def _one_line_code(par: str) -> str | None:
    """The code line of a fenced block of exactly one line, else None."""
    lines = par.strip().split("\n")
    if len(lines) == 3 and lines[0].startswith(("```", "~~~")) and lines[2].strip() == lines[0][:3]:
        return lines[1].strip()
    return None


def declared_entries(text: str) -> list[tuple[Declaration, str, str]]:
    """``(item, question, answer)`` for each declaration in *text* (chunk text, fenced code)
    whose next paragraph is a description (``structures.is_description``) and that no sentence
    leads into (a report's or tutorial's example: "… is defined in Prelude as" / code / prose
    that discusses something else; the description itself leads into nothing): the answer is that
    paragraph and the ones after it (code examples included), up to the next declaration, a
    label paragraph or a table; metadata lines ("Since: 0.13.0.0")
    and cross-references are left out. Entries whose answer has fewer than
    ``MIN_DEFINITION_WORDS`` words are skipped."""
    pars = split_paragraphs(text)
    out = []
    for i, par in enumerate(pars):
        code = _one_line_code(par)
        item = read_declaration(code) if code else None
        if not item or i + 1 >= len(pars) or not is_description(pars[i + 1]):
            continue
        if (i > 0 and _leads_in(pars[i - 1])) or _leads_in(pars[i + 1]):
            # an example inside a discussion ("… is defined in Prelude as" / "data Maybe a = …" /
            # "The purpose of …"), or prose that goes on to something else ("… using the
            # following functions:"): the paragraph after the code does not describe it
            continue
        question = declaration_question(item, pars[i + 1])
        if not question:
            continue
        body = []
        for nxt in pars[i + 1:]:
            nxt_code = _one_line_code(nxt)
            if (nxt_code is not None and read_declaration(nxt_code)) or _is_label(nxt) or " | " in nxt:
                break
            if not (is_entry_metadata(nxt) or is_xref(nxt)):
                body.append(nxt)
        answer = clean_answer("\n\n".join(body))
        if len(re.findall(r"[A-Za-z]+", answer)) >= MIN_DEFINITION_WORDS:
            out.append((item, question, answer))
    return out
