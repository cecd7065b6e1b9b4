"""``qualsite serve``: MkDocs' live-reloading preview, which shows a broken
save in the browser.

MkDocs' own ``serve`` holds every page request until a build succeeds, so
while a save is broken the browser waits for a page that never comes and
the error is only in the terminal. Here a failed build is a state of the
preview: every request is answered at once with a page that shows the
problems as the terminal does (:mod:`qualsite.render.build_error`), and that
page reloads itself through MkDocs' live reload when the next build is done.
Nothing of the study is served while it is broken, not even the last good
build's pages. A study that is broken when the command starts is served the
same way; only a configuration that cannot be loaded stops the command.

Each save rebuilds the study, but MkDocs renders again only the pages whose
output can have changed, and qualsite makes again only the parts of them a
save changed (:mod:`qualsite.plugin.rebuild_cache`): a save that changes
one excerpt of a big study draws that excerpt and renders the few pages
that show it.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mkdocs.exceptions import Abort
from mkdocs.livereload import _SCRIPT_TEMPLATE, LiveReloadServer

from .plugin.rebuild_cache import RebuildCache
from .render.build_error import build_error_page
from .stopped import why_stopped

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.qualsite.serve")

#: Where MkDocs, its plugins and qualsite's plugin log (``mkdocs.*``).
MKDOCS_LOGGER = "mkdocs"

#: Said after the problems when an exception, not a message, stopped the build.
UNEXPECTED = (
    "The build stopped on an unexpected error, not on a problem in the study; "
    "the terminal shows its details."
)

SHOWN_IN_BROWSER = "The preview shows this problem in the browser until a save fixes it."

#: How often the watched folders are looked at for a save, in seconds.
#: MkDocs looks every 0.5 s, a quarter of a rebuild of a big study now that
#: a rebuild makes again only what changed (10,000 excerpts: about 2 s); a
#: look at a study's folders (a few hundred files) takes about a
#: millisecond, a hundredth of a core at this pace.
POLLING_INTERVAL = 0.1


@dataclass(frozen=True, slots=True)
class BuildFailure:
    """Why the last build failed: its messages, as the terminal showed them."""

    lines: tuple[str, ...]


class _BuildMessages(logging.Handler):
    """The warnings and errors logged while one build runs.

    Only the build's own thread: the server's threads log refused requests
    (a browser's favicon, say) at warning level at the same time.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.thread = threading.get_ident()
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        found = self.errors if record.levelno >= logging.ERROR else self.warnings
        try:
            found.append(record.getMessage())
        except Exception:  # a record whose arguments do not fit its message
            self.handleError(record)


def failure_lines(errors: list[str], warnings: list[str], error: Exception) -> tuple[str, ...]:
    """What the error page shows of a failed build.

    The errors logged, which say what is wrong and where ("codebook/...:4:
    unknown category ..."). Without one, the build was stopped in strict mode
    by its warnings, and the Abort's message says so. An exception other than
    Abort is a bug, not a mistake in the study: its details stay in the
    terminal.
    """
    if not isinstance(error, Abort):
        return (*errors, UNEXPECTED)
    if errors:
        return tuple(errors)  # the Abort only repeats that there were errors
    return (*warnings, why_stopped(str(error)))


def attempt(build: Callable[[], None]) -> BuildFailure | None:
    """Run ``build``; a failure is returned, never raised (KeyboardInterrupt aside)."""
    messages = _BuildMessages()
    logger = logging.getLogger(MKDOCS_LOGGER)
    logger.addHandler(messages)
    try:
        build()
        return None
    except Abort as error:
        stopped: Exception = error
    except Exception as error:
        traceback.print_exc()  # as MkDocs prints it: details for a bug report
        stopped = error
    finally:
        logger.removeHandler(messages)
    if isinstance(stopped, Abort) and not messages.errors:
        # Strict mode's "Aborted with 1 warnings", which MkDocs' own serve
        # prints and the page shows: the terminal says it too.
        log.error(f"qualsite: {why_stopped(str(stopped))}.")
    return BuildFailure(failure_lines(messages.errors, messages.warnings, stopped))


def _request_id() -> int:
    # Only tells one page's poll from another's in MkDocs' log, as its own do.
    return round(time.monotonic() * 1000)


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, answering with the error page while the
    last build failed (:attr:`failure`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failure: BuildFailure | None = None
        self.error_handler = self._error_content

    def record(self, failure: BuildFailure | None) -> None:
        """Set the outcome of the build that is ending: the build thread calls
        this before MkDocs publishes the build to waiting requests."""
        with self._epoch_cond:
            self.failure = failure

    def _serve_request(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes] | None:
        if str(environ.get("PATH_INFO", "")).startswith("/livereload/"):
            return super()._serve_request(environ, start_response)  # the pages' polls
        failure, epoch = self._settled()
        if failure is None:
            return super()._serve_request(environ, start_response)
        body = self._error_page(failure, epoch)
        start_response(
            "503 Service Unavailable",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),  # the page must not outlive the problem
            ],
        )
        return [body]

    def _settled(self) -> tuple[BuildFailure | None, int]:
        """The last build's failure and number, once a build under way has
        ended (it always ends: :func:`attempt` never raises)."""
        with self._epoch_cond:
            self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            return self.failure, self._visible_epoch

    def _error_page(self, failure: BuildFailure, epoch: int) -> bytes:
        # MkDocs' own script: it polls /livereload/<epoch>/<id> and reloads the
        # page once a build newer than `epoch` is done, as every page does.
        script = _SCRIPT_TEMPLATE.substitute(epoch=epoch, request_id=_request_id())
        return build_error_page(failure.lines, reload_script=script).encode("utf-8")

    def _error_content(self, code: int) -> bytes | None:
        """The body of a 404 or 500: the site's own 404 page, as under MkDocs,
        or the error page if a build failed while the request was answered."""
        with self._epoch_cond:
            failure, epoch = self.failure, self._visible_epoch
        if failure is not None:
            return self._error_page(failure, epoch)
        page = Path(self.root) / f"{code}.html"
        if code in (404, 500) and page.is_file():
            return page.read_bytes()
        return None


