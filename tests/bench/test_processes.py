import os
import subprocess
import sys

from bench import processes


def fake_proc(tmp_path, pid, rss_kb, children=()):
    folder = tmp_path / str(pid)
    (folder / "task" / str(pid)).mkdir(parents=True)
    (folder / "status").write_text(f"Name:\tpython\nVmPeak:\t999 kB\nVmRSS:\t{rss_kb} kB\nThreads:\t3\n")
    (folder / "task" / str(pid) / "children").write_text(" ".join(map(str, children)))


def test_tree_rss_sums_a_process_and_its_descendants(tmp_path):
    fake_proc(tmp_path, 10, 1024, children=(11, 12))
    fake_proc(tmp_path, 11, 2048, children=(13,))
    fake_proc(tmp_path, 12, 512)
    fake_proc(tmp_path, 13, 512)
    assert processes.rss_kb(10, tmp_path) == 1024
    assert processes.tree_rss_mb(10, tmp_path) == 4.0
    assert processes.tree_rss_mb(99, tmp_path) == 0  # gone


def test_own_rss_is_read_from_proc():
    assert 5 < processes.tree_rss_mb(os.getpid()) < 5000


def test_stop_ends_the_whole_process_group(tmp_path):
    script = (
        "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        "print('up', flush=True); time.sleep(60)"
    )
    process = processes.start([sys.executable, "-c", script], tmp_path, tmp_path / "log.txt")
    try:
        for _ in range(100):
            children = processes.child_pids(process.pid)
            if children:
                break
            subprocess.run(["sleep", "0.05"])
        assert children
    finally:
        processes.stop(process, timeout_s=5)
    assert process.returncode is not None
    subprocess.run(["sleep", "0.2"])
    assert all(processes.rss_kb(child) == 0 for child in children)
