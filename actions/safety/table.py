"""The crisis line table (crisis_lines.yml), with an organisation's own file on top, checked entry by entry.

Pure functions and frozen data, no Rasa imports. `load_crisis_lines()` reads the table once per process; the referral
action calls it when the action server starts, so a bad entry stops start-up with a message that names it.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

LINES_FILE = Path(__file__).with_name("crisis_lines.yml")
OVERRIDE_ENV = "UNTANGLE_CRISIS_LINES"
ANYWHERE = "ANY"
CATEGORIES = (
    "emergency",
    "suicide",
    "crisis",
    "text_line",
    "partner_abuse",
    "sexual_violence",
    "child_abuse",
    "young_people",
    "older_people",
    "directory",
    # who a line is for (actions/safety/selection.py puts the lines that fit the writer first)
    "men",
    "women",
    "lgbtq",
    "uses_abuse",
    "family_friends",
)
MODES = ("extend", "replace")

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NUMBER = re.compile(r"^\+?[0-9][0-9 ()\-]*$")
_URL = re.compile(r"^https?://\S+$")


class CrisisLinesError(ValueError):
    """The crisis line table cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class CrisisLine:
    id: str
    country: str
    name: str
    categories: Tuple[str, ...]
    source: str
    verified: str
    phone: Optional[str] = None
    text: Optional[str] = None
    sms_number: Optional[str] = None
    sms_body: Optional[str] = None
    chat_url: Optional[str] = None
    web_url: Optional[str] = None
    hours: Optional[str] = None
    notes: Optional[str] = None

    @property
    def can_text_or_chat(self) -> bool:
        return bool(self.sms_number or self.chat_url)

    def payload(self) -> Dict[str, Optional[str]]:
        """The fields the web widget turns into call / text / chat buttons."""
        keys = ("name", "phone", "text", "sms_number", "sms_body", "chat_url", "web_url", "hours", "notes")
        return {key: getattr(self, key) for key in keys}


@dataclass(frozen=True)
class CrisisTable:
    lines: Tuple[CrisisLine, ...]
    countries: Mapping[str, str]  # ISO code -> the name used in messages ("the UK")

    def in_country(self, country: Optional[str]) -> Tuple[CrisisLine, ...]:
        return tuple(line for line in self.lines if line.country == country)

    def knows(self, country: Optional[str]) -> bool:
        return bool(country) and country != ANYWHERE and any(line.country == country for line in self.lines)

    def country_name(self, country: Optional[str]) -> str:
        return self.countries.get(country or "", country or "")


KNOWN_FIELDS = {field.name for field in fields(CrisisLine)}
REQUIRED_FIELDS = ("id", "country", "name", "categories", "source", "verified")
TEXT_FIELDS = ("name", "text", "sms_body", "hours", "notes")


def load_crisis_lines() -> CrisisTable:
    """The built-in table, replaced or extended by the file named in UNTANGLE_CRISIS_LINES (read once per process)."""
    return _load(LINES_FILE, os.environ.get(OVERRIDE_ENV) or None)


@functools.cache
def _load(builtin: Path, override: Optional[str]) -> CrisisTable:
    base = read_table_file(builtin)
    if override is None:
        return _table(base["lines"], base["countries"], builtin)
    extra = read_table_file(Path(override))
    countries = {**base["countries"], **extra["countries"]}
    if extra["mode"] == "replace":
        return _table(extra["lines"], countries, Path(override))
    replaced = {line.id for line in extra["lines"]}
    lines = [line for line in base["lines"] if line.id not in replaced] + list(extra["lines"])
    return _table(lines, countries, Path(override))


