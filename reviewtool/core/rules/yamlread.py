"""YAML that remembers where everything was written, and typed reads that report.

`compose(text, ctx)` builds the document with PyYAML's safe loader, node by node, so
every mapping, key, value and list item keeps its mark (`MDict`, `MList`); it refuses
an alias bomb (too many nodes after expanding aliases, or nesting too deep) and turns a
syntax error into a `Problem`. `Reader` reads one mapping's values with the types the
rule language wants, reporting wrong types and unknown keys at their marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, cast

import yaml

from reviewtool.core.rules.model import Problem

MAX_NODES = 200_000  # YAML nodes after alias expansion; more is an alias bomb
MAX_DEPTH = 64


class Mark(Protocol):
    """Where PyYAML read something (0-based line and column)."""

    line: int
    column: int


class _Node(Protocol):
    start_mark: Mark
    value: object


class _Loader(Protocol):
    """The parts of PyYAML's `SafeLoader` used here: compose nodes (which carry their
    marks) and construct scalars; the tree itself is built by `_Builder`."""

    def get_single_node(self) -> _Node | None: ...
    def flatten_mapping(self, node: _Node) -> None: ...
    def construct_object(self, node: _Node, deep: bool = ...) -> object: ...
    def dispose(self) -> None: ...


class MDict(dict[str, object]):
    """A mapping that remembers where it, each key and each value was written."""

    mark: Mark
    key_marks: dict[str, Mark]
    value_marks: dict[str, Mark]


class MList(list[object]):
    """A list that remembers where it and each item was written."""

    mark: Mark
    item_marks: list[Mark]


class Ctx:
    """The problems found in one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, mark: Mark | None, message: str, rule: str | None = None) -> None:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.problems.append(Problem(self.source, line, col, message, rule))


@dataclass
class Document:
    """A composed YAML file: its top value, where that starts, and the duplicate keys
    (reported once the rules they sit in are known)."""

    data: object
    mark: Mark
    duplicates: list[tuple[Mark, str]] = field(default_factory=list)


class _Bomb(Exception):
    def __init__(self, mark: Mark, what: str) -> None:
        self.mark = mark
        self.what = what


class _Builder:
    def __init__(self, loader: _Loader, ctx: Ctx) -> None:
        self.loader = loader
        self.ctx = ctx
        self.count = 0
        self.duplicates: list[tuple[Mark, str]] = []

    def build(self, node: _Node, depth: int = 0) -> object:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Bomb(node.start_mark, f"more than {MAX_NODES} YAML nodes after expanding "
                        "aliases (an alias bomb?); refusing to load")
        if depth > MAX_DEPTH:
            raise _Bomb(node.start_mark, f"YAML nested deeper than {MAX_DEPTH} levels "
                        "(a recursive alias?); refusing to load")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            items = MList()
            items.mark, items.item_marks = node.start_mark, []
            for item in cast("list[_Node]", node.value):
                items.append(self.build(item, depth + 1))
                items.item_marks.append(item.start_mark)
            return items
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: _Node, depth: int) -> MDict:
        self.loader.flatten_mapping(node)
        out = MDict()
        out.mark, out.key_marks, out.value_marks = node.start_mark, {}, {}
        for knode, vnode in cast("list[tuple[_Node, _Node]]", node.value):
            key = self.build(knode, depth + 1)
            if not isinstance(key, str):
                self.ctx.add(knode.start_mark, f"mapping key {key!r} must be a string")
                continue
            if key in out:
                self.duplicates.append((knode.start_mark, key))
                continue
            out[key] = self.build(vnode, depth + 1)
            out.key_marks[key] = knode.start_mark
            out.value_marks[key] = vnode.start_mark
        return out


@dataclass
class _At:
    """A mark computed from an offset into the text (PyYAML's reader gives only that)."""

    line: int
    column: int


def _at(text: str, position: int) -> _At:
    line = text.count("\n", 0, position)
    return _At(line, position - (text.rfind("\n", 0, position) + 1))


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> tuple[_At, str]:
    """PyYAML refuses control characters and NUL bytes before parsing: say which, where."""
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return _at(text, exc.position), (f"character U+{ord(char):04X} is not allowed in a "
                                     "rule set file (a control character or NUL byte)")


