"""core.extractive round 6 (pairs6): questions from title-case headings take the document's own
spelling of each word (``casing``), index letter groups name no topic, an untitled preamble does
not hide the page title, and an API member's instruction answers with its description. Headings
are real, from Debian's sqlite3-doc, doxygen-doc (doxygen_manual.pdf), nodejs-doc, gnuplot-doc
(gnuplot.pdf) and libjsoncpp-doc; the prose is quoted or shortened from the same pages."""

import pytest

from fineflow_desktop.core.extractive import SectionInput, document_title, extract_pairs, instruction_for
from fineflow_desktop.core.extractive.casing import NO_CASING, common_case, document_casing

ANSWER = "The example code below demonstrates the techniques used to iterate through and extract the data."


def questions(heading, answer, prose, parents=(), mode="qa"):
    """The user messages extracted from a document of two sections: *heading* with *answer*, and
    an introduction of *prose* (which tells how the document spells its words)."""
    secs = [SectionInput(1, "page.html", [*parents, "Introduction"], [(1, prose)]),
            SectionInput(1, "page.html", [*parents, heading], [(2, answer)])]
    return [p.user for p in extract_pairs(secs, mode=mode)]


SQLITE_SESSION = ("The session extension provides a mechanism for recording changes to some or all of the rowid "
                  "tables in an SQLite database. A changeset is a blob that contains the contents of the changes; "
                  "applications read the contents of a changeset with an iterator.")
SQLITE_AMALGAMATION = ("The amalgamation is a single C code file that contains the whole library. It is built from "
                       "canonical source code by a script, and the amalgamation is easier to compile.")
SQLITE_SPELLFIX = ("The spellfix1 virtual table can be used to search a large vocabulary for close matches. It "
                   "handles words with unusual and difficult spellings and deals with them.")
SQLITE_WHYC = ("Some programmers cannot imagine developing a complex system like SQLite in a language that is not "
               "object-oriented. SQLite is not coded in a safe language, and that isn't a problem.")
DOXYGEN_BLOCKS = ("For each entity in the code there are two (or in some cases three) types of descriptions. A "
                  "special comment block is a C or C++ style comment block with some additional markings.")
NODE_STREAMS = ("Writable streams are an abstraction for a destination to which data is written. All writable "
                "streams implement the interface defined by the stream.Writable class.")
GNUPLOT_OPERATORS = ("The operators in gnuplot are the same as the corresponding operators in the C programming "
                     "language, except that all operators accept integer, real, and complex arguments.")


@pytest.mark.parametrize(("heading", "answer", "prose", "question"), [
    # sqlite3-doc (hand-written, title case): the common words the pages write in lower case
    ("3.3. Inspecting the Contents of a Changeset", ANSWER, SQLITE_SESSION,
     "How do I inspect the contents of a changeset?"),
    # (round 17: "the amalgamation" alone needs its document's name — subjects.in_context — so the
    # heading names it here)
    ("Building The SQLite Amalgamation From Canonical Source Code", ANSWER, SQLITE_AMALGAMATION,
     "How do I build the SQLite amalgamation from canonical source code?"),
    ("Using The Session Extension", ANSWER, SQLITE_SESSION, "How do I use the session extension?"),
    # a title-case heading's word the page never capitalises mid-sentence ("Spellings")
    ("Dealing With Unusual And Difficult Spellings", ANSWER, SQLITE_SPELLFIX,
     "How do I deal with unusual and difficult spellings?"),
    # a question heading: contractions and compounds too, the name "SQLite" keeps its capitals
    ("2. Why Isn't SQLite Coded In An Object-Oriented Language?", ANSWER, SQLITE_WHYC,
     "Why isn't SQLite coded in an object-oriented language?"),
    # doxygen_manual.pdf, nodejs-doc, gnuplot.pdf: sentence-case headings whose first word is common
    ("Special comment blocks", "A special comment block is a C or C++ style comment block with some additional "
     "markings, so doxygen knows it is a piece of structured text.", DOXYGEN_BLOCKS, "What are special comment blocks?"),
    ("Writable streams", NODE_STREAMS, NODE_STREAMS, "What are writable streams?"),
    ("Operators", GNUPLOT_OPERATORS, GNUPLOT_OPERATORS, "What are operators?"),
])
def test_title_case_headings_take_the_documents_spelling(heading, answer, prose, question):
    assert question in questions(heading, answer, prose)


@pytest.mark.parametrize(("heading", "prose", "question"), [
    # names keep their capitals: the document writes them capitalised mid-sentence
    ("Installing the Doxygen binaries on Windows",  # (round 17: "the binaries" alone need a name)
     "Doxygen runs on Windows and Linux. On Windows the installer puts the binaries in a folder.",
     "How do I install the Doxygen binaries on Windows?"),
    # code names and acronyms are never touched ("AsyncResource", "VFS")
    ("Integrating AsyncResource with EventEmitter",
     "Event listeners triggered by an EventEmitter may be run in a different execution context.",
     "How do I integrate AsyncResource with EventEmitter?"),
    ("Registering New VFS Objects",
     "Applications can register new objects at run time. The new VFS is then used by name.",
     "How do I register new VFS objects?"),
])
def test_names_code_and_acronyms_keep_their_capitals(heading, prose, question):
    assert question in questions(heading, ANSWER, prose)


