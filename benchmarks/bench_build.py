"""How long qualsite takes to build a big study, next to plain MkDocs.

For each size, a synthetic study (benchmarks/synthetic.py, always the same
files for the same size) is built with qualsite, then plain MkDocs (the same
theme and search plugin, no qualsite) builds the Markdown pages qualsite
generated, written out to a docs folder, with the same navigation: both
render the same pages, so the difference is the plugin's own work. Each
build runs in its own process, three times, the qualsite and plain builds
taking turns so that a slow spell of the machine falls on both; the figures
are the median wall time, the median CPU time (user and system, steadier
than wall time on a shared machine) and the median peak memory: the most
the build held at once, its process and every process it started (for
qualsite, the two workers beside the build: one makes the downloads and
ends, the other checks the pages as they are written), read every 10 ms,
and never less than the build process's own high-water mark (VmHWM).
A later step times a rebuild in one
process after one excerpt file changed, as ``mkdocs serve`` does on a save,
and another builds that study with Material's ``navigation.indexes``,
without and with ``navigation.prune``, to show what pruning the sidebar
saves in page weight and build time.

For each size it also prints the weight of qualsite's site: the median and
the largest HTML page, the pages over 1 MB, and the search index
(``search/search_index.json``: bytes, gzipped bytes, entries). Then it types
into Material's search box in Chromium on the 50,000-excerpt site
(``search_latency.py``) and times the first results, and lists issue 17's
targets with what was measured.

    python benchmarks/bench_build.py                    # 1000, 10000, 50000
    python benchmarks/bench_build.py --sizes 2000 --runs 1
    python benchmarks/bench_build.py --no-search        # without Chromium

The last line reads ``ratio qualsite/plain at 10000 excerpts: <ratio>``, the
ratio of the median build times.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_latency
import synthetic

PHASES = ("load", "validate", "guard", "figure", "generate", "embeds", "print", "search", "gate")


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    phases: list[dict[str, float]] = field(default_factory=list)
    #: The peaks of qualsite's worker processes (the downloads, the gate)
    #: added, each its own high-water mark; 0 for plain MkDocs.
    worker_mib: list[float] = field(default_factory=list)
    #: The most the build and its workers held at once (TreeMemory).
    together_mib: list[float] = field(default_factory=list)

    @property
    def time(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_seconds)

    @property
    def memory(self) -> float:
        """The build's peak memory: the most its processes held at once, and
        at least the build process's own peak (which a reading every 10 ms
        could miss by a little)."""
        return statistics.median(
            max(together, main)
            for together, main in zip(self.together_mib, self.peak_mib, strict=True)
        )

    @property
    def build_memory(self) -> float:
        return statistics.median(self.peak_mib)

    @property
    def worker_memory(self) -> float:
        return statistics.median(self.worker_mib)

    def phase(self, name: str) -> float:
        return statistics.median(p.get(name, 0.0) for p in self.phases) if self.phases else 0.0


def build(runs: Runs, config: Path, site: Path, timings: Path | None = None) -> None:
    """One ``mkdocs build`` in a process of its own, added to ``runs``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if timings is not None:
        env["QUALSITE_TIMINGS"] = str(timings)
    peak = site.with_name(f"{site.name}.peak")
    command = [sys.executable, __file__, "--build", str(config), str(site), str(peak)]
    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stderr=errors)
        memory = TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        together = memory.stop()
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"build of {config} failed:\n{errors.read()}")
    runs.seconds.append(elapsed)
    runs.cpu_seconds.append(usage.ru_utime + usage.ru_stime)
    runs.peak_mib.append(int(peak.read_text(encoding="utf-8")) / 1024)
    phases = json.loads(timings.read_text(encoding="utf-8")) if timings is not None else {}
    if timings is not None:
        runs.phases.append(phases)
    runs.worker_mib.append(phases.get("gate_worker_peak_mib", 0.0))
    runs.together_mib.append(together)


class TreeMemory:
    """The most a process and all of its descendants hold at once, in MiB:
    their resident sets added, read from /proc every ``every`` seconds by a
    thread of its own until :meth:`stop`."""

    def __init__(self, pid: int, every: float = 0.01) -> None:
        self._pid, self._every = pid, every
        self._peak = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self._peak

    def _watch(self) -> None:
        while not self._done.wait(self._every):
            self._peak = max(self._peak, sum(map(_resident_mib, _family(self._pid))))


