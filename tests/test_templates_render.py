"""{{variable}} interpolation: order, repeats, unicode, escapes, nested braces, malformed input."""

import pytest
from hypothesis import given, strategies as st

from fineflow_desktop.core.templates.render import (
    MissingVariablesError,
    TemplateSyntaxError,
    check_syntax,
    render,
    sample_context,
    validate_context,
    variable_names,
)


def test_variable_names_in_order_of_first_use_repeated_once():
    body = "{{b}} then {{a}}, again {{b}} and {{ c }} and {{a}}"
    assert variable_names(body) == ["b", "a", "c"]


def test_repeated_variable_renders_everywhere():
    assert render("{{x}}-{{x}}-{{ x }}", {"x": "7"}) == "7-7-7"


def test_unicode_values_names_and_surroundings():
    body = "Résumé für {{name}} — «{{topic_2}}» 😀"
    out = render(body, {"name": "Zoë 李雷", "topic_2": "ελληνικά 🚀"})
    assert out == "Résumé für Zoë 李雷 — «ελληνικά 🚀» 😀"


def test_non_string_values():
    out = render("{{n}}|{{f}}|{{b}}|{{none}}|{{lst}}|{{d}}", {"n": 3, "f": 0.5, "b": True, "none": None,
                                                             "lst": ["a", "é"], "d": {"k": 1}})
    assert out == '3|0.5|True||["a", "é"]|{"k": 1}'


def test_escaped_braces_render_literally():
    assert render(r"Use \{{name}} to insert {{name}}", {"name": "Ann"}) == "Use {{name}} to insert Ann"
    assert variable_names(r"\{{name}}") == []


def test_double_backslash_is_a_backslash_then_the_value():
    assert render(r"\\{{x}}", {"x": "v"}) == "\\v"
    assert render(r"\\\{{x}}", {"x": "v"}) == "\\{{x}}"


def test_other_backslashes_untouched():
    assert render(r"C:\path\n {{x}} \}", {"x": "1"}) == r"C:\path\n 1 \}"


def test_nested_braces_innermost_placeholder_surplus_literal():
    assert render("{{{x}}}", {"x": "v"}) == "{v}"
    assert render("{{{{x}}}}", {"x": "v"}) == "{{v}}"
    assert variable_names("{{{x}}}") == ["x"]


def test_json_examples_need_no_escaping():
    body = 'Reply as {"pairs": [{"user": "...", "assistant": "..."}]} about {{t}}; nested {"a": {"b": 1}}'
    assert check_syntax(body) == []
    assert render(body, {"t": "cats"}).endswith('about cats; nested {"a": {"b": 1}}')


def test_values_are_not_reinterpreted():
    assert render("{{a}}", {"a": "{{b}} \\{{c}}"}) == "{{b}} \\{{c}}"


def test_empty_placeholder_reported_with_line_and_column():
    issues = check_syntax("ok line\nsay {{ }} now")
    assert [(i.kind, i.line, i.column) for i in issues] == [("empty", 2, 5)]
    assert issues[0].start == 12 and issues[0].end == 17


def test_unclosed_placeholder_reported():
    body = "first\n  {{name and more\n{{other}}"
    issues = check_syntax(body)
    assert [(i.kind, i.line, i.column) for i in issues] == [("unclosed", 2, 3)]
    assert variable_names(body) == ["other"]


def test_unclosed_before_next_open():
    issues = check_syntax("{{a {{b}}")
    assert [(i.kind, i.column) for i in issues] == [("unclosed", 1)]
    assert variable_names("{{a {{b}}") == ["b"]


def test_unclosed_at_end_of_text():
    assert [i.kind for i in check_syntax("tail {{x")] == ["unclosed"]


@pytest.mark.parametrize("bad", ["{{first-name}}", "{{a b}}", "{{1x}}", "{{é}}", "{{a.b}}"])
def test_bad_names_reported(bad):
    issues = check_syntax(f"x {bad}")
    assert [(i.kind, i.line, i.column) for i in issues] == [("bad_name", 1, 3)]


def test_render_raises_syntax_error_with_all_issues():
    with pytest.raises(TemplateSyntaxError) as err:
        render("{{ }}\n{{x-y}}", {})
    assert [i.line for i in err.value.issues] == [1, 2]
    assert "line 1, column 1" in str(err.value) and "1 more" in str(err.value)


def test_missing_variables_strict_and_lenient():
    with pytest.raises(MissingVariablesError) as err:
        render("{{a}} {{b}} {{c}}", {"b": 1})
    assert err.value.missing == ["a", "c"]
    assert render("{{a}} {{b}}", {"b": 1}, strict=False) == "{{a}} 1"


def test_validate_context_missing_and_unknown_extra():
    missing, extra = validate_context("{{a}} {{b}} {{a}}", {"b": "", "zz": 1, "yy": None})
    assert missing == ["a"]
    assert extra == ["zz", "yy"]


def test_sample_context():
    assert sample_context("{{product_name}} {{x}} {{product_name}}") == {
        "product_name": "[product_name_value]", "x": "[x_value]"}


_plain = st.text(alphabet=st.characters(blacklist_characters="{\\"), max_size=80)


@given(_plain)
def test_text_without_braces_renders_unchanged(text):
    assert render(text, {}) == text


@given(st.text(max_size=40), _plain, _plain)
def test_any_value_is_inserted_verbatim(value, before, after):
    assert render(before + "{{v}}" + after, {"v": value}) == before + value + after


@given(st.text(max_size=60))
def test_parser_never_crashes_and_positions_are_valid(text):
    for issue in check_syntax(text):
        assert 0 <= issue.start < issue.end <= len(text)
        assert text[issue.start:issue.start + 2] == "{{"
