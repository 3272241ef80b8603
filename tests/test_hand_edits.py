"""Issue 18: hand-written code survives regeneration.

A project like this repository's (specs/, generated/, pyproject.toml) in a temporary git
repository: generated files are edited by hand and committed, the spec changes, ``codegen build``
runs.  The oracles are not the merge under test:

* a clean build of the changed spec in another folder, with the same hand edits applied to it,
  is what the merged output must be when the edits and the spec change touch different lines;
* ``git merge-file --diff3`` (git's own three-way merge) gives the conflicted file, markers and all;
* a file's bytes before and after, for everything that must not change.

The hand edits are placed by the structure of the generated code (``ast``: the resource class,
the module docstring) and the conflicting edit on a line the spec change is seen to change, so
the tests hold whatever the templates generate.
"""

from __future__ import annotations

import ast
import difflib
import re
import shutil
import signal
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from ciproject import codegen, make_project, tree
from generator.write.pristine import STORE_NAME, Store, outputs_digest

OUT = Path("generated") / "shop"
RESOURCE = "shop/resources/items.py"
MODEL = "shop/models/item.py"
HELPERS = "shop/helpers.py"
HELPERS_TEXT = ('"""Hand-written helpers, not generated."""\n\n\n'
                "def cents(price: float) -> int:\n    return round(price * 100)\n")
METHOD = ("    def first(self) -> Item | None:\n"
          "        \"\"\"A hand-written helper: the first item, if any.\"\"\"\n"
          "        found = self.list(limit=1)\n"
          "        return found[0] if found else None\n")

# the spec changes: a new optional parameter on the same operation, a new field on a model
NEW_PARAMETER = ("""      parameters:
        - name: limit""", """      parameters:
        - name: sort
          in: query
          schema: {type: string}
        - name: limit""")
NEW_FIELD = ("    price: {type: number}\n", "    price: {type: number}\n    stock: {type: integer}\n")
SECOND_PARAMETER = ("""        - name: limit""", """        - name: q
          in: query
          schema: {type: string}
        - name: limit""")


def git(project: Path, *args: str) -> str:
    r = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *args], cwd=project,
                       capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout


def change_spec(project: Path, *changes: tuple[str, str]) -> None:
    for old, new in changes:
        for path in (project / "specs" / "shop").rglob("*.yaml"):
            text = path.read_text()
            if old in text:
                path.write_text(text.replace(old, new, 1))
                break
        else:
            raise AssertionError(f"{old!r} is in no spec file")


# --- hand edits, placed by structure -----------------------------------------------------------

def _resource_class(text: str) -> ast.ClassDef:
    """The synchronous resource class: the first class with a plain ``def list``."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef) and any(isinstance(f, ast.FunctionDef) and f.name == "list"
                                                   for f in node.body):
            return node
    raise AssertionError("no resource class with a list method")


def add_method(text: str) -> str:
    lines = text.splitlines(keepends=True)
    end = _resource_class(text).end_lineno
    assert end is not None
    return "".join([*lines[:end], "\n", METHOD, *lines[end:]])


def edit_docstring(text: str) -> str:
    """The module docstring's first line, reworded by hand."""
    node = ast.parse(text).body[0]
    assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    lines = text.splitlines(keepends=True)
    lines[node.lineno - 1] = lines[node.lineno - 1].replace('"""', '"""Hand-written: ', 1)
    return "".join(lines)


def hand_edits(text: str) -> str:
    return edit_docstring(add_method(text))


def apply(out: Path, rel: str, edit: Callable[[str], str]) -> None:
    (out / rel).write_text(edit((out / rel).read_text()))


# --- projects ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project, built and committed once; each test works on a copy."""
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    git(project, "init", "-q", ".")
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    return project


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """Clean builds (no hand edits) of the changed specs: what codegen generates for them."""
    found = {}
    for name, changes in {"changed": (NEW_PARAMETER, NEW_FIELD),
                          "changed twice": (NEW_PARAMETER, NEW_FIELD, SECOND_PARAMETER)}.items():
        project = make_project(tmp_path_factory.mktemp("reference") / "project")
        change_spec(project, *changes)
        r = codegen("build", cwd=project)
        assert r.returncode == 0, r.stderr
        found[name] = tree(project / OUT)
    return found


