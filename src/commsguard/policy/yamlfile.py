"""YAML that remembers where each value came from, so errors can say ``file:line (field)``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from commsguard.errors import PackError, PackErrors, PackLocation


class LineDict(dict[Any, Any]):
    """A mapping with the 1-based line of itself (``line``) and of each key (``lines``)."""

    line: int = 0
    lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence with the 1-based line of itself and of each item."""

    line: int = 0
    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    pass


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise PackError(
                f"duplicate key {key!r}",
                PackLocation(str(loader.name), key_node.start_mark.line + 1, str(key)),
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def read_yaml(path: Path) -> Any:
    """Parse ``path`` keeping line numbers; a syntax error becomes a :class:`PackError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(f"cannot read: {exc.strerror}", PackLocation(str(path))) from None
    try:
        loader = _LineLoader(text)
        loader.name = str(path)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise PackError(f"invalid YAML: {exc.problem}", PackLocation(str(path), line)) from None


def line_of(data: Any, loc: Sequence[int | str]) -> int | None:
    """The line of the deepest part of ``loc`` that can be found in ``data``."""
    line: int | None = getattr(data, "line", None) or None
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.lines[part]
            node = node[part]
        else:
            break
        inner = getattr(node, "line", None)
        if inner and not isinstance(node, LineDict):
            line = inner
    return line


def field_path(loc: Sequence[int | str], prefix: Sequence[int | str] = ()) -> str:
    parts = [*prefix, *loc]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_errors(
    exc: ValidationError, path: Path, data: Any, prefix: Sequence[int | str] = ()
) -> list[PackError]:
    """Turn a pydantic error into located pack errors, one per problem."""
    out = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if isinstance(p, int | str)]
        # pydantic adds the union member or validator name to loc; keep only real keys.
        loc = [p for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
        out.append(
            PackError(
                err["msg"],
                PackLocation(str(path), line_of(data, loc), field_path(loc, prefix)),
            )
        )
    return out


T = TypeVar("T", bound=BaseModel)


def load_yaml_model(path: Path, model: type[T]) -> T:
    """Read ``path`` and validate it as ``model``; errors name file, line and field."""
    data = read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = validation_errors(exc, path, data)
        raise (errors[0] if len(errors) == 1 else PackErrors(errors)) from None