def _empty(folder: Path) -> None:
    """Remove what earlier builds left in the preview's folder, so that no
    request answered during a later failure can be given it."""
    for child in folder.iterdir() if folder.is_dir() else ():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _study_folders(config: MkDocsConfig) -> list[Path]:
    """The codebook and template folders (which the plugin's ``on_serve``
    watches too)."""
    from .plugin import QualsitePlugin

    root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    folders: list[Path] = []
    for plugin in config.plugins.values():
        if isinstance(plugin, QualsitePlugin):
            folders += [root / plugin.config.codebook, root / plugin.config.templates]
    return [folder for folder in folders if folder.is_dir()]


def serve(config_file: str, *, dev_addr: str | None = None, strict: bool | None = None) -> None:
    """Build the study into a temporary folder, serve it and rebuild it on
    every save, as ``mkdocs serve`` does. Raises Abort if the configuration
    cannot be loaded when it starts."""
    site_dir = Path(tempfile.mkdtemp(prefix="qualsite-preview-"))
    # The pages of the last build, for the next to reuse (never served).
    kept = Path(tempfile.mkdtemp(prefix="qualsite-preview-cache-"))
    try:
        _serve_from(site_dir, RebuildCache(kept), config_file, dev_addr=dev_addr, strict=strict)
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.rmtree(kept, ignore_errors=True)


def _serve_from(
    site_dir: Path,
    cache: RebuildCache,
    config_file: str,
    *,
    dev_addr: str | None,
    strict: bool | None,
) -> None:
    from mkdocs.config import load_config

    def load() -> MkDocsConfig:
        return load_config(
            config_file=config_file, site_dir=str(site_dir), dev_addr=dev_addr, strict=strict
        )

    config = load()
    config.plugins.on_startup(command="serve", dirty=False)
    serve_event_sent = False

    def build_once(fresh: MkDocsConfig | None = None) -> None:
        log.info("Building documentation...")
        current: MkDocsConfig | None = fresh

        def run() -> None:
            nonlocal current, serve_event_sent
            if current is None:
                current = load()  # MkDocs reads mkdocs.yml again for each build
            current.site_url = server.url
            # MkDocs' build, rendering only the pages that can have changed.
            cache.build(current, serve_url=server.url)
            if not serve_event_sent:
                # MkDocs sends it once, after the first build; plugins expect
                # it after a build that has run their on_config. (A server a
                # plugin returns in this one's place is not used: requests are
                # already answered by this one.)
                current.plugins.on_serve(server, config=current, builder=server.builder)
                serve_event_sent = True

        failure = attempt(run)
        if failure is not None:
            _empty(site_dir)
            log.info(SHOWN_IN_BROWSER)
        server.record(failure)

    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    server = PreviewServer(
        builder=build_once,
        host=host,
        port=port,
        root=str(site_dir),
        mount_path=mount_path,
        polling_interval=POLLING_INTERVAL,
    )
    try:
        build_once(config)
        # The study's folders too: a study broken at start has not had the
        # plugin's on_serve, which watches them, and must still be watched.
        watched = [config.docs_dir, config.config_file_path, *config.watch]
        for path in [*watched, *map(str, _study_folders(config))]:
            if path:
                server.watch(path)
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