def copy(built: Path, tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    return project


def edited_and_committed(built: Path, tmp_path: Path) -> Path:
    """A method added to the resource class, its module docstring changed, a module added: committed."""
    project = copy(built, tmp_path)
    out = project / OUT
    apply(out, RESOURCE, hand_edits)
    (out / HELPERS).write_text(HELPERS_TEXT)
    git(project, "add", "-A")
    git(project, "commit", "-qm", "hand edits")
    return project


def text(files: dict[str, bytes], rel: str) -> str:
    return files[rel].decode()


# --- the tests ---------------------------------------------------------------------------------

def test_hand_edits_and_spec_changes_both_land(built: Path, references: dict[str, dict[str, bytes]],
                                               tmp_path: Path) -> None:
    project = edited_and_committed(built, tmp_path)
    out = project / OUT
    change_spec(project, NEW_PARAMETER, NEW_FIELD)
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    assert "1 file(s) with hand edits kept" in r.stdout
    new = references["changed"]
    files = tree(out)
    # the merge is the new generation with the same hand edits made to it
    assert text(files, RESOURCE) == hand_edits(text(new, RESOURCE))
    assert "sort: str | NotGiven" in text(files, RESOURCE)  # the new parameter is really there
    assert files[MODEL] == new[MODEL] and b"stock" in files[MODEL]
    assert files[HELPERS] == HELPERS_TEXT.encode()
    # every file but the edited one (and the module codegen never wrote) is the clean build's
    assert {p for p in files if files[p] != new.get(p)} == {RESOURCE, HELPERS}
    compile(files[RESOURCE], RESOURCE, "exec")

    r = codegen("check", cwd=project)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == f"shop: up to date, 1 file(s) with hand edits\n  edited   {RESOURCE}\n"
    r = codegen("check", "--full", cwd=project)  # regenerating in memory agrees
    assert r.returncode == 0 and f"  edited   {RESOURCE}\n" in r.stdout, r.stdout + r.stderr
    before = tree(out)
    r = codegen("build", cwd=project)
    assert r.returncode == 0 and r.stdout == "shop: up to date, 1 file(s) with hand edits\n"
    assert tree(out) == before


NEW_OPERATION = """  /items/{itemId}/archive:
    post:
      operationId: archiveItem
      tags: [Items]
      parameters:
        - name: itemId
          in: path
          required: true
          schema: {type: string}
      responses:
        "204":
          description: updated
"""


def test_a_new_method_where_the_hand_written_one_is_keeps_both(built: Path, tmp_path: Path) -> None:
    """The generator adds a method to the resource class at the place the user added one: a
    line merge (git's) conflicts; both are definitions of different names, so both stay."""
    reference = make_project(tmp_path / "reference")
    spec = reference / "specs" / "shop" / "openapi.yaml"
    spec.write_text(spec.read_text() + NEW_OPERATION)
    assert codegen("build", cwd=reference).returncode == 0
    new = (reference / OUT / RESOURCE).read_text()
    project = edited_and_committed(built, tmp_path)
    base = (built / OUT / RESOURCE).read_text()
    assert "<<<<<<<" in _git_merge(tmp_path, hand_edits(base), base, new)  # git's line merge conflicts
    spec = project / "specs" / "shop" / "openapi.yaml"
    spec.write_text(spec.read_text() + NEW_OPERATION)
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    merged = (project / OUT / RESOURCE).read_text()
    assert merged == hand_edits(new)  # the new method, then the user's, at the end of the class
    assert "def archive" in merged
    compile(merged, RESOURCE, "exec")


def test_the_name_lock_and_the_lock_outputs_ignore_hand_edits(built: Path, references: dict[str, dict[str, bytes]],
                                                             tmp_path: Path) -> None:
    project = edited_and_committed(built, tmp_path)
    change_spec(project, NEW_PARAMETER, NEW_FIELD)
    assert codegen("build", cwd=project).returncode == 0
    assert (project / OUT / "codegen.lock").read_bytes() == references["changed"]["codegen.lock"]
    # and the api diff of the spec change is the same as without hand edits
    r = codegen("diff", "--target", "shop", "--rev", "HEAD", "--format", "json", cwd=project)
    assert r.returncode == 0 and "sort" in r.stdout and "Item.stock" in r.stdout


def _changed_line(old: str, new: str) -> int:
    """The 0-based index of a line of ``old`` that ``new`` replaces (the spec change's edit)."""
    a, b = old.splitlines(), new.splitlines()
    for tag, i1, _i2, _j1, _j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "replace":
            return i1
    raise AssertionError("the spec change replaces no line")


def _git_merge(tmp_path: Path, ours: str, base: str, theirs: str) -> str:
    paths = []
    for name, content in (("ours", ours), ("base", base), ("theirs", theirs)):
        (tmp_path / name).write_text(content)
        paths.append(str(tmp_path / name))
    r = subprocess.run(["git", "merge-file", "-p", "--diff3", "-L", "hand edit", "-L", "previous generation",
                        "-L", "new generation", *paths], capture_output=True, text=True)
    assert r.returncode >= 0
    return r.stdout


CONFLICT_LINE = re.compile(r"^generated/shop/shop/resources/items\.py:(\d+)-(\d+): conflict: .+$")


def _conflicted(built: Path, references: dict[str, dict[str, bytes]], tmp_path: Path) -> tuple[Path, str, str]:
    """Hand edits built with the first spec change, then a line edited that the second changes;
    returns the project, the user's file before the conflicting build, and the base."""
    project = edited_and_committed(built, tmp_path)
    out = project / OUT
    change_spec(project, NEW_PARAMETER, NEW_FIELD)
    assert codegen("build", cwd=project).returncode == 0
    git(project, "add", "-A")
    git(project, "commit", "-qm", "spec change")
    base, new = text(references["changed"], RESOURCE), text(references["changed twice"], RESOURCE)
    index = _changed_line(base, new)
    lines = (out / RESOURCE).read_text().splitlines(keepends=True)
    target = base.splitlines(keepends=True)[index]
    at = lines.index(target)
    lines[at] = target.rstrip("\n") + "  # hand edit\n"
    (out / RESOURCE).write_text("".join(lines))
    git(project, "commit", "-qam", "an edit on a line the next spec change changes")
    change_spec(project, SECOND_PARAMETER)
    return project, "".join(lines), base


def test_a_conflict_stops_the_build_and_the_resolution_goes_on(built: Path, references: dict[str, dict[str, bytes]],
                                                               tmp_path: Path) -> None:
    project, ours, base = _conflicted(built, references, tmp_path)
    out = project / OUT
    before = tree(out)
    r = codegen("build", cwd=project)
    assert r.returncode == 1
    conflicts = [m for line in r.stderr.splitlines() if (m := CONFLICT_LINE.match(line))]
    assert conflicts, r.stderr
    assert "shop: stopped: " in r.stderr and "Traceback" not in r.stderr
    after = tree(out)
    # only the conflicted file was written (and the merge's state beside it); nothing else changed
    assert sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p)) == \
        sorted([RESOURCE, "codegen.merging"])
    result = after[RESOURCE].decode()
    # the conflict as git's own three-way merge writes it, and the lines named are its blocks
    new = text(references["changed twice"], RESOURCE)
    assert result == _git_merge(tmp_path, ours, base, new)
    lines = result.splitlines()
    for m in conflicts:
        start, end = int(m[1]), int(m[2])
        assert lines[start - 1] == "<<<<<<< hand edit" and lines[end - 1] == ">>>>>>> new generation"
    assert len(conflicts) == sum(line == "<<<<<<< hand edit" for line in lines)
    assert "  # hand edit" in result and METHOD in result and after[HELPERS] == HELPERS_TEXT.encode()
    # check agrees a build would stop
    r = codegen("check", cwd=project)
    assert r.returncode == 1 and any(CONFLICT_LINE.match(x) for x in r.stderr.splitlines())
    # building again before resolving stops again, changing nothing
    r = codegen("build", cwd=project)
    assert r.returncode == 1 and "still there" in r.stderr and tree(out) == after

    # resolve: take the new generation's lines
    resolved = re.sub(r"<<<<<<< hand edit\n.*?=======\n(.*?)>>>>>>> new generation\n", r"\1", result, flags=re.DOTALL)
    (out / RESOURCE).write_text(resolved)
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    files = tree(out)
    assert text(files, RESOURCE) == hand_edits(new)
    reference = references["changed twice"]
    assert files[MODEL] == reference[MODEL] and "codegen.merging" not in files
    assert {p for p in files if files[p] != reference.get(p)} == {RESOURCE, HELPERS}
    assert codegen("check", cwd=project).returncode == 0


