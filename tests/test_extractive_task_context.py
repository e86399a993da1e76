"""core.extractive, round 17 of issue 10 (pairs12): a task question read without its document
must still say what it is about (``subjects.in_context``). "Downloading the font", "How to get
these files", "How to use it" name the thing from the headings above or the document's title, or
give no question; a task under a one-word activity heading ("Debugging > Downloading files") is
not asked as any download.

Inputs are real, quoted or shortened from Debian's /usr/share/doc Markdown: texlive-doc's font and
LaTeX package READMEs (Shobhika, ProjLib, tkz-euclide, europasscv, ragged2e's LPPL), APT's README,
GAP's CONTRIBUTING.md, git's README, pip's HTML docs sources, gentium's developer.md."""

from fineflow_desktop.core.extractive import SectionInput, extract_pairs, heading_question
from fineflow_desktop.core.extractive.subjects import DocumentContext, in_context, subject_name


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
                               "Licence, which has enabled us to create Shobhika. The following are the main "
                               "features of the Shobhika font."),
                (["Shobhika", "Downloading the font"], "The latest release of the font can be found on the releases page.")])
    assert "How do I download the Shobhika font?" in pairs
    assert "How do I download the font?" not in pairs
    # with no prose naming it, a one-word capitalised title may be a common word ("Code"): nothing named
    assert qa([(["Code"], "Wrap inline snippets of code with the code element."),
               (["Code", "Downloading the font"], "The latest release of the font can be found on the releases page.")]) \
        == {}


def test_these_files_and_it_are_named_by_the_root_heading():
    # texlive-doc/latex/projlib/README.md and tkz-euclide/README.md
    files = (["The ProjLib Toolkit", "Regarding the files and the compilation of documentations",
              "How to get these files"],
             "You can get the .sty files mentioned above simply by compiling ProjLib.ins:\n\n```\nlatex ProjLib.ins\n```")
    # the README never says "ProjLib files": no name goes before the noun, no question
    assert "How do I get these files?" not in qa([(["The ProjLib Toolkit"], INTRO), files])
    # nor when it does: "files" is no kind of thing a name can be (only "package", "font", "library" …)
    assert "How do I get the ProjLib files?" not in qa([(["The ProjLib Toolkit"], INTRO + " The ProjLib files are on CTAN."),
                                                       files])
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
    ctx = DocumentContext("HTTPS Certificates")
    assert in_context("When to use?", ["HTTPS Certificates", "Using system certificate stores", "When to use"], ctx) \
        == "When to use system certificate stores?"
    assert in_context("When to use?", ["HTTPS Certificates", "Notes", "When to use"], ctx) is None
    # a goal the writer left without object is the writer's sentence: kept (zsh.pdf)
    assert in_context("How do I subscribe or unsubscribe?", ["Mailing Lists"], ctx, own_heading=False) \
        == "How do I subscribe or unsubscribe?"


def test_a_step_of_an_activity_is_not_asked_as_any_task():
    # apt/README.md: the section says which debug options show the download methods' messages
    text = ("Various binaries (called 'methods') are tasked with downloading files. The Acquire system talks to "
            "them via simple text protocol. Depending on which side you want to see, use either "
            "-o Debug::pkgAcquire::Worker or -o Debug::Acquire::<method> to see the messages.")
    pairs = qa([(["APT"], "APT is the package manager of Debian and its derivatives, a command line tool."),
                (["APT", "Debugging", "Downloading files"], text)])
    assert "How do I download files?" not in pairs and "How do I download APT files?" not in pairs


def test_a_bare_noun_takes_the_parent_task_that_names_the_subject():
    # gap/CONTRIBUTING.md (main: "How do I make changes?"). Not "changes to GAP": the page never writes
    # it, and the parent's preposition does not carry over to another verb ("translate themes to MkDocs")
    pairs = qa([(["Contributing to GAP"], "We invite everyone to contribute by submitting patches, pull requests, "
                                          "bug reports, and code reviews."),
                (["Contributing to GAP", "Making Changes"], "GAP development follows a straightforward branching "
                                                            "model. We prefer using the GitHub infrastructure.")],
               "CONTRIBUTING.md")
    assert "How do I make changes when contributing to GAP?" in pairs
    # with nothing that names the subject, a bare noun stays general (a Perl module's CONTRIBUTING.md)
    assert in_context("How do I run tests?", ["HOW TO CONTRIBUTE", "Running tests"], DocumentContext("HOW TO CONTRIBUTE")) \
        == "How do I run tests?"
    # a bare noun does not take the name before it ("GNU mail", "GNU help" in gnu-maintain read worse)
    poppler = DocumentContext("Poppler, a PDF rendering library", text="poppler bugs are tracked on gitlab.")
    assert in_context("How do I report bugs?", ["Reporting bugs"], poppler) == "How do I report bugs?"


def test_this_license_is_the_heading_that_names_a_license():
    # texlive-doc/latex/ragged2e/LICENSE.md (the LPPL)
    path = ["The LaTeX Project Public License", "WHETHER AND HOW TO DISTRIBUTE WORKS UNDER THIS LICENSE"]
    lppl = DocumentContext("The LaTeX Project Public License")
    assert in_context("How do I use this license?", [*path, "How to Use This License"], lppl) \
        == "How do I use the LaTeX Project Public License?"
    # texinfo manuals' appendix: "Appendix A GNU Free Documentation License" (PDF: "A GNU Free …")
    assert in_context("How do I use this License for my documents?",
                      ["A GNU Free Documentation License", "ADDENDUM: How to use this License for your documents"],
                      DocumentContext("bashref")) == "How do I use the GNU Free Documentation License for my documents?"
    # "this license or another license": no single thing to name
    assert in_context("How do I choose this license or another license?",
                      [*path, "Choosing This License or Another License"], lppl) is None


