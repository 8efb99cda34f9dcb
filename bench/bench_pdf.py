"""PDF cost: `python bench/bench_pdf.py [ENTRIES] [--fois N] [--weasyprint REV [--fois-pdf N]]` (default 1,000 entries; 0: step 1 only).

In the same run:
1. the PDF step on the shipped content, from an empty cache: CPU seconds of the entries' PDFs, then of
   the booklet, and the PDFs' sizes. Goal: at most 1/8 of the WeasyPrint figure on the same machine
   (92 CPU s in ../shared/research/measurements-2026-12.md). With `--weasyprint REV`, the engine of git
   revision REV (the last one on WeasyPrint: 1f68b6d^) is extracted with `git archive` into a temporary
   folder with the content of that revision (that engine cannot read today's), and its PDF step is
   measured in this run too, per PDF as well (needs WeasyPrint installed): both steps `--fois-pdf` times (3 by
   default), one after the other, compared by their medians and pair by pair;
2. the full `python build.py` of a synthetic référentiel of ENTRIES entries from an empty cache, the
   PDFs included, against a bare mkdocs-material build (`mkdocs build`, in its own process) of as many
   plain pages of the same sizes: what a user waits for. Each is run `--fois` times (3 by default), one
   after the other, and their medians compared, as well as the median of each pair's ratio (the machine's speed
   drifts from minute to minute: a pair runs in the same minutes). Goal: at most 5× the bare build;
3. then `python build.py` again with nothing changed, and after editing one entry. Goal: the edit at
   most 1.5× the no-change rebuild.
Times are wall-clock seconds (the machine may be shared: compare ratios) unless marked CPU.
"""

import argparse
import io
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The engine and pypdf are imported where they are used: the processes that lay out PDFs import this file again,
# and should pay no more than those of `python build.py`.

ROOT = Path(__file__).resolve().parent.parent
RESEARCH_WEASYPRINT_CPU = 92.0
"""The WeasyPrint PDF step on the shipped content, empty cache (measurements-2026-12.md, same machine)."""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu() -> float:
    """CPU seconds of this process and of its finished children (the layout workers, git)."""
    return time.process_time() + children_cpu()


def shipped_pdf_step(scratch: Path, run: int = 0) -> tuple[float, float]:
    """The PDF step on the shipped content from an empty cache: with the booklet (`publier`, `offline`,
    `--livret`: what WeasyPrint did on every build), then without it (an ordinary first build); their CPU
    seconds are returned. The first run also prints the PDFs' sizes."""
    import pypdf

    from engine.check.checker import check
    from engine.load.history import History
    from engine.render.pages import BOOKLET, Pages
    from engine.render.pdf import printed_files

    referentiel = check(ROOT).referentiel
    assert referentiel is not None
    start = cpu()
    every = printed_files(Pages(referentiel, History(ROOT), printed=True), scratch / f"cache-livret-{run}",
                          booklet=True)
    middle = cpu()
    entries = printed_files(Pages(referentiel, History(ROOT), printed=True), scratch / f"cache-entrees-{run}")
    end = cpu()
    total = middle - start
    print(f"Contenu livré, cache vide : {len(every)} PDF, livret compris, en {total:.1f} s CPU (WeasyPrint, "
          f"mesures de recherche sur cette machine : {RESEARCH_WEASYPRINT_CPU:.0f} s CPU, soit 1/"
          f"{RESEARCH_WEASYPRINT_CPU / total:.1f}), soit {total / len(every):.3f} s CPU par PDF ; sans le livret "
          f"(construction ordinaire) : {len(entries)} PDF en {end - middle:.1f} s CPU", flush=True)
    if run == 0:
        sizes = sorted(len(data) for data in entries.values())
        pages = len(pypdf.PdfReader(io.BytesIO(every[BOOKLET])).pages)
        print(f"Tailles : livret {len(every[BOOKLET]) / 1e6:.2f} Mo ({pages} pages), "
              f"PDF d'entrée médian {statistics.median(sizes) / 1e3:.0f} Ko, le plus grand {sizes[-1] / 1e3:.0f} Ko, "
              f"tous les PDF {sum(len(data) for data in every.values()) / 1e6:.1f} Mo", flush=True)
    return total, end - middle


WEASYPRINT_STEP = textwrap.dedent("""
    import resource, sys, time
    from pathlib import Path
    # Tell the layouts apart by their files: an import that fails would be answered by the editable install.
    if Path("engine/checking.py").is_file():  # the flat engine of the WeasyPrint days
        from engine.checking import check
        from engine.history import History
        from engine.pages import Pages
        from engine.pdf import printed_files
    else:  # the engine in folders
        from engine.check.checker import check
        from engine.load.history import History
        from engine.render.pages import Pages
        from engine.render.pdf import printed_files
    root, cache = Path(sys.argv[1]), Path(sys.argv[2])
    referentiel = check(root).referentiel
    def cpu():
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime
    start = cpu()
    files = printed_files(Pages(referentiel, History(root), printed=True), cache)
    print(f"{cpu() - start:.1f} {len(files)}")
""")


def old_engine(revision: str, scratch: Path) -> Path:
    """The engine at `revision` with the content of that revision, extracted into a folder of `scratch`."""
    old = scratch / "ancien-moteur"
    old.mkdir()
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as files:
        files.extractall(old, filter="data")
    return old