def test_a_resolution_that_keeps_the_hand_edit_is_not_undone(built: Path, references: dict[str, dict[str, bytes]],
                                                              tmp_path: Path) -> None:
    project = _conflicted(built, references, tmp_path)[0]
    out = project / OUT
    assert codegen("build", cwd=project).returncode == 1
    result = (out / RESOURCE).read_text()
    resolved = re.sub(r"<<<<<<< hand edit\n(.*?)\|\|\|\|\|\|\| previous generation\n.*?>>>>>>> new generation\n",
                      r"\1", result, flags=re.DOTALL)
    (out / RESOURCE).write_text(resolved)
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    assert (out / RESOURCE).read_text() == resolved  # the user's choice stands
    assert codegen("check", cwd=project).returncode == 0
    assert codegen("build", "--force", cwd=project).returncode == 0
    assert (out / RESOURCE).read_text() == resolved


def test_an_ignored_file_is_never_written(built: Path, references: dict[str, dict[str, bytes]],
                                          tmp_path: Path) -> None:
    project = copy(built, tmp_path)
    out = project / OUT
    (out / ".codegenignore").write_text("# taken over by hand\n/shop/models/item.py\ndocs/\n")
    mine = b'"""Item, written by hand."""\n\nItem = dict\n'
    (out / MODEL).write_bytes(mine)
    shutil.rmtree(out / "docs")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "take over item.py")
    change_spec(project, NEW_PARAMETER, NEW_FIELD)  # changes item.py and the docs
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    files = tree(out)
    assert files[MODEL] == mine  # byte for byte
    assert not (out / "docs").exists()  # ignored: not created either
    new = references["changed"]
    assert files[RESOURCE] == new[RESOURCE]  # the rest is generated as usual
    assert codegen("check", cwd=project).stdout == "shop: up to date\n"
    # no longer ignored: the hand-written file is codegen's again, and merged like any hand edit
    # (the pristine store holds ignored files too: the merge has its base)
    (out / ".codegenignore").write_text("docs/\n")
    r = codegen("build", cwd=project)
    assert r.returncode == 0 and (out / MODEL).read_bytes() == mine, r.stdout + r.stderr
    r = codegen("check", cwd=project)
    assert r.returncode == 0 and "  edited   shop/models/item.py" in r.stdout


