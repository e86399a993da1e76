"""Shapes the offline extractive generator recognises in documentation text, as regular
expressions: inline Q/A blocks and bold Markdown questions (FAQ pages), "NAME — purpose" lines of
reference pages, command-line options and option lists, Python/C signatures, reStructuredText
object directives, and code-like words (``CODEISH``: identifiers, paths, CONSTANTS) that no
English rule should turn into a question. ``grammar`` and ``structures`` read them."""

from __future__ import annotations

import re

QA_INLINE = re.compile(r"^\s*(?:Q|Question)\s*[:.]\s*(?P<q>.+?)\s*\n\s*(?:A|Answer)\s*[:.]\s*(?P<a>.+?)(?=\n\s*(?:Q|Question)\s*[:.]|\Z)",
                        re.S | re.M | re.I)
MD_BOLD_Q = re.compile(r"^\s*\*\*(?P<q>[^*\n]+\?)\*\*\s*\n(?P<a>.+?)(?=\n\s*\*\*[^*\n]+\?\*\*|\Z)", re.S | re.M)
_DASH = r"(?:—|–|---|--| - )"
NAME_PURPOSE = re.compile(
    rf"^`?(?P<names>(?:[A-Z][A-Z0-9_]*(?: [A-Z][A-Z0-9_]*){{0,4}})|[\w.:/\\+@-]+(?:,\s*[\w.:/\\+@-]+){{0,5}})`?"
    rf"\s*{_DASH}\s*(?P<purpose>\S.{{2,200}})$")
OPTION = re.compile(r"^(?:-{1,2}(?:\[no-\])?[A-Za-z?#@](?:[\w.-]*[\w-])?|\+[A-Za-z])(?:[=\s\[<,].*)?$")
SIGNATURE = re.compile(r"^(?:(?P<kind>class|exception|async|classmethod|staticmethod|abstractmethod|coroutine)\s+)?"
                        r"(?P<name>(?:[A-Za-z_]\w*::)*operator\s*(?:\(\)|\[\]|[^\s\w(]{1,3})|[A-Za-z_][\w.]*(?:::\w+)*)\s*\(")
C_SIGNATURE = re.compile(r"^(?:(?:const|unsigned|signed|struct|static|inline|extern|volatile)\s+)*[A-Za-z_]\w*[\s*]+"
                          r"(?P<name>[A-Za-z_]\w*)\s*\(")
# A word that names an API item: a qualified or dotted name with letters on both sides
# ("Json::Value", "fs.readFile"; not a version "2.0" or a date), snake_case, camelCase
# ("getString"; not "SQLite", "URIs", "3D": upper case after lower case only), a call "()".
API_NAME = re.compile(r"[A-Za-z_]::\w|[A-Za-z_]\.[A-Za-z_]|[A-Za-z0-9]_[A-Za-z0-9]|[a-z][A-Z]|\w\(\)?$|^[A-Za-z_]\w*\(|[A-Za-z]{2}\d+$")
# A function signature led by a keyword (Rust "pub const fn len(&self)", Go "func (r *R) Read(",
# Python "def f(", JavaScript "function f(", Kotlin "fun f("), modifiers before it.
KEYWORD_SIGNATURE = re.compile(r"^(?:(?:pub(?:\([^)]*\))?|const|async|unsafe|extern(?:\s+\"[^\"]*\")?|static|export|"
                               r"override|suspend|inline|private|public|protected)\s+){0,4}"
                               r"(?:fn|func|def|function|fun|sub|proc)\s+(?P<name>[A-Za-z_]\w*)\s*[(<]")
# A C function pointer, as a struct member or typedef declares it: "int (*xColumnCount)(Fts5Context*,
# int iCol)", "void *(*xUserData)(Fts5Context*)": the name is inside "(*…)", not the return type.
FUNCTION_POINTER = re.compile(r"^(?:(?:const|unsigned|signed|struct|static|extern|volatile)\s+)*[A-Za-z_]\w*[\s*]*"
                              r"\(\s*\*\s*(?P<name>[A-Za-z_]\w*)\s*\)\s*\(")


def signature_match(text: str) -> re.Match | None:
    """The match of the first signature shape *text* opens with, or None; its ``name`` group is the
    function's name. A C function pointer is tried first: ``SIGNATURE`` would read its return type
    ("int (*xRowid)(…)" → "int") as the name."""
    return (FUNCTION_POINTER.match(text) or SIGNATURE.match(text) or C_SIGNATURE.match(text)
            or KEYWORD_SIGNATURE.match(text))


CODEISH = re.compile(r"[_.()\\/$<>\[\]{}=]|^[A-Z0-9_]{2,}$|\w[A-Z]|^-")
OBJ_DIRECTIVE = re.compile(
    r"^(?P<indent>\s*)\.\.\s+(?:[a-z]+:)?(?P<kind>function|method|class|exception|attribute|data|decorator|"
    r"classmethod|staticmethod|coroutinefunction|coroutinemethod|option|cmdoption|envvar|describe|macro|member|"
    r"type|var|opcode|pdbcommand|2to3fixer|module|program)::\s*(?P<sig>.+)$")
RST_OPTION_LIST = re.compile(r"^(?P<opts>-{1,2}[A-Za-z0-9][\w-]*(?:[ =]<?[\w-]+>?)?(?:,\s*-{1,2}[A-Za-z0-9][\w-]*(?:[ =]<?[\w-]+>?)?)*)\s{2,}(?P<text>\S.*)$")
