"""core.extractive, round 18 of issue 10 (pairs13): a definition-list entry whose term is a value,
a bare word or a manual page's name must say what it is a term *of*. "color" in the list of
--word-diff's modes is asked as "What does --word-diff=color do?" (not "What is color?"), "ort"
under MERGE STRATEGIES as "What is the ort merge strategy of git-merge?"; a bare word whose list
names no kind gives no pair; gitrepository-layout(5) is a page, not a program; "How to validate"
does not validate the page's product.

Inputs are real, quoted or shortened from the chunk text of Debian's git-doc HTML pages
(git-diff.html, git-diff-files.html, git-config.html, git-fetch.html, git-merge.html,
gitrepository-layout.html, gitmodules.html) and gnu-standards' maintain.html."""

from fineflow_desktop.core.extractive import SectionInput, extract_pairs
from fineflow_desktop.core.extractive.enclosing import NestedLists, heading_kind, value_question
from fineflow_desktop.core.extractive.subjects import DocumentContext, in_context


def qa(sections, name="page.html", title=""):
    """question → rule of the qa pairs of one document given as [(heading path, [chunk texts])]."""
    secs, cid = [], 0
    for path, texts in sections:
        chunks = []
        for t in texts:
            chunks.append((cid, t))
            cid += 1
        secs.append(SectionInput(1, name, list(path), chunks, title))
    return {p.user: p.meta["rule"] for p in extract_pairs(secs, mode="qa")}


def man_page(name, section, purpose, heading, texts):
    """A git-doc man page: its NAME section, then one section *heading* of chunk *texts*."""
    root = f"{name}({section}) Manual Page"
    return qa([([root, "NAME"], [f"{name} - {purpose}"]), ([root, heading], texts)],
              name=f"{name}.html", title=f"{name}({section})")


# git-diff.html, OPTIONS: the modes of --word-diff, a <dl> inside the option's <dd>, flattened
WORD_DIFF = """--word-diff[=<mode>]
: Show a word diff, using the <mode> to delimit changed words. By default, words are delimited by whitespace; see --word-diff-regex below. The <mode> defaults to plain, and must be one of:

color
: Highlight changed words using only colors. Implies --color.

plain
: Show words as [-removed-] and {+added+}. Makes no attempts to escape the delimiters if they appear in the input, so the output may be ambiguous.

none
: Disable word diff again.

Note that despite the name of the first mode, color is used to highlight the changed parts in all modes if enabled.

--word-diff-regex=<regex>
: Use <regex> to decide what a word is, instead of considering runs of non-whitespace to be a word. Also implies --word-diff unless it was already enabled."""


def test_a_value_in_an_options_list_names_its_option():
    pairs = man_page("git-diff", 1, "Show changes between commits, commit and working tree, etc", "OPTIONS",
                     [WORD_DIFF])
    assert "What does --word-diff=color do?" in pairs and pairs["What does --word-diff=color do?"] == "option_value"
    assert "What does --word-diff=plain do?" in pairs and "What does --word-diff=none do?" in pairs
    assert not {"What is color?", "What is plain?", "What is none?"} & set(pairs)
    # the list ends at the paragraph after it: the next option is the option's own question
    assert "What does the --word-diff-regex option of git-diff do?" in pairs


def test_nesting_is_read_from_the_text():
    entries = NestedLists().read(WORD_DIFF)
    assert [(e.terms[0], p.terms[0] if p else None) for e, p in entries] == [
        ("--word-diff[=<mode>]", None), ("color", "--word-diff[=<mode>]"), ("plain", "--word-diff[=<mode>]"),
        ("none", "--word-diff[=<mode>]"), ("--word-diff-regex=<regex>", None)]


# git-diff-files.html: the chunker cuts the list of --diff-algorithm's variants; the next chunk
# repeats its last entries (overlap) and goes on after a paragraph
ALGORITHM_1 = """--diff-algorithm={patience|minimal|histogram|myers}
: Choose a diff algorithm. The variants are as follows:

default, myers
: The basic greedy diff algorithm. Currently, this is the default.

minimal
: Spend extra time to make sure the smallest possible diff is produced."""
ALGORITHM_2 = """minimal
: Spend extra time to make sure the smallest possible diff is produced.

histogram
: This algorithm extends the patience algorithm to "support low-occurrence common elements".

For instance, if you configured the diff.algorithm variable to a non-default value and want to use the default one, then you have to use --diff-algorithm=default option."""


