"""Reading contract-terms YAML without ever passing a number through a binary float.

PyYAML's safe loader is used for the syntax, with three changes:
- every scalar YAML would read as an int or a float keeps its text: plain decimal notation
  (`3200000.00`, `0.5`, `-3`) becomes an exact `Decimal` of that text; anything else a YAML 1.1
  reader would take as a number (`1_000`, `0x1f`, `010`, `1.0e3`, `.5`, `.inf`, `1:30`) becomes an
  `UnreadableScalar`, which the validator reports with the field it sits in;
- timestamps become `date` only when written `YYYY-MM-DD` and valid; anything else (`2024-02-30`,
  a time of day) becomes an `UnreadableScalar`;
- mappings remember keys that occur twice (YAML would silently keep the last one), so the
  validator can report them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import yaml

_PLAIN_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


@dataclass(frozen=True)
class UnreadableScalar:
    """A scalar that looks like a number or a date but is not written the way terms must be."""

    text: str
    kind: str  # "number" | "date"


class TermsMapping(dict):
    """A YAML mapping; `duplicate_keys` lists keys written more than once (last value kept)."""

    duplicate_keys: tuple[object, ...] = ()


class _TermsLoader(yaml.SafeLoader):
    """Safe loader with exact numbers, strict dates and duplicate-key detection."""


def _construct_number(loader: _TermsLoader, node: yaml.ScalarNode) -> Decimal | UnreadableScalar:
    text = loader.construct_scalar(node)
    if _PLAIN_NUMBER.match(text):
        return Decimal(text)
    return UnreadableScalar(text, "number")


def _construct_timestamp(loader: _TermsLoader, node: yaml.ScalarNode) -> date | UnreadableScalar:
    text = loader.construct_scalar(node)
    if _PLAIN_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    return UnreadableScalar(text, "date")


def _construct_mapping(loader: _TermsLoader, node: yaml.MappingNode) -> TermsMapping:
    mapping = TermsMapping()
    yield mapping
    # Keys written in this mapping itself (merge keys `<<` may legitimately be overridden).
    seen: set[object] = set()
    duplicates: list[object] = []
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            if key in seen and key not in duplicates:
                duplicates.append(key)
            seen.add(key)
        except TypeError:  # an unhashable key; construct_mapping below reports it
            pass
    mapping.update(loader.construct_mapping(node, deep=True))
    mapping.duplicate_keys = tuple(duplicates)


_TermsLoader.add_constructor("tag:yaml.org,2002:int", _construct_number)
_TermsLoader.add_constructor("tag:yaml.org,2002:float", _construct_number)
_TermsLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_TermsLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def read_terms_yaml(text: str) -> object:
    """Parse one YAML document; raises `yaml.YAMLError` on a syntax error."""
    return yaml.load(text, Loader=_TermsLoader)  # noqa: S506 - a SafeLoader subclass
