"""The output gate on the machine's other core, while the site is made.

Most of what a big site publishes is its pages, and a page is final (bar
a plugin that changes it later) the moment it is handed over to be
written. A :class:`GateWorker` is a process of its own that checks each
file it is handed while the build goes on making the next; at the end the
adapter checks the rest of the site itself (the files no one handed over,
and any file whose bytes differ from what the worker checked) and merges
the two reports (:func:`.gate.merge_reports`).

A build has two (:class:`BuildWorkers`): one for its jobs (the study read
again, the matrices' pages, the downloads, which it checks), which ends as
soon as they are done and lets go of its copy of the study, and one for
the pages as MkDocs writes them.

It fails closed: a worker that stops, errs or loses a file raises
:class:`WorkerFailed`, and the adapter publishes nothing.

The worker is a fresh interpreter (as multiprocessing's ``spawn`` makes
one, and so safe in a program that runs threads, as ``mkdocs serve``
does), started with :mod:`subprocess` and spoken to through
:mod:`multiprocessing.connection`. ``spawn`` itself is not used: it runs
the parent's main script again in the child, and a script that calls
MkDocs without an ``if __name__ == "__main__":`` guard would build its site
a second time there (and whatever else it does). Files are sent by a
thread of their own, so that handing over a page never waits for the
worker.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import queue
import resource
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .gate import GatePolicy, GateReport, _Gate, file_digest, merge_reports

#: The folder that holds the ``qualsite`` package, for the worker's imports.
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent

#: The worker's program: the build's own import path (as multiprocessing's
#: spawn gives its children), then qualsite's folder, then the worker.
_START = (
    "import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
    "from qualsite.guard.worker import main; main(sys.argv[2:])"
)


@dataclass(frozen=True)
class WrittenFiles:
    """What a job wrote for the site: (path as published, file written) each."""

    files: tuple[tuple[str, Path], ...]


@dataclass(frozen=True)
class Parts:
    """A job's result handed back a part at a time, each sent as soon as it
    is made and let go of (the build gets them as a list): the matrices'
    pages of a big study are tens of megabytes, which the worker then never
    holds at once, nor a pickled copy of them all."""

    parts: Iterable[Any]


@dataclass(frozen=True)
class _PartsSent:
    """The end of a job's parts: all of them (``complete``), or the job
    failed part-way (its result is then None, as any failed job's)."""

    complete: bool


class WorkerFailed(Exception):
    """The worker could not check what it was handed; the message says so
    in general words (never the worker's own error, which may quote a file)."""


@dataclass(frozen=True)
class WorkerReport:
    """What the worker checked, and what it found."""

    report: GateReport
    #: Each file it checked, by its path, with the digest of the bytes it read.
    digests: Mapping[str, bytes]
    #: Seconds the worker spent checking (not waiting for files).
    seconds: float = 0.0
    #: The worker process's peak memory, in KiB (its maximum resident set).
    peak_kib: int = 0
    #: Seconds from starting the process to its being ready for files.
    startup: float = 0.0


#: Set to 0 to have every build do all of its work in one process.
WORKER_VARIABLE = "QUALSITE_WORKER"
WORKER_OFF = f"{WORKER_VARIABLE}=0"


def worth_a_worker() -> bool:
    """A worker pays only where there is another core to run it on, and
    can be started only from a Python that runs scripts (not a frozen
    application) on a system with POSIX pipes."""
    if os.environ.get(WORKER_VARIABLE, "").strip().lower() in ("0", "off", "no", "false"):
        return False
    if os.name != "posix" or getattr(sys, "frozen", False) or not sys.executable:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return cores > 1


def start_worker(preload: tuple[str, ...] = ()) -> BuildWorkers | None:
    """A build's workers, if they pay and can be started (else the gate
    reads every file in the adapter's own process, as it would without
    them): the spares that :func:`keep_spare_worker` started, if they are
    still there, or new ones, the jobs' importing the modules ``preload``
    names before anything else."""
    if not worth_a_worker():
        return None
    spare = _take_spare(preload)
    if spare is not None:
        return spare
    try:
        return BuildWorkers(preload)
    except OSError:
        return None


#: The workers started ahead for the next build (see keep_spare_worker).
_spare: BuildWorkers | None = None
_spare_lock = threading.Lock()


def keep_spare_worker(
    preload: tuple[str, ...] = (),
    prepare: tuple[Callable[..., Any], tuple[Any, ...]] | None = None,
) -> None:
    """Start the next build's worker now, between builds, so that a rebuild
    under ``mkdocs serve`` finds it started and its modules imported (a new
    Python and its imports take about 0.4 s, on the critical path of a
    rebuild otherwise), and have it call ``prepare`` (a job and its
    arguments: :meth:`GateWorker.prepare`). A spare knows nothing of any
    build: it has only imported ``preload`` and warmed its caches; each build
    still gives its worker the policy and every file. At the program's exit
    it is ended."""
    global _spare
    if not worth_a_worker():
        return
    with _spare_lock:
        if _spare is not None and _spare.fresh(preload):
            return
        old, _spare = _spare, None
        if old is not None:
            old.stop()
        try:
            _spare = BuildWorkers(preload)
        except OSError:
            _spare = None
        if _spare is not None and prepare is not None:
            _spare.prepare(prepare[0], *prepare[1])


def _take_spare(preload: tuple[str, ...]) -> BuildWorkers | None:
    global _spare
    with _spare_lock:
        spare, _spare = _spare, None
    if spare is None:
        return None
    if spare.fresh(preload):
        return spare
    spare.stop()  # ended since, or made for other modules
    return None


class GateWorker:
    """A process that gates the files it is handed, with the policy it is
    given, and reports once it is told there are no more.

    Raises OSError if the process cannot be started."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self._started = time.monotonic()
        self._preload = preload
        # What the process inherits, which a job may read (SOURCE_DATE_EPOCH
        # dates the downloads): a spare started under another is not taken.
        self._inherited = _inherited()
        to_worker, inbox = os.pipe()  # (read, write): the parent writes to inbox
        outbox, from_worker = os.pipe()
        ends = (to_worker, from_worker)  # the worker's ends of the two pipes
        paths = json.dumps([str(_PACKAGE_ROOT), *sys.path])
        command = [sys.executable, "-c", _START, paths, *map(str, ends), *preload]
        try:
            self._process = subprocess.Popen(
                command,
                pass_fds=ends,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                # A worker's traceback could quote what it was reading.
                stderr=subprocess.DEVNULL,
            )
        except BaseException:
            for fd in (to_worker, inbox, outbox, from_worker):
                os.close(fd)
            raise
        os.close(to_worker)
        os.close(from_worker)
        self._receive = Connection(outbox, writable=False)
        # Everything the worker says is read as soon as it is said, so that
        # it never waits to send a part of a result the build asks for later.
        self._answers: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
        self._receiver = threading.Thread(
            target=_receive_all, args=(self._receive, self._answers), name="qualsite-gate-answers"
        )
        self._receiver.daemon = True
        self._receiver.start()
        self._silent = False  # it has said all it will
        self._parts: dict[int, list[Any]] = {}
        self._outbox: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
        self._feed = _Feed(Connection(inbox, readable=False))
        # The thread holds the feed, not this object: a worker that no one
        # holds any more (a build that ended without stopping it) is
        # collected, and its process ended, as at the program's exit.
        self._sender = threading.Thread(
            target=_send_all, args=(self._outbox, self._feed), name="qualsite-gate-feed"
        )
        self._sender.daemon = True
        self._sender.start()
        self._end = weakref.finalize(self, _end, self._process, self._outbox)
        self._sent: set[str] = set()
        self._next: tuple[str, Path] | None = None
        self._jobs = 0
        self._results: dict[int, Any] = {}
        self._finished = False
        self._ending = False  # told that nothing more comes (end_soon)

    def fresh(self, preload: tuple[str, ...]) -> bool:
        """Whether this worker is running, has been handed nothing yet, and
        imports ``preload``: a spare fit for a build to take."""
        return (
            self._preload == preload
            and self._inherited == _inherited()
            and not self._finished
            and self._jobs == 0
            and not self._sent
            and self._process.poll() is None
        )

    def prepare(self, job: Callable[..., Any], *arguments: Any) -> None:
        """Have the worker call ``job(*arguments)`` before anything else, for
        what it leaves in the worker's caches: no one asks for its result,
        and it hands nothing over (a spare stays :meth:`fresh`). It may
        warm a cache whose entries are used only for the same input (the
        parses of files by their bytes), never read what a build is to get."""
        self._outbox.put(("prepare", job, arguments))

    def use(self, policy: GatePolicy) -> None:
        """The policy to check with (before the first file)."""
        # The theme's own files are never handed over: the adapter skips them.
        self._outbox.put(("policy", replace(policy, vendor={})))

    def warm(self, markup: str) -> None:
        """Markup that files to come will hold (a page's content, before the
        theme puts it in the page): read now, it makes their checks quicker
        (:meth:`.gate._Gate.warm`)."""
        self._outbox.put(("warm", markup))

    def check(self, path: str, data: bytes) -> None:
        """Hand over a file, by its path as published, as it will be written."""
        self._sent.add(path)
        self._outbox.put(("file", path, data))

    def check_written(self, path: str, file: Path) -> None:
        """Hand over a file by its path as published, to be read where it
        was written (``file``)."""
        self._sent.add(path)
        self._outbox.put(("written", path, str(file)))

    def check_once_written(self, path: str, file: Path) -> None:
        """Hand over a file about to be written: :meth:`check_written` once
        the next file is handed over this way (a builder that writes one
        file at a time has written this one by then), or at :meth:`flush`."""
        self.flush()
        self._next = (path, file)

    def flush(self) -> None:
        """Hand over the file :meth:`check_once_written` was last told of."""
        if self._next is not None:
            self.check_written(*self._next)
            self._next = None

    def run(self, job: Callable[..., Any], *arguments: Any) -> int:
        """Have the worker call ``job(*arguments)`` (a function it can
        import, such as :func:`qualsite.site.exports_job`) once it is done
        with what it was handed before; returns the job's number, for
        :meth:`job_result`. A job that writes files for the site returns
        them as :class:`WrittenFiles`, and the worker checks them."""
        self._jobs += 1
        self._outbox.put(("job", self._jobs, job, arguments))
        return self._jobs

    def job_result(self, number: int) -> Any:
        """What job ``number`` returned, or None if it failed; the files it
        wrote count as handed over, each checked as the worker read it
        (after it answers: :meth:`finish` reports on them). Waits for the
        job; raises :class:`WorkerFailed` if the worker is gone."""
        while number not in self._results:
            answer = self._answer()
            if answer[0] == "part":
                self._parts.setdefault(answer[1], []).append(answer[2])
                continue
            if answer[0] != "job":
                raise WorkerFailed(f"the worker that checks the pages failed ({answer[1]})")
            _, done, result = answer
            parts = self._parts.pop(done, [])
            if isinstance(result, _PartsSent):
                result = parts if result.complete else None
            if isinstance(result, WrittenFiles):
                self._sent.update(path for path, _ in result.files)
            self._results[done] = result
        return self._results.pop(number)

    def _answer(self) -> tuple[Any, ...]:
        """The worker's next answer; raises WorkerFailed once it is gone."""
        answer = None if self._silent else self._answers.get()
        if answer is None:
            self._silent = True
            raise WorkerFailed(self._ended())
        return answer

    @property
    def handed_over(self) -> frozenset[str]:
        return frozenset(self._sent)

    def end_soon(self) -> None:
        """Nothing more will be handed over or asked of the worker: once it
        has done what it was given, it reports and ends, and its memory goes
        with it. :meth:`job_result` and :meth:`finish` read what it said."""
        self.flush()
        if not self._ending:
            self._ending = True
            self._outbox.put(("end",))

    def finish(self) -> WorkerReport:
        """Wait for the worker's report on everything handed over; raises
        :class:`WorkerFailed` if it did not check all of it."""
        if self._finished:
            raise WorkerFailed("the worker that checks the pages was asked for its report twice")
        self.end_soon()
        self._finished = True
        self._outbox.put(None)
        self._sender.join()
        try:
            # A worker that failed has said why, or ended without a word;
            # either way nothing is left to send it.
            answer = self._answer()
            while answer[0] in ("job", "part"):  # a job's result that no one asked for
                answer = self._answer()
        finally:
            self.stop()
        if answer[0] != "done":
            raise WorkerFailed(f"the worker that checks the pages failed ({answer[1]})")
        _, report, digests, seconds, peak, ready = answer
        if not isinstance(report, GateReport) or self._sent - digests.keys():
            raise WorkerFailed("the worker that checks the pages did not check all of them")
        return WorkerReport(report, digests, seconds, peak, ready - self._started)

    def stop(self) -> None:
        """End the worker, whatever it is doing (after a failed build too)."""
        self._finished = True
        self._outbox.put(None)  # the sender stops after what it is sending
        if self._sender.is_alive() or self._process.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=0 if self._sender.is_alive() else 5)
        if self._process.poll() is None:
            self._process.kill()  # a sender blocked on a full pipe gets an error
            self._process.wait()
        self._sender.join()
        self._feed.connection.close()
        # The process has ended, so the reader has read to the end (closed
        # under it, its descriptor could be another file's by then).
        self._receiver.join(timeout=5)
        if not self._receiver.is_alive():
            self._receive.close()
        self._end.detach()

    def _ended(self) -> str:
        try:
            code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "the worker process that checks the pages stopped answering"
        return f"the worker process that checks the pages ended unexpectedly (exit code {code})"