def weasyprint_step(old: Path, revision: str, scratch: Path, run: int = 0) -> float:
    """The PDF step of the engine extracted in `old` on the content of that revision (the engine of the time cannot
    read today's content), in a process of its own, from an empty cache: every PDF, the booklet included; its CPU
    seconds are returned."""
    result = subprocess.run([sys.executable, "-c", WEASYPRINT_STEP, str(old), str(scratch / f"cache-ancien-{run}")],
                            cwd=old, check=True, capture_output=True, text=True)
    seconds, count = result.stdout.split()
    print(f"WeasyPrint ({revision}, contenu de cette révision), même machine, même exécution : {count} PDF, livret "
          f"compris, en {seconds} s CPU (sans l'import), soit {float(seconds) / int(count):.2f} s CPU par PDF",
          flush=True)
    return float(seconds)


def compared_pdf_steps(revision: str, scratch: Path, runs: int) -> None:
    """Today's PDF step and WeasyPrint's, one after the other `runs` times (the machine's speed drifts from minute
    to minute), compared by their medians and pair by pair."""
    old = old_engine(revision, scratch)
    ours: list[tuple[float, float]] = []
    theirs: list[float] = []
    for run in range(runs):
        ours.append(shipped_pdf_step(scratch, run))
        theirs.append(weasyprint_step(old, revision, scratch, run))
    booklet, ordinary = (statistics.median(values) for values in zip(*ours))
    weasyprint = statistics.median(theirs)
    pairs = ", ".join(f"1/{other / mine[0]:.1f}" for mine, other in zip(ours, theirs))
    print(f"Médianes de {runs}, même exécution : WeasyPrint {weasyprint:.1f} s CPU ; Typst, livret compris "
          f"{booklet:.1f} s CPU, soit 1/{weasyprint / booklet:.1f} (chaque paire : {pairs}) ; Typst, construction "
          f"ordinaire (sans le livret, que WeasyPrint mettait en page à chaque construction) {ordinary:.1f} s CPU, soit "
          f"1/{weasyprint / ordinary:.1f} (objectif ≤ 1/8)", flush=True)


def build(root: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `python build.py` on a référentiel."""
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--racine", str(root)], check=True,
                   capture_output=True)
    return time.perf_counter() - start, children_cpu() - cpu


def bare(folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `mkdocs build` on the bare site, in its own process as a user runs it."""
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml")], check=True,
                   capture_output=True)
    return time.perf_counter() - start, children_cpu() - cpu


def synthetic_builds(count: int, scratch: Path, runs: int) -> None:
    """The full build from an empty cache and the bare build, `runs` times each, one after the other (so that a
    machine that slows down slows both), compared by their medians."""
    from bench_build import bare_site
    from synthetic import build as synthetic

    root = synthetic(scratch / "referentiel", count)
    fulls, bares = [], []
    for run in range(runs):
        for produced in (root / "site", root / "build"):
            shutil.rmtree(produced, ignore_errors=True)
        fulls.append(build(root))
        docs = root / "build" / "docs"
        sizes = {path.relative_to(docs).as_posix(): path.stat().st_size for path in docs.rglob("*.md")
                 if path.name != "index.md"}
        bares.append(bare(bare_site(scratch / f"temoin-{run}", sizes)))
    full, full_cpu = (statistics.median(times) for times in zip(*fulls))
    bare_wall, bare_cpu = (statistics.median(times) for times in zip(*bares))
    pdfs = len(list((root / "site" / "pdf").rglob("*.pdf")))
    each = ", ".join(f"{engine[0]:.1f}/{plain[0]:.1f}" for engine, plain in zip(fulls, bares))
    paired = statistics.median(engine[0] / plain[0] for engine, plain in zip(fulls, bares))
    print(f"{count} entrées synthétiques, médianes de {runs} : python build.py complet, cache vide, {pdfs} PDF "
          f"compris : {full:.1f} s ({full_cpu:.1f} s CPU) ; site mkdocs-material nu de {len(sizes)} pages (mkdocs "
          f"build) : {bare_wall:.1f} s ({bare_cpu:.1f} s CPU) ; rapport {full / bare_wall:.1f} (objectif ≤ 5 ; en "
          f"CPU, tous cœurs additionnés : {full_cpu / bare_cpu:.1f}) ; chaque paire (s) : {each}, médiane des rapports "
          f"par paire (chaque paire mesurée dans les mêmes minutes) : {paired:.1f}")
    unchanged, unchanged_cpu = build(root)
    lesson = min((root / "lessons").glob("*.yaml"))
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("resume: ", "resume: Modifié. ", 1),
                      encoding="utf-8")
    edited, edited_cpu = build(root)
    print(f"Reconstruction sans changement : {unchanged:.1f} s ({unchanged_cpu:.1f} s CPU) ; après la modification "
          f"d'une entrée : {edited:.1f} s ({edited_cpu:.1f} s CPU) ; rapport {edited / unchanged:.2f} (objectif ≤ 1,5)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entries", nargs="?", type=int, default=1000,
                        help="nombre d'entrées synthétiques (0 : seulement le contenu livré)")
    parser.add_argument("--fois", type=int, default=3, help="constructions complète et nue, chacune (médianes)")
    parser.add_argument("--weasyprint", metavar="REV", help="mesure aussi l'étape PDF du moteur de cette révision")
    parser.add_argument("--fois-pdf", type=int, default=3,
                        help="avec --weasyprint : étapes PDF d'aujourd'hui et de WeasyPrint, chacune, en alternance")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        if arguments.weasyprint:
            compared_pdf_steps(arguments.weasyprint, scratch, arguments.fois_pdf)
        else:
            shipped_pdf_step(scratch)
        if arguments.entries:
            synthetic_builds(arguments.entries, scratch, arguments.fois)
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
