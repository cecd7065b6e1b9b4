"""The output gate and the downloads on the machine's other core.

A build hands each page to a worker process as MkDocs writes it, and the
worker makes the downloads while MkDocs renders the pages
(:mod:`qualsite.guard.worker`, :mod:`qualsite.plugin.deferred`). The
promise is the one a build makes without it: every file of the site is
checked as it is finally written, a finding publishes nothing, and a
worker that stops or fails publishes nothing either, and says so.
"""

from __future__ import annotations

import gc
import io
import os
import signal
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from helpers import build_site, write_study
from qualsite import site as site_module
from qualsite.errors import Problems
from qualsite.guard import worker as worker_module
from qualsite.guard.denylist import load_deny_list
from qualsite.guard.gate import _FOLDED_BARRIER as FOLDED_BARRIER
from qualsite.guard.gate import _KINDS_IN_OUTPUT as KINDS_IN_OUTPUT
from qualsite.guard.gate import _PATTERN_NEEDS as PATTERN_NEEDS
from qualsite.guard.gate import GatePolicy, _Gate, describe, gate_files, merge_reports
from qualsite.guard.markup import BARRIER
from qualsite.guard.normalise import fold_for_patterns
from qualsite.guard.patterns import find_patterns
from qualsite.guard.worker import BuildWorkers, GateWorker, Parts, WorkerFailed
from qualsite.plugin import deferred, hooks, long_lived
from qualsite.render import GeneratedPage, SiteRenderer
from test_leaks import (
    DENY_LIST,
    GATE,
    OAKWOOD,
    assert_gate_reported,
    assert_no_identifier,
    failed_build,
    mkdocs_yml,
    snapshot,
)

WORTH_A_WORKER = worker_module.worth_a_worker

#: Why a build stopped when its worker did.
WORKER_ENDED = "the worker process that checks the pages ended unexpectedly"


@pytest.fixture(autouse=True)
def deny_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The study's deny-list, outside the study's folder."""
    path = tmp_path / "deny-list.txt"
    path.write_text(DENY_LIST, encoding="utf-8")
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(path))
    return path


@pytest.fixture(autouse=True)
def with_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build here has a worker, even on a machine of one core."""
    monkeypatch.delenv(worker_module.WORKER_VARIABLE, raising=False)
    monkeypatch.setattr(worker_module, "worth_a_worker", lambda: True)


