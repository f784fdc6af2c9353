"""Lines that fit who is writing: selection rules, and the referral action with rasa_sdk fixtures."""

import pytest

from actions.safety.referral import ActionCrisisReferral, safety_texts
from actions.safety.selection import MAX_LINES, RULES, select_lines
from actions.safety.table import load_crisis_lines
from tests.support.actions import entity, make_tracker, run_action, texts

COUNTRIES = ("US", "GB", "CA", "AU", "IE", "NZ")
CATEGORIES = (*RULES, "unspecified")  # every category the line rules know, and none
WRITERS = (
    frozenset(),
    frozenset({"man"}),
    frozenset({"young"}),
    frozenset({"lgbtq"}),
    frozenset({"older"}),
    frozenset({"uses_abuse"}),
    frozenset({"helper"}),
    frozenset({"man", "young", "lgbtq"}),
    frozenset({"uses_abuse", "young"}),
)
VICTIM_ONLY = ("partner_abuse", "sexual_violence", "men", "women", "lgbtq")


@pytest.fixture
def table():
    return load_crisis_lines()


def ids(selection):
    return [line.id for line in selection.lines]


def danger_message(text, category="violence", subject="self", **kw):
    entities = [
        entity("danger_category", category),
        entity("danger_subject", subject),
        entity("danger_negated", "false"),
    ]
    return make_tracker("danger", entities, text=text, **kw)


def payload_lines(dispatcher):
    return [m["custom"] for m in dispatcher.messages if m.get("custom")][0]["lines"]


def framing(key, **values):
    return safety_texts()[key].format(**values)


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_keeps_an_emergency_number_a_way_to_text_and_at_most_four_lines(table, country, category, writer):
    selection = select_lines(table, country, [category], writer)
    assert any("emergency" in line.categories for line in selection.lines)
    assert any(line.can_text_or_chat or "directory" in line.categories for line in selection.lines)
    assert len(selection.lines) <= MAX_LINES
    assert len(ids(selection)) == len(set(ids(selection)))


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("category", CATEGORIES)
def test_lines_for_people_who_use_abuse_are_never_shown_to_anyone_else(table, country, category):
    for writer in WRITERS:
        if "uses_abuse" not in writer:
            chosen = select_lines(table, country, [category], writer).lines
            assert not [line.id for line in chosen if line.categories == ("uses_abuse",)], writer


@pytest.mark.parametrize("country, men_line", [("GB", "gb-mens-advice-line"), ("IE", "ie-mens-aid")])
@pytest.mark.parametrize("category", ["violence", "threats", "sexual_violence"])
def test_a_man_gets_the_mens_line_first_and_no_womens_line(table, country, men_line, category):
    chosen = select_lines(table, country, [category], frozenset({"man"})).lines
    assert chosen[0].id == men_line
    assert not [line.id for line in chosen if "women" in line.categories]


@pytest.mark.parametrize("category", ["violence", "threats", "unspecified"])
def test_a_man_in_australia_gets_mensline(table, category):
    # trial 9: a man whose wife hits him asked three times for a men's line in Australia and never got one
    assert "au-mensline" in ids(select_lines(table, "AU", [category], frozenset({"man"})))


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("category", ["violence", "unspecified"])
def test_a_woman_is_not_shown_a_line_for_men(table, country, category):
    chosen = select_lines(table, country, [category], frozenset({"woman"})).lines
    assert not [line.id for line in chosen if "men" in line.categories]


def test_a_man_in_danger_now_gets_the_emergency_number_then_the_mens_line(table):
    assert ids(select_lines(table, "IE", ["immediate_danger"], frozenset({"man"})))[:2] == [
        "ie-emergency",
        "ie-mens-aid",
    ]


@pytest.mark.parametrize(
    "country, line", [("GB", "gb-respect-phoneline"), ("AU", "au-mens-referral-service"), ("US", "us-ndvh")]
)
@pytest.mark.parametrize("category", ["violence", "threats", "harm_to_others"])
def test_someone_who_uses_abuse_gets_the_line_for_people_who_use_abuse(table, country, line, category):
    chosen = select_lines(table, country, [category], frozenset({"uses_abuse"})).lines
    assert chosen[0].id == line
    assert any("emergency" in other.categories for other in chosen)


@pytest.mark.parametrize("country", COUNTRIES)
def test_someone_who_uses_abuse_gets_no_victims_line(table, country):
    for category in ("violence", "threats", "immediate_danger", "sexual_violence"):
        chosen = select_lines(table, country, [category], frozenset({"uses_abuse"})).lines
        for line in chosen:
            assert "uses_abuse" in line.categories or not set(VICTIM_ONLY) & set(line.categories), (category, line.id)


def test_where_there_is_no_line_for_people_who_use_abuse_a_crisis_line_stands_in(table):
    assert ids(select_lines(table, "IE", ["violence"], frozenset({"uses_abuse"})))[:2] == [
        "ie-samaritans",
        "ie-emergency",
    ]


@pytest.mark.parametrize(
    "country, youth_line",
    [("US", "us-love-is-respect"), ("GB", "gb-childline"), ("CA", "ca-kids-help-phone"), ("AU", "au-kids-helpline")],
)
def test_a_young_person_gets_the_youth_line_right_after_the_abuse_line(table, country, youth_line):
    chosen = ids(select_lines(table, country, ["violence"], frozenset({"young"})))
    assert chosen[1] == youth_line
    assert "partner_abuse" in select_lines(table, country, ["violence"]).lines[0].categories


