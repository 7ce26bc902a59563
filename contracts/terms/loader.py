"""Loading the terms folder: every `*.yml` / `*.yaml` file, validated together before any run.

Only those files are read: the folder may hold anything else (the default `contracts/terms/` of
a checkout is the Python package of this loader; its modules are not terms).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from pydantic import ValidationError

from contracts.terms.exact_yaml import read_terms_yaml
from contracts.terms.issues import TermsError, TermsIssue
from contracts.terms.messages import duplicate_key_issues, validation_issues
from contracts.terms.models import ContractTerms
from contracts.terms.reference import ReferenceData, TermsFile, load_reference

TERMS_SUFFIXES = (".yml", ".yaml")


def terms_files(folder: Path) -> list[Path]:
    """The terms files of a folder, by name; hidden files (`.name.yml`) and subfolders are not read."""
    return sorted(
        p for p in Path(folder).iterdir()
        if p.is_file() and p.suffix in TERMS_SUFFIXES and not p.name.startswith(".")
    )


def _read_one(path: Path, reference: ReferenceData) -> tuple[ContractTerms | None,
                                                             list[TermsIssue]]:
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [TermsIssue(str(path), "(file)", "UTF-8 text",
                                 f"an undecodable byte at offset {exc.start}")]
    try:
        document = read_terms_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(yaml)"
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [TermsIssue(str(path), where, "valid YAML", problem)]
    issues = duplicate_key_issues(document, str(path))
    try:
        terms = ContractTerms.from_document(document, reference=reference,
                                            file=TermsFile(path, sha256, text))
    except ValidationError as error:
        return None, issues + validation_issues(error, str(path))
    return (None, issues) if issues else (terms, [])


def load_terms_file(path: Path, reference_dir: Path) -> ContractTerms:
    """Load and validate one terms file; raises `TermsError` listing every problem."""
    terms, issues = _read_one(Path(path), load_reference(reference_dir))
    if issues:
        raise TermsError(issues)
    assert terms is not None
    return terms


def load_terms_folder(folder: Path, reference_dir: Path) -> list[ContractTerms]:
    """Load and validate every terms file of `folder` (in file-name order).

    Raises `TermsError` listing every problem of every file — including contract ids used by
    more than one file — so nothing runs on partly valid terms. An empty folder gives [].
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise TermsError([TermsIssue(str(folder), "(folder)", "a folder of contract terms",
                                     "no such folder")])
    reference = load_reference(reference_dir)
    contracts: list[ContractTerms] = []
    issues: list[TermsIssue] = []
    first_file: dict[str, Path] = {}
    for path in terms_files(folder):
        terms, file_issues = _read_one(path, reference)
        issues.extend(file_issues)
        if terms is None:
            continue
        if terms.id in first_file:
            issues.append(TermsIssue(str(path), "id", "an id unique across the terms folder",
                                     f"{terms.id!r}, already the id in {first_file[terms.id]}"))
            continue
        first_file[terms.id] = path
        contracts.append(terms)
    if issues:
        raise TermsError(issues)
    return contracts