def in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The builds from here on do all their work in one process."""
    monkeypatch.setattr(worker_module, "worth_a_worker", WORTH_A_WORKER)
    monkeypatch.setenv(worker_module.WORKER_VARIABLE, "0")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "study"


@pytest.fixture
def policy(deny_list: Path) -> GatePolicy:
    deny = load_deny_list(deny_list, Problems())
    assert deny is not None
    return GatePolicy(deny)


# -- the worker on its own ---------------------------------------------------------------

FILES = [
    ("index.html", b"<p>Thanks to Oak<b>wood</b> for the help.</p>"),
    ("about/index.html", b"<p>Nothing to see.</p><p>Call 07700 900123.</p>"),
    ("data.csv", b"name,place\nA,Leeds\nB,Oakwood\n"),
    ("clean.txt", b"Nothing here.\n"),
]


def test_the_worker_finds_what_the_gate_finds_in_one_process(policy: GatePolicy) -> None:
    worker = GateWorker()
    worker.use(policy)
    for path, data in FILES:
        worker.check(path, data)
    checked = worker.finish()
    alone = gate_files(FILES, policy)
    assert checked.report.findings == alone.findings
    assert checked.report.files == alone.files == len(FILES)
    assert sorted(checked.digests) == sorted(path for path, _ in FILES)
    assert_no_identifier(describe(checked.report))


def test_the_worker_reads_a_file_where_it_was_written(policy: GatePolicy, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(FILES[0][1])
    worker = GateWorker()
    worker.use(policy)
    worker.check_once_written("page.html", page)  # handed over at flush (finish)
    checked = worker.finish()
    assert [f.path for f in checked.report.findings] == ["page.html"]


def test_a_worker_that_fails_says_so_by_the_kind_of_failure_only(policy: GatePolicy) -> None:
    worker = GateWorker()
    worker.check("index.html", FILES[0][1])  # before any policy: a message out of order
    with pytest.raises(WorkerFailed, match=r"failed \(RuntimeError\)"):
        worker.finish()


def test_a_worker_that_is_killed_is_a_failure(policy: GatePolicy) -> None:
    worker = GateWorker()
    worker.use(policy)
    worker._process.kill()
    worker.check("index.html", FILES[0][1])
    with pytest.raises(WorkerFailed, match=WORKER_ENDED):
        worker.finish()


def test_a_worker_that_no_one_holds_any_more_ends(policy: GatePolicy) -> None:
    # A build that ended without stopping its worker (an interrupted one)
    # leaves no process behind, under qualsite serve either.
    worker = GateWorker()
    worker.use(policy)
    process = worker._process
    del worker
    gc.collect()
    assert process.wait(timeout=30) is not None


def test_the_switch_turns_the_worker_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker_module, "worth_a_worker", WORTH_A_WORKER)
    monkeypatch.setenv(worker_module.WORKER_VARIABLE, "0")
    assert worker_module.start_worker() is None


# -- a build with a worker ------------------------------------------------------------------


def test_a_build_checks_its_pages_and_makes_its_downloads_in_the_worker(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    timings = tmp_path / "timings.json"
    monkeypatch.setenv(hooks.TIMINGS_VARIABLE, str(timings))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folders: list[Path] = []
    start = deferred.ExportsElsewhere.__init__

    def remember(exports: deferred.ExportsElsewhere) -> None:
        start(exports)
        folders.append(exports.folder)

    monkeypatch.setattr(deferred.ExportsElsewhere, "__init__", remember)
    write_study(root)
    site = build_site(root)
    assert "gate_worker" in timings.read_text(encoding="utf-8")
    assert len(folders) == 1 and not folders[0].exists()  # the worker's downloads, removed
    with_worker = snapshot(site)
    assert "downloads/excerpts-by-category.docx" in with_worker
    # The same site, byte for byte, as a build in one process makes.
    in_one_process(monkeypatch)
    assert snapshot(build_site(root, site_dir=str(tmp_path / "alone"))) == with_worker
    assert len(folders) == 1


def test_the_worker_makes_the_downloads_while_the_pages_are_made(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the worker had been handed when the build began making pages:
    # the gate's policy, then the downloads (not once every page is made,
    # which left the worker idle while a rebuild under serve waited for it).
    handed: list[str] = []
    use, run, pages = BuildWorkers.use, BuildWorkers.run, SiteRenderer.pages
    no_more_jobs = BuildWorkers.no_more_jobs

    def record_use(worker: BuildWorkers, policy: GatePolicy) -> None:
        handed.append("policy")
        use(worker, policy)

    def record_run(worker: BuildWorkers, job: Any, *arguments: Any) -> int:
        handed.append(job.__name__)
        return run(worker, job, *arguments)

    def record_no_more_jobs(worker: BuildWorkers) -> None:
        handed.append("no more jobs")
        no_more_jobs(worker)

    def record_pages(
        renderer: SiteRenderer, *arguments: Any, **options: Any
    ) -> list[GeneratedPage]:
        handed.append("pages")
        return pages(renderer, *arguments, **options)

    monkeypatch.setattr(BuildWorkers, "use", record_use)
    monkeypatch.setattr(BuildWorkers, "run", record_run)
    monkeypatch.setattr(BuildWorkers, "no_more_jobs", record_no_more_jobs)
    monkeypatch.setattr(SiteRenderer, "pages", record_pages)
    write_study(root)
    site = build_site(root)
    assert handed.index("policy") < handed.index("exports_job") < handed.index("pages")
    assert handed.count("policy") == 1 and handed.count("exports_job") == 1
    # Told before the pages are made: the jobs' worker ends once they are done.
    assert handed.index("exports_job") < handed.index("no more jobs") < handed.index("pages")
    assert (site / "downloads" / "excerpts-by-category.docx").is_file()


def test_a_build_does_the_workers_part_itself_when_the_codebook_changed_since_it_read_it(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_study(root)
    digest = site_module.codebook_digest
    asked: list[object] = []

    def another_codebook(codebook: Path) -> bytes:
        # As if the worker read the codebook after a save: not what this
        # process read and checked (the worker works out the real digest).
        return digest(codebook) + b"another"

    def record(renderer: SiteRenderer) -> list[GeneratedPage]:
        asked.append(renderer)
        return matrix_pages(renderer)

    matrix_pages = SiteRenderer.matrix_pages
    monkeypatch.setattr(site_module, "codebook_digest", another_codebook)
    monkeypatch.setattr(SiteRenderer, "matrix_pages", record)
    site = snapshot(build_site(root))
    assert asked  # the matrices' pages were rendered here
    monkeypatch.setattr(site_module, "codebook_digest", digest)
    in_one_process(monkeypatch)
    assert snapshot(build_site(root, site_dir=str(tmp_path / "alone"))) == site


def test_a_worker_that_dies_while_pages_are_written_publishes_nothing(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_study(root)
    hand_over = GateWorker.check_once_written

    def die_first(worker: GateWorker, path: str, file: Path) -> None:
        if worker._process.poll() is None:
            os.kill(worker._process.pid, signal.SIGKILL)
            worker._process.wait()
        hand_over(worker, path, file)

    monkeypatch.setattr(GateWorker, "check_once_written", die_first)
    log = failed_build(root, caplog, deny_list)
    assert "qualsite's last check could not finish" in log
    assert WORKER_ENDED in log and "nothing was published" in log


def test_a_worker_that_cannot_start_publishes_nothing(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_study(root)
    monkeypatch.setattr(worker_module, "_START", "import sys; sys.exit(3)")
    log = failed_build(root, caplog, deny_list)
    assert f"{WORKER_ENDED} (exit code 3)" in log


CHANGE_AFTER_THE_WORKER = """\
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority({priority})
def {event}({arguments}):
    {body}
