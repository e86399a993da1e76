"""core.extractive and core.markup on real documentation text and headings.

The headings below are real: collected from the Debian doc packages (PostgreSQL 15 HTML,
bash and gettext texinfo HTML, git AsciiDoc HTML, Django and Python Sphinx docs).
"""

import pytest

from fineflow_desktop.core.extractive.definitions import defining_question
from fineflow_desktop.core.extractive import (
    SectionInput,
    extract_pairs,
    heading_question,
    instruction_for,
    is_question_sentence,
    question_to_task,
    reference_name,
    term_question,
)
from fineflow_desktop.core.markup import clean_markup


def section(heading, text, doc="faq.rst.txt", parents=("Programming FAQ",), title=""):
    return SectionInput(1, doc, [*parents, heading], [(7, text)], title)


# Real headings → the question they must give (or None: no grammatical question exists).
REAL_HEADINGS = [
    # Python docs (the development corpus)
    ("Printing and clearing", None),
    ("Profiling and Tracing", None),
    ("Mapping Protocol", None),
    ("Logging HOWTO", None),
    ("How do I...?", None),
    ("... choose a name for my project?", None),
    ("Basic Usage", None),
    ("Operating System Utilities", None),
    ("Installing the tools", "How do I install the tools?"),
    ("Reading and writing files", "How do I read and write files?"),
    ("Is there a debugger?", "Is there a debugger?"),
    ("Why doesn't closing sys.stdout (stdin, stderr) really close it?",
     "Why doesn't closing sys.stdout (stdin, stderr) really close it?"),
    # PostgreSQL 15 (DocBook HTML)
    ("How to Use It", "How do I use it?"),
    ("Creating a New Table", "How do I create a New Table?"),
    ("Connecting to a Database", "How do I connect to a Database?"),
    ("Using EXPLAIN", "How do I use EXPLAIN?"),
    ("What to Report", "What to Report?"),
    ("Routine Vacuuming", None),
    ("Value Expressions", None),
    ("Lexical Structure", None),
    # bash reference manual (texinfo HTML)
    ("Controlling the Prompt", "How do I control the Prompt?"),
    ("Executing Commands", "How do I execute Commands?"),
    ("What is a shell?", "What is a shell?"),
    ("Bash Features", None),
    ("Shell Syntax", None),
    # gettext manual (texinfo HTML)
    ("Invoking the msgen Program", "How do I invoke the msgen Program?"),
    ("When To Use Parentheses", "When To Use Parentheses?"),
    # git (AsciiDoc HTML; man-page headings are upper case)
    ("SPECIFYING THE REFS", "How do I specify the refs?"),
    ("AVOIDING REPETITION", None),
    ("Publishing your work", "How do I publish my work?"),
    ("Git Basics", None),
    ("What’s an Object Walk?", "What’s an Object Walk?"),
    # Django (Sphinx HTML)
    ("What the URLconf searches against", None),
    ("Writing your first Django app, part 7", None),
    ("How-to guides", None),
    ("Does Django scale?", "Does Django scale?"),
    ("What’s new in Django 1.0", "What’s new in Django 1.0?"),
    ("Using mixins with class-based views", "How do I use mixins with class-based views?"),
]


@pytest.mark.parametrize(("heading", "question"), REAL_HEADINGS)
def test_real_headings_give_grammatical_questions_or_none(heading, question):
    got = heading_question(heading)
    assert (got[0] if got else None) == question
    if got:
        assert is_question_sentence(got[0])


def test_question_sentence_check():
    for bad in ("How do I...?", "How do I print and clearing?"[:0] + "... choose a name?", "Why Python", "What the x does?"):
        assert not is_question_sentence(bad)
    for good in ("Is there a debugger?", "How can my code discover the name of an object?", "What’s new in 3.11?"):
        assert is_question_sentence(good)


