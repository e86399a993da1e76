"""core.extractive and core.markup on real Python-doc text and synthetic FAQ formats."""

from fineflow_desktop.core.extractive import SectionInput, extract_pairs, heading_question, question_to_task
from fineflow_desktop.core.markup import clean_markup


def section(heading, text, doc="faq.rst.txt", parents=("Programming FAQ",)):
    return SectionInput(1, doc, [*parents, heading], [(7, text)])


def test_question_heading_becomes_qa_pair_with_provenance():
    body = ("Yes.\n\nSeveral debuggers for Python are described below, and the built-in function\n"
            ":func:`breakpoint` allows you to drop into any of them.\n")
    pairs = list(extract_pairs([section("Is there a debugger with breakpoints?", body)], mode="qa"))
    assert len(pairs) == 1
    p = pairs[0]
    assert p.user == "Is there a debugger with breakpoints?"
    assert "`breakpoint` allows you" in p.assistant and ":func:" not in p.assistant
    assert (p.document_id, p.chunk_id) == (1, 7) and p.meta["rule"] == "question_heading"


def test_instruction_mode_phrases_tasks():
    body = "Use the open() built-in with a with statement so the file is closed for you reliably."
    (p,) = extract_pairs([section("How do I read a file?", body)], mode="instruction")
    assert p.user == "Explain how to read a file."
    assert question_to_task("What is a decorator?") == "Explain what a decorator is."


def test_headings_that_can_be_phrased():
    assert heading_question("Installing the tools")[0] == "How do I install the tools?"
    assert heading_question(":mod:`json` --- JSON encoder and decoder")[0] == \
        "What is the `json` module for (JSON encoder and decoder)?"
    assert heading_question("How to write a plugin")[0] == "How do I write a plugin?"
    assert heading_question("Basic Usage") is None  # not phraseable without inventing words


def test_short_answers_and_repeated_questions_are_skipped():
    s1 = section("Why?", "Because.")
    s2 = section("Can I do it?", "Yes, you can do it with the standard library alone in most cases.")
    s3 = section("Can I do it?", "Repeated elsewhere with another long enough answer text here.")
    assert [p.user for p in extract_pairs([s1, s2, s3])] == ["Can I do it?"]


def test_inline_qa_and_markdown_bold_questions():
    text = "Q: What port does it use?\nA: It listens on port 8080 by default.\nQ: Is it free?\nA: Yes, it is MIT licensed."
    users = [p.user for p in extract_pairs([section("Support", text)])]
    assert users == ["What port does it use?", "Is it free?"]
    md = "**How do I reset it?**\nHold the button for ten seconds.\n\n**Does it need power?**\nOnly USB power."
    assert [p.user for p in extract_pairs([section("FAQ", md)])] == ["How do I reset it?", "Does it need power?"]


def test_glossary_definition_list():
    text = (".. glossary::\n\n   ``>>>``\n      The default Python prompt of the interactive shell.\n\n"
            "   abstract base class\n      Abstract base classes complement duck-typing by providing a way.\n")
    pairs = list(extract_pairs([SectionInput(2, "glossary.rst.txt", ["Glossary"], [(9, text)])]))
    assert [p.user for p in pairs] == ["What does “>>>” mean?", "What does “abstract base class” mean?"]


def test_markup_cleaning_keeps_code_drops_directives():
    rst = (".. _label:\n\n.. index:: single: foo\n   pair: bar\n\nSee :ref:`the tutorial <tut>` and "
           "`Pylint <https://pylint.org>`_.\n\n.. code-block:: python\n\n   x = 1\n\nExample::\n\n   y = 2\n")
    out = clean_markup(rst)
    assert "index" not in out and ".. _label" not in out and "pair: bar" not in out
    assert "See `the tutorial` and Pylint." in out
    assert "x = 1" in out and "Example:\n" in out and "y = 2" in out