"""

#: Another plugin puts a name into a page after qualsite handed it to the worker.
LATER_CHANGES = [
    pytest.param(
        CHANGE_AFTER_THE_WORKER.format(
            priority=0,
            event="on_post_build",
            arguments="config",
            body=(
                'page = Path(config.site_dir) / "categories" / "coping" / "index.html"\n'
                '    page.write_text(page.read_text("utf-8") + "<p>Oakwood</p>", "utf-8")'
            ),
        ),
        id="a-file-rewritten-after-the-build",
    ),
    pytest.param(
        CHANGE_AFTER_THE_WORKER.format(
            priority=-5000,
            event="on_post_page",
            arguments="output, page, config",
            body=(
                'if page.file.dest_uri == "categories/coping/index.html":\n'
                '        return output.replace("</article>", "<p>Oakwood</p></article>")\n'
                "    return output"
            ),
        ),
        id="a-page-changed-after-qualsite-handed-it-over",
    ),
]


@pytest.mark.parametrize("hook", LATER_CHANGES)
def test_a_page_changed_after_the_worker_read_it_is_checked_as_written(
    hook: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(
        root,
        {"mkdocs.yml": mkdocs_yml(rest="hooks:\n  - hooks/later.py\n"), "hooks/later.py": hook},
    )
    log = failed_build(root, caplog, deny_list)
    assert_gate_reported(log, "categories/coping/index.html", deny_list, OAKWOOD)


def _gate_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("  ")]


def test_a_leak_is_reported_alike_with_and_without_the_worker(
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A name and a phone number that a template prints, on every page and
    # on the 404 page (not a page MkDocs renders from Markdown, so read by
    # the build itself); no template file holds either whole.
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(theme="  custom_dir: overrides\n"),
            "overrides/main.html": (
                '{% extends "base.html" %}\n'
                "{% block footer %}<p>Hosted by Oak{{ 'wood' }}, "
                "07700 {{ 900 }}123</p>{% endblock %}\n"
            ),
        },
    )
    with_worker = failed_build(root, caplog, deny_list)
    caplog.clear()
    in_one_process(monkeypatch)
    alone = failed_build(root, caplog, deny_list)
    assert GATE in with_worker and GATE in alone
    assert_gate_reported(with_worker, "404.html", deny_list, OAKWOOD)
    assert_gate_reported(alone, "404.html", deny_list, OAKWOOD)
    # Each finding of the build in one process is among the worker build's.
    assert set(_gate_lines(alone)) <= set(_gate_lines(with_worker))


# -- a job's files, and a worker started ahead ----------------------------------------------


def write_a_leaky_download(folder: str) -> worker_module.WrittenFiles:
    """A job (the worker imports it from here) that writes a download with a name in it."""
    file = Path(folder) / "downloads" / "notes.txt"
    file.parent.mkdir(parents=True)
    file.write_text("Interviews at Oakwood.\n", encoding="utf-8")
    return worker_module.WrittenFiles((("downloads/notes.txt", file),))


def test_a_jobs_files_are_handed_back_at_once_and_reported_on_at_the_end(
    policy: GatePolicy, tmp_path: Path
) -> None:
    # The build gets a job's files as soon as they are written (it needs
    # them only where they are) and the worker checks them meanwhile: what
    # it finds is in its report, which the build waits for before publishing.
    worker = GateWorker()
    worker.use(policy)
    made = worker.job_result(worker.run(write_a_leaky_download, str(tmp_path)))
    assert [path for path, _ in made.files] == ["downloads/notes.txt"]
    assert "downloads/notes.txt" in worker.handed_over
    checked = worker.finish()
    assert [f.path for f in checked.report.findings] == ["downloads/notes.txt"]
    assert checked.digests.keys() == {"downloads/notes.txt"}


def pages_in_parts(count: int, fail_at: int | None = None) -> Parts:
    """A job (the worker imports it from here) whose result is handed back
    a part of 100 kB at a time, and fails at part ``fail_at`` if given."""

    def parts() -> Iterator[str]:
        for number in range(count):
            if number == fail_at:
                raise RuntimeError("a page that cannot be drawn")
            yield f"page {number} " + "x" * 100_000

    return Parts(parts())


def test_a_result_handed_back_in_parts_is_a_list_and_a_failure_part_way_is_none(
    policy: GatePolicy,
) -> None:
    worker = GateWorker()
    worker.use(policy)
    whole = worker.run(pages_in_parts, 40)  # 4 MB: more than the pipe holds
    failed = worker.run(pages_in_parts, 5, 2)
    after = worker.run(pages_in_parts, 1)
    assert worker.job_result(failed) is None  # as any job that fails
    assert [part.split()[1] for part in worker.job_result(whole)] == [str(n) for n in range(40)]
    assert [part.split()[1] for part in worker.job_result(after)] == ["0"]
    assert worker.finish().report.findings == []


def test_the_jobs_worker_ends_once_its_jobs_are_done_and_the_pages_worker_goes_on(
    policy: GatePolicy, tmp_path: Path
) -> None:
    workers = BuildWorkers()
    workers.use(policy)
    download = workers.run(write_a_leaky_download, str(tmp_path))
    pages = workers.run(pages_in_parts, 40)
    workers.no_more_jobs()
    # It has sent every part, though no one has asked for them yet, and ended.
    assert workers._jobs._process.wait(timeout=60) == 0
    assert workers._pages._process.poll() is None
    assert len(workers.job_result(pages)) == 40
    assert [path for path, _ in workers.job_result(download).files] == ["downloads/notes.txt"]
    for path, data in FILES:
        workers.check(path, data)
    checked = workers.finish()
    # One report, as one worker's would be: the download's finding and the pages'.
    found = {finding.path for finding in gate_files(FILES, policy).findings}
    assert {finding.path for finding in checked.report.findings} == {"downloads/notes.txt", *found}
    assert checked.digests.keys() == {"downloads/notes.txt", *(path for path, _ in FILES)}


def test_a_file_handed_to_the_jobs_worker_after_it_was_told_to_end_is_a_failure(
    policy: GatePolicy,
) -> None:
    worker = GateWorker()
    worker.use(policy)
    worker.end_soon()
    worker.check(*FILES[0])  # too late: never checked
    with pytest.raises(WorkerFailed, match="did not check all of them"):
        worker.finish()


@pytest.fixture
def no_spare() -> Iterator[None]:
    """No worker started ahead is left over from another test, or for one."""
    worker_module._take_spare(())  # ends one that is not fit to take
    yield
    spare, worker_module._spare = worker_module._spare, None
    if spare is not None:
        spare.stop()


def test_a_worker_started_ahead_is_taken_and_checks_as_a_new_one(
    policy: GatePolicy, no_spare: None
) -> None:
    worker_module.keep_spare_worker(("json",))
    spare = worker_module._spare
    assert spare is not None
    worker = worker_module.start_worker(("json",))
    assert worker is spare and worker_module._spare is None
    worker.use(policy)
    for path, data in FILES:
        worker.check(path, data)
    # In the order of the site's files, as a build reports them.
    expected = merge_reports([gate_files(FILES, policy)]).findings
    assert worker.finish().report.findings == expected
    # Used, it is no spare: the next build starts its own.
    assert worker_module.start_worker(("json",)) is not spare


@pytest.mark.parametrize(
    "since",
    [
        pytest.param(
            lambda worker, monkeypatch: (
                worker._jobs._process.kill(),
                worker._jobs._process.wait(),
            ),
            id="its-jobs-worker-ended",
        ),
        pytest.param(
            lambda worker, monkeypatch: (
                worker._pages._process.kill(),
                worker._pages._process.wait(),
            ),
            id="its-pages-worker-ended",
        ),
        pytest.param(
            lambda worker, monkeypatch: monkeypatch.setenv("SOURCE_DATE_EPOCH", "1"),
            id="the-environment-changed",
        ),
        pytest.param(lambda worker, monkeypatch: worker.check(*FILES[3]), id="it-was-used"),
    ],
)
def test_a_worker_started_ahead_is_not_taken_when_it_is_no_longer_fit(
    since: Callable[[BuildWorkers, pytest.MonkeyPatch], None],
    policy: GatePolicy,
    monkeypatch: pytest.MonkeyPatch,
    no_spare: None,
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    worker_module.keep_spare_worker(("json",))
    spare = worker_module._spare
    assert spare is not None
    since(spare, monkeypatch)
    worker = worker_module.start_worker(("json",))
    assert worker is not None and worker is not spare
    # Ended, not left behind.
    assert spare._jobs._process.wait(timeout=30) is not None
    assert spare._pages._process.wait(timeout=30) is not None
    worker.use(policy)
    worker.check(*FILES[0])
    assert [f.path for f in worker.finish().report.findings] == ["index.html"]


def fail_to_prepare() -> None:
    raise RuntimeError("a preparation that fails")


@pytest.mark.parametrize("fails", [False, True])
def test_a_spare_prepared_ahead_is_taken_and_its_preparation_hands_nothing_over(
    fails: bool, policy: GatePolicy, tmp_path: Path, no_spare: None
) -> None:
    prepare = (fail_to_prepare, ()) if fails else (write_a_leaky_download, (str(tmp_path),))
    worker_module.keep_spare_worker(("json",), prepare)
    spare = worker_module._spare
    worker = worker_module.start_worker(("json",))
    assert worker is spare is not None
    worker.use(policy)
    worker.check(*FILES[3])
    checked = worker.finish()  # after the preparation, which the worker did first
    assert (tmp_path / "downloads/notes.txt").is_file() is not fails
    # What a preparation makes is no file of the site: nothing of it is reported.
    assert checked.report.findings == [] and checked.digests.keys() == {FILES[3][0]}


def test_a_module_the_worker_cannot_import_ahead_leaves_it_working(
    policy: GatePolicy,
) -> None:
    worker = GateWorker(("qualsite.no_such_module",))
    worker.use(policy)
    worker.check(*FILES[0])
    assert [f.path for f in worker.finish().report.findings] == ["index.html"]


def test_under_serve_a_build_starts_the_next_builds_worker(
    root: Path, monkeypatch: pytest.MonkeyPatch, no_spare: None
) -> None:
    from mkdocs.config import load_config

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_study(root)
    taken: list[GateWorker | None] = []

    def start(preload: tuple[str, ...]) -> GateWorker | None:
        taken.append(worker_module.start_worker(preload))
        return taken[-1]

    monkeypatch.setattr(hooks, "start_worker", start)
    load_config(str(root / "mkdocs.yml")).plugins.on_startup(command="serve", dirty=False)
    try:
        first = snapshot(build_site(root))
        long_lived.wait_between_builds()  # started a moment after the build
        spare = worker_module._spare
        assert spare is not None and spare.fresh(hooks.WORKER_MODULES)
        assert snapshot(build_site(root)) == first
        assert taken[1] is spare
        long_lived.wait_between_builds()
    finally:
        # MkDocs keeps one plugin object per process: leave it as a build finds it.
        load_config(str(root / "mkdocs.yml")).plugins.on_startup(command="build", dirty=False)
    assert worker_module._spare is not None  # for the build after (ended at exit)
    build_site(root)  # a build that is no preview starts none
    assert worker_module._spare is None


# -- what makes the worker quick, kept exact ----------------------------------------------


def test_warming_never_reports_and_never_hides_a_name(policy: GatePolicy) -> None:
    page = "<html><body><nav><p>Home</p></nav><article>{}</article></body></html>"
    gate = _Gate(policy)
    # Content read before its page: the clean units are remembered, the one
    # with a name is not, and nothing is reported from here.
    gate.warm("<p>A clean paragraph.</p><p>Thanks to Oak<b>wood</b>.</p>")
    assert gate.report.findings == []
    gate.check("a.html", partial(io.BytesIO, page.format("<p>A clean paragraph.</p>").encode()))
    assert gate.report.findings == []  # what was only in the content makes no finding
    with_name = page.format("<p>A clean paragraph.</p><p>Thanks to Oak<b>wood</b>.</p>")
    gate.check("b.html", partial(io.BytesIO, with_name.encode()))
    assert [f.path for f in gate.report.findings] == ["b.html"]


#: Pieces of text that make (or nearly make) each kind of personal data,
#: digits as other scripts write them (fullwidth, circled, superscript)
#: included: NFKC makes digits of them.
PIECES = [
    *"ab Z0123456789@.-()+/:,\n",
    "\uff11",
    "\u2460",
    "\u00b2",
    "March ",
    "may ",
    "12th ",
    "SW1A ",
    "1AA",
    "07700 900",
    "123",
    "+44 ",
    "jo@",
    "b.co",
    "943 476 5919",
    "2019-03-12",
]
UNIT_TEXT = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


@given(st.lists(UNIT_TEXT, max_size=8))
@example(["Call 07700 900123 on 12 March 2019", "jo@b.co"])
@example(["07700 900", "123"])  # no number across two units, filtered or not
@example(["\uff10\uff17\uff17\uff10\uff10 900123", "SW1A 1AA"])
def test_units_without_a_digit_or_an_at_sign_hold_no_pattern(units: list[str]) -> None:
    # The gate reads for patterns only the units of a page that hold a
    # digit or an "@" once folded: none of the kinds it looks for can do
    # without one, nor run across the barrier between two units.
    folded = fold_for_patterns(BARRIER.join(units))
    kept = FOLDED_BARRIER.join(u for u in folded.split(FOLDED_BARRIER) if PATTERN_NEEDS.search(u))

    def found(text: str) -> list[tuple[str, str]]:
        return [(f.kind.name, f.text) for f in find_patterns(text, kinds=KINDS_IN_OUTPUT)]

    assert found(kept) == found(folded)


def test_a_page_with_a_phone_number_in_one_unit_is_found_with_the_filter(
    policy: GatePolicy,
) -> None:
    page = b"<nav><p>Home</p><p>About</p></nav><p>Ring \xef\xbc\x90" + b"7700 900123 today.</p>"
    report = gate_files([("p.html", page)], policy)
    assert [f.message for f in report.findings] == ["its text holds what looks like a phone number"]
