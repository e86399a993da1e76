"""core.extractive, round 15 of issue 10 (pairs10): qa pairs from structures the qa pass did not
read on documents under 1 pair per 10 sections — Vim help's tagged entries (options, Ex commands,
functions), a named paragraph whose item's name looks like a participle ("qfbred") or whose verb
follows an adverb ("usually gives"), task headings with more verbs ("Recruiting Developers",
"Linking against a library"), a labelled "How to" heading, and a chapter opening that only
announces its subsections (refused).

Inputs are real, quoted or shortened from Debian's vim-doc (vim2html), gnu-standards
(maintain.html / maintain.pdf), groff-base's automake.pdf and pari-doc's tutorial.pdf."""

import pytest

from fineflow_desktop.core.extractive import SectionInput, extract_pairs, heading_question
from fineflow_desktop.core.extractive.api_entries import named_paragraph_question
from fineflow_desktop.core.extractive.help_tags import tagged_entries
from fineflow_desktop.core.extractive.purposes import purpose_question


def qa(heading_path, text, name="page.html"):
    """(question, rule, answer) of the qa pairs of one section."""
    secs = [SectionInput(1, name, list(heading_path), [(1, text)])]
    return [(p.user, p.meta["rule"], p.assistant) for p in extract_pairs(secs, mode="qa")]


# vim-doc options.html / change.html / builtin.html: vim2html prints the help file as one block
VIM_OPTIONS = """```
\t\t\t*'autoindent'* *'ai'* *'noautoindent'* *'noai'*
'autoindent' 'ai'\tboolean\t(default off)
\t\t\tlocal to buffer
\tCopy indent from current line when starting a new line (typing <CR>
\tin Insert mode or when using the "o" or "O" command).  If you do not
\ttype anything on the new line except <BS> or CTRL-D and then type
\t<Esc>, CTRL-O or <CR>, the indent is deleted again.
\t|timestamp|


\t\t\t*'cryptmethod'* *'cm'*
'cryptmethod' 'cm'\tstring\t(default "blowfish2")
\t\t\tglobal or local to buffer |global-local|
\tMethod used for encryption when the buffer is written to a file:

\t\t\t\t\t\t\t*pkzip*
\t   zip\t\tPkZip compatible method.  A weak kind of encryption.
\t\t\tBackwards compatible with Vim 7.2 and older.


\t\t\t\t *'autoread'* *'ar'* *'noautoread'* *'noar'*
'autoread' 'ar'\t\tboolean\t(default off)
\t\t\tglobal or local to buffer |global-local|
\tWhen a file has been detected to have been changed outside of Vim and
```"""

VIM_COMMANDS = """```
\t\t\t\t\t*:d* *:de* *:del* *:delete* *:dl* *:dp*
:[range]d[elete] [x]\tDelete [range] lines (default: current line) [into
\t\t\tregister x].

:[range]d[elete] [x] {count}
\t\t\tDelete {count} lines, starting with [range]
\t\t\t(default: current line |cmdline-ranges|) [into
\t\t\tregister x].

\t\t\t\t\t\t\t*dd*
["x]dd\t\t\tDelete [count] lines [into register x] |linewise|.


abs({expr})\t\t\t\t\t\t*abs()*
\t\tReturn the absolute value of {expr}.  When {expr} evaluates to
\t\ta |Float| abs() returns a |Float|.

\t\t\t\t\t\t\t*BufNewFile*
BufNewFile\t\t\tWhen starting to edit a file that doesn't exist.  Can be
\t\t\t\tused to read in a skeleton file.

```"""


def test_vim_option_entries_give_what_the_option_does():
    got = list(tagged_entries(VIM_OPTIONS))
    assert [q for _n, q, _a in got] == ["What does the 'autoindent' option do?",
                                        "What does the 'cryptmethod' option do?"]
    # the description only: no metadata ("local to buffer"), no tags, no lone link line
    assert got[0][2] == ("Copy indent from current line when starting a new line (typing <CR> in Insert mode or "
                         "when using the \"o\" or \"O\" command). If you do not type anything on the new line "
                         "except <BS> or CTRL-D and then type <Esc>, CTRL-O or <CR>, the indent is deleted again.")
    # a tag line above an indented value belongs to the description, which keeps its table
    assert got[1][2].startswith("Method used for encryption when the buffer is written to a file:\n\n")
    assert "   zip          PkZip compatible method." in got[1][2] and "*pkzip*" not in got[1][2]
    # 'autoread' runs into the end of the chunk: the next chunk holds it whole


def test_vim_ex_commands_and_functions_but_no_keys_or_events():
    got = [(q, a) for _n, q, a in tagged_entries(VIM_COMMANDS)]
    assert got == [
        ("What does the :delete command do?", "Delete [range] lines (default: current line) [into register x]."),
        ("What does abs() do?", "Return the absolute value of {expr}. When {expr} evaluates to a Float abs() "
                                "returns a Float."),
    ]