def test_same_output_under_two_hash_seeds(built: Path, tmp_path: Path) -> None:
    trees = []
    for seed in ("0", "4242"):
        project = edited_and_committed(built, tmp_path / seed)
        change_spec(project, NEW_PARAMETER, NEW_FIELD)
        r = codegen("build", cwd=project, env={"PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        trees.append(tree(project / OUT))
    assert trees[0] == trees[1]


def test_an_edited_file_no_longer_generated_is_kept(built: Path, tmp_path: Path) -> None:
    project = copy(built, tmp_path)
    out = project / OUT
    color = out / "shop" / "models" / "color.py"
    color.write_text(color.read_text() + "\n# hand edit\n")
    spec = project / "specs" / "shop" / "schemas" / "item.yaml"
    spec.write_text(spec.read_text().replace('    color:\n      $ref: "#/Color"\n', ""))
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    assert "  kept     shop/models/color.py" in r.stdout
    assert color.read_text().endswith("# hand edit\n")
    assert "shop/models/color.py" not in (out / ".codegen-manifest").read_text()
    assert codegen("check", cwd=project).returncode == 0


def test_the_committed_pristine_stores_hold_the_generated_files() -> None:
    """The golden test compares every other file of generated/; the store is compared by content."""
    from generator import pipeline
    from generator.config import load_config

    repo = Path(__file__).resolve().parent.parent
    for target in load_config(repo / "pyproject.toml").targets.values():
        files = pipeline.generate(target).files
        files.pop("codegen.lock")
        store = Store.read(target.out / STORE_NAME)
        assert store.paths() == sorted(files)
        assert {rel: store.get(rel) for rel in files} == files, "run `codegen build`"


# --- atomicity ---------------------------------------------------------------------------------

@pytest.mark.parametrize("conflict", [False, True])
def test_a_build_killed_halfway_through_a_merge_leaves_everything_as_it_was(
        built: Path, references: dict[str, dict[str, bytes]], tmp_path: Path, conflict: bool) -> None:
    from test_atomic import _FROZEN, child, frozen_codegen, snapshot

    if not _FROZEN:
        frozen_codegen(tmp_path / "frozen")
    if conflict:
        project = _conflicted(built, references, tmp_path)[0]
    else:
        project = edited_and_committed(built, tmp_path)
        change_spec(project, NEW_PARAMETER, NEW_FIELD)
    out = project / OUT
    before = snapshot(out)
    r = child(project, "kill-after-files:1", "build")
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert snapshot(out) == before
    r = child(project, "none", "build")
    assert r.returncode == (1 if conflict else 0), r.stderr
    if not conflict:
        assert (out / RESOURCE).read_text() == hand_edits(text(references["changed"], RESOURCE))


# --- hostile inputs ----------------------------------------------------------------------------

def _outside(tmp_path: Path) -> dict[str, bytes]:
    """Everything under tmp_path but the project's output folder."""
    return {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in sorted(tmp_path.rglob("*"))
            if p.is_file() and "generated" not in p.parts and "__pycache__" not in p.parts and ".git" not in p.parts}


def test_hostile_ignore_patterns_store_and_links_never_reach_outside(built: Path, tmp_path: Path) -> None:
    project = edited_and_committed(built, tmp_path)
    out = project / OUT
    (tmp_path / "victim.py").write_text("precious\n")
    (out / ".codegenignore").write_text("../../../victim.py\n/../x\n**/../../victim.py\n[z-a\n\\\n!\n/\n")
    # a pristine store that names paths outside the folder, with a bomb for the edited file, and a
    # first line forged to match the lock
    lock_outputs = __import__("json").loads((out / "codegen.lock").read_text())["outputs"]
    bomb = zlib.compress(b"\0" * (64 * 1024 * 1024), 9)
    entries = {"../../../victim.py": zlib.compress(b"evil\n"), "/tmp/absolute.py": zlib.compress(b"evil\n"),
               RESOURCE: bomb}
    head = f"codegen pristine 1 {outputs_digest(lock_outputs)}\n".encode()
    index = b"".join(f"{len(v)} {k}\n".encode() for k, v in entries.items())
    (out / STORE_NAME).write_bytes(head + index + b"\n" + b"".join(entries.values()))
    (out / "codegen.merging").write_bytes(b"codegen pristine 1 x\n5 ../../../victim.py\n\n" + zlib.compress(b"x"))
    # a generated file replaced by a link to a file outside
    model = out / MODEL
    model.unlink()
    model.symlink_to(tmp_path / "victim.py")
    before = _outside(tmp_path)
    change_spec(project, NEW_PARAMETER, NEW_FIELD)
    r = codegen("build", cwd=project)
    assert "Traceback" not in r.stderr
    assert _outside(tmp_path) == {**before, "project/specs/shop/openapi.yaml": (project / "specs/shop/openapi.yaml")
                                  .read_bytes(), "project/specs/shop/schemas/item.yaml":
                                  (project / "specs/shop/schemas/item.yaml").read_bytes()}
    assert not Path("/tmp/absolute.py").exists()
    # the edited file's base is unusable (the bomb): every difference is a conflict, nothing lost
    assert r.returncode == 1 and CONFLICT_LINE.match(r.stderr.splitlines()[0]), r.stderr
    assert METHOD in (out / RESOURCE).read_text()


def test_bytes_that_are_not_utf8_survive_a_merge(built: Path, references: dict[str, dict[str, bytes]],
                                                 tmp_path: Path) -> None:
    project = copy(built, tmp_path)
    out = project / OUT
    edited = (out / RESOURCE).read_bytes() + b"# caf\xe9 (latin-1)\r\n"
    (out / RESOURCE).write_bytes(edited)
    change_spec(project, NEW_PARAMETER, NEW_FIELD)
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    assert (out / RESOURCE).read_bytes() == references["changed"][RESOURCE] + b"# caf\xe9 (latin-1)\r\n"


# --- without a usable record, and starting over ------------------------------------------------

def test_an_unreadable_lock_leaves_the_store_to_vouch_for_the_base(built: Path, references: dict[str, dict[str, bytes]],
                                                                   tmp_path: Path) -> None:
    project = edited_and_committed(built, tmp_path)
    out = project / OUT
    (out / "codegen.lock").write_text('{"lock_version": 0}\n')  # another version's lock, say
    change_spec(project, NEW_PARAMETER, NEW_FIELD)
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    assert (out / RESOURCE).read_text() == hand_edits(text(references["changed"], RESOURCE))


def test_without_lock_or_store_generated_files_are_written_as_before(built: Path,
                                                                     references: dict[str, dict[str, bytes]],
                                                                     tmp_path: Path) -> None:
    project = copy(built, tmp_path)
    out = project / OUT
    (out / "codegen.lock").unlink()
    (out / STORE_NAME).unlink()
    change_spec(project, NEW_PARAMETER, NEW_FIELD)
    r = codegen("build", cwd=project)
    assert r.returncode == 0, r.stderr
    assert tree(out) == references["changed"]


def test_discarding_hand_edits_writes_the_generation_as_is(built: Path, references: dict[str, dict[str, bytes]],
                                                           tmp_path: Path) -> None:
    project = edited_and_committed(built, tmp_path)
    out = project / OUT
    change_spec(project, NEW_PARAMETER, NEW_FIELD)
    r = codegen("build", "--discard-hand-edits", cwd=project)
    assert r.returncode == 0, r.stderr
    files = tree(out)
    assert files.pop(HELPERS) == HELPERS_TEXT.encode()  # a file of the user's: never touched
    assert files == references["changed"]