def test_the_casing_of_a_document_counts_sentences_only():
    # a table of contents repeats the headings' title case; it is no evidence
    casing = document_casing(["- 2.3. Inspecting the Contents of a Changeset\n- 2.4. Applying a Changeset",
                              "The iterator reads the contents of a changeset. Windows users call it on Windows."])
    assert "contents" in casing.common and "changeset" in casing.common
    assert "windows" in casing.names and "windows" not in casing.common
    assert common_case("the Contents of a Changeset on Windows", casing) == "the contents of a changeset on Windows"
    assert common_case("The Contents", NO_CASING) == "The Contents"
    # a heading quoted in a sentence (a cross-reference) is no evidence that its words are names
    pickle = ["See Handling Stateful Objects for an example.", "Handling Stateful Objects\n: A class keeps state."]
    assert "stateful" in document_casing(pickle).names
    quoted = document_casing(pickle, ["Handling Stateful Objects"])
    assert "stateful" not in quoted.names
    assert common_case("Stateful Objects", quoted) == "stateful objects"  # title case, never a name
    # hyphenated compounds (gettext: "Strings And Quote-like Expressions")
    perl = document_casing(["Perl offers quote-like operators and strings of several kinds."])
    assert common_case("Strings And Quote-like Expressions", perl) == "strings and quote-like expressions"


def test_a_heading_of_title_and_subtitle_defines_nothing():
    # nodejs-doc modules.html: "Modules: CommonJS modules" was asked "What are Modules: CommonJS modules?"
    users = questions("Modules: CommonJS modules", "CommonJS modules are the original way to package JavaScript "
                      "code for Node.js.", NODE_STREAMS)
    assert not any(u.startswith("What are Modules") for u in users)


def test_an_index_letter_group_names_no_topic():
    # libjsoncpp-doc functions_c.html: "- c -" over "c_str() : Json::StaticString" lines
    assert instruction_for(["- c -"], "functions c") is None
    assert instruction_for(["_"], "Index") is None
    assert instruction_for(["C++ support"], "Doxygen manual") is not None
    # a single letter standing alone is a name (gettext's and debian-reference's "C" language)
    assert instruction_for(["Other Programming Languages", "C"], "GNU gettext utilities") is not None
    listing = "\n".join(f"- {name}() : Json::Value, the class whose member it is, defined in value.h" for name in
                        ("clear", "compare", "copy", "copyPayload", "empty", "end", "find", "get"))
    secs = [SectionInput(3, "functions_c.html", [], [(1, "Here is a list of all class members with links to the "
                                                       "classes they belong to:")]),
            SectionInput(3, "functions_c.html", ["- c -"], [(2, listing)])]
    assert list(extract_pairs(secs, mode="instruction")) == []


def test_an_untitled_preamble_does_not_hide_the_page_title():
    # a Doxygen page whose navigation paragraph comes before the title heading: the instruction
    # names the page by its title, not by its file name ("class json 1 1 value")
    text = ("Represents a JSON value. This class is a discriminated union wrapper that can represent a signed "
            "integer, an unsigned integer, a double, a UTF-8 string, a boolean, null, an ordered list of values "
            "or a collection of name and value pairs.")
    secs = [SectionInput(4, "class_json_1_1_value.html", [], [(1, "JsonCpp project page | Classes | Namespace")]),
            SectionInput(4, "class_json_1_1_value.html", ["Json::Value Class Reference", "Detailed Description"],
                         [(2, text)])]
    assert document_title(secs[0], secs) == "the Json::Value class"
    users = [p.user for p in extract_pairs(secs, mode="instruction")]
    assert users and all("class json 1 1 value" not in u for u in users)
    assert any("the Json::Value class" in u for u in users)
    # two top headings (a manual's parts) are no page title: the file name stays the fallback
    parts = [SectionInput(5, "doxygen_manual.pdf", [], [(1, "Manual for version 1.9.4")]),
             SectionInput(5, "doxygen_manual.pdf", ["I User Manual", "Introduction"], [(2, text)]),
             SectionInput(5, "doxygen_manual.pdf", ["II Reference Manual", "Features"], [(3, text)])]
    assert document_title(parts[0], parts) == "doxygen manual"


def test_instruction_on_a_doxygen_member_answers_with_its_description():
    # libjsoncpp-doc class_json_1_1_value.html: the member heading is its name, the section opens
    # with the signature's table row; the instruction's response was that row first
    text = ("Value::Members Json::Value::getMemberNames | ( |  | ) | const\n\n"
            "Return a list of the member names.\n\nIf null, return an empty list.\n\n"
            "Precondition\n: type() is objectValue or nullValue\n\n"
            "Postcondition\n: if type() was nullValue, it remains nullValue\n\n"
            "Definition at line 1010 of file json_value.cpp.\n\n"
            "References Json::Value::begin(), Json::Value::end(), and Json::Value::type().")
    secs = [SectionInput(6, "class_json_1_1_value.html", ["Json::Value Class Reference", "◆ getMemberNames()"],
                         [(1, text)])]
    [pair] = list(extract_pairs(secs, mode="instruction"))
    assert "getMemberNames()" in pair.user and "the Json::Value class" in pair.user
    assert pair.assistant.startswith("Return a list of the member names.")
    assert "Definition at line" not in pair.assistant and "References Json" not in pair.assistant


