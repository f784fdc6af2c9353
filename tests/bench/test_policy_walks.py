from bench.policy_walks import walk

INTENTS = ["greet", "danger", "bye"]


def replies(tracker):
    """A toy model: one reply per message, then listen."""
    last = tracker[-1]
    return (
        ("action_listen", "policy_0_RulePolicy")
        if last.startswith("utter_")
        else (f"utter_{last}", "policy_0_RulePolicy")
    )


def play(model_b, conversations=50):
    return walk(
        INTENTS,
        list,
        lambda tracker, intent: tracker.append(intent),
        lambda tracker, action: tracker.append(action),
        replies,
        model_b,
        conversations,
    )


def test_models_that_agree_have_no_differences():
    result = play(replies)
    assert result.predictions > 100 and not result.differences
    assert result.policies_of_a == {"RulePolicy": result.predictions}


def test_the_first_disagreement_is_counted_with_its_intent_and_both_actions():
    def misses_danger(tracker):
        return ("utter_default", "policy_1_MemoizationPolicy") if tracker[-1] == "danger" else replies(tracker)

    result = play(misses_danger)
    assert set(result.differences) == {("danger", "utter_danger", "utter_default")}


def test_models_that_agree_but_never_listen_are_reported_not_followed_forever():
    def chatty(tracker):
        return "utter_more", "policy_0_RulePolicy"

    result = walk(
        INTENTS,
        list,
        lambda tracker, intent: tracker.append(intent),
        lambda tracker, action: tracker.append(action),
        chatty,
        chatty,
        2,
    )
    assert result.differences and all(action_a == "(never listens)" for _, action_a, _ in result.differences)
