"""core.extractive, round 17 of issue 10 (pairs12): a task question read without its document
must still say what it is about (``subjects.in_context``). "Downloading the font", "How to get
these files", "How to use it" name the thing from the headings above or the document's title, or
give no question; a task under a one-word activity heading ("Debugging > Downloading files") is
not asked as any download.

Inputs are real, quoted or shortened from Debian's /usr/share/doc Markdown: texlive-doc's font and
LaTeX package READMEs (Shobhika, ProjLib, tkz-euclide, europasscv, ragged2e's LPPL), APT's README,
GAP's CONTRIBUTING.md, git's README, pip's HTML docs sources, gentium's developer.md."""

from fineflow_desktop.core.extractive import SectionInput, extract_pairs, heading_question
from fineflow_desktop.core.extractive.subjects import in_context, subject_name


def qa(sections, name="README.md"):
    """question → rule of the qa pairs of one document given as [(heading path, text)]."""
    secs = [SectionInput(1, name, list(path), [(i, text)]) for i, (path, text) in enumerate(sections)]
    return {p.user: p.meta["rule"] for p in extract_pairs(secs, mode="qa")}


INTRO = "This package is distributed under the terms of its licence, see the file LICENSE for the details."


def test_the_font_is_named_by_the_document():
    # texlive-doc/fonts/shobhika/README.md (main: "How do I download the font?")
    # (a capitalised one-word title is a name when the prose capitalises it mid-sentence too)
    pairs = qa([(["Shobhika"], "Shobhika is a free, open source, Unicode compliant, OpenType font. We would like to "
                               "thank both these organisations for releasing their fonts under the SIL Open Font "
                               "Licence, which has enabled us to create Shobhika."),
                (["Shobhika", "Downloading the font"], "The latest release of the font can be found on the releases page.")])
    assert "How do I download the Shobhika font?" in pairs
    assert "How do I download the font?" not in pairs
    # with no prose naming it, a one-word capitalised title may be a common word ("Code"): nothing named
    assert qa([(["Code"], "Wrap inline snippets of code with the code element."),
               (["Code", "Downloading the font"], "The latest release of the font can be found on the releases page.")]) \
        == {}


def test_these_files_and_it_are_named_by_the_root_heading():
    # texlive-doc/latex/projlib/README.md and tkz-euclide/README.md
    pairs = qa([(["The ProjLib Toolkit"], INTRO),
                (["The ProjLib Toolkit", "Regarding the files and the compilation of documentations",
                  "How to get these files"],
                 "You can get the .sty files mentioned above simply by compiling ProjLib.ins:\n\n"
                 "```\nlatex ProjLib.ins\n```")])
    assert "How do I get the ProjLib files?" in pairs
    pairs = qa([(["tkz-euclide — for euclidean geometry"], INTRO),
                (["tkz-euclide — for euclidean geometry", "How to use it"],
                 "To use the package tkz-euclide, place the following lines in the preamble of your LaTeX document.")])
    assert "How do I use tkz-euclide?" in pairs and "How do I use it?" not in pairs


def test_a_verb_without_its_object_takes_the_name_or_the_parent_task():
    # texlive-doc/latex/europasscv/README.md (main: "How do I use?") and pip's https-certificates.md
    # (main: "When to use?")
    pairs = qa([(["europasscv"], INTRO),
                (["europasscv", "How to use"], "Please refer to the documentation for instructions on how to use the class.")])
    assert "How do I use europasscv?" in pairs and "How do I use?" not in pairs
    assert in_context("When to use?", ["HTTPS Certificates", "Using system certificate stores", "When to use"],
                      "HTTPS Certificates") == "When to use system certificate stores?"
    assert in_context("When to use?", ["HTTPS Certificates", "Notes", "When to use"], "HTTPS Certificates") is None


def test_a_step_of_an_activity_is_not_asked_as_any_task():
    # apt/README.md: the section says which debug options show the download methods' messages
    text = ("Various binaries (called 'methods') are tasked with downloading files. The Acquire system talks to "
            "them via simple text protocol. Depending on which side you want to see, use either "
            "-o Debug::pkgAcquire::Worker or -o Debug::Acquire::<method> to see the messages.")
    pairs = qa([(["APT"], "APT is the package manager of Debian and its derivatives, a command line tool."),
                (["APT", "Debugging", "Downloading files"], text)])
    assert "How do I download files?" not in pairs and "How do I download APT files?" not in pairs