def test_overloads_on_one_page_are_told_apart_by_their_parameters():
    # libjsoncpp-doc: "◆ Value() [1/14]" … "◆ Value() [9/14]" all named "Value()"; the second
    # instruction was dropped as a repeat although its entry says something else
    def member(counter, row, description):
        return SectionInput(7, "class_json_1_1_value.html", ["Json::Value Class Reference", f"◆ Value() [{counter}]"],
                            [(counter.split("/")[0], f"{row}\n\n{description}\n\nDefinition at line 9 of file json_value.cpp.")])
    first = member("1/14", "Json::Value::Value | ( | ValueType | type = nullValue | ) |",
                   "Create a default Value of the given type. This is a very useful constructor. To create an empty "
                   "array, pass arrayValue. To create an empty object, pass objectValue.")
    ninth = member("9/14", "Json::Value::Value | ( | const StaticString & | value | ) |",
                   "Constructs a value from a static string. Like other value string constructor but do not "
                   "duplicate the string for internal storage. The given string must remain alive after the call.")
    users = [p.user for p in extract_pairs([first, ninth], mode="instruction")]
    assert len(users) == 2
    assert "“Value()”" in users[0] and "“Value(const StaticString & value)”" in users[1]
    # nodejs-doc: constructors headed with their parameters ("new Buffer(size)") keep them
    text = ("Instantiate a new URLSearchParams object with a query hash map. The key and value of each property "
            "of obj are always coerced to strings, and the order of the properties is the order of the query.")
    secs = [SectionInput(8, "url.html", ["URL", "Class: URLSearchParams", heading], [(i, text + f" Variant {i}.")])
            for i, heading in enumerate(["new URLSearchParams()", "new URLSearchParams(obj)"])]
    users = [p.user for p in extract_pairs(secs, mode="instruction")]
    assert len(users) == 2 and "“URLSearchParams(obj)”" in users[1]


def test_instruction_on_an_api_looking_heading_keeps_facts_and_terms():
    # gettext "Other Programming Languages › wxWidgets library": a camelCase name, but the
    # section is a list of facts; nothing of it is a signature to drop
    facts = ("RPMs\n: wxGTK, gettext\n\nUbuntu packages\n: libwxgtk3.0-dev\n\nFile extension\n: cpp\n\n"
             "String syntax\n: \"abc\"\n\ngettext shorthand\n: _(\"abc\"), wxPLURAL(\"abc\", \"abcs\", n)\n\n"
             "wxString::Format supports positions if and only if the system has wprintf(), vswprintf() "
             "functions and they support positions according to POSIX.")
    secs = [SectionInput(9, "gettext_15.html", ["Other Programming Languages", "wxWidgets library"], [(1, facts)])]
    [pair] = list(extract_pairs(secs, mode="instruction"))
    assert pair.assistant.startswith("RPMs\n: wxGTK, gettext")


def test_words_before_a_name_in_a_capitalised_run_belong_to_it():
    # mkdocs "Submitting Pull Requests" (the docs name the Requests library) was asked "How do I
    # submit pull Requests?"; a name before a common noun still modifies it
    casing = document_casing(["Fork the project and open a pull request. It uses the Requests library.",
                              "Install Python modules with pip; Python finds the modules on its path."])
    assert common_case("Pull Requests", casing) == "Pull Requests"
    assert common_case("Python Modules", casing) == "Python modules"


def test_a_generators_source_file_footer_answers_nothing():
    # libjsoncpp-doc: the last member of a class page carries Doxygen's footer; "What is
    # value_type_?" was answered "The documentation for this class was generated from …"
    text = ("unsigned int Json::Value::value_type_\n\nThe documentation for this class was generated from the "
            "following files:\n\n- include/json/value.h\n- src/lib_json/json_value.cpp")
    secs = [SectionInput(10, "class_json_1_1_value.html", ["Json::Value Class Reference", "◆ value_type_"],
                         [(1, text)])]
    assert list(extract_pairs(secs, mode="qa")) == []
    assert list(extract_pairs(secs, mode="instruction")) == []
    # a description before the footer stays, without the footer
    described = text.replace("\n\nThe documentation", "\n\nThe type of the value held, one of the ValueType "
                             "enumerators, kept in eight bits next to the allocation flag.\n\nThe documentation")
    secs[0].chunks = [(1, described)]
    [pair] = list(extract_pairs(secs, mode="qa"))
    assert pair.assistant.startswith("The type of the value held") and "generated from" not in pair.assistant
