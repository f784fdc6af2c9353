"""bench.patch_timing: which configurations it measures and how it reports them (the measuring itself is bench work)."""

from bench import patch_timing


def test_every_patch_is_measured_by_leaving_it_out_with_all_the_others_in():
    named = patch_timing.configurations(("a", "b", "c"))
    assert named == {
        "all": ["a", "b", "c"],
        "none": [],
        "all but a": ["b", "c"],
        "all but b": ["a", "c"],
        "all but c": ["a", "b"],
    }


def run(cpu_ms, load_s=5.0, rss_mb=400.0):
    return {"cpu_ms": cpu_ms, "wall_ms": [value * 2 for value in cpu_ms], "load_s": load_s, "rss_mb": rss_mb}


def test_the_table_gives_each_configuration_against_all_patches():
    summaries = {
        "all": patch_timing.summary([run([10.0, 10.0]), run([10.0, 10.0])]),
        "all but slow_path": patch_timing.summary([run([11.0, 12.0]), run([12.0, 13.0])]),
    }
    assert summaries["all but slow_path"]["messages"] == 4
    assert summaries["all but slow_path"]["cpu_ms_mean_per_repeat"] == [11.5, 12.5]
    rows = patch_timing.table(summaries).splitlines()
    assert rows[2].startswith("| all | 10.00 | 10.00, 10.00 | +0.0 % |")
    assert rows[3].startswith("| all but slow_path | 12.00 | 11.50, 12.50 | +20.0 % |")
