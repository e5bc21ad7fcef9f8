"""One page template rendered thousands of times (the profiles): the layout it extends rendered
once, only its own blocks rendered per page.

`{% extends %}` renders the whole base template again for every page — the header, the
language buttons, the footer, a dozen `{% url %}` and `{% translate %}` — and looks for its
blocks by walking every node of it, each time. Here the base is rendered once, with a marker
where each of the page's blocks goes and the context it has there noted (what `{% with %}` or
`{% get_current_language %}` added around it); a page is then its blocks rendered in that
context, put between the base's pieces. The result is the same text as a plain render
(tests/test_static_export.py compares them) as long as the base shows nothing of a page's own
context outside the blocks: what it shows there is rendered once, for every page.
"""

from __future__ import annotations

import re
from typing import Any

from django.template import Context
from django.template.base import Node, NodeList, Template
from django.template.loader_tags import BlockNode, ExtendsNode

_MARK = re.compile("\x00([^\x00]+)\x00")


class _Marker(Node):
    """Where a block of the page goes in the layout; notes the context there."""

    def __init__(self, name: str, seen: dict[str, dict[str, Any]]) -> None:
        self.name, self.seen = name, seen

    def render(self, context: Context) -> str:
        self.seen.setdefault(self.name, {str(k): v for k, v in context.flatten().items()})
        return f"\x00{self.name}\x00"


class Layout:
    def __init__(self, template: Template, shared: dict[str, Any]) -> None:
        """`template` extends a layout; `shared` is the context every page has (the context
        processors' output)."""
        extends = template.nodelist[0]
        if not isinstance(extends, ExtendsNode):
            raise ValueError(f"{template.name} extends no layout")
        self.template = template
        self.blocks: dict[str, BlockNode] = extends.blocks
        seen: dict[str, dict[str, Any]] = {}
        markers: list[Node] = [BlockNode(name, NodeList([_Marker(name, seen)]))
                               for name in self.blocks]
        layout = ExtendsNode(NodeList(markers), extends.parent_name)
        layout.origin, layout.token = extends.origin, extends.token
        skeleton = Template.__new__(Template)
        skeleton.__dict__.update(template.__dict__)
        skeleton.nodelist = NodeList([layout])
        text = skeleton.render(Context(shared, autoescape=True))
        pieces = _MARK.split(text)
        # [text, block, text, block, ..., text]
        self.pieces: list[tuple[str, str]] = [
            (pieces[i], pieces[i + 1] if i + 1 < len(pieces) else "")
            for i in range(0, len(pieces), 2)]
        self.contexts = seen

    def render(self, values: dict[str, Any]) -> str:
        """The page with `values` (its own context, beside the shared one)."""
        out = []
        for text, block in self.pieces:
            out.append(text)
            if block:
                context = Context({**self.contexts[block], **values}, autoescape=True)
                # As Template.render binds them: tags read the engine's settings there.
                context.template = context.render_context.template = self.template
                context.template_name = self.template.name
                out.append(self.blocks[block].render(context))
        return "".join(out)
