"""``.codegenignore`` uses gitignore syntax: git itself is the oracle.  The same patterns go into a
``.gitignore`` of a scratch repository holding the same files, and the files git lists as ignored
(``git ls-files --others --ignored --exclude-standard``) must be the files codegen leaves alone."""

from __future__ import annotations

import subprocess
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.write.ignorefile import IgnoreFile

TABLE = r"""# a comment, then the forms a user writes
*.pyc
/README.md
docs/
!docs/keep.md
shop/**/items.py
**/models/color.py
a/**
b/*/c.txt
\#hash.txt
\!bang.txt
[abc]x.txt
[!abc]y.txt
sp\ ace.txt 
trail.txt   
m?d.txt
deep/**/z
*.md
!NOTES.md
/only_root/
nested/dir
"""
TABLE_FILES = ["README.md", "sub/README.md", "docs/a.md", "docs/keep.md", "shop/items.py", "shop/resources/items.py",
               "shop/models/color.py", "x/models/color.py", "a/b/c", "a/d", "b/q/c.txt", "b/q/r/c.txt", "#hash.txt",
               "!bang.txt", "ax.txt", "dx.txt", "ay.txt", "dy.txt", "sp ace.txt", "trail.txt", "mid.txt", "mod.txt",
               "m/d.txt", "deep/z", "deep/1/2/z", "NOTES.md", "sub/NOTES.md", "only_root/f", "sub/only_root/f",
               "nested/dir/f", "sub/nested/dir/f", "keep.pyc", "x/y.pyc", "shop/__init__.py"]
RANDOM_FILES = ["ab", "a/a", "a/b.x", "b/a/b", "a/b/a/b", "ba/ab", "a.x", "b/a.x", "aa/bb/a.x"]


def _repository(root: Path, files: list[str]) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).touch()
    return root


def _git_ignored(root: Path, patterns: str) -> set[str]:
    (root / ".gitignore").write_text(patterns)
    listed = subprocess.run(["git", "ls-files", "--others", "--ignored", "--exclude-standard"], cwd=root,
                            capture_output=True, text=True, check=True).stdout
    return set(listed.splitlines()) - {".gitignore"}


def test_the_usual_patterns_ignore_what_git_ignores(tmp_path: Path) -> None:
    root = _repository(tmp_path, TABLE_FILES)
    expected = _git_ignored(root, TABLE)
    ignore = IgnoreFile(TABLE)
    assert {rel for rel in TABLE_FILES if ignore.matches(rel)} == expected
    assert "docs/keep.md" in expected and "sub/only_root/f" not in expected  # the table does test these


_TOKENS = st.sampled_from(["a", "b", "*", "?", "**", "[ab]", "[!a]", "a*", "*.x", "b?"])
_PATTERN = st.builds(lambda negate, lead, segments, trail: ("!" if negate else "") + ("/" if lead else "")
                     + "/".join(segments) + ("/" if trail else ""),
                     st.booleans(), st.booleans(), st.lists(_TOKENS, min_size=1, max_size=3), st.booleans())


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(patterns=st.lists(_PATTERN, min_size=1, max_size=4))
def test_any_pattern_ignores_what_git_ignores(tmp_path: Path, patterns: list[str]) -> None:
    root = tmp_path / "repository"
    if not root.exists():
        _repository(root, RANDOM_FILES)
    text = "\n".join(patterns) + "\n"
    ignore = IgnoreFile(text)
    assert {rel for rel in RANDOM_FILES if ignore.matches(rel)} == _git_ignored(root, text), text
