"""Every dashboard page reads right with real-world values (issue 15, point 4).

Each template in bot/web/templates is rendered with the dashboard's own environment (its
filters, autoescape, StrictUndefined), for several rounds of values from dashboard_values,
and the words a person sees are checked as the chat's are: no "None", no double escaping, no
fields run together, no doubled stops, no wrong plurals.
"""

from __future__ import annotations

import re

import pytest
from jinja2 import meta

from bot.library.messages import finish
from bot.web.context import make_templates
from tests.library.template_values import reads_wrong
from tests.web.dashboard_values import ROUNDS, values_for

ENVIRONMENT = make_templates()
PAGES = [name for name in ENVIRONMENT.list_templates() if not name.startswith("_")]
# Table cells, list items and the like are read apart; inline tags are part of the line.
_BLOCK = re.compile(
    r"</?(?:p|div|td|th|tr|li|ul|ol|h\d|dt|dd|dl|option|optgroup|section|article|nav|header|"
    r"footer|main|form|label|table|thead|tbody|blockquote|details|summary|title|head|br|"
    r"textarea|select|button|input|svg|html|body|meta|link)\b[^>]*>",
    re.IGNORECASE,
)
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def _variables(name: str) -> set[str]:
    """Everything the page and the templates it extends or imports need."""
    source = ENVIRONMENT.loader.get_source(ENVIRONMENT, name)[0]  # type: ignore[union-attr]
    parsed = ENVIRONMENT.parse(source)
    found = set(meta.find_undeclared_variables(parsed))
    for other in meta.find_referenced_templates(parsed):
        if other:
            found |= _variables(other)
    return found


def shown(page: str) -> str:
    """The words on a page, one block per line (charts' SVG text is checked by its own test)."""
    return _BLOCK.sub("\n", _SVG.sub("\n", page))


@pytest.mark.parametrize("name", PAGES)
def test_every_dashboard_page_reads_right(name: str) -> None:
    variables = _variables(name)
    found: dict[str, str] = {}
    for round_ in range(ROUNDS):
        try:
            values = values_for(name, variables, round_)
        except KeyError as exc:
            pytest.fail(f"{name} uses {exc}: add its kind of value to dashboard_values")
        page = finish(ENVIRONMENT.get_template(name).render(**values))
        for problem in reads_wrong(shown(page)):
            found.setdefault(problem, page)
    assert not found, f"{name} reads wrong:\n" + "\n".join(f"- {p}" for p in found)


def test_the_page_check_reads_cells_apart() -> None:
    assert reads_wrong(shown("<tr><td>3</td><td>Board</td></tr>")) == []
    assert reads_wrong(shown("<p>by <a>Margaret</a>“Hi”</p>"))
