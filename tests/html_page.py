"""Reading a rendered HTML report back as a small tree, for the report tests."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import attrs

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"})


@attrs.define
class Element:
    tag: str
    attributes: dict[str, str]
    children: list[Element | str] = attrs.Factory(list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def by_class(self, name: str) -> list[Element]:
        return [e for e in self.iter() if name in e.attributes.get("class", "").split()]


class Page(HTMLParser):
    """A small DOM of a report; the reports write every optional end tag, so every end tag
    must close the element last opened, and none may be left open."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self._open = [self.root]
        self.feed(text)
        self.close()
        assert self._open == [self.root], "elements left open"
        self.ids = {e.attributes["id"]: e for e in self.root.iter() if "id" in e.attributes}

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v if v is not None else "" for k, v in attributes})
        self._open[-1].children.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self._open[-1].tag == tag, f"</{tag}> closes <{self._open[-1].tag}>"
        self._open.pop()

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)

    def __getitem__(self, element_id: str) -> Element:
        return self.ids[element_id]
