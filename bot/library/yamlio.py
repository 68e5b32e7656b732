"""YAML for content and prompts: parsed once, with libyaml's C parser when it is built.

Content is read at every start (issue 16: start in under two seconds); the pure-Python
parser took most of a second over content/ and prompts/. Nodes keep their marks, so
problems still name the file's line.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["LOADER", "compose", "compose_and_load", "load"]

LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> yaml.Node | None:
    """The node tree of a document (with line marks), or None when it is empty."""
    return yaml.compose(text, Loader=LOADER)


def load(text: str) -> Any:
    """The Python data of a document (safe types only)."""
    return yaml.load(text, Loader=LOADER)  # noqa: S506 - LOADER is a safe loader


def compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree and the data of a document, from one parse."""
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()
