"""Prompt templates: ``{{variable}}`` rendering, changesets and the built-in generation templates."""

from fineflow_desktop.core.templates.render import (  # noqa: F401
    MissingVariablesError,
    TemplateError,
    TemplateIssue,
    TemplateSyntaxError,
    check_syntax,
    render,
    sample_context,
    validate_context,
    variable_names,
)

OUTPUT_FORMATS = ("text", "json", "markdown", "html")
VERSION_STATUSES = ("draft", "preview", "published")