class BuildWorkers:
    """A build's two workers: one does the build's jobs (it reads the study
    as the build does, draws the matrices' pages, and makes the downloads
    and checks them), the other checks the pages as MkDocs writes them.

    The jobs are done early in a build, and the study they need is most of
    their worker's memory (at 50,000 excerpts, 180 MiB of the 210 that one
    worker for both held to the end): told that no job is left
    (:meth:`no_more_jobs`), their worker reports on the files it checked
    and ends, while the pages' worker, which holds no study, goes on.

    Raises OSError if either process cannot be started."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self._jobs = GateWorker(preload)
        try:
            self._pages = GateWorker()
        except BaseException:
            self._jobs.stop()
            raise

    def fresh(self, preload: tuple[str, ...]) -> bool:
        """Whether both are running, with nothing handed to either yet, and
        the jobs' worker imports ``preload``: spares fit for a build to take."""
        return self._jobs.fresh(preload) and self._pages.fresh(())

    def prepare(self, job: Callable[..., Any], *arguments: Any) -> None:
        """:meth:`GateWorker.prepare`, in the worker whose jobs it helps."""
        self._jobs.prepare(job, *arguments)

    def use(self, policy: GatePolicy) -> None:
        self._jobs.use(policy)
        self._pages.use(policy)

    def warm(self, markup: str) -> None:
        self._pages.warm(markup)

    def check(self, path: str, data: bytes) -> None:
        self._pages.check(path, data)

    def check_written(self, path: str, file: Path) -> None:
        self._pages.check_written(path, file)

    def check_once_written(self, path: str, file: Path) -> None:
        self._pages.check_once_written(path, file)

    def flush(self) -> None:
        self._pages.flush()

    def run(self, job: Callable[..., Any], *arguments: Any) -> int:
        return self._jobs.run(job, *arguments)

    def job_result(self, number: int) -> Any:
        return self._jobs.job_result(number)

    def no_more_jobs(self) -> None:
        """The build has asked for every job it will: the jobs' worker ends
        once they are done (their results wait in its pipe)."""
        self._jobs.end_soon()

    @property
    def handed_over(self) -> frozenset[str]:
        return self._jobs.handed_over | self._pages.handed_over

    def finish(self) -> WorkerReport:
        """Both workers' reports as one (no file is handed to both: the
        jobs' files are theirs, the rest the pages')."""
        try:
            jobs = self._jobs.finish()
            pages = self._pages.finish()
        finally:
            self.stop()
        return WorkerReport(
            merge_reports([jobs.report, pages.report]),
            {**jobs.digests, **pages.digests},
            seconds=jobs.seconds + pages.seconds,
            # Their peaks added: an upper bound, as the jobs' worker has
            # usually ended before the pages' is at its largest.
            peak_kib=jobs.peak_kib + pages.peak_kib,
            startup=max(jobs.startup, pages.startup),
        )

    def stop(self) -> None:
        """End both, whatever they are doing (after a failed build too)."""
        try:
            self._jobs.stop()
        finally:
            self._pages.stop()


