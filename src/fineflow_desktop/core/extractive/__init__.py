"""Offline extractive pair generation: no model, no network.

Pairs are *extracted* from the documents, never written by an AI. Two modes:

``instruction``
    Any section with a heading and enough prose (``MIN_SECTION_WORDS``) gives one pair: the
    instruction names the topic and the document ("Explain “Locking” in Concurrency Control.",
    "Summarize the section “Examples” of CREATE TABLE.", …; the phrasing is chosen from the
    heading deterministically, ``instruction_for``), the response is the section text cut at a
    paragraph boundary. Boilerplate sections ("See also", "Contents", …) are skipped.
``qa``
    Questions the documentation itself answers, from structures every documentation set has:

    * definition lists and glossaries ("What is an iterator?" → the definition): the chunk-text
      convention (a term line, then the definition on lines starting ``": "``), reST definition
      lists and ``.. glossary::`` entries, and Sphinx object descriptions (``.. function::``);
    * command-line option lists ("What does the --echo-all option of psql do?"): definition
      list items whose term is an option, and reST option lists (``-a, --all  text``);
    * API entries whose term is a signature ("What does json.dumps() do?"), API headings that
      name an item with its kind ("Struct std::fs::File", "Class: net.Socket", "Json::Value
      Class Reference", "The \"collate\" method") or a keyword signature ("pub fn load(&self)"
      → "What does AtomicBool::load() do?" on the type's page), answered by the entry's
      description (``structures.api_answer``: no signature rows, labels, notices or
      cross-references; an entry without a description gives no pair);
    * a section headed by a name that opens "The <name> <kind> <verb> …" ("The reset command
      causes …" → "What does the reset command do?"; ``named_entry_question``), and any
      paragraph that opens so ("The inline option uses …" → "What does the inline option do?";
      ``named_paragraph_question``);
    * declarations followed by their description, as API references print them (Haddock:
      "subparser :: Mod CommandFields a -> Parser a" / "Builder for a command parser." →
      "What does the subparser function do?"; ``declarations``), not examples inside prose;
    * Vim help's tagged entries (``*'autoindent'*``, ``*:delete*``, ``*abs()*``) of options, Ex
      commands and functions ("What does the 'autoindent' option do?"; ``help_tags``);
    * a paragraph that opens with a goal and its instruction ("To check whether papers have been
      received, look in …" → "How do I check whether papers have been received?"; ``purposes``);
    * reference tables with a "description" column ("What is flatpak?" → its description);
    * reference pages: "NAME — purpose" ("What does psql do?") as a title or first paragraph;
    * question headings, "How to …" and task headings ("Installing the tools" → "How do I
      install the tools?"), FAQ entries (``Q:``/``A:`` lines, a one-line question paragraph
      followed by its answer);
    * a section that opens by defining its heading's subject ("The glob files" / "The globs2
      file is a simple list of …" → "What are the glob files?"; ``defining_question``).

Every question is checked to be an English sentence; a heading that no rule can phrase
grammatically is skipped (``heading_question`` returns None) rather than mangled — no
"How do I print and clearing?". The rules use general structure (block types, term shapes,
part of speech of the first heading word), not one corpus' wording; ``bench/bench_extract_docs.py``
measures them on documentation sets they were not written on.

Every pair carries its provenance (document id, chunk id, heading path, rule).

This package's face re-exports the public names; the logic lives in modules with one job:
``generator`` (``extract_pairs``, ``explain_nothing``), ``qa`` (the qa pass), ``instructions``
(the instruction pass and its phrasings), ``documents`` (grouping by document, titles, site
furniture), ``records`` (``SectionInput``, ``PairDraft``), ``api_headings`` and ``api_entries``
(API-reference headings), ``declarations`` (a declaration and its description), ``help_tags`` (Vim
help's tagged entries), ``purposes`` (a goal and its instruction), ``grammar``
(headings and terms → questions), ``definitions`` (a section that defines its heading), ``casing``,
``sentences``, ``structures`` and ``patterns``.
"""

from fineflow_desktop.core.extractive.api_entries import api_item_question
from fineflow_desktop.core.extractive.api_headings import qualified_call
from fineflow_desktop.core.extractive.documents import by_document, document_title, furniture_of
from fineflow_desktop.core.extractive.generator import explain_nothing, extract_pairs
from fineflow_desktop.core.extractive.definitions import defining_question
from fineflow_desktop.core.extractive.grammar import MODES, heading_question, question_to_task, term_question
from fineflow_desktop.core.extractive.instructions import instruction_for, topic_name
from fineflow_desktop.core.extractive.records import PairDraft, SectionInput
from fineflow_desktop.core.extractive.sentences import is_question_sentence
from fineflow_desktop.core.extractive.structures import reference_name

__all__ = [
    "MODES",
    "PairDraft",
    "SectionInput",
    "api_item_question",
    "by_document",
    "defining_question",
    "document_title",
    "explain_nothing",
    "extract_pairs",
    "furniture_of",
    "heading_question",
    "instruction_for",
    "is_question_sentence",
    "qualified_call",
    "question_to_task",
    "reference_name",
    "term_question",
    "topic_name",
]