def test_a_list_cut_by_the_chunker_keeps_its_option():
    pairs = man_page("git-diff-files", 1, "Compares files in the working tree and the index", "OPTIONS",
                     [ALGORITHM_1, ALGORITHM_2])
    assert "What does --diff-algorithm=minimal do?" in pairs
    assert "What does --diff-algorithm=histogram do?" in pairs
    assert "What is histogram?" not in pairs and "What is minimal?" not in pairs


# git-config.html, Variables: values of a setting, and a family of settings ("advice.*")
DIFF_ALGORITHM_SETTING = """diff.algorithm
: Choose a diff algorithm. The variants are as follows:

minimal
: Spend extra time to make sure the smallest possible diff is produced.

patience
: Use "patience diff" algorithm when generating patches.

diff.wsErrorHighlight
: Highlight whitespace errors in the context, old or new lines of the diff."""
ADVICE = """advice.*
: These variables control various optional help messages designed to aid new users. All advice.* variables default to true, and you can tell Git that you do not need help by setting these to false:

pushNonFFCurrent
: Advice shown when git-push(1) fails due to a non-fast-forward update to the current branch."""


def test_a_value_of_a_setting_names_the_setting():
    pairs = man_page("git-config", 1, "Get and set repository or global options", "Variables",
                     [DIFF_ALGORITHM_SETTING, ADVICE])
    assert "What does setting diff.algorithm to patience do?" in pairs
    assert "What does setting diff.algorithm to minimal do?" in pairs
    assert "What is diff.wsErrorHighlight?" in pairs  # the next setting closes the list
    assert "What is advice.pushNonFFCurrent?" in pairs and "What is pushNonFFCurrent?" not in pairs
    assert value_question("zebra", ["--ignore-whitespace"]) is None  # an option that takes no value
    assert value_question("dirty", ["submodule.<name>.ignore"]) == \
        ("What does setting submodule.<name>.ignore to dirty do?", "setting_value")


# git-submodule.html, COMMANDS: the update procedures are nested in "update"'s definition, and a
# paragraph of the first one's definition comes between them
SUBMODULE_UPDATE = """update [--init] [--remote] [-N|--no-fetch] [--[no-]recommend-shallow] [-f|--force] [--checkout|--rebase|--merge]
: Update the registered submodules to match what the superproject expects by cloning missing submodules, fetching missing commits in submodules and updating the working tree of the submodules. The "updating" can be done in several ways depending on command line options and the value of submodule.<name>.update configuration variable. The command line option takes precedence over the configuration variable. If neither is given, a checkout is performed. The update procedures supported both from the command line as well as through the submodule.<name>.update configuration are:

checkout
: the commit recorded in the superproject will be checked out in the submodule on a detached HEAD.

If --force is specified, the submodule will be checked out (using git checkout --force), even if the commit specified in the index of the containing repository already matches the commit checked out in the submodule.

rebase
: the current branch of the submodule will be rebased onto the commit recorded in the superproject.

merge
: the commit recorded in the superproject will be merged into the current branch in the submodule."""


def test_a_value_of_a_synopsis_gives_no_pair_and_no_wrong_kind():
    pairs = man_page("git-submodule", 1, "Initialize, update or inspect submodules", "COMMANDS", [SUBMODULE_UPDATE])
    assert "What is checkout?" not in pairs  # a value of a synopsis: nothing names it
    # after the paragraph the text cannot say whose entries "rebase" and "merge" are: not named as
    # COMMANDS (they keep the question they had; still open)
    assert "What is the rebase command of git-submodule?" not in pairs
    assert "What is the merge command of git-submodule?" not in pairs


# git-merge.html, MERGE STRATEGIES; gitrepository-layout.html, DESCRIPTION; git-config.html's
# mergetool values among its settings
STRATEGIES = """ort
: This is the default merge strategy when pulling or merging one branch. This strategy can only resolve two heads using a 3-way merge algorithm.

octopus
: This resolves cases with more than two heads, but refuses to do a complex merge that needs manual resolution."""


