from pathlib import Path

import pytest
import yaml

from bench import bots


def test_the_untangle_config_copy_loads_the_fresh_spacy_pipeline(tmp_path):
    text = (bots.ROOT / "config.yml").read_text()
    copy = yaml.safe_load(bots.config_with_spacy_dir(text, tmp_path / "spacy"))
    spacy_nlp = [component for component in copy["pipeline"] if component["name"] == "SpacyNLP"]
    assert spacy_nlp == [{"name": "SpacyNLP", "model": str(tmp_path / "spacy")}]
    with pytest.raises(ValueError):
        bots.config_with_spacy_dir("pipeline: []\n", tmp_path)


def test_a_variant_replaces_only_the_top_level_keys_it_has():
    base = "language: en\npipeline:\n- name: A\npolicies:\n- name: RulePolicy\n"
    merged = yaml.safe_load(bots.merged_config(base, "policies:\n- name: TEDPolicy\n"))
    assert merged == {"language": "en", "pipeline": [{"name": "A"}], "policies": [{"name": "TEDPolicy"}]}
    assert bots.merged_config(base, None) == base


def test_every_config_in_bench_configs_works_as_a_variant_of_the_project_config():
    base = (bots.ROOT / "config.yml").read_text()
    for variant in (bots.ROOT / "bench" / "configs").glob("*.yml"):
        merged = bots.merged_config(base, variant.read_text())
        config = yaml.safe_load(bots.config_with_spacy_dir(merged, Path("/tmp/spacy")))
        names = [component["name"] for component in config["pipeline"]]
        assert "untangle_nlu.danger_detector.DangerDetector" in names
        assert {"name": "SpacyNLP", "model": "/tmp/spacy"} in config["pipeline"]
        assert "RulePolicy" in [policy["name"] for policy in config["policies"]]


def test_endpoints_keep_the_project_settings_with_this_runs_action_server():
    endpoints = yaml.safe_load(bots.endpoints_text("http://127.0.0.1:1234/webhook"))
    project = yaml.safe_load((bots.ROOT / "endpoints.yml").read_text())
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:1234/webhook"
    assert {key: value for key, value in endpoints.items() if key != "action_endpoint"} == {
        key: value for key, value in project.items() if key != "action_endpoint"
    }


def test_with_option_replaces_the_value_instead_of_adding_a_second_option():
    command = ["python", "-m", "serve", "run", "--model", "a.tar.gz", "--port", "1"]
    assert bots.with_option(command, "--model", "b.tar.gz") == [
        "python",
        "-m",
        "serve",
        "run",
        "--model",
        "b.tar.gz",
        "--port",
        "1",
    ]
    assert bots.with_option(["rasa", "run"], "--model", "b") == ["rasa", "run", "--model", "b"]


def test_the_workers_run_sets_every_variable_the_scaled_endpoints_read():
    import re

    from bench.bots import ROOT, workers_env

    needed = set(re.findall(r"\$\{(\w+)\}", (ROOT / "deploy" / "endpoints.yml").read_text()))
    env = workers_env(2, 5055, 6379)
    assert needed and needed <= set(env)
    assert env["SANIC_WORKERS"] == "2" and env["UNTANGLE_ACTIONS_PORT"] == "5055"


def test_an_action_server_is_started_only_for_endpoints_that_call_one(tmp_path):
    in_process, over_http, none = tmp_path / "in.yml", tmp_path / "http.yml", tmp_path / "none.yml"
    in_process.write_text(bots.endpoints_text("http://127.0.0.1:1234/webhook"))  # the project's: actions_module
    over_http.write_text("action_endpoint:\n  url: http://127.0.0.1:1234/webhook\n")
    none.write_text("tracker_store:\n  type: InMemoryTrackerStore\n")
    assert [bots.needs_action_server(path) for path in (in_process, over_http, none)] == [False, True, False]
    assert bots.needs_action_server(bots.ROOT / "deploy" / "endpoints.yml")
