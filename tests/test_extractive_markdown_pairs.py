"""core.extractive, round 16 of issue 10 (pairs11): qa pairs from Markdown READMEs and docs
sources — a task section that ends with the command it announces (a closed fenced block), task
headings with the verbs of web-component and contributor docs ("Hiding elements", "Offsetting
columns", "Contributing to GLib"), and Hugo shortcodes left out of answers.

Inputs are real, quoted or shortened from Debian's /usr/share/doc Markdown (a CONTRIBUTING.md of a
Perl module, libjs-bootstrap4's docs sources, libglib2.0's README.md)."""

from fineflow_desktop.core.extractive import SectionInput, extract_pairs, heading_question
from fineflow_desktop.core.markup import clean_markup


def qa(heading_path, text, name="README.md"):
    """(question, rule, answer) of the qa pairs of one section."""
    secs = [SectionInput(1, name, list(heading_path), [(1, text)])]
    return [(p.user, p.meta["rule"], p.assistant) for p in extract_pairs(secs, mode="qa")]


# a Perl module's CONTRIBUTING.md: the section is the sentence announcing a command, and the command
RUNNING_TESTS = """You can run tests directly using the prove tool:

```
$ prove -l
$ prove -lv t/some_test_file.t
```"""


def test_task_section_ending_with_its_command_keeps_the_command():
    pairs = qa(["HOW TO CONTRIBUTE", "Running tests"], RUNNING_TESTS, "CONTRIBUTING.md")
    assert pairs == [("How do I run tests?", "gerund_heading",
                      "You can run tests directly using the prove tool:\n\n```\n$ prove -l\n$ prove -lv t/some_test_file.t\n```")]


def test_a_block_the_chunk_cuts_open_is_no_whole_command():
    cut = RUNNING_TESTS.rsplit("```", 1)[0].rstrip()  # opening fence, no closing one
    assert qa(["HOW TO CONTRIBUTE", "Running tests"], cut, "CONTRIBUTING.md") == []


def test_task_headings_of_component_and_contributor_docs():
    assert heading_question("Hiding elements") == ("How do I hide elements?", "gerund_heading")
    assert heading_question("Offsetting columns") == ("How do I offset columns?", "gerund_heading")
    assert heading_question("Associating help text with form controls") == (
        "How do I associate help text with form controls?", "gerund_heading")
    assert heading_question("Contributing to GLib") == ("How do I contribute to GLib?", "gerund_heading")
    # still no object invented: a gerund alone, or a singular noun with no article
    assert heading_question("Nesting") is None
    assert heading_question("Making of the film") is None


# libjs-bootstrap4 docs/4.x/components/card.md, grid.md, forms.md: Hugo shortcodes in the source
def test_hugo_shortcodes_are_left_out_of_answers():
    text = ('You can offset grid columns in two ways: our responsive .offset- grid classes and our '
            '[margin utilities]({{< docsref "/utilities/spacing" >}}).\n\n{{< example >}}\n\n.col-md-4\n\n'
            '{{< /example >}}\n\nThis will ensure that assistive technologies will announce this help text. '
            '{{< /callout >}}')
    assert clean_markup(text) == ("You can offset grid columns in two ways: our responsive .offset- grid classes "
                                  "and our margin utilities.\n\n.col-md-4\n\nThis will ensure that assistive "
                                  "technologies will announce this help text.")
    # template code of other systems is code, kept
    assert clean_markup("{% for x in items %}\n{{ x.name }}\n{% endfor %}") == \
        "{% for x in items %}\n{{ x.name }}\n{% endfor %}"


def test_purpose_paragraph_ends_at_its_last_whole_line():
    # libjs-bootstrap4 content/code.md: an example's lines joined by <br>, the last a key chord
    text = ("To switch directories, type cd followed by the name of the directory.\n"
            "To edit settings, press ctrl + ,")
    assert qa(["Code", "User input"], text, "code.md") == [
        ("How do I switch directories?", "purpose_paragraph",
         "To switch directories, type cd followed by the name of the directory.")]


def test_the_final_block_goes_in_as_written_with_its_language():
    # libxml2's README.md shape: a sentence announcing a command, a fenced block with its language
    text = "If you build from a Git tree, start by generating the configuration files with:\n\n```sh\n./autogen.sh\n```"
    assert qa(["libxml2", "Generating configuration files"], text) == [
        ("How do I generate configuration files?", "gerund_heading",
         "If you build from a Git tree, start by generating the configuration files with:\n\n```sh\n./autogen.sh\n```")]