def compose(text: str, ctx: Ctx) -> Document | None:
    """The document in ``text``, or ``None`` with the reason added to ``ctx``."""
    try:
        loader: _Loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        ctx.add(*_reader_problem(text, exc))
        return None
    try:
        node = loader.get_single_node()
        if node is None:
            ctx.add(None, "empty rule set file")
            return None
        builder = _Builder(loader, ctx)
        data = builder.build(node)
    except _Bomb as bomb:
        ctx.add(bomb.mark, bomb.what)
        return None
    except RecursionError:
        # PyYAML composes nested collections recursively; deeper than Python's stack
        # allows is far past MAX_DEPTH anyway.
        ctx.add(None, f"YAML nested deeper than {MAX_DEPTH} levels; refusing to load")
        return None
    except yaml.reader.ReaderError as exc:
        ctx.add(*_reader_problem(text, exc))
        return None
    except yaml.MarkedYAMLError as exc:
        # Point at where the broken construct starts ("while scanning a quoted scalar"),
        # and say where the parser gave up.
        mark = exc.context_mark or exc.problem_mark
        what = f"{exc.context}, {exc.problem}" if exc.context else str(exc.problem)
        if exc.context_mark and exc.problem_mark:
            what += f" (at line {exc.problem_mark.line + 1})"
        ctx.add(mark, f"YAML syntax error: {what}")
        return None
    except yaml.YAMLError as exc:
        ctx.add(None, f"YAML error: {exc}")
        return None
    finally:
        loader.dispose()
    return Document(data, node.start_mark, builder.duplicates)


def type_name(value: object) -> str:
    """How a reviewer would call a YAML value's type, for messages."""
    return {str: "a string", int: "a number", float: "a number", bool: "true/false",
            type(None): "empty", MDict: "a mapping", MList: "a list"}.get(type(value),
                                                                          type(value).__name__)


class Reader:
    """Typed access to a mapping's values, reporting wrong types and unknown keys."""

    def __init__(self, ctx: Ctx, data: MDict, rule: str | None = None) -> None:
        self.ctx, self.data, self.rule = ctx, data, rule

    def mark(self, key: str) -> Mark:
        return self.data.value_marks.get(key, self.data.mark)

    def err(self, key: str | None, message: str) -> None:
        self.ctx.add(self.mark(key) if key else self.data.mark, message, self.rule)

    def unknown(self, allowed: set[str] | frozenset[str], where: str) -> None:
        for key in self.data:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.ctx.add(self.data.key_marks[key],
                             f"unknown key '{key}' in {where} (allowed: {hint})", self.rule)

    def str_(self, key: str, required: bool = False) -> str | None:
        if key not in self.data:
            if required:
                self.err(None, f"missing required key '{key}'")
            return None
        v = self.data[key]
        if not isinstance(v, str) or not v.strip():
            self.err(key, f"'{key}' must be a non-empty string, not {type_name(v)}")
            return None
        return v

    def bool_(self, key: str, default: bool) -> bool:
        v = self.data.get(key, default)
        if not isinstance(v, bool):
            self.err(key, f"'{key}' must be true or false, not {type_name(v)}")
            return default
        return v

    def num(self, key: str, lo: float, hi: float) -> float | None:
        if key not in self.data:
            return None
        v = self.data[key]
        if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
            self.err(key, f"'{key}' must be a number from {lo:g} to {hi:g}, not {v!r}")
            return None
        return float(v)

    def str_list(self, key: str) -> tuple[list[str], list[Mark]] | None:
        """A list of strings (a single string is taken as a one-item list)."""
        if key not in self.data:
            return None
        v = self.data[key]
        if isinstance(v, str):
            return [v], [self.mark(key)]
        if not isinstance(v, MList):
            self.err(key, f"'{key}' must be a list of strings, not {type_name(v)}")
            return None
        out, marks = [], []
        for item, mark in zip(v, v.item_marks, strict=True):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                self.ctx.add(mark, f"'{key}' items must be strings, not {type_name(item)}",
                             self.rule)
                continue
            out.append(str(item))
            marks.append(mark)
        return out, marks

    def mapping(self, key: str) -> MDict | None:
        if key not in self.data:
            return None
        v = self.data[key]
        if not isinstance(v, MDict):
            self.err(key, f"'{key}' must be a mapping, not {type_name(v)}")
            return None
        return v


def plain(value: object) -> object:
    """A YAML value without its marks: plain dicts and lists (what a plug-in is given)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