@pytest.mark.parametrize(("term", "question"), [
    ("-a", "What does the -a option of psql do?"),
    ("-U username, --username=username", "What does the --username option of psql do?"),
    ("json.dumps(obj, *, skipkeys=False)", "What does json.dumps() do?"),
    ("int PyErr_GivenExceptionMatches(PyObject *given, PyObject *exc)", "What does PyErr_GivenExceptionMatches() do?"),
    ("\\conninfo", "What does \\conninfo do?"),
    ("\\copy { table [ ( column_list ) ] }", "What does \\copy do?"),
    ("PGHOST", "What is PGHOST?"),
    ("iterator", "What is an iterator?"),
    ("abstract base classes", "What are abstract base classes?"),
    ("universal newlines", "What are universal newlines?"),
    ("Instead of callable you can use", None),
    (">>>", None),
])
def test_definition_terms(term, question):
    got = term_question(term, "psql", glossary=True)
    assert (got[0] if got else None) == question


def test_question_heading_becomes_qa_pair_with_provenance():
    body = ("Yes.\n\nSeveral debuggers for Python are described below, and the built-in function\n"
            ":func:`breakpoint` allows you to drop into any of them.\n")
    pairs = list(extract_pairs([section("Is there a debugger with breakpoints?", body)], mode="qa"))
    assert len(pairs) == 1
    p = pairs[0]
    assert p.user == "Is there a debugger with breakpoints?"
    # markup stripped and hard wraps joined
    assert "Several debuggers for Python are described below, and the built-in function `breakpoint` allows" \
        in p.assistant and ":func:" not in p.assistant
    assert (p.document_id, p.chunk_id) == (1, 7) and p.meta["rule"] == "question_heading"


def test_instruction_mode_on_any_heading_names_topic_and_document():
    text = ("Each table has a number of system columns that are implicitly defined by the system. "
            "Therefore, these names cannot be used as names of user-defined columns. You do not "
            "really need to be concerned about these columns; just know they exist.\n\n"
            "tableoid\n: The OID of the table containing this row.")
    sec = SectionInput(3, "ddl-system-columns.html", ["System Columns"], [(11, text)], "System Columns")
    (p,) = extract_pairs([SectionInput(3, "ddl-system-columns.html", ["Data Definition", "System Columns"],
                                       [(11, text)], "Data Definition")], mode="instruction")
    assert p.user in ("Explain “System Columns” in Data Definition.",
                      "Summarize the section “System Columns” of Data Definition.",
                      "Describe what Data Definition says about “System Columns”.")
    assert p.assistant.startswith("Each table has a number of system columns")
    # the same heading path always gets the same phrasing
    assert [q.user for q in extract_pairs([sec], mode="instruction")] == \
        [q.user for q in extract_pairs([sec], mode="instruction")]
    assert instruction_for(["CREATE TABLE", "Examples"], "CREATE TABLE")[0].endswith("CREATE TABLE.")
    assert instruction_for(["Python", "See also"], "Python") is None
    assert question_to_task("What is a decorator?") == "Explain what a decorator is."


def test_instruction_mode_skips_short_sections():
    assert list(extract_pairs([section("Overview", "Too short to explain anything.")], mode="instruction")) == []


def test_definition_list_convention_gives_what_is_pairs():
    text = ("tableoid\n: The OID of the table containing this row. This column is particularly handy for queries.\n\n"
            "xmin\n: The identity (transaction ID) of the inserting transaction for this row version.")
    pairs = list(extract_pairs([section("System Columns", text, parents=("Data Definition",))]))
    # round 18: a bare word is named by its list's heading when its definition uses the kind noun
    # ("This column …"); xmin's does not, so it is asked as before
    assert [p.user for p in pairs] == ["What is the tableoid system column?", "What is xmin?"]
    assert pairs[0].assistant.startswith("The OID of the table") and pairs[0].meta["rule"] == "definition"


