"""One Jinja environment for every template."""

from __future__ import annotations

from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> jinja2.Environment:
    """The project's Jinja environment: strict, whitespace-controlled, no escaping."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def render(template: str, context: dict[str, object]) -> str:
    """Render one template with the given context."""
    return environment().get_template(template).render(**context)
