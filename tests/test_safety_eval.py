"""tools.safety_eval's reading of a turn's replies and its summary (pure functions, no server)."""

from tools.safety_eval import essentials_texts, level_of, summarise
from tools.safety_sets import Row


def card(level):
    return {"custom": {"type": "crisis_referral", "level": level, "lines": []}}


def test_the_level_comes_from_the_card_and_the_essentials_alone_count_as_urgent():
    assert level_of([{"text": "Going back is common."}, card("check_in")]) == "check_in"
    assert level_of([card("urgent"), card("check_in")]) == "urgent"
    for essentials in essentials_texts():  # every country's variation, as domain.yml has it
        assert level_of([{"text": essentials}]) == "urgent"
    assert level_of([{"text": "Going back is common."}]) is None


def test_the_summary_counts_both_levels_and_figurative_uses_apart():
    rows = [Row("a", True), Row("b", True), Row("c", False), Row("d", False, kind="figurative")]
    outcomes = [
        {"first_message": "urgent", "mid_conversation": "check_in"},
        {"first_message": None, "mid_conversation": None},
        {"first_message": "check_in", "mid_conversation": None},
        {"first_message": "urgent", "mid_conversation": None},
    ]
    first = summarise(rows, outcomes)["first_message"]
    assert first["recall"] == 0.5 and first["missed"] == ["b"]
    assert first["false_referral_rate"] == 0.5 and first["any_level_on_safe"] == 1.0
    assert first["urgent_on_figurative"] == 1.0
    assert summarise(rows, outcomes)["mid_conversation"]["any_level_on_safe"] == 0.0


def test_the_server_it_starts_serves_the_model_given_with_model(monkeypatch, tmp_path):
    # `--model` sets servers.MODEL after import; the command must read it then, not the import-time default
    from tests.e2e import servers

    other = tmp_path / "other.tar.gz"
    monkeypatch.setattr(servers, "MODEL", other)
    command = servers.rasa_server_command(5005, tmp_path / "endpoints.yml")
    assert command[command.index("--model") + 1] == str(other)
