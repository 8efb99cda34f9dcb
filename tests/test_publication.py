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
from support import mini_referentiel

from engine.build import atomic

BUILD = [sys.executable, str(Path(__file__).resolve().parent.parent / "build.py")]
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder with the hash of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*BUILD, "--racine", str(root)], env={**os.environ, **EPOCH},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def built(root: Path) -> dict[str, str]:
    assert build(root).wait(timeout=600) == 0
    return snapshot(root / "site")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's; elsewhere two renames")
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


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small référentiel built twice, from two copies of the same files."""
    folder = tmp_path_factory.mktemp("publication")
    first, second = mini_referentiel(folder / "un"), mini_referentiel(folder / "deux")
    for root in (first, second):
        assert build(root).wait(timeout=600) == 0
    return first, second


def copy_of(built_root: Path, destination: Path, *, site: bool) -> Path:
    """A copy of a built référentiel, its build folder included (the PDFs laid out by earlier builds are
    reused, as they are from one build to the next), with or without its site."""
    ignored = () if site else ("site",)
    return Path(shutil.copytree(built_root, destination / "mini", ignore=shutil.ignore_patterns(*ignored)))


def test_building_the_same_commit_twice_gives_byte_identical_sites(two_builds: tuple[Path, Path]):
    first, second = two_builds
    assert snapshot(first / "site") == snapshot(second / "site")


@pytest.mark.skipif(sys.platform == "win32", reason="kills a process group (POSIX)")
def test_a_build_killed_at_any_moment_leaves_the_previous_or_the_new_site_complete(tmp_path: Path,
                                                                                  two_builds: tuple[Path, Path]):
    root = copy_of(two_builds[0], tmp_path / "a", site=True)
    previous = snapshot(root / "site")
    kept = tmp_path / "site-precedent"
    shutil.copytree(root / "site", kept)
    path = next(path for path in sorted((root / "fiches").glob("*.yaml")))
    path.write_text(path.read_text(encoding="utf-8").replace("titre:", "titre: Nouvelle", 1), encoding="utf-8")
    reference = copy_of(root, tmp_path / "b", site=False)
    start = time.monotonic()
    new = built(reference)
    duration = time.monotonic() - start
    assert new != previous
    for fraction in (0.3, 0.85, 0.97):
        shutil.rmtree(root / "site")
        shutil.copytree(kept, root / "site")
        process = build(root)
        time.sleep(duration * fraction)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        atomic.recover(root / "site")  # what the next build does first, on systems without exchange
        assert snapshot(root / "site") in (previous, new), f"site incomplet après un arrêt à {fraction:.0%}"


def test_two_builds_at_once_give_one_complete_site(tmp_path: Path, two_builds: tuple[Path, Path]):
    root = copy_of(two_builds[0], tmp_path, site=False)
    first, second = build(root), build(root)
    assert first.wait(timeout=600) == 0 and second.wait(timeout=600) == 0
    assert snapshot(root / "site") == snapshot(two_builds[0] / "site")


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