def test_reference_page_and_option_list():
    # the shape of a DocBook reference page (PostgreSQL app-psql.html) in the chunk-text convention
    doc = [
        SectionInput(5, "app-psql.html", ["psql"], [(1, "psql — PostgreSQL interactive terminal")], "psql"),
        SectionInput(5, "app-psql.html", ["psql", "Synopsis"], [(2, "psql [option...] [dbname [username]]")], "psql"),
        SectionInput(5, "app-psql.html", ["psql", "Description"], [(3, (
            "psql is a terminal-based front-end to PostgreSQL. It enables you to type in queries interactively, "
            "issue them to PostgreSQL, and see the query results."))], "psql"),
        SectionInput(5, "app-psql.html", ["psql", "Options"], [(4, (
            "-a\n--echo-all\n: Print all nonempty input lines to standard output as they are read.\n\n"
            "-U username\n--username=username\n: Connect to the database as the user username instead of the default."))],
            "psql"),
    ]
    pairs = {p.user: p for p in extract_pairs(doc)}
    assert pairs["What does psql do?"].assistant.startswith("psql: PostgreSQL interactive terminal.\n\npsql is a terminal")
    assert pairs["What does the --echo-all option of psql do?"].assistant.startswith("Print all nonempty input")
    assert "What does the --username option of psql do?" in pairs
    assert reference_name("git-add - Add file contents to the index") == ("git-add", "Add file contents to the index")
    assert reference_name("CREATE TABLE — define a new table") == ("CREATE TABLE", "define a new table")


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


def test_rst_glossary_and_answers_without_metadata():
    text = (".. glossary::\n\n   ``>>>``\n      The default Python prompt of the interactive shell.\n\n"
            "   abstract base class\n      Abstract base classes complement duck-typing by providing a way.\n")
    pairs = list(extract_pairs([SectionInput(2, "glossary.rst.txt", ["Glossary"], [(9, text)])]))
    assert [p.user for p in pairs] == ["What is an abstract base class?"]
    assert pairs[0].meta["rule"] == "glossary"
    body = (":Author: A. Person\n:Email: someone@example.org\n\n**Source code:** :source:`Lib/json/__init__.py`\n\n"
            "--------------\n\nThe json module exposes an API familiar to users of the standard\nlibrary marshal and pickle modules.")
    (p,) = extract_pairs([section("Installing the build tools", body)])
    assert p.assistant == ("The json module exposes an API familiar to users of the standard library marshal and "
                           "pickle modules.")


def test_answer_cut_at_paragraph_not_mid_sentence():
    full = "This paragraph is complete and long enough to be an answer on its own here."
    body = full + "\n\nThis second paragraph was cut by the chunker in the middle of a"
    (p,) = extract_pairs([section("Installing the build tools", body)])
    assert p.assistant == full


def test_markup_cleaning_keeps_code_drops_directives():
    rst = (".. _label:\n\n.. index:: single: foo\n   pair: bar\n\nSee :ref:`the tutorial <tut>` and "
           "`Pylint <https://pylint.org>`_.\n\n.. code-block:: python\n\n   x = 1\n\nExample::\n\n   y = 2\n")
    out = clean_markup(rst)
    assert "index" not in out and ".. _label" not in out and "pair: bar" not in out
    assert "See `the tutorial` and Pylint." in out
    assert "x = 1" in out and "Example:\n" in out and "y = 2" in out


def test_numbered_headings_site_titles_and_texinfo_terms():
    text = ("PostgreSQL can be extended to run user-supplied code in separate processes. Such processes are "
            "started, stopped and monitored by postgres, which permits them to have a lifetime closely linked "
            "to the server's status.")
    (p,) = extract_pairs([SectionInput(1, "bgworker.html", ["Chapter 48. Background Worker Processes"], [(1, text)],
                                       "Chapter 48. Background Worker Processes")], mode="instruction")
    assert p.user in ("Give an overview of Background Worker Processes.",
                      "Summarize the introduction of Background Worker Processes.")
    made = instruction_for(["PostgreSQL specific form fields and widgets", "SimpleArrayField"],
                           "PostgreSQL specific form fields and widgets — Django 3.2.25 documentation")
    assert "Django 3.2.25 documentation" not in made[0]
    assert heading_question("9.1 Invoking the msgcat Program")[0] == "How do I invoke the msgcat Program?"
    assert term_question("‘--tcl’")[0] == "What does the --tcl option do?"
    assert term_question("--[no-]guess-remote", "git-worktree")[0] == "What does the --guess-remote option of git-worktree do?"
    assert term_question("-216") is None  # an error code, not an option
    assert term_question("k") is None  # a key binding names nothing
    assert term_question("Child Processes")[0] == "What are Child Processes?"
    index_entry = SectionInput(1, "bookindex.html", ["Index"], [(1, "encode_array_literal\n: in PL/Perl, Utility Functions in PL/Perl")])
    assert list(extract_pairs([index_entry])) == []


