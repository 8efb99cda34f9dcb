"""Publishing the site: never a missing or half-written site/, one build at a time, same bytes
for the same commit."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine import atomic
from support import mini_referentiel

BUILD = [sys.executable, str(Path(__file__).resolve().parent.parent / "build.py")]
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder with the hash of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def build(root: Path, **popen: object) -> subprocess.Popen:
    return subprocess.Popen([*BUILD, "--racine", str(root)], env={**os.environ, **EPOCH},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, **popen)


def built(root: Path) -> dict[str, str]:
    assert build(root).wait(timeout=600) == 0
    return snapshot(root / "site")


def test_replacing_a_folder_swaps_old_and_new_in_one_step(tmp_path: Path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "ancien.html").write_text("ancien")
    (tmp_path / "nouveau").mkdir()
    (tmp_path / "nouveau" / "index.html").write_text("nouveau")
    assert atomic.exchange(tmp_path / "nouveau", tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "nouveau"
    assert (tmp_path / "nouveau" / "ancien.html").read_text() == "ancien"


def test_a_site_left_aside_by_an_interrupted_swap_is_put_back(tmp_path: Path):
    (tmp_path / ".site-ancien").mkdir()
    (tmp_path / ".site-ancien" / "index.html").write_text("publié")
    atomic.recover(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "publié"
    assert not (tmp_path / ".site-ancien").exists()


def test_a_build_killed_at_any_moment_leaves_the_previous_or_the_new_site_complete(tmp_path: Path):
    root = mini_referentiel(tmp_path / "a")
    previous = built(root)
    kept = tmp_path / "site-precedent"
    shutil.copytree(root / "site", kept)
    for path in root.rglob("*.yaml"):
        if "fiches" in path.parts:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("titre:", "titre: Nouvelle", 1), encoding="utf-8")
            break
    reference = shutil.copytree(root, tmp_path / "b" / "mini", ignore=shutil.ignore_patterns("site", "build"))
    start = time.monotonic()
    new = built(reference)
    duration = time.monotonic() - start
    assert new != previous
    for fraction in (0.05, 0.2, 0.4, 0.6, 0.75, 0.9, 0.97):
        shutil.rmtree(root / "site")
        shutil.copytree(kept, root / "site")
        process = build(root)
        time.sleep(duration * fraction)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        atomic.recover(root / "site")  # what the next build does first, on systems without exchange
        assert snapshot(root / "site") in (previous, new), f"site incomplet après un arrêt à {fraction:.0%}"


def test_two_builds_at_once_give_one_complete_site(tmp_path: Path):
    root = mini_referentiel(tmp_path / "a")
    expected = built(shutil.copytree(root, tmp_path / "b" / "mini"))
    first, second = build(root), build(root)
    assert first.wait(timeout=600) == 0 and second.wait(timeout=600) == 0
    assert snapshot(root / "site") == expected


def test_building_the_same_commit_twice_gives_byte_identical_sites(tmp_path: Path):
    first = mini_referentiel(tmp_path / "un")
    second = mini_referentiel(tmp_path / "deux")
    assert built(first) == built(second)


@pytest.mark.parametrize("failing", ["exchange", "rename"])
def test_a_failure_while_swapping_leaves_a_complete_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          failing: str):
    site, new = tmp_path / "site", tmp_path / "nouveau"
    site.mkdir()
    (site / "index.html").write_text("publié")
    new.mkdir()
    (new / "index.html").write_text("nouveau")
    monkeypatch.setattr(atomic, "exchange", lambda first, second: False)
    if failing == "exchange":
        monkeypatch.setattr(atomic, "exchange", lambda first, second: (_ for _ in ()).throw(OSError("disque plein")))
    else:
        real_rename = Path.rename

        def rename(self: Path, target: Path) -> Path:
            if self == new:
                raise OSError("disque plein")
            return real_rename(self, target)

        monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        atomic.replace_folder(new, site)
    atomic.recover(site)
    assert (site / "index.html").read_text() == "publié"