def _family(pid: int) -> list[int]:
    """``pid`` and every process under it, as /proc lists their children."""
    found, waiting = [], [pid]
    while waiting:
        parent = waiting.pop()
        found.append(parent)
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text(encoding="ascii")
        except OSError:  # ended meanwhile
            continue
        waiting += [int(child) for child in children.split()]
    return found


def _resident_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:  # ended meanwhile
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child_build(config: Path, site: Path, peak: Path) -> None:
    """Run in a process of its own: ``mkdocs build``, then write the
    process's peak resident memory in KiB to ``peak``.

    The peak comes from /proc (VmHWM, the high-water mark of this program's
    memory), not from the parent's wait4: Linux carries the maximum of the
    forked parent's memory over into the child's ru_maxrss, and the parent
    here holds a whole study.
    """
    from mkdocs.__main__ import cli

    cli.main(["build", "-q", "-f", str(config), "-d", str(site)], standalone_mode=False)
    status = Path("/proc/self/status").read_text(encoding="ascii")
    high_water = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    peak.write_text(high_water.split()[1], encoding="utf-8")


def plain_copy(study: Path, plain: Path) -> Path:
    """The pages qualsite generates for ``study``, as a plain MkDocs project."""
    from mkdocs.config import load_config
    from mkdocs.utils import nest_paths

    from qualsite.plugin.config import site_settings
    from qualsite.render.nav import generated_sections, place_sections
    from qualsite.render.printing import print_header, section_markdown
    from qualsite.render.urls import ASSETS_DIR
    from qualsite.site import prepare_site

    config = load_config(str(study / "mkdocs.yml"))
    plugin = config.plugins["qualsite"]
    prepared = prepare_site(site_settings(config, plugin.config))
    docs = plain / "docs"
    shutil.copytree(Path(config.docs_dir), docs)
    own = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    for page in prepared.pages:
        _write(docs / page.src_path, page.markdown.encode("utf-8"))
    for generated in prepared.files:
        _write(docs / generated.path, generated.content)
    renderer = prepared.renderer
    # The Print page, as the Markdown its parts are rendered from.
    parts = [print_header(renderer).markdown, (docs / "index.md").read_text(encoding="utf-8")]
    kinds = ("model", "tables", "categories", "matrices", "cite")
    parts += [section_markdown(renderer, k) for k in kinds]
    _write(docs / "print.md", "\n\n".join(parts).encode("utf-8"))
    stylesheet = Path(__file__).resolve().parent.parent / "site_templates" / "qualsite.css"
    _write(docs / ASSETS_DIR / "qualsite.css", stylesheet.read_bytes())
    sections = generated_sections(
        prepared.published, participant_pages=False, matrices=renderer.matrices is not None
    )
    nav = place_sections(nest_paths(own), sections)  # type: ignore[no-untyped-call]
    settings = {
        "site_name": config.site_name,
        "docs_dir": "docs",
        # The study's own theme settings: the same features and palettes.
        "theme": yaml.safe_load((study / "mkdocs.yml").read_text(encoding="utf-8"))["theme"],
        "plugins": ["search"],
        "extra_css": [f"{ASSETS_DIR}/qualsite.css"],
        "nav": nav,
        # Further pages of excerpts, and the pages a matrix's cells link to.
        "not_in_nav": "/categories/*/*.md\n/matrices/*/*.md\n/matrices/*/*/*.md",
    }
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False), "utf-8")
    return plain / "mkdocs.yml"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def rebuild(study: Path) -> None:
    """Run in a process of its own: a build, one excerpt file changed, a
    rebuild, as ``mkdocs serve`` does it (a new config and new plugins, in
    the same process). Prints both times as JSON."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    def once() -> float:
        started = time.perf_counter()
        config = load_config(str(study / "mkdocs.yml"), site_dir=str(study / "site-serve"))
        mkdocs_build(config)
        return time.perf_counter() - started

    startup = load_config(str(study / "mkdocs.yml"))
    startup.plugins.on_startup(command="serve", dirty=False)
    first = once()
    changed = sorted((study / "codebook" / "excerpts").glob("*.yml"))[0]
    data = yaml.safe_load(changed.read_text(encoding="utf-8"))
    data["excerpts"][0]["text"] += " One more sentence, written while the site was served."
    changed.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    second = once()
    print(json.dumps({"first": first, "rebuild": second}))


#: The page weight targets of issue 17.
MEDIAN_PAGE_LIMIT = 60 * 1024  # the median page at 10,000 excerpts, in bytes
PAGE_LIMIT = 1_000_000  # no page over 1 MB
SEARCH_LIMIT = 1.0  # seconds from the last keystroke to the first results


@dataclass
class PageWeight:
    """The sizes of a built site's HTML pages and of its search index."""

    pages: int
    median_bytes: float
    largest_bytes: int
    largest_path: str
    over_limit: list[str]  # the pages over PAGE_LIMIT
    index_bytes: int  # search/search_index.json
    index_gzip_bytes: int  # the same, gzipped as a web server would send it
    index_entries: int

    def line(self) -> str:
        over = ", ".join(self.over_limit) if self.over_limit else "none"
        return (
            f"pages: median {self.median_bytes / 1024:.1f} KiB, largest "
            f"{self.largest_bytes / 1024:.0f} KiB ({self.largest_path}), over 1 MB: "
            f"{len(self.over_limit)} ({over}) | search index {self.index_bytes / 2**20:.1f} MiB "
            f"({self.index_bytes} bytes, {self.index_gzip_bytes / 2**20:.1f} MiB gzipped), "
            f"{self.index_entries} entries"
        )


