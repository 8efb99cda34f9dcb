"""Build cost: `python bench/bench_build.py [ENTRIES] [--zensical]` (default 1,000 entries).

In the same run, builds (1) the full site of a synthetic référentiel with the engine (check,
pages, strict MkDocs build, accent folding of the search index; the PDFs are a separate step,
timed apart) and (2) a bare mkdocs-material site of as many plain pages of the same sizes, with the
same navigation strategy (sections only) and the search plugin. Prints both times, their ratio
(goal ≤ 1.3), the ratio split between the builder's work on the engine's pages and the engine's own
steps, and the weight of an enseignement page (goal ≤ 100 KB of HTML).

With `--zensical`, Zensical (the successor of Material for MkDocs) builds both folders instead of
MkDocs, each time from an empty cache, as a first build does; the engine's accent folding, which
works on MkDocs's search index, is then left out.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import build as synthetic

from engine.build.site import Layout, build_into, prepare
from engine.check.checker import check

WORDS = "la commune les habitants une démarche de transition énergie récit coopération élus".split()


BUILDER_STEP = "construction du site"


def zensical_build(config: Path) -> Path:
    """Build a folder with Zensical, from an empty cache; its site is `site/` beside the configuration."""
    for previous in (".cache", "site"):
        shutil.rmtree(config.parent / previous, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "zensical", "build", "-f", config.name], cwd=config.parent,
                   check=True, capture_output=True)
    return config.parent / "site"


def engine_build(root: Path, zensical: bool) -> tuple[dict[str, float], Path]:
    """The time of each step of the engine's build, in seconds, and where the site is."""
    times = {}
    start = time.perf_counter()
    referentiel = check(root).referentiel
    assert referentiel is not None, "the synthetic référentiel is valid"
    times["vérification"] = time.perf_counter() - start
    layout = Layout(root)
    prepare(referentiel, layout, printed=False)
    times["pages"] = time.perf_counter() - start - sum(times.values())
    if zensical:
        site = zensical_build(layout.config)
    else:
        site = root / "site"
        shutil.rmtree(site, ignore_errors=True)
        build_into(layout, site)
    times[BUILDER_STEP] = time.perf_counter() - start - sum(times.values())
    return times, site


def bare_site(folder: Path, sizes: dict[str, int]) -> Path:
    """Plain Markdown pages of the given sizes, in sections with an index each, and a bare config."""
    docs = folder / "docs"
    for name, size in sizes.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        words = (" ".join(WORDS) + " ") * (size // 60 + 1)
        path.write_text(f"# {path.stem}\n\n{words[:size]}\n", encoding="utf-8")
    sections = sorted({Path(name).parent.as_posix() for name in sizes} - {"."})
    for section in sections:
        (docs / section / "index.md").write_text(f"# {section}\n", encoding="utf-8")
    (docs / "index.md").write_text("# Accueil\n", encoding="utf-8")
    config = {
        "site_name": "Témoin", "docs_dir": "docs", "site_dir": "site",
        "theme": {"name": "material", "language": "fr", "font": False},
        "plugins": [{"search": {"lang": "fr"}}],
        "nav": ["index.md", *[f"{section}/index.md" for section in sections]],
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder


def bare_build(folder: Path, zensical: bool) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    start = time.perf_counter()
    if zensical:
        zensical_build(folder / "mkdocs.yml")
    else:
        build(load_config(config_file=str(folder / "mkdocs.yml")))
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entries", nargs="?", type=int, default=1000, help="nombre d'entrées synthétiques")
    parser.add_argument("--zensical", action="store_true", help="construire les deux sites avec Zensical")
    arguments = parser.parse_args()
    count, zensical = arguments.entries, arguments.zensical
    builder = "Zensical" if zensical else "MkDocs"
    with tempfile.TemporaryDirectory() as scratch:
        root = synthetic(Path(scratch) / "referentiel", count)
        engine_times: list[dict[str, float]] = []
        bare_times: list[float] = []
        for _ in range(3):
            times, site = engine_build(root, zensical)
            engine_times.append(times)
            docs = root / "build" / "docs"
            sizes = {path.relative_to(docs).as_posix(): path.stat().st_size for path in docs.rglob("*.md")
                     if path.name != "index.md"}
            bare = bare_site(Path(scratch) / f"temoin-{len(bare_times)}", sizes)
            bare_times.append(bare_build(bare, zensical))
        lessons = list((site / "enseignements").glob("*/index.html"))
        weights = [path.stat().st_size for path in lessons]
        best = min(engine_times, key=lambda times: sum(times.values()))
        engine_time, bare_time = sum(best.values()), min(bare_times)
        print(f"{count} entrées, {len(sizes)} pages d'entrée")
        print(f"construits par {builder}")
        print(f"moteur complet (sans PDF) : {engine_time:.1f} s ; site nu : {bare_time:.1f} s "
              f"(meilleur de 3) ; rapport : {engine_time / bare_time:.2f}")
        print("dont " + " ; ".join(f"{step} {seconds:.1f} s" for step, seconds in best.items()))
        builder_time = best[BUILDER_STEP]
        print(f"soit, en unités du site nu : {builder} sur les pages du moteur {builder_time / bare_time:.2f}, "
              f"vérification et écriture des pages {(engine_time - builder_time) / bare_time:.2f}")
        print(f"page d'enseignement : {statistics.mean(weights) / 1024:.1f} Ko de HTML en moyenne, "
              f"{max(weights) / 1024:.1f} Ko au plus")
    return 0


if __name__ == "__main__":
    sys.exit(main())