def test_reference_table_rows():
    # Debian Reference (DocBook HTML) table in the chunk-text convention
    text = ("Table 7.6. List of notable sandbox environment and related packages\n\n"
            "package | popcon | size | description\n"
            "flatpak | V:41, I:44 | 7350 | Flatpak application deployment framework for desktop apps\n"
            "snapd | V:61, I:65 | 59918 | Daemon and tooling that enable snap packages\n")
    pairs = list(extract_pairs([section("Sandbox", text, parents=("GUI System",))]))
    assert [(p.user, p.assistant) for p in pairs] == [
        ("What is flatpak?", "Flatpak application deployment framework for desktop apps."),
        ("What is snapd?", "Daemon and tooling that enable snap packages.")]
    assert pairs[0].meta["rule"] == "table_definition"


def test_api_headings_and_field_labels():
    # gtk-doc gives every function its own section headed by the signature
    body = "Flags a widget to be displayed. Any widget that isn't shown will not appear on the screen."
    (p,) = extract_pairs([SectionInput(4, "GtkWidget.html", ["GtkWidget", "gtk_widget_show ()"], [(3, body)])])
    assert p.user == "What does gtk_widget_show() do?" and p.meta["rule"] == "api_heading"
    # a PDF title page's author line (a large-font line read as a heading) names no function
    author = SectionInput(5, "libtasn1.pdf", ["Nikos Mavrogiannopoulos (help-libtasn1@gnu.org)"], [(4, body)])
    assert not [q for q in extract_pairs([author]) if q.meta["rule"] == "api_heading"]
    # javadoc field labels and list items are no terms
    for label in ("Returns", "Since", "Parameters", "- nextDouble", "to check"):
        assert term_question(label) is None


def test_terms_of_quotes_or_markup_only_name_nothing():
    for term in ("‘ ’", "“ ”", "``", ":", "' '", "   "):
        assert term_question(term) is None


# Real headings and the first sentence under them (shared-mime-info spec, bashref, Debian
# Reference, developers-reference, PostgreSQL, texinfo standards, gettext, debian-reference).
@pytest.mark.parametrize("heading, first, question", [
    ("2.4. The glob files", "The globs2 file is a simple list of lines containing weight, MIME type and pattern.",
     "What are the glob files?"),
    ("2.9. The mime.cache files", "The mime.cache files contain the same information as the globs2 file.",
     "What are the mime.cache files?"),
    ("3.2.3 Pipelines", "A pipeline is a sequence of one or more commands separated by a control operator.",
     "What are Pipelines?"),
    ("1.2.13. tmpfs", "The tmpfs is a temporary filesystem which keeps all files in the virtual memory.",
     "What is tmpfs?"),
    ("Chapter 33. Regression Tests", "The regression tests are a comprehensive set of tests for the SQL implementation.",
     "What are Regression Tests?"),
    # not definitions: a passive, an adverb, another subject, an imperative, a generic heading
    ("2.5. The magic files", "The magic data is stored in a binary format for ease of parsing.", None),
    ("6.8.2. Libraries", "Libraries are always difficult to package for various reasons.", None),
    ("2.5.11. The dpkg-statoverride command",
     "Stat overrides provided by the dpkg-statoverride(8) command are a way to tell dpkg(1) to use another owner.", None),
    ("6.8 Change Logs", "Keep a change log to describe all the changes made to program source files.", None),
    ("11.1.1 The Interface", "The interface to the catgets implementation consists of three functions.", None),
    ("10.3 The Format of GNU MO Files", "The format of the generated MO files is best described by a picture.", None),
    ("6.8.9. Best practices for debug packages", "A debug package is a package that contains additional information.", None),
    ("Character Classes and Bracket Expressions", "A bracket expression is a list of characters enclosed by [ and ].", None),
    ("The shlibs system", "The shlibs system is a simpler alternative to the symbols system.", "What is the shlibs system?"),
])
def test_a_section_that_defines_its_heading(heading, first, question):
    found = defining_question(heading, first + " More text follows here.")
    assert (found[0] if found else None) == question
    assert found is None or found[1] == "defining_sentence"
