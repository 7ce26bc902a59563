"""Pydantic's validation errors in the product's words: one `TermsIssue` per problem.

Each issue names the file, the field as a dotted path with list positions from 0
(`payment.outcomes[1].weeks` — pydantic's location without the union tags it inserts), what was
expected and what was found. Problems the value types and validators report (`values.fail`)
carry their own words; pydantic's structural errors (a missing or unknown field, a section that
is not a mapping, an unknown mechanism or outcome kind) are worded here, with the fields allowed
at that place read from the models.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from contracts.terms.issues import TermsIssue, describe
from contracts.terms.models import ContractTerms
from contracts.terms.values import TERMS_ERROR

REQUIRED = "a value: the field is required"
NOT_A_MAPPING = ("model_type", "model_attributes_type", "dict_type")
#: What a mapping of a discriminated union must look like, by its discriminator.
UNION_MAPPING = {
    "mechanism": "a mapping with the field mechanism and its terms",
    "kind": "a mapping with the fields of an outcome (id, kind, price, …)",
}


def validation_issues(error: ValidationError, file: str) -> list[TermsIssue]:
    """Every problem of a `ContractTerms` validation, in the order pydantic found them."""
    return [_issue(detail, file) for detail in error.errors(include_url=False)]


def duplicate_key_issues(document: object, file: str, path: str = "") -> list[TermsIssue]:
    """Fields written twice in one mapping (`exact_yaml` keeps the last and remembers them)."""
    issues = []
    if isinstance(document, dict):
        for key in getattr(document, "duplicate_keys", ()):
            issues.append(TermsIssue(file, _join(path, key), "each field written once",
                                     "the field a second time"))
        for key, value in document.items():
            issues += duplicate_key_issues(value, file, _join(path, key))
    elif isinstance(document, list):
        for i, value in enumerate(document):
            issues += duplicate_key_issues(value, file, f"{path}[{i}]")
    return issues


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _issue(detail: dict[str, Any], file: str) -> TermsIssue:
    kind, loc, value = detail["type"], detail["loc"], detail["input"]
    ctx = detail.get("ctx") or {}
    if loc and loc[-1] == "[key]":  # a mapping key that failed: pydantic writes its repr
        loc = (*loc[:-2], str(value))
    path, node, discriminator = _locate(loc)

    def issue(field: str, expected: str, got: str | None = None) -> TermsIssue:
        return TermsIssue(file, field or "(document)", expected, got)

    if kind == TERMS_ERROR:
        return issue(path, ctx["expected"], ctx["got"] or None)
    if kind == "missing":
        return issue(path, REQUIRED)
    if kind == "extra_forbidden":
        _, model, _ = _locate(loc[:-1])
        return issue(path, "one of the fields allowed here: " + ", ".join(model.model_fields),
                     "a field the terms do not have")
    if kind == "invalid_key":  # the value is the key
        return issue(_locate(loc[:-1])[0], "field names written as text", describe(value))
    if discriminator is not None and (kind in NOT_A_MAPPING or not isinstance(value, dict)):
        return issue(path, UNION_MAPPING[discriminator], describe(value))
    if kind in NOT_A_MAPPING and _is_model(node):
        return issue(path, "a mapping with the fields " + ", ".join(node.model_fields),
                     describe(value))
    if kind == "union_tag_not_found":
        return issue(_join(path, discriminator), REQUIRED)
    if kind == "union_tag_invalid":
        tags = _tags(node, discriminator)
        return issue(_join(path, discriminator), "one of " + ", ".join(tags),
                     describe(value.get(discriminator)))
    return issue(path, detail["msg"], describe(value))  # pragma: no cover - every value type words its own


# -- from pydantic's location to the field path and the type there -----------------------------
def _locate(loc: tuple[int | str, ...]) -> tuple[str, Any, str | None]:
    """The dotted field path of `loc`, the type at its end and that type's union discriminator.

    Discriminated unions put the tag of the member they chose into the location
    (`payment.savings_share.outlay`); it is not a field and is left out of the path.
    """
    path, node, discriminator = "", ContractTerms, None
    for part in loc:
        if discriminator is not None and part in _tags(node, discriminator):
            node, discriminator = _bare(_tags(node, discriminator)[part])
            continue
        if isinstance(part, int):
            path += f"[{part}]"
            node, discriminator = _bare(_item_type(node))
            continue
        path = _join(path, part)
        node, discriminator = _bare(_field_type(node, part))
    return path, node, discriminator


def _bare(annotation: Any) -> tuple[Any, str | None]:
    """The type without `Annotated` and `| None`, and the discriminator its metadata names."""
    discriminator = None
    while True:
        if get_origin(annotation) is Annotated:
            annotation, *metadata = get_args(annotation)
            for item in metadata:
                if isinstance(item, FieldInfo) and isinstance(item.discriminator, str):
                    discriminator = item.discriminator
        elif _is_union(annotation) and type(None) in get_args(annotation):
            others = tuple(a for a in get_args(annotation) if a is not type(None))
            annotation = others[0] if len(others) == 1 else Union[others]
        else:
            return annotation, discriminator


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _field_type(node: Any, name: str) -> Any:
    """The type of field `name` of a model, or of any value of a mapping; None elsewhere."""
    if get_origin(node) is Mapping:
        return get_args(node)[1]
    if not _is_model(node) or name not in node.model_fields:
        return None
    field = node.model_fields[name]
    if isinstance(field.discriminator, str):
        return Annotated[field.annotation, field]
    return field.annotation


def _item_type(node: Any) -> Any:
    args = get_args(node)
    return args[0] if args else None


def _tags(node: Any, discriminator: str) -> dict[str, type[BaseModel]]:
    """The members of a discriminated union by tag, in the union's order."""
    return {get_args(member.model_fields[discriminator].annotation)[0]: member
            for member in get_args(node)}
