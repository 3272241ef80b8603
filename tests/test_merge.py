"""The line merge behind hand edits is a three-way merge as git does it: git's own
``git merge-file --diff3`` is the oracle, on random edits of both sides (inserted, deleted and
replaced lines, overlapping or not), clean merges and conflicts alike, markers included."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.write.merge import merge3, unresolved


def _edited(lines: list[str], rnd: random.Random, tag: str) -> list[str]:
    lines = list(lines)
    for _ in range(rnd.randint(1, 3)):
        at = rnd.randint(0, len(lines))
        kind = rnd.choice(["insert", "delete", "replace"])
        if kind == "insert":
            lines[at:at] = [f"{tag} {rnd.randint(0, 999)}\n" for _ in range(rnd.randint(1, 2))]
        elif kind == "delete":
            del lines[at:at + rnd.randint(1, 2)]
        elif at < len(lines):
            lines[at] = f"{tag} {rnd.randint(0, 999)}\n"
    return lines


def _git_merge_file(folder: Path, ours: str, base: str, theirs: str) -> str:
    names = []
    for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
        (folder / name).write_text(text)
        names.append(str(folder / name))
    r = subprocess.run(["git", "merge-file", "-p", "--diff3", "-L", "hand edit", "-L", "previous generation",
                        "-L", "new generation", *names], capture_output=True, text=True, check=False)
    assert r.returncode >= 0, r.stderr  # the number of conflicts, or negative on error
    return r.stdout


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32), size=st.integers(0, 14))
def test_the_merge_is_gits(tmp_path: Path, seed: int, size: int) -> None:
    rnd = random.Random(seed)
    base = [f"line {k}\n" for k in range(size)]
    ours, theirs = "".join(_edited(base, rnd, "ours")), "".join(_edited(base, rnd, "theirs"))
    merged = merge3("".join(base), ours, theirs)
    assert merged.text == _git_merge_file(tmp_path, ours, "".join(base), theirs)
    assert merged.conflicts == unresolved(merged.text)  # the ranges reported are the marked blocks


def test_texts_without_a_final_newline_and_with_carriage_returns_round_trip() -> None:
    base = "a\r\nb\r\nx\r\nc"
    assert merge3(base, "a\r\nB\r\nx\r\nc", "a\r\nb\r\nx\r\nC").text == "a\r\nB\r\nx\r\nC"
    assert merge3(base, base + "\n", base).text == base + "\n"