def page_weight(site: Path) -> PageWeight:
    sizes = sorted((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html"))
    index = (site / "search" / "search_index.json").read_bytes()
    return PageWeight(
        pages=len(sizes),
        median_bytes=statistics.median(size for size, _ in sizes),
        largest_bytes=sizes[-1][0],
        largest_path=sizes[-1][1],
        over_limit=[path for size, path in sizes if size > PAGE_LIMIT],
        index_bytes=len(index),
        index_gzip_bytes=len(gzip.compress(index, compresslevel=6)),
        index_entries=len(json.loads(index)["docs"]),
    )


@dataclass
class Result:
    size: int
    qualsite: Runs
    plain: Runs
    weight: PageWeight
    site: Path


def measure(size: int, runs: int, work: Path) -> Result:
    study = synthetic.write_study(work / "study", size)
    config = study / "mkdocs.yml"
    plain_config = plain_copy(study, work / "plain")
    qualsite, plain = Runs(), Runs()
    for run in range(runs):
        build(qualsite, config, work / "site", work / f"timings-{run}.json")
        build(plain, plain_config, work / "plain-site")
    return Result(size, qualsite, plain, page_weight(work / "site"), work / "site")


@dataclass
class NavigationVariant:
    """One way of drawing the sidebar, measured on the same study."""

    features: tuple[str, ...]
    runs: Runs = field(default_factory=Runs)
    page_bytes: int = 0  # one leaf category's page
    html_bytes: int = 0  # every page
    site_bytes: int = 0  # every file of the site


#: A leaf category of the synthetic study: its page is what a reader opens most.
PRUNE_SAMPLE_PAGE = "categories/phase-3-dimension-4-category-5/index.html"


def prune_comparison(study: Path, runs: int, work: Path) -> list[NavigationVariant]:
    """The study built with Material's section indexes, without and with
    ``navigation.prune`` (what ``qualsite new`` writes), builds taking turns:
    how big the pages are, and how long the build takes."""
    settings = yaml.safe_load((study / "mkdocs.yml").read_text(encoding="utf-8"))
    variants = [
        NavigationVariant(("navigation.indexes",)),
        NavigationVariant(("navigation.indexes", "navigation.prune")),
    ]
    configs = []
    for number, variant in enumerate(variants):
        config = study / f"mkdocs-navigation-{number}.yml"
        theme = {**settings["theme"], "features": list(variant.features)}
        config.write_text(yaml.safe_dump({**settings, "theme": theme}, sort_keys=False), "utf-8")
        configs.append(config)
    for _ in range(runs):
        for number, variant in enumerate(variants):
            build(variant.runs, configs[number], work / f"navigation-{number}")
    for number, variant in enumerate(variants):
        site = work / f"navigation-{number}"
        variant.page_bytes = (site / PRUNE_SAMPLE_PAGE).stat().st_size
        variant.html_bytes = sum(p.stat().st_size for p in site.rglob("*.html"))
        variant.site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return variants


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild-size", type=int, default=10000)
    parser.add_argument(
        "--prune-size", type=int, default=10000, help="compare navigation.prune at this size"
    )
    parser.add_argument(
        "--search-size",
        type=int,
        default=50000,
        help="time Material's search in Chromium on this size's site (else on the largest)",
    )
    parser.add_argument("--search-repeats", type=int, default=3)
    parser.add_argument(
        "--no-search", action="store_true", help="do not time the search in Chromium"
    )
    # The child processes: one build, or a build and a serve-style rebuild.
    parser.add_argument("--build", type=Path, nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        child_build(*args.build)
        return 0
    if args.rebuild:
        rebuild(args.rebuild)
        return 0

    print(f"qualsite build benchmark: {args.runs} run(s) of each build, medians shown")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    results: dict[int, Result] = {}
    served: dict[str, float] | None = None
    searches: list[search_latency.SearchTiming] = []
    search_size = 0
    with tempfile.TemporaryDirectory(prefix="qualsite-bench-") as temporary:
        for size in args.sizes:
            work = Path(temporary) / str(size)
            result = results[size] = measure(size, args.runs, work)
            q, p = result.qualsite, result.plain
            phases = " ".join(f"{name} {q.phase(name):.2f}" for name in PHASES)
            print(
                f"{size:>6} excerpts, {result.weight.pages} pages: "
                f"qualsite {q.time:6.1f} s ({q.cpu:.1f} s CPU) {q.memory:5.0f} MiB at once "
                f"(peaks: build {q.build_memory:.0f}, workers {q.worker_memory:.0f}) | "
                f"plain MkDocs {p.time:6.1f} s ({p.cpu:.1f} s CPU) {p.memory:5.0f} MiB | "
                f"ratio {q.time / p.time:.2f} time, {q.cpu / p.cpu:.2f} CPU, "
                f"{q.memory / p.memory:.2f} memory | "
                f"plugin s: {phases}",
                flush=True,
            )
            print(f"{'':>6} {result.weight.line()}", flush=True)
        if args.rebuild_size in results:
            study = Path(temporary) / str(args.rebuild_size) / "study"
            child = subprocess.run(
                [sys.executable, __file__, "--rebuild", str(study)],
                capture_output=True,
                text=True,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                check=True,
            )
            served = json.loads(child.stdout.strip().splitlines()[-1])
            print(
                f"plain mkdocs serve's rebuild at {args.rebuild_size} excerpts after one "
                f"excerpt file changed: {served['rebuild']:.1f} s, "
                f"{served['rebuild'] / served['first']:.0%} of the first build in that process "
                f"({served['first']:.1f} s); it keeps nothing between builds (qualsite serve "
                "does: benchmarks/bench_serve.py, which make bench runs first)"
            )
        if args.prune_size in results:
            work = Path(temporary) / str(args.prune_size)
            without, with_prune = prune_comparison(work / "study", args.runs, work)
            print(
                f"navigation.prune at {args.prune_size} excerpts (both with "
                f"navigation.indexes): a category page {without.page_bytes / 1024:.0f} KiB "
                f"without, {with_prune.page_bytes / 1024:.0f} KiB with | all pages "
                f"{without.html_bytes / 2**20:.1f} MiB without, "
                f"{with_prune.html_bytes / 2**20:.1f} MiB with | the whole site "
                f"{without.site_bytes / 2**20:.1f} MiB without, "
                f"{with_prune.site_bytes / 2**20:.1f} MiB with | build "
                f"{without.runs.time:.1f} s ({without.runs.cpu:.1f} s CPU) without, "
                f"{with_prune.runs.time:.1f} s ({with_prune.runs.cpu:.1f} s CPU) with",
                flush=True,
            )
        search_size = args.search_size if args.search_size in results else max(results)
        unavailable = "--no-search given" if args.no_search else search_latency.unavailable()
        if unavailable:
            print(f"search latency: not measured: {unavailable}")
        else:
            print(search_latency.heading(f"the {search_size}-excerpt site", args.search_repeats))
            searches = search_latency.measure_search(results[search_size].site, args.search_repeats)
            for line in search_latency.describe(searches):
                print(line, flush=True)
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, big = sizes[-2], sizes[-1]
        growth = results[big].qualsite.time / results[small].qualsite.time
        plain_growth = results[big].plain.time / results[small].plain.time
        print(
            f"growth {small} -> {big} excerpts ({big / small:.0f}x): qualsite {growth:.2f}x "
            f"the time, plain MkDocs {plain_growth:.2f}x"
        )
    for line in targets(results, served, args.rebuild_size, searches, search_size):
        print(line)
    reference = 10000 if 10000 in results else sizes[-1]
    q, p = results[reference].qualsite, results[reference].plain
    print(f"ratio qualsite/plain at {reference} excerpts: {q.time / p.time:.2f}")
    return 0


def targets(
    results: dict[int, Result],
    served: dict[str, float] | None,
    rebuild_size: int,
    searches: list[search_latency.SearchTiming],
    search_size: int,
) -> list[str]:
    """Issue 17's targets, each with what this run measured, for the sizes it built."""

    def met(ok: bool) -> str:
        return "met" if ok else "NOT MET"

    lines = ["targets (issue 17):"]
    for size, limit in ((10000, 1.10), (50000, 1.15)):
        if size in results:
            ratio = results[size].qualsite.time / results[size].plain.time
            lines.append(
                f"  time qualsite/plain at {size} excerpts {ratio:.2f} (at most {limit:.2f}): "
                f"{met(ratio <= limit)}"
            )
    if 50000 in results:
        ratio = results[50000].qualsite.memory / results[50000].plain.memory
        lines.append(
            f"  peak memory qualsite/plain at 50000 excerpts {ratio:.2f} (at most 1.30): "
            f"{met(ratio <= 1.30)}"
        )
    if served is not None:
        lines.append(
            "  a save shown in the browser within 30% of a full build: measured under "
            "qualsite serve by benchmarks/bench_serve.py (its 'target' line above)"
        )
    if 10000 in results:
        median = results[10000].weight.median_bytes
        lines.append(
            f"  median page at 10000 excerpts {median / 1024:.1f} KiB (at most "
            f"{MEDIAN_PAGE_LIMIT // 1024} KiB): {met(median <= MEDIAN_PAGE_LIMIT)}"
        )
    over = sum(len(r.weight.over_limit) for r in results.values())
    largest = max(results.values(), key=lambda r: r.weight.largest_bytes)
    lines.append(
        f"  pages over 1 MB at any size: {over} (largest {largest.weight.largest_bytes / 1024:.0f}"
        f" KiB, {largest.weight.largest_path} at {largest.size} excerpts): {met(over == 0)}"
    )
    lines.append(
        "  search index: "
        + "; ".join(
            f"{size} excerpts {r.weight.index_bytes / 2**20:.1f} MiB "
            f"({r.weight.index_gzip_bytes / 2**20:.1f} MiB gzipped), {r.weight.index_entries} "
            "entries"
            for size, r in sorted(results.items())
        )
    )
    if searches:
        slowest = {
            first: max(
                statistics.median(t.seconds for t in searches if t.first is first and t.query == w)
                for w in {t.query for t in searches}
            )
            for first in (True, False)
        }
        early = [t for t in searches if t.first and t.early]
        own = ""
        if early:
            full = max(
                statistics.median(t.full_seconds for t in early if t.query == w)
                for w in {t.query for t in early}
            )
            own = f"; the early results, Material's own after at most {full:.2f} s"
        lines.append(
            f"  search at {search_size} excerpts, first results within "
            f"{SEARCH_LIMIT:.0f} s of the last keystroke: slowest {slowest[True]:.2f} s "
            f"(first search after the page loaded{own}), {slowest[False]:.2f} s (second): "
            f"{met(max(slowest.values()) <= SEARCH_LIMIT)}"
        )
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
