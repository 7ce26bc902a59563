"""The landing folder: which files are extracts, of which source and vintage."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.clock import last_day_of_month

SOURCES = ("referrals", "benefits", "income")

_NAME_PATTERNS = {
    "referrals": re.compile(r"^referrals_(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\.(?P<fmt>csv|parquet)$"),
    "benefits": re.compile(r"^dream_(?P<y>\d{4})W(?P<w>\d{2})\.(?P<fmt>csv|parquet)$"),
    "income": re.compile(r"^eindkomst_(?P<y>\d{4})-(?P<m>\d{2})\.(?P<fmt>csv|parquet)$"),
}


@dataclass(frozen=True)
class LandedFile:
    source: str
    path: Path
    file_format: str  # csv | parquet
    vintage: date | None  # as-of date; None when the name is bad
    name_error: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def stem(self) -> str:
        return self.path.stem

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


def as_of_date(source: str, match: re.Match[str]) -> date:
    """The vintage's as-of date: referral date, Sunday of the ISO week, or last day of month."""
    year = int(match["y"])
    if source == "referrals":
        return date(year, int(match["m"]), int(match["d"]))
    if source == "benefits":
        return date.fromisocalendar(year, int(match["w"]), 7)
    return last_day_of_month(year, int(match["m"]))


def landed_files(landing: Path, source: str) -> list[LandedFile]:
    """Files of `source` in its landing sub-folder, by name. Other files are not extracts."""
    folder = landing / source
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        match = _NAME_PATTERNS[source].match(path.name)
        if not match or not path.is_file():
            continue
        try:
            vintage, error = as_of_date(source, match), None
        except ValueError as exc:
            vintage, error = None, f"file name {path.name!r} names no real date/week/month ({exc})"
        found.append(LandedFile(source, path, match["fmt"], vintage, error))
    return found