def test_vim_help_entries_through_the_qa_pass():
    got = qa(["Vim documentation: options"], VIM_OPTIONS, "options.html")
    assert [(q, rule) for q, rule, _a in got] == [("What does the 'autoindent' option do?", "help_tag"),
                                                  ("What does the 'cryptmethod' option do?", "help_tag")]


# pari-doc tutorial.pdf: "qfbred" and "polred" are names, used again on their own
@pytest.mark.parametrize("paragraph, question", [
    ("The qfbred function applies a succession of elementary reduction steps corresponding essentially to a "
     "continued fraction expansion, and a single one of these steps can be achieved by adding an (optional) flag "
     "to the arguments of qfbred.", "What does the qfbred function do?"),
    ("The polred function usually gives a simpler polynomial, and also sometimes some information on the "
     "existence of subfields. For example in this case, the second component of polred tells us that the field "
     "is a subfield of K.", "What does the polred function do?"),
])
def test_a_name_shaped_like_a_participle_that_recurs_and_an_adverb_before_the_verb(paragraph, question):
    assert named_paragraph_question(paragraph) == (question, "named_paragraph")


@pytest.mark.parametrize("paragraph", [
    # a participle only before its kind stays an adjective (python3.11-doc functools)
    "The wrapped function is instrumented with a cache_parameters() function that returns a new dict. "
    "The wrapped function keeps its name.",
    # "only" restricts, it says nothing of what the item does
    "The update command only rewrites the index when a file changed.",
])
def test_an_adjective_or_only_stays_no_named_paragraph(paragraph):
    assert named_paragraph_question(paragraph) is None


@pytest.mark.parametrize("heading, question", [
    ("5 Recruiting Developers", "How do I recruit Developers?"),
    ("Recording Contributors", "How do I record Contributors?"),
    ("12 Announcing Releases", "How do I announce Releases?"),
    ("10.3 Replying to Mail", "How do I reply to Mail?"),
    ("2.2. Linking against a library", "How do I link against a library?"),
    ("ADDENDUM: How to use this License for your documents", "How do I use this License for my documents?"),
])
def test_more_task_verbs_and_a_labelled_how_to(heading, question):
    assert heading_question(heading) == (question, "how_to_heading" if "How to" in heading else "gerund_heading")


def test_a_chapter_opening_that_only_announces_its_subsections_answers_nothing():
    text = ("This chapter describes setting up mailing lists for your package, and gives advice on how to handle "
            "bug reports and random requests once you have them.\n\n"
            "- Standard Mailing Lists\n- Creating Mailing Lists\n- Replying to Mail")
    assert qa(["10 Dealing With Mail"], text) == []
    # the same heading with an answer of its own
    text = ("When you receive bug reports, keep in mind that bug reports are crucial for your work. If you don't "
            "know about problems, you cannot fix them. So always thank each person who sends a bug report.")
    assert [q for q, _r, _a in qa(["10 Dealing With Mail"], text)] == ["How do I deal with mail?"]


# gnu-standards maintain.html: the upload directives, a definition list whose definitions go on
# the term's sentence
UPLOAD_DIRECTIVES = """version
: must be the value ‘1.2’ (the current version, as of May 2012):
version: 1.2

comment
: is optional, and ignored if present:
comment: let's hope this works!

rmsymlink
: removes a symlink.

archive
: takes a file or directory offline."""


def test_a_definition_that_goes_on_its_terms_sentence():
    got = qa(["12.6.5 FTP Upload Standalone Directives"], UPLOAD_DIRECTIVES, "maintain.html")
    # "What is version?" → "must be the value …" and "What is comment?" → "is optional …" are gone
    assert [(q, a) for q, _r, a in got] == [("What does archive do?", "Takes a file or directory offline.")]


# A goal and the instruction that reaches it (gnu-standards maintain.html, vim-doc pattern.html,
# pari-doc tutorial.pdf); goals that point back or away, and statements, are no task
@pytest.mark.parametrize("paragraph, question", [
    ("To check whether papers have been received, look in /gd/gnuorg/copyright.list. If you can't look there "
     "directly, fsf-records@gnu.org can check for you.", "How do I check whether papers have been received?"),
    ("To update the list of year numbers, add each year in which you have made nontrivial changes to the package.",
     "How do I update the list of year numbers?"),
    ("To create and maintain simple aliases and unmanaged lists, you can edit /com/mailer/aliases on the main "
     "GNU server.", "How do I create and maintain simple aliases and unmanaged lists?"),
    ("To avoid matching the empty string, use \"\\+\". This makes the previous item match one or more times.",
     "How do I avoid matching the empty string?"),
])
def test_a_paragraph_that_opens_with_a_goal_and_its_instruction(paragraph, question):
    assert purpose_question(paragraph) == (question, "purpose_paragraph")