def test_the_project_with_nothing_naming_it_gives_no_question():
    # texlive-doc/fonts/gentium-tug/…/developer.md: "Welcome font developers!"
    assert in_context("How do I contribute to the project?", ["Contributing to the project"],
                      DocumentContext("Welcome font developers!")) is None
    assert in_context("How do I build the fonts locally?", ["Contributing"], DocumentContext("Contributing"),
                      own_heading=False) is None
    # node's pages: the page's title names no feature ("Node.js v18.20.4 documentation")
    assert in_context("How do I enable the feature?", ["Enabling the feature"],
                      DocumentContext("Node.js v18.20.4 documentation", text="to enable the feature, …")) is None


def test_a_purpose_goal_is_named_too():
    # texlive-doc/latex/draftwatermark/README.md shape (main: no pair since round 15's refusal)
    text = ("The draftwatermark package adds a watermark to the pages of a document.\n\n"
            "To install the package, run TeX/LaTeX on the installation script draftwatermark.ins.")
    pairs = qa([(["The draftwatermark package"], text)])
    assert "How do I install the draftwatermark package?" in pairs
    # git/README.md: "the list" is no kind of thing "Git" is — no pair (main: "How do I subscribe to the list?")
    text = ('To subscribe to the list, send an email with just "subscribe git" in the body to '
            "majordomo@vger.kernel.org (not the Git list).")
    pairs = qa([(["Git - fast, scalable, distributed revision control system"], text)])
    assert not any("subscribe" in q for q in pairs)


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
                      ["Events", "Passing arguments and this to listeners"], DocumentContext("Events")) \
        == "How do I pass arguments and this to listeners?"
    assert in_context("How do I use the perlfaq?", ["DESCRIPTION", "How to use the perlfaq"],
                      DocumentContext("NAME", name="perlfaq.html")) == "How do I use the perlfaq?"
    assert in_context("How do I modify the default TLS cipher suite?", ["TLS (SSL)", "Modifying the default TLS cipher suite"],
                      DocumentContext("TLS (SSL)")) == "How do I modify the default TLS cipher suite?"
    # "that" opening a relative clause points nowhere (gettext); a phrase after "the <noun>" specifies it (erlang)
    assert in_context("How do I write my own programs that process PO files?",
                      ["Writing your own programs that process PO files"], DocumentContext("GNU gettext utilities")) \
        == "How do I write my own programs that process PO files?"
    assert in_context("How do I check that my zone can be validated?", ["Checking that my zone can be validated"],
                      DocumentContext("BIND 9")) == "How do I check that my zone can be validated?"
    assert in_context("How do I use the functions in the maps module?", ["Using the functions in the maps module"],
                      DocumentContext("Efficiency Guide")) == "How do I use the functions in the maps module?"


def test_splitting_is_the_gerund_of_split():
    # debian-reference: "Splitting a large file into small files" gave no question ("spliting")
    assert heading_question("Splitting a large file into small files") == (
        "How do I split a large file into small files?", "gerund_heading")


def test_a_one_word_plural_parent_says_of_what():
    # gap-tutorial.pdf: "Domains > Changing the Structure" (main: "How do I change the structure?")
    ctx = DocumentContext("GAP", text="the same set of elements can have different algebraic structures.")
    assert in_context("How do I change the structure?", ["Domains", "Changing the Structure"], ctx) \
        == "How do I change the structure of domains?"
    # "the example" is one example among others, and a longer parent does not read as "of" it
    assert in_context("How do I run the example?", ["Ports", "Running the example"], ctx) is None
    assert in_context("How do I set the shell?", ["Configuration variables", "Setting the shell"], ctx) is None


def test_an_acronym_title_and_a_package_file_name_name_the_subject():
    # node's all.html: a file stem is a name only before a kind noun ("the all feature" was written once)
    assert in_context("How do I enable the feature?", ["Enabling the feature"],
                      DocumentContext("Node.js v18.20.4 documentation", name="all.html", text="enable all features.")) is None
    # an acronym title names the subject ("GAP — A Tutorial"): "the package" of a GAP manual
    ctx = DocumentContext("GAP", text="the gap package system loads packages on demand.")
    assert in_context("How do I load the package?", ["Packages", "Loading the package"], ctx) \
        == "How do I load the GAP package?"
    # and only before a noun that says its kind: "the GAP function" of a section is that section's function
    assert in_context("How do I call the function?", ["Calling the function"],
                      DocumentContext("GAP", text="a gap function is called with its arguments.")) is None
    # membranecomputing.pdf: the PDF's title is its author's name; its file is named after the package
    ctx = DocumentContext("David Orellana-Martín", name="membranecomputing.pdf",
                          text="the membranecomputing package provides macros for membrane computing.")
    assert in_context("How do I use the package?", ["Using the package"], ctx) == "How do I use the membranecomputing package?"
    # a hyphenated file name is the document's own (maint-guide.en.pdf): "the package" is the reader's
    ctx = DocumentContext("Debian New Maintainers' Guide", name="maint-guide.en.pdf",
                          text="the maint-guide package is the source of this document.")
    assert in_context("How do I build the package?", ["Building the package"], ctx) is None


def test_a_verb_in_ly_is_no_adverb():
    # gettext's GPL appendix: "How to Apply These Terms to Your New Programs" ("apply" was read as an
    # adverb, so "these terms" was taken for the verb and its object)
    assert in_context("How do I apply these terms to my new programs?",
                      ["GNU GENERAL PUBLIC LICENSE", "How to Apply These Terms to Your New Programs"],
                      DocumentContext("GNU gettext utilities")) is None
