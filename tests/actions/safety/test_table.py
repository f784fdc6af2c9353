"""The crisis line table: the shipped file is complete and checked, and an organisation's file is checked too."""

import datetime

import pytest
import yaml

from actions.safety import table as table_module
from actions.safety.referral import ActionCrisisReferral
from actions.safety.table import (
    CATEGORIES,
    LINES_FILE,
    OVERRIDE_ENV,
    CrisisLinesError,
    load_crisis_lines,
    read_table_file,
)

SHIPPED = yaml.safe_load(LINES_FILE.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def fresh_table(monkeypatch):
    """Each test reads the table anew, without an organisation file unless it sets one."""
    monkeypatch.delenv(OVERRIDE_ENV, raising=False)
    table_module._load.cache_clear()
    yield
    table_module._load.cache_clear()


def write(tmp_path, lines, **top):
    path = tmp_path / "org-lines.yml"
    path.write_text(yaml.safe_dump({**top, "lines": lines}, sort_keys=False), encoding="utf-8")
    return path


def line(**fields):
    return {
        "id": "gb-local-refuge",
        "country": "GB",
        "name": "Local Refuge",
        "categories": ["partner_abuse"],
        "phone": "0800 000 000",
        "source": "https://example.org/",
        "verified": "2026-11-23",
        **fields,
    }


def test_the_shipped_table_covers_every_country_of_the_reference_with_sources():
    table = load_crisis_lines()
    assert {line.country for line in table.lines} == {"US", "GB", "CA", "AU", "IE", "NZ", "ANY"}
    for entry in table.lines:
        assert entry.source.startswith("https://"), entry.id
        assert datetime.date.fromisoformat(entry.verified).isoformat() == entry.verified, entry.id
        assert set(entry.categories) <= set(CATEGORIES), entry.id
    for country in ("US", "GB", "CA", "AU", "IE", "NZ"):
        assert any("emergency" in entry.categories for entry in table.in_country(country)), country


def test_numbers_are_kept_as_written():
    table = load_crisis_lines()
    phones = {entry.id: entry.phone for entry in table.lines}
    assert phones["au-emergency"] == "000"
    assert phones["gb-refuge"] == "0808 2000 247"
    shout = next(entry for entry in table.lines if entry.id == "gb-shout")
    assert (shout.sms_number, shout.sms_body) == ("85258", "SHOUT")


def test_an_organisation_file_extends_the_table(tmp_path, monkeypatch):
    path = write(tmp_path, [line(), line(id="gb-refuge", name="Refuge (our local number)", phone="0800 111 222")])
    monkeypatch.setenv(OVERRIDE_ENV, str(path))
    table = load_crisis_lines()
    ids = [entry.id for entry in table.lines]
    assert "gb-local-refuge" in ids and ids.count("gb-refuge") == 1
    assert next(entry for entry in table.lines if entry.id == "gb-refuge").phone == "0800 111 222"
    assert "us-988" in ids


def test_an_organisation_file_can_replace_the_table(tmp_path, monkeypatch):
    anywhere = line(
        id="any-directory",
        country="ANY",
        name="Directory",
        categories=["directory"],
        phone=None,
        web_url="https://example.org/lines",
    )
    path = write(tmp_path, [line(country="DE", id="de-line"), anywhere], mode="replace", countries={"DE": "Germany"})
    monkeypatch.setenv(OVERRIDE_ENV, str(path))
    table = load_crisis_lines()
    assert [entry.id for entry in table.lines] == ["de-line", "any-directory"]
    assert table.country_name("DE") == "Germany"


@pytest.mark.parametrize(
    "bad, message",
    [
        (line(phone=0), r"crisis line #1 \(gb-local-refuge\): phone 0 must be written in quotes"),
        (line(phone="call us"), r"gb-local-refuge\): phone 'call us' is not a phone number"),
        (line(source=None), r"gb-local-refuge\): missing 'source'"),
        (line(source="example.org"), r"gb-local-refuge\): source 'example.org' is not a web address"),
        (line(categories=["abuse"]), r"gb-local-refuge\): categories \['abuse'\] must be a list of"),
        (line(country="UK"), r"crisis line gb-local-refuge: country 'UK' is not in `countries:`"),
        (line(country="gb"), r"gb-local-refuge\): country 'gb'"),
        (line(verified="last week"), r"gb-local-refuge\): verified 'last week' must be a date"),
        (line(phon="0800 000 000"), r"gb-local-refuge\): unknown field 'phon'"),
        (line(text="text HELP to 123"), r"gb-local-refuge\): has `text` or `sms_body` but no `sms_number`"),
        (line(phone=None), r"gb-local-refuge\): needs at least one of phone"),
        (line(id="GB Refuge"), r"\(GB Refuge\): id 'GB Refuge' must be lower case"),
        ({"name": "No id"}, r"crisis line #1 \(No id\): missing 'id'"),
    ],
)
def test_a_malformed_organisation_file_is_refused_naming_the_entry(tmp_path, monkeypatch, bad, message):
    monkeypatch.setenv(OVERRIDE_ENV, str(write(tmp_path, [bad])))
    with pytest.raises(CrisisLinesError, match=message):
        load_crisis_lines()


def test_duplicate_ids_and_a_table_without_an_international_line_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(OVERRIDE_ENV, str(write(tmp_path, [line(), line()])))
    with pytest.raises(CrisisLinesError, match="id 'gb-local-refuge' is used more than once"):
        load_crisis_lines()
    table_module._load.cache_clear()
    monkeypatch.setenv(OVERRIDE_ENV, str(write(tmp_path, [line()], mode="replace")))
    with pytest.raises(CrisisLinesError, match="no line for country ANY"):
        load_crisis_lines()


def test_an_unreadable_file_names_the_path(tmp_path, monkeypatch):
    monkeypatch.setenv(OVERRIDE_ENV, str(tmp_path / "missing.yml"))
    with pytest.raises(CrisisLinesError, match="missing.yml"):
        load_crisis_lines()


def test_the_action_server_refuses_to_start_with_a_malformed_file(tmp_path, monkeypatch):
    """rasa_sdk instantiates each Action when the action server starts: the error comes from there."""
    monkeypatch.setenv(OVERRIDE_ENV, str(write(tmp_path, [line(phone=0)])))
    with pytest.raises(CrisisLinesError, match=r"crisis line #1 \(gb-local-refuge\): phone 0"):
        ActionCrisisReferral()


def test_a_yaml_date_is_accepted(tmp_path):
    data = read_table_file(write(tmp_path, [line(verified=datetime.date(2026, 11, 23))]))
    assert data["lines"][0].verified == "2026-11-23"