def test_a_bare_word_is_named_by_its_lists_heading_or_not_asked():
    pairs = man_page("git-merge", 1, "Join two or more development histories together", "MERGE STRATEGIES",
                     [STRATEGIES])
    assert "What is the ort merge strategy of git-merge?" in pairs
    # "octopus" / "This resolves cases …": nothing here calls it a strategy (the heading may name
    # the owner of its entries, not their kind): asked as before
    assert "What is the octopus merge strategy of git-merge?" not in pairs
    # octave.pdf, "Contour Groups": the properties of a contour group, not contour groups
    contour = qa([(["Graphics Object Properties", "Contour Groups"],
                   ["fill\n: Specifies whether to fill the regions between contour lines with color."])])
    assert "What is the fill contour group?" not in contour
    assert "What is ort?" not in pairs
    # git-config.html, Values: "What is color?" names the kind its heading gives
    values = man_page("git-config", 1, "Get and set repository or global options", "Values",
                      ["color\n: The value for a variable that takes a color is a list of colors (at most two, one for "
                       "foreground and one for background) and attributes (as many as you want), separated by spaces."])
    assert "What is the color value of git-config?" in values and "What is color?" not in values
    # a command's parameters (postgresql-15 sql-listen.html): a placeholder, not a thing called "channel"
    params = qa([(["LISTEN"], ["LISTEN — listen for a notification"]),
                 (["LISTEN", "Parameters"], ["channel\n: Name of a notification channel (any identifier)."])])
    assert "What is the channel parameter of LISTEN?" in params and "What is channel?" not in params
    # git-commit.html, OPTIONS: --cleanup's modes follow it as outer entries (its definition ends
    # with "."): among options a bare word is a value, asked about through nothing
    cleanup = man_page("git-commit", 1, "Record changes to the repository", "OPTIONS",
                       ["--cleanup=<mode>\n: This option determines how the supplied commit message should be cleaned "
                        "up before committing. The <mode> can be strip, whitespace, verbatim, scissors or default.\n\n"
                        "scissors\n: Same as whitespace except that everything from (and including) the line found "
                        "below is truncated, if the message is to be edited."])
    assert "What is scissors?" not in cleanup and "What is the scissors option of git-commit?" not in cleanup
    # no command: "Specific Options" of the FHS lists optional files, not a command's option values
    fhs = qa([(["/etc : Host-specific system configuration", "Specific Options"],
               ["fstab\n: Static information about filesystems (optional)"])])
    assert "What is fstab?" in fhs
    mixed = man_page("git-config", 1, "Get and set repository or global options", "Variables",
                     ["merge.tool\n: Controls which merge tool is used by git-mergetool(1). The list below shows the "
                      "valid built-in values.\n\nvimdiff\n: Use Vim with a custom layout (see git help mergetool's "
                      "BACKEND SPECIFIC HINTS section)"])
    # a list that also holds settings: the word may be a value of one of them; no kind is claimed
    assert "What is the vimdiff variable of git-config?" not in mixed


def test_heading_kinds():
    assert heading_kind("MERGE STRATEGIES") == "merge strategy"
    assert heading_kind("Capabilities for Fetching") == "capability"
    assert heading_kind("Miscellaneous capabilities") == "capability"
    assert heading_kind("2to3 Fixers") is None or heading_kind("Fixers") == "fixer"
    assert heading_kind("Variables for Installation Directories") == "variable"
    assert heading_kind("OPTIONS", holders=True) == "option"
    for heading in ("DESCRIPTION", "OUTPUT", "OPTIONS", "Parameters", "CONFIGURING GITWEB FEATURES", "Examples",
                    "Utilities and Decorators", "GNU Compiler Collection sources", "Definitions",
                    "12.6.5 FTP Upload Standalone Directives"):
        assert heading_kind(heading) is None, heading


def test_a_manual_page_of_section_5_or_7_describes_and_does_nothing():
    layout = man_page("gitrepository-layout", 5, "Git Repository Layout", "DESCRIPTION",
                      ["A Git repository comes in two different flavours: a .git directory at the root of the "
                       "working tree; a <project>.git directory that is a bare repository."])
    assert "What does the gitrepository-layout manual page describe?" in layout
    assert "What does gitrepository-layout do?" not in layout
    merge = man_page("git-merge", 1, "Join two or more development histories together", "DESCRIPTION",
                     ["Incorporates changes from the named commits (since the time their histories diverged from "
                      "the current branch) into the current branch."])
    assert "What does git-merge do?" in merge


def test_a_verb_whose_object_is_not_the_product_takes_no_name():
    # round 17's held-out "How do I validate libxml?": the page's name is not what is validated
    ctx = DocumentContext("libxml")
    assert in_context("How do I validate?", ["libxml", "How to validate"], ctx) is None
    assert in_context("How do I use?", ["libxml", "How to use"], ctx) == "How do I use libxml?"
    # a document that writes the verb with the name says so itself (round 17's "How do I validate XML?")
    xml = DocumentContext("XML", text="xmllint can validate xml documents against a dtd.")
    assert in_context("How do I validate?", ["XML", "How to validate"], xml) == "How do I validate XML?"