def read_table_file(path: Path) -> Dict[str, Any]:
    """One table file: its mode, country names and checked lines."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CrisisLinesError(f"cannot read the crisis line file {path}: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        raise CrisisLinesError(f"{path}: the file needs a `lines:` list (see actions/safety/crisis_lines.yml)")
    mode = data.get("mode", "extend")
    if mode not in MODES:
        raise CrisisLinesError(f"{path}: `mode` must be one of {', '.join(MODES)}, not {mode!r}")
    countries = data.get("countries") or {}
    if not isinstance(countries, dict) or any(not _COUNTRY.match(str(code)) for code in countries):
        raise CrisisLinesError(f"{path}: `countries:` maps two-letter codes to names, e.g. `GB: the UK`")
    lines = [_line(entry, index, path) for index, entry in enumerate(data["lines"], start=1)]
    return {"mode": mode, "countries": {str(k): str(v) for k, v in countries.items()}, "lines": lines}


def _table(lines: List[CrisisLine], countries: Mapping[str, str], path: Path) -> CrisisTable:
    seen: Dict[str, int] = {}
    for line in lines:
        seen[line.id] = seen.get(line.id, 0) + 1
    duplicates = sorted(line_id for line_id, count in seen.items() if count > 1)
    if duplicates:
        raise CrisisLinesError(f"{path}: crisis line id {duplicates[0]!r} is used more than once")
    for line in lines:
        if line.country != ANYWHERE and line.country not in countries:
            raise CrisisLinesError(
                f"{path}: crisis line {line.id}: country {line.country!r} is not in `countries:` "
                f"(add `{line.country}: <name>`; the ISO code of the United Kingdom is GB)"
            )
    if not any(line.country == ANYWHERE for line in lines):
        raise CrisisLinesError(f"{path}: the table has no line for country ANY; people in other countries need one")
    return CrisisTable(tuple(lines), dict(countries))


def _line(entry: Any, index: int, path: Path) -> CrisisLine:
    label = entry.get("id") or entry.get("name") if isinstance(entry, dict) else None
    where = f"{path}: crisis line #{index}" + (f" ({label})" if label else "")

    def fail(problem: str) -> CrisisLinesError:
        return CrisisLinesError(f"{where}: {problem}")

    if not isinstance(entry, dict):
        raise fail("each line is a mapping of fields (id, country, name, ...)")
    unknown = sorted(set(entry) - KNOWN_FIELDS)
    if unknown:
        raise fail(f"unknown field {unknown[0]!r}; the fields are {', '.join(sorted(KNOWN_FIELDS))}")
    missing = [key for key in REQUIRED_FIELDS if entry.get(key) in (None, "", [])]
    if missing:
        raise fail(f"missing {missing[0]!r}")
    values = dict(entry)
    for key in ("phone", "sms_number"):
        if values.get(key) is not None:
            if not isinstance(values[key], str):
                raise fail(
                    f'{key} {values[key]!r} must be written in quotes, like "0808 2000 247" '
                    f"(unquoted, YAML can turn 000 into 0)"
                )
            if not _NUMBER.match(values[key]):
                raise fail(f"{key} {values[key]!r} is not a phone number")
    for key in ("source", "chat_url", "web_url"):
        if values.get(key) is not None and not _URL.match(str(values[key])):
            raise fail(f"{key} {values[key]!r} is not a web address starting with https://")
    for key in TEXT_FIELDS:
        if values.get(key) is not None and not isinstance(values[key], (str, int)):
            raise fail(f"{key} must be text")
    if not _ID.match(str(values["id"])):
        raise fail(f"id {values['id']!r} must be lower case letters, digits and dashes")
    country = str(values["country"])
    if country != ANYWHERE and not _COUNTRY.match(country):
        raise fail(f"country {country!r} must be a two-letter ISO code in capitals (GB, US...) or ANY")
    categories = values["categories"]
    if not isinstance(categories, list) or any(category not in CATEGORIES for category in categories):
        raise fail(f"categories {categories!r} must be a list of: {', '.join(CATEGORIES)}")
    if not (values.get("phone") or values.get("sms_number") or values.get("chat_url") or values.get("web_url")):
        raise fail("needs at least one of phone, sms_number, chat_url or web_url")
    if (values.get("text") or values.get("sms_body")) and not values.get("sms_number"):
        raise fail("has `text` or `sms_body` but no `sms_number` to send it to")
    values["verified"] = _date(values["verified"], fail)
    values["categories"] = tuple(categories)
    values["country"] = country
    return CrisisLine(
        **{key: str(value) if key in TEXT_FIELDS and value is not None else value for key, value in values.items()}
    )


def _date(value: Any, fail) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise fail(f"verified {value!r} must be a date like 2026-11-23") from None