def _inherited() -> tuple[object, ...]:
    """What a new worker process inherits from this one: its environment,
    import path and working folder."""
    try:
        folder: str | None = os.getcwd()
    except OSError:  # removed since
        folder = None
    return (dict(os.environ), tuple(sys.path), folder)


@dataclass
class _Feed:
    """Where the files handed over go."""

    connection: Connection
    failed: bool = False  # the pipe broke: the worker's report says why


def _send_all(outbox: queue.SimpleQueue[tuple[Any, ...] | None], feed: _Feed) -> None:
    while True:
        message = outbox.get()
        if message is None:
            return
        if feed.failed:
            continue  # drain
        if message[0] == "warm":
            # Encoded here, one page at a time: pickling the text itself
            # would leave a UTF-8 copy of it inside the page's own string,
            # for as long as the page lives (13 MiB at 10,000 excerpts).
            message = ("warm", message[1].encode("utf-8", "surrogatepass"))
        try:
            feed.connection.send(message)
        except (OSError, ValueError):
            feed.failed = True


def _receive_all(
    connection: Connection, answers: queue.SimpleQueue[tuple[Any, ...] | None]
) -> None:
    """Put each answer of the worker in ``answers`` as it comes, then None
    once it has said all it will (its report), ended or failed."""
    try:
        while True:
            answer = connection.recv()
            answers.put(answer)
            if answer[0] in ("done", "error"):
                break
    except Exception:  # ended (EOFError), the pipe closed, or an answer that cannot be read
        pass
    answers.put(None)