@pytest.mark.parametrize("paragraph", [
    "To apply these patches, cd to the main directory of the program and then use 'patch -p1'.",
    "To do that, you write to maintainers@gnu.org.",
    "To correct this confusion, we have made a years-long effort to distinguish between Linux and GNU/Linux.",
    "To list which libraries grolbp needs to link against, we just write:",
    "To demonstrate yet another useful plotting function, design a program to plot Taylor polynomials.",
    "To learn more about the options, see the section on invoking gp.",
    "To compile the program, gcc creates a temporary file for each source file.",
    "To summarize the rules above, use the latest version of the GPL.",
])
def test_a_goal_that_points_back_or_a_statement_is_no_task(paragraph):
    assert purpose_question(paragraph) is None


def test_purpose_paragraphs_through_the_qa_pass():
    text = ("Keep correct records of which portions were written by whom.\n\n"
            "To check whether papers have been received, look in /gd/gnuorg/copyright.list. If you can't look "
            "there directly, fsf-records@gnu.org can check for you.")
    got = qa(["6 Legal Matters", "6.1 Copyright Papers"], text, "maintain.html")
    assert [(q, r) for q, r, _a in got] == [("How do I check whether papers have been received?", "purpose_paragraph")]


def test_a_vim_command_with_several_forms_reads_on_under_each_form():
    # vim-doc quickfix.html: the description goes on after the second form's tab; a form with
    # no description of its own stands above the one that has it
    text = ("```\n\t\t\t\t\t\t\t*:ll*\n"
            ":ll[!] [nr]\t\tSame as \":cc\", except the location list for the\n"
            ":[nr]ll[!]\t\tcurrent window is used instead of the quickfix list.\n\n\n"
            "\t\t\t\t\t\t\t*:cq* *:cquit*\n:cq[uit][!]\n:{N}cq[uit][!]\n"
            ":cq[uit][!] {N}\t\tQuit Vim with error code {N}.  {N} defaults to one.\n"
            "\t\t\tUseful when Vim is called from another program.\n\nThe end.\n```")
    assert [(q, a) for _n, q, a in tagged_entries(text)] == [
        ("What does the :ll command do?",
         "Same as \":cc\", except the location list for the current window is used instead of the quickfix list."),
        ("What does the :cquit command do?",
         "Quit Vim with error code {N}. {N} defaults to one. Useful when Vim is called from another program."),
    ]


def test_vim_answers_join_prose_and_keep_examples_and_tables_on_their_lines():
    # vim-doc builtin.html / windows.html: an example deeper than the prose comes first; a trailing
    # link after the sentence points elsewhere
    text = ("```\nmax({expr})\t\t\t\t\t\t*max()*\n"
            "\t\tReturn the maximum value of all items in {expr}. Example:\n"
            "\t\t\techo max([apples, pears, oranges])\n\n"
            "\t\t{expr} can be a List or a Dictionary.  For a Dictionary,\n"
            "\t\tit returns the maximum of all values in the Dictionary.\n\n"
            "\t\t\t\t\t\t*'splitbelow'* *'sb'* *'nosplitbelow'* *'nosb'*\n"
            "'splitbelow' 'sb'\tboolean\t(default off)\n\t\t\tglobal\n"
            "\tWhen on, splitting a window will put the new window below the\n"
            "\tcurrent one. |:split|\n\nThe end.\n```")
    assert [a for _n, _q, a in tagged_entries(text)] == [
        "Return the maximum value of all items in {expr}. Example:\n        echo max([apples, pears, oranges])\n\n"
        "{expr} can be a List or a Dictionary. For a Dictionary, it returns the maximum of all values in the "
        "Dictionary.",
        "When on, splitting a window will put the new window below the current one.",
    ]


def test_a_vim_link_in_a_goal_is_its_word():
    # vim-doc filetype.html (ft-man-plugin)
    assert purpose_question("To enable |folding|, use this:\n\tlet g:ft_man_folding_enable = 1") == \
        ("How do I enable folding?", "purpose_paragraph")


def test_a_goal_whose_object_is_the_unnamed_subject_gives_no_pair():
    # draftwatermark's README, maximabook.pdf: "the package" of what? Since round 17 the goal is named
    # from the headings or the title (subjects.in_context), or gives no pair
    from fineflow_desktop.core.extractive import SectionInput, extract_pairs

    for par in ("To install the package, run TeX/LaTeX on the installation script draftwatermark.ins.",
                "To use the package, you must first load it and then call its functions."):
        secs = [SectionInput(1, "README.md", ["Installation"], [(1, par)])]
        assert [p.user for p in extract_pairs(secs, mode="qa")] == []
    secs = [SectionInput(1, "README.md", ["dimension - Advanced Dimensional Analysis"],
                         [(1, "The dimension package does dimensional analysis.\n\n"
                              "To use the package, you must first load it and then call its functions.")])]
    assert "How do I use the dimension package?" in [p.user for p in extract_pairs(secs, mode="qa")]
