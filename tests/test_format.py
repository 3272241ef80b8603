"""generator.format: black over the generated files, alone or beside the spec's validation."""

from __future__ import annotations

import pytest

from generator.format import format_files


def test_formatting_beside_a_busy_validation_gives_the_same_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEGEN_NO_CACHE", "1")
    files = {f"pkg/m{i}.py": f"x = [ {i},1,  2 ]\ny = {{'a':{i}}}\n" * 40 + "#" * 800 + "\n" for i in range(80)}
    assert sum(map(len, files.values())) > 64 * 1024  # big enough to be formatted in parallel
    files["README.md"] = "x = [ 1 ]\n"
    answers = iter([True] * 5 + [False] * 10_000)  # validation still running for the first five batches
    beside = format_files(files, workers=2, busy=lambda: next(answers))
    alone = format_files(files, workers=1)
    assert beside == alone
    assert beside["pkg/m3.py"].startswith('x = [3, 1, 2]\ny = {"a": 3}\n')
    assert beside["README.md"] == "x = [ 1 ]\n"  # not Python: left alone
    assert next(answers) is False  # it stopped asking once the validation was done