def _end(process: subprocess.Popen[bytes], outbox: queue.SimpleQueue[Any]) -> None:
    """End a worker that was never stopped, and the thread that feeds it."""
    outbox.put(None)
    if process.poll() is None:
        process.kill()
        process.wait()


def main(arguments: list[str]) -> None:
    """The worker process: its two pipes' file descriptors are its first
    arguments, and the modules to import before anything comes the rest."""
    inbox = Connection(int(arguments[0]), writable=False)
    outbox = Connection(int(arguments[1]), readable=False)
    for module in arguments[2:]:
        # A module that cannot be imported is imported again by the job that
        # needs it, which then fails as a job does (the build does its work).
        with contextlib.suppress(Exception):
            importlib.import_module(module)
    _serve(inbox, outbox)
    # Everything is said (a message is in the pipe once sent) and nothing
    # else is written: the process ends without freeing its objects one by
    # one, which took a study of 10,000 excerpts 0.6 s that the build spent
    # waiting for it.
    os._exit(0)


def _serve(inbox: Connection, outbox: Connection) -> None:
    """Check each file as it comes, and report at the end."""
    ready = time.monotonic()
    gate: _Gate | None = None
    digests: dict[str, bytes] = {}
    busy = 0.0
    try:
        while True:
            message = inbox.recv()
            started = time.monotonic()
            if message[0] == "policy":
                gate = _Gate(message[1])
            elif message[0] == "prepare":
                _run(message[1], message[2])
                continue  # done between builds: not the next build's time
            elif message[0] == "job":
                _, number, job, arguments = message
                result = _run(job, arguments)
                if isinstance(result, Parts):
                    result = _PartsSent(_send_parts(outbox, number, result))
                written: list[tuple[str, bytes]] = []
                if isinstance(result, WrittenFiles):
                    if gate is None:
                        raise RuntimeError("files to check before the policy")
                    for path, file in result.files:
                        data = file.read_bytes()
                        digests[path] = file_digest(data)
                        written.append((path, data))
                # Answered before the files are checked: the build needs them
                # only where they are (MkDocs copies them into the site), and
                # checks them here meanwhile. The report at the end covers
                # them, by the digests of the bytes read above; the build
                # publishes nothing before it has that report.
                outbox.send(("job", number, result))
                # Sent: the matrices' pages need not stay while the
                # downloads are made (at 50,000 excerpts, tens of MiB).
                del result
                for path, data in written:
                    assert gate is not None  # (a job's files came after the policy)
                    gate.check(path, partial(io.BytesIO, data))
                del written
            elif message[0] == "warm" and gate is not None:
                gate.warm(message[1].decode("utf-8", "surrogatepass"))
            elif message[0] == "written" and gate is not None:
                _, path, file = message
                try:
                    data = Path(file).read_bytes()
                except OSError:
                    # Not as it was meant to be: the build reads it again itself.
                    digests[path] = b""
                else:
                    digests[path] = file_digest(data)
                    gate.check(path, partial(io.BytesIO, data))
            elif message[0] == "file" and gate is not None:
                _, path, data = message
                digests[path] = file_digest(data)
                gate.check(path, partial(io.BytesIO, data))
            elif message[0] == "end" and gate is not None:
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                outbox.send(("done", gate.report, digests, busy, peak, ready))
                return
            else:
                raise RuntimeError("a message out of order")
            busy += time.monotonic() - started
    except EOFError:
        return  # the build went away: no one to report to
    except BaseException as error:  # any failure is reported, by its kind only
        with contextlib.suppress(OSError):
            outbox.send(("error", type(error).__name__))


def _send_parts(outbox: Connection, number: int, result: Parts) -> bool:
    """Send job ``number``'s parts as they are made; False if the job fails
    part-way (a pipe that breaks is the worker's failure, not the job's)."""
    parts = iter(result.parts)
    while True:
        try:
            part = next(parts)
        except StopIteration:
            return True
        except Exception:
            return False
        outbox.send(("part", number, part))
        del part  # sent: not held while the next is made


def _run(job: Callable[..., Any], arguments: tuple[Any, ...]) -> Any:
    """A job's result, or None if it fails: what it would have made is then
    made by the build itself, which reports its failure as its own."""
    try:
        return job(*arguments)
    except Exception:
        return None


__all__ = [
    "WORKER_OFF",
    "WORKER_VARIABLE",
    "BuildWorkers",
    "GateWorker",
    "Parts",
    "WorkerFailed",
    "WorkerReport",
    "WrittenFiles",
    "keep_spare_worker",
    "start_worker",
    "worth_a_worker",
]
