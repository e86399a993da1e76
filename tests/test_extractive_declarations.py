"""core.extractive, round 12 of issue 10 (pairs8): a declaration followed by its description
("subparser :: Mod CommandFields a -> Parser a" / "Builder for a command parser.") gives a qa
pair about the declared item, answered by the description.

Text is real, quoted or shortened from the Haddock pages of Debian's
libghc-optparse-applicative-doc (the development set of this round) as today's HTML parser and
chunker give it: each declaration is a one-line code block, the documentation follows as prose."""

import pytest

from fineflow_desktop.core.extractive import SectionInput, extract_pairs
from fineflow_desktop.core.extractive.declarations import Declaration, declaration_question, read_declaration


def qa(heading_path, text, name="page.html"):
    """(question, rule, answer) of the qa pairs of one section."""
    secs = [SectionInput(1, name, list(heading_path), [(1, text)])]
    return [(p.user, p.meta["rule"], p.assistant) for p in extract_pairs(secs, mode="qa")]


BUILDER = """This module contains utility functions and combinators to create parsers for individual options.

```
subparser :: Mod CommandFields a -> Parser a Source
```

Builder for a command parser. The command modifier can be used to specify individual commands.

```
strArgument :: IsString s => Mod ArgumentFields s -> Parser s Source
```

Builder for a String argument.

```
flag Source
```

Arguments

:: a | default value
-> a | active value

Builder for a flag parser.

```
switch :: Mod FlagFields Bool -> Parser Bool Source
```

Builder for a boolean flag.

Note: Because this parser will never fail, it can not be used with combinators such as some or many, as these combinators continue until a failure occurs. See flag'.

```
switch = flag False True
```

```
data ParseError Source
```

Constructors

ErrorMsg String
InfoMsg String

Instances

```
mempty :: ParseError Source
```

```
mappend :: ParseError -> ParseError -> ParseError Source
```
"""


def test_declarations_followed_by_prose_give_questions():
    got = qa(["Options.Applicative.Builder", "Parser builders"], BUILDER, "Options-Applicative-Builder.html")
    assert [(q, rule) for q, rule, _a in got] == [
        ("What does the subparser function do?", "declaration"),
        ("What does the strArgument function do?", "declaration"),
        ("What does the switch function do?", "declaration"),
    ]
    answers = {q: a for q, _r, a in got}
    assert answers["What does the subparser function do?"] == (
        "Builder for a command parser. The command modifier can be used to specify individual commands.")
    # the description runs on past its first paragraph, up to the next declaration
    assert answers["What does the switch function do?"].startswith("Builder for a boolean flag.\n\nNote: Because")
    assert "ParseError" not in answers["What does the switch function do?"]


def test_no_question_without_a_description():
    # a declaration followed by a caption ("Constructors"), another declaration or a table row
    # ("Arguments" of "flag Source" above) describes nothing: no pair about ParseError, mempty, mappend
    got = qa(["Modifiers"], BUILDER.split("```\nswitch ::")[0].replace("subparser", "x1").replace(
        "Builder for a command parser.", "") + "```\ndata ParseError Source\n```\n\nConstructors\n\nErrorMsg String")
    assert not any("ParseError" in q or "mempty" in q for q, _r, _a in got)


@pytest.mark.parametrize("line, item", [
    ("subparser :: Mod CommandFields a -> Parser a Source", Declaration("subparser", "function")),
    ("short :: HasName f => Char -> Mod f a Source", Declaration("short", "function")),
    ("idm :: Monoid m => m Source", Declaration("idm", "value")),  # the arrow is in no context
    ("flag' :: a -> Mod FlagFields a -> Parser a", Declaration("flag'", "function")),
    ("(<$$>) :: Doc -> Doc -> Doc Source", Declaration("<$$>", "operator")),
    ("data ParserInfo a Source", Declaration("ParserInfo", "type")),
    ("newtype ReadM a Source", Declaration("ReadM", "type")),
    ("type ParserA = A Parser Source", Declaration("ParserA", "type")),
    ("class Functor f => Applicative f", Declaration("Applicative", "class")),
    ("class (Typeable e, Show e) => Exception e", Declaration("Exception", "class")),
    # code that declares nothing: an equation, an expression, a bare name
    ("switch = flag False True", None),
    ("length <$> many (flag' () (short 't'))", None),
    ("flag Source", None),
    ("x :: ", None),
])
def test_read_declaration(line, item):
    assert read_declaration(line) == item


@pytest.mark.parametrize("item, description, question", [
    (Declaration("subparser", "function"), "Builder for a command parser.", "What does the subparser function do?"),
    (Declaration("<$$>", "operator"), "The document (x <$$> y) concatenates …", "What does the <$$> operator do?"),
    (Declaration("disambiguate", "value"), "Turn on disambiguation.", "What does the disambiguate value do?"),
    (Declaration("defaultPrefs", "value"), "Default preferences.", "What is defaultPrefs?"),
    # a value whose description opens with a verb does something
    (Declaration("allPositional", "value"), "Disable parsing of regular options completely.",
     "What does allPositional do?"),
    (Declaration("showHelpOnError", "value"), "Show full help text on any error.", "What does showHelpOnError do?"),
    # a name of lower-case letters only may be an English word: "What is line?" asks something else
    (Declaration("line", "value"), "The line document advances to the next line.", "What is the line value?"),
    (Declaration("hidden", "value"), "Hide this option from the brief description.", "What does the hidden value do?"),
    (Declaration("ParserInfo", "type"), "A full description for a runnable Parser for a program.",
     "What is the ParserInfo type?"),
    (Declaration("AltNodeType", "type"), "This type encapsulates whether an AltNode is visible.", "What is AltNodeType?"),
    (Declaration("Pretty", "class"), "The member prettyList is only used to define the instance.",
     "What is the Pretty class?"),
])
def test_declaration_question(item, description, question):
    assert declaration_question(item, description) == question


def test_an_item_the_heading_names_is_left_to_the_heading():
    text = "```\nrunA :: Applicative f => A f () a -> f a Source\n```\n\nConvert an arrow back to an applicative value."
    assert [q for q, _r, _a in qa(["Options.Applicative.Arrows", "Documentation"], text)] == [
        "What does the runA function do?"]
    assert "What does the runA function do?" not in [q for q, _r, _a in qa(["Arrows", "runA"], text)]


# haskell98-report (hand-written HTML): declarations that are examples inside a discussion — the
# sentence before runs on into the code, or the prose after it goes on to something else
@pytest.mark.parametrize("text", [
    "The type constructor Maybe is defined in Prelude as\n\n```\ndata Maybe a = Nothing | Just a\n```\n\n"
    "The purpose of the Maybe type is to provide a method of dealing with illegal or optional values.",
    "A variable can only be given a type signature if its first argument is restricted; for example\n\n"
    "```\ng :: Int -> b -> ([Int],b)\n```\n\nThis signature would also cause x to have type Int.",
    "The only Prelude function that creates an IOError value is userError. User error values include a string "
    "describing the error.\n\n```\nuserError :: String -> IOError\n```\n\n"
    "Exceptions are raised and caught using the following functions:\n\n```\nioError :: IOError -> IO a\n```",
])
def test_an_example_inside_a_discussion_is_no_entry(text):
    assert not [q for q, rule, _a in qa(["7 Basic Input/Output", "7.3 Exception Handling"], text) if rule == "declaration"]