@pytest.mark.parametrize("country, lgbtq_line", [("GB", "gb-galop"), ("AU", "au-qlife")])
def test_an_lgbtq_writer_gets_the_lgbtq_line_beside_the_abuse_line(table, country, lgbtq_line):
    chosen = select_lines(table, country, ["violence"], frozenset({"lgbtq"})).lines
    assert "partner_abuse" in chosen[0].categories and chosen[1].id == lgbtq_line


def test_a_helper_gets_lines_that_take_friends_and_family_first(table):
    chosen = select_lines(table, "AU", ["threats"], frozenset({"helper"})).lines
    assert chosen[0].id == "au-1800respect"  # the abuse line still leads; QLife is not for this
    assert "family_friends" in select_lines(table, "US", ["violence"], frozenset({"helper"})).lines[0].categories


def test_many_needs_keep_the_lines_for_each_need_before_the_writers_extras(table):
    chosen = ids(select_lines(table, "GB", ["immediate_danger", "self_harm"], frozenset({"young", "lgbtq"})))
    assert chosen == ["gb-emergency", "gb-refuge", "gb-samaritans", "gb-shout"]


# --- the referral action, as the person sees it ---


async def test_a_man_in_ireland_gets_mens_aid_not_womens_aid(dispatcher):
    tracker = danger_message("i'm a guy, my wife punched me and took my phone", slots={"country": "IE"})
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    names = [line["name"] for line in payload_lines(dispatcher)]
    assert names[0] == "Men's Aid National Confidential Helpline"
    assert "Women's Aid National Freephone Helpline" not in names and "01 554 3811" in texts(dispatcher)[1]


async def test_someone_who_pushed_their_partner_gets_a_calm_framing_and_the_respect_line(dispatcher):
    tracker = danger_message(
        "i pushed her down the stairs and now i'm scared of myself", subject="other", slots={"country": "GB"}
    )
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    opening = texts(dispatcher)[0]
    assert opening == framing("crisis_framing_uses_abuse", emergency_number="999")
    assert "caring of you" not in opening and "999" in opening
    names = [line["name"] for line in payload_lines(dispatcher)]
    assert names[0] == "Respect Phoneline" and "Emergency services" in names
    assert "Refuge National Domestic Abuse Helpline" not in names and "Men's Advice Line" not in names


async def test_the_nineteen_year_old_gets_the_youth_line(dispatcher):
    tracker = danger_message("im 19 and my boyfriend choked me last night", slots={"country": "US"})
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    names = [line["name"] for line in payload_lines(dispatcher)]
    assert names[:2] == ["National Domestic Violence Hotline", "love is respect"]
    assert "text LOVEIS to 22522" in texts(dispatcher)[1]


async def test_an_age_said_earlier_in_the_conversation_still_counts(dispatcher):
    tracker = danger_message("he hit me again", slots={"country": "AU"})
    tracker.events = [{"event": "user", "text": "hi, i'm 16", "parse_data": {"intent": {"name": "greet"}}}]
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert "Kids Helpline" in [line["name"] for line in payload_lines(dispatcher)]


async def test_an_lgbtq_writer_gets_galop_beside_refuge(dispatcher):
    tracker = danger_message("my boyfriend and i are both guys and he keeps hitting me", slots={"country": "GB"})
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    names = [line["name"] for line in payload_lines(dispatcher)]
    assert "Galop National LGBT+ Domestic Abuse Helpline" in names and "Emergency services" in names


async def test_a_worried_sister_is_framed_as_a_helper_and_gets_a_line_that_takes_family(dispatcher):
    tracker = danger_message(
        "my sister's husband beats her and she won't leave", subject="other", slots={"country": "US"}
    )
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert texts(dispatcher)[0] == framing("crisis_framing_other")
    first = payload_lines(dispatcher)[0]
    assert first["name"] == "National Domestic Violence Hotline" and "Friends and family" in first["notes"]


async def test_a_country_given_after_the_referral_keeps_the_lines_for_the_writer(dispatcher):
    tracker = make_tracker(
        "inform_country",
        [entity("country", "GB")],
        slots={"referral_needs_country": True, "danger_category": "violence", "danger_subject": "other"},
    )
    tracker.events = [
        {"event": "user", "text": "i hit him and i can't stop shaking", "parse_data": {"intent": {"name": "danger"}}}
    ]
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert payload_lines(dispatcher)[0]["name"] == "Respect Phoneline"


async def test_help_now_uses_what_the_writer_said_about_themselves_before(dispatcher):
    tracker = make_tracker("help_now", slots={"country": "IE"})
    tracker.events = [{"event": "user", "text": "as a man i feel stupid asking", "parse_data": {}}]
    await run_action(ActionCrisisReferral(), dispatcher, tracker)
    assert "Men's Aid National Confidential Helpline" in [line["name"] for line in payload_lines(dispatcher)]


def test_every_line_has_its_source_and_the_date_it_was_checked():
    for line in load_crisis_lines().lines:
        assert line.source.startswith("https://") and len(line.verified) == 10, line.id


@pytest.mark.parametrize("country", ["GB", "US", "CA", "AU", "NZ"])  # Ireland has none in the table yet
def test_an_older_writer_gets_the_line_for_older_people_beside_the_abuse_line(table, country):
    # trial 12: a 72-year-old whose son took his pension was only ever shown women's and general lines
    chosen = select_lines(table, country, ["violence"], frozenset({"older"})).lines
    assert "partner_abuse" in chosen[0].categories or "emergency" in chosen[0].categories
    assert any("older_people" in line.categories for line in chosen)


def test_a_line_for_older_people_is_not_shown_to_a_younger_writer(table):
    chosen = select_lines(table, "GB", ["violence"], frozenset({"young"})).lines
    assert not any("older_people" in line.categories for line in chosen)