def test_a_bare_noun_takes_the_parents_preposition_and_name():
    # gap/CONTRIBUTING.md (main: "How do I make changes?")
    pairs = qa([(["Contributing to GAP"], "We invite everyone to contribute by submitting patches, pull requests, "
                                          "bug reports, and code reviews."),
                (["Contributing to GAP", "Making Changes"], "GAP development follows a straightforward branching "
                                                            "model. We prefer using the GitHub infrastructure.")],
               "CONTRIBUTING.md")
    assert "How do I make changes to GAP?" in pairs
    # with nothing that names the subject, a bare noun stays general (a Perl module's CONTRIBUTING.md)
    assert in_context("How do I run tests?", ["HOW TO CONTRIBUTE", "Running tests"], "HOW TO CONTRIBUTE") \
        == "How do I run tests?"


def test_this_license_is_the_heading_that_names_a_license():
    # texlive-doc/latex/ragged2e/LICENSE.md (the LPPL)
    path = ["The LaTeX Project Public License", "WHETHER AND HOW TO DISTRIBUTE WORKS UNDER THIS LICENSE"]
    assert in_context("How do I use this license?", [*path, "How to Use This License"],
                      "The LaTeX Project Public License") == "How do I use the LaTeX Project Public License?"
    # "this license or another license": no single thing to name
    assert in_context("How do I choose this license or another license?",
                      [*path, "Choosing This License or Another License"], "The LaTeX Project Public License") is None


def test_the_project_with_nothing_naming_it_gives_no_question():
    # texlive-doc/fonts/gentium-tug/…/developer.md: "Welcome font developers!"
    assert in_context("How do I contribute to the project?", ["Contributing to the project"],
                      "Welcome font developers!") is None
    assert in_context("How do I build the fonts locally?", ["Contributing"], "Contributing", own_heading=False) is None


def test_a_purpose_goal_is_named_too():
    # git/README.md (main: "How do I subscribe to the list?")
    text = ('To subscribe to the list, send an email with just "subscribe git" in the body to '
            "majordomo@vger.kernel.org (not the Git list).")
    pairs = qa([(["Git - fast, scalable, distributed revision control system"], text)])
    assert "How do I subscribe to the Git list?" in pairs


def test_names_found_in_headings_and_titles():
    assert subject_name([], "Poppler, a PDF rendering library") == ("Poppler", "")
    assert subject_name(["Libtasn1 README -- Introduction information"], "") == ("Libtasn1", "")
    assert subject_name(["Contributing to GAP"], "") == ("GAP", "to")
    assert subject_name(["beamerswitch: Convenient mode selection in Beamer documents", "Installation"], "") \
        == ("beamerswitch", "")
    # a man page's name, a file label, a part of a page name nothing
    assert subject_name([], "gitrevisions(7)") is None
    assert subject_name(["NAME"], "README") is None
    assert subject_name(["Sizing"], "About") is None


def test_questions_that_stand_alone_are_unchanged():
    # node's events.md: "this" is JavaScript's, not a pointer; perlfaq.pod names itself
    assert in_context("How do I pass arguments and this to listeners?",
                      ["Events", "Passing arguments and this to listeners"], "Events") \
        == "How do I pass arguments and this to listeners?"
    assert in_context("How do I use the perlfaq?", ["DESCRIPTION", "How to use the perlfaq"], "NAME",
                      document_name="perlfaq.html") == "How do I use the perlfaq?"
    assert in_context("How do I modify the default TLS cipher suite?", ["TLS (SSL)", "Modifying the default TLS cipher suite"],
                      "TLS (SSL)") == "How do I modify the default TLS cipher suite?"


def test_debugging_is_the_gerund_of_debug():
    # debian-reference, perlfaq: "Debugging X Errors" gave no question (the gerund was spelt "debuging")
    assert heading_question("Debugging regular expressions") == ("How do I debug regular expressions?", "gerund_heading")
    assert heading_question("Splitting a large file into small files") == (
        "How do I split a large file into small files?", "gerund_heading")
