"""The ``qualsite`` command: a thin adapter over the core and MkDocs.

Every mistake in a user's files ends in a message and exit status 1, never in
a traceback; exit status 2 is a mistake in the command line itself.
"""

from __future__ import annotations

import argparse
import functools
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .counting import counted
from .errors import QualsiteError, StudyError, display_path
from .guard import NO_DENY_LIST
from .marker import BUILT_WITH, made_by_qualsite
from .stopped import why_stopped

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .guard.denylist import DenyList
    from .guard.gate import GatePolicy
    from .plugin.config import QualsiteConfig
    from .refi.verdict import Verdict
    from .study.model import Study

# Material prints a banner about MkDocs 2.0 on every run. qualsite pins
# MkDocs below 2 (see README), so the banner only buries qualsite's own
# messages; a user who wants it can set the variable to 0.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

DEFAULT_CONFIG = "mkdocs.yml"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # Messages go to stdout (results) and stderr (problems); line by line, so
    # that in a terminal or a CI log they read in the order they were said.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)
    _configure_logging(verbose=getattr(args, "verbose", False))
    try:
        status: int = args.run(args)
    except StudyError as error:
        print(error.report(), file=sys.stderr)  # each line already names its file
        return 1
    except QualsiteError as error:
        print(f"qualsite: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        # A folder that cannot be made, a port already in use...
        where = f"{error.filename}: " if error.filename else ""
        print(f"qualsite: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qualsite",
        description="Publish a qualitative study (codebook, excerpts, model) as a website.",
    )
    parser.add_argument("--version", action="version", version=f"qualsite {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' details")
        return sub

    def config_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "-f",
            "--config",
            default=DEFAULT_CONFIG,
            metavar="FILE",
            help=f"the study's MkDocs configuration (default: {DEFAULT_CONFIG})",
        )

    check = command("check", "Load and validate the study without building it.")
    config_option(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=_check)

    build = command("build", "Build the site; the old site is replaced only if the build succeeds.")
    config_option(build)
    build.add_argument("--strict", action="store_true", help="stop on any warning")
    build.add_argument("-d", "--site-dir", metavar="DIR", help="build into DIR instead")
    build.set_defaults(run=_build)

    serve = command("serve", "Preview the site, rebuilding when the study changes.")
    config_option(serve)
    serve.add_argument("-a", "--dev-addr", metavar="IP:PORT", help="address to serve on")
    serve.add_argument("--strict", action="store_true", help="stop on any warning")
    serve.set_defaults(run=_serve)

    bundle = command("bundle", "Build a zip of the site that opens from file:// with no network.")
    config_option(bundle)
    bundle.add_argument(
        "--out", type=Path, metavar="FILE.zip", help="default: dist/<title>-<version>.zip"
    )
    bundle.add_argument("--strict", action="store_true", help="stop on any warning")
    bundle.set_defaults(run=_bundle)

    pdf = command("pdf", "Print the whole report (the Print page) to PDF with headless Chromium.")
    config_option(pdf)
    pdf.add_argument(
        "--out", type=Path, metavar="FILE.pdf", help="default: dist/<title>-<version>.pdf"
    )
    pdf.add_argument("--strict", action="store_true", help="stop on any warning")
    pdf.set_defaults(run=_pdf)

    export = command("export", "Write the tables, codebook, excerpts or figure as files.")
    config_option(export)
    export.add_argument(
        "--format",
        required=True,
        choices=[*EXPORT_FORMATS, "all"],
        metavar="FORMAT",
        help="one of: " + ", ".join([*EXPORT_FORMATS, "all"]),
    )
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write to")
    export.add_argument(
        "--paper",
        type=str.lower,  # "A4", as people write it
        choices=["a4", "letter"],  # Paper.names(), written out: exports load python-docx
        help="the Word files' paper (default: the plugin's paper option, which is a4)",
    )
    export.add_argument("--strict", action="store_true", help="stop on any warning")
    export.set_defaults(run=_export)

    new = command("new", "Start a new study in a new folder.")
    new.add_argument("folder", type=Path, help="the folder to create")
    new.add_argument(
        "--title",
        help="the study's title, which heads every page (asked for when not given, in a terminal)",
    )
    new.set_defaults(run=_new)

    imports = command(
        "import", "Import a REFI-QDA project (.qdpx) or codebook (.qdc) from a QDA tool."
    )
    imports.add_argument("file", type=Path, help="the .qdpx or .qdc file your QDA tool exported")
    imports.add_argument("--into", type=Path, required=True, metavar="DIR", help="the study folder")
    imports.add_argument("--force", action="store_true", help="replace files an import wrote")
    imports.add_argument("--dry-run", action="store_true", help="write nothing; say what would be")
    imports.add_argument(
        "--strict", action="store_true", help="first check the file against the REFI-QDA schemas"
    )
    imports.add_argument(
        "--schemas", type=Path, metavar="DIR", help="folder of Project.xsd and Codebook.xsd"
    )
    imports.set_defaults(run=_import)

    schemas = command("schemas", "Write the JSON Schemas of the codebook's files (for editors).")
    schemas.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write to"
    )
    schemas.set_defaults(run=_schemas)

    translation = command(
        "translation",
        "Write translations/LANGUAGE.po, the study's own translation of the words qualsite "
        "publishes (or bring it up to date with this qualsite).",
    )
    translation.add_argument("language", metavar="LANGUAGE", help="a code such as it, pl, pt-BR")
    translation.add_argument(
        "--into",
        type=Path,
        default=Path("translations"),
        metavar="DIR",
        help="the folder, from where the command runs (default: translations, which is "
        "where the plugin's translations option looks when mkdocs.yml is here)",
    )
    translation.set_defaults(run=_translation)

    reference = command("format", "Print the format reference of the codebook, or one section.")
    reference.add_argument(
        "section",
        nargs="?",
        help="a section: study, participants, categories, excerpts, tables, model, ids...",
    )
    reference.set_defaults(run=_format)

    history = command(
        "history",
        "Say how the codebook changed between two versions (git tags or revisions, or folders).",
    )
    history.add_argument(
        "old", nargs="?", metavar="OLD", help="a git tag or revision, or a folder with a codebook"
    )
    history.add_argument(
        "new", nargs="?", metavar="NEW", help="the same (default: the codebook as it is on disk)"
    )
    history.add_argument(
        "--tags",
        action="store_true",
        help="compare each tagged version with the next, and the last with the codebook on disk",
    )
    history_codebook = history.add_mutually_exclusive_group()
    history_codebook.add_argument(
        "-f",
        "--config",
        default=DEFAULT_CONFIG,
        metavar="FILE",
        help=f"the MkDocs configuration naming the codebook (default: {DEFAULT_CONFIG})",
    )
    history_codebook.add_argument(
        "--codebook", type=Path, metavar="DIR", help="the codebook's folder, instead of -f"
    )
    history.epilog = (
        "Only what the site publishes is compared, and the newest version rules every "
        "version: a participant it withdraws, or an excerpt it keeps back, counts in none. "
        "Excerpts are counted, never quoted."
    )
    history.set_defaults(run=_history)
    return parser


class _InQualsitesWords(logging.Filter):
    """MkDocs' progress lines, said for a study's build.

    qualsite builds into a temporary folder beside ``site/`` and swaps it in
    only when the build succeeds, so MkDocs' "Building documentation to
    directory: /…/.site-k2j4" names a folder the user never sees, and
    "Cleaning site directory" cleans that empty folder. Both are left out
    (``--verbose`` keeps everything); qualsite says where the site went.
    """

    HIDDEN = ("Cleaning site directory", "Building documentation to directory: ")

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if record.levelno == logging.INFO and message.startswith(self.HIDDEN):
            return False
        if message.startswith("Documentation built in "):
            record.msg = message.replace("Documentation built in", "Built in", 1)
        return True


def _configure_logging(*, verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    if not verbose:
        handler.addFilter(_InQualsitesWords())
    for name in ("mkdocs", "properdocs"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.DEBUG if verbose else logging.INFO)
        logger.propagate = False


# -- check ---------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    from .plugin.config import site_settings
    from .site import prepare_site

    config = _load_mkdocs_config(args.config)
    site = prepare_site(site_settings(config, _plugin_options(config, args.config)))
    for warning in site.warnings:
        print(warning)
    # Listed as warnings, but no reason to stop: the build only mentions them.
    for reminder in site.reminders:
        print(reminder)
    if site.warnings and (args.strict or config.strict):
        print(_strict_stop(len(site.warnings), "the build would stop"), file=sys.stderr)
        return 1
    study, published = site.study, site.published
    summary = ", ".join(
        [
            counted(len(published.categories), "category", "categories"),
            counted(len(published.excerpts), "excerpt"),
            counted(len(published.participants), "participant"),
        ]
    )
    held_back = _held_back(
        len(study.participants) - len(published.participants),
        "withdrawn participant",
        "withdrawn participants",
    )
    held_back += _held_back(
        len(study.excerpts) - len(published.excerpts),
        "excerpt not published",
        "excerpts not published",
    )
    if held_back:
        summary += f" ({'; '.join(held_back)})"
    from .guard.review import unreviewed_count

    unreviewed = unreviewed_count(published)
    if unreviewed and published.meta.draft:
        print(
            f"A draft (draft: true in study.yml): {unreviewed} text"
            f"{'s' if unreviewed != 1 else ''} not yet reviewed for anonymisation "
            "(reviewed: false); every page says the site is a draft."
        )
    waiver = _plugin_options(config, args.config).deny_list_waiver
    if site.deny_list_entries is None and waiver:
        print(f"No deny-list: {' '.join(waiver.split())}")
    elif site.deny_list_entries is None:
        print(
            "No deny-list was given, so real names were not checked: set deny_list in "
            "mkdocs.yml or QUALSITE_DENY_LIST (see the README)."
        )
    else:
        print(f"Checked against {counted(site.deny_list_entries, 'identifier')} of the deny-list.")
    from .render.nav import navigation_advice

    features = config.theme.get("features") or []
    for advice in navigation_advice(config.theme.name, [str(f) for f in features]):
        print(f"{display_path(Path(args.config))}: {advice}")
    print(f"{summary}: OK")
    return 0


def _strict_stop(count: int, what: str) -> str:
    return f"{counted(count, 'warning')}; in strict mode (as mkdocs.yml or --strict asks) {what}."


def _held_back(count: int, singular: str, plural_form: str) -> list[str]:
    return [counted(count, singular, plural_form)] if count else []


def _load_mkdocs_config(config_file: str, **overrides: Any) -> MkDocsConfig:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    path = Path(config_file)
    if not path.is_file():
        raise QualsiteError(
            f"{display_path(path)}: no such file; run qualsite in the study's folder "
            "or name its configuration with --config"
        )
    try:
        return load_config(config_file=str(path), **overrides)
    except (ConfigurationError, Abort) as error:
        # MkDocs has logged each problem of the configuration already.
        raise QualsiteError(f"{display_path(path)}: {error}") from None


def _plugin_options(config: MkDocsConfig, config_file: str) -> QualsiteConfig:
    from .plugin import QualsitePlugin

    for plugin in config.plugins.values():
        if isinstance(plugin, QualsitePlugin):
            return plugin.config
    raise QualsiteError(
        f"{display_path(Path(config_file))}: the qualsite plugin is not enabled, so a build "
        "would publish only your own pages: none of the study's categories, excerpts, tables "
        "or figure, and nothing checked for confidentiality; add '- qualsite' under 'plugins:'"
    )


# -- build -----------------------------------------------------------------

#: A build that finished without the plugin's marker in the site.
NOT_RUN = (
    "the build finished, but qualsite's plugin did not run in it (the site has no "
    f"{BUILT_WITH}): the site would hold none of the study's pages and nothing checked for "
    "confidentiality. Build with MkDocs 1.6 or ProperDocs, which run plugins; MkDocs 2 and "
    "Zensical do not"
)


def _build(args: argparse.Namespace) -> int:
    from .plugin.config import site_settings
    from .site import unsafe_site_dir

    config = _load_mkdocs_config(
        args.config, strict=True if args.strict else None, site_dir=args.site_dir
    )
    final = Path(config.site_dir)
    unsafe = unsafe_site_dir(final, site_settings(config, _plugin_options(config, args.config)))
    if unsafe:
        raise QualsiteError(f"{display_path(final)}: {unsafe}")
    final.parent.mkdir(parents=True, exist_ok=True)
    # Build next to the final folder (same disk, so the swap is a rename) and
    # swap only on success: a failed build never leaves a half-written site.
    had_site = final.is_dir() and any(final.iterdir())
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    stopped = _build_into(config, staging)
    if stopped is None and not made_by_qualsite(staging):
        shutil.rmtree(staging, ignore_errors=True)
        stopped = NOT_RUN
    if stopped is not None:
        kept = (
            f"the site already in {display_path(final)}/ is unchanged"
            if had_site
            else "no site was written"
        )
        print(f"qualsite: {stopped}; {kept}.", file=sys.stderr)
        return 1
    _make_world_readable(staging)
    _replace_folder(final, staging)
    print(f"Site written to {display_path(final)}")
    return 0


def _build_into(config: MkDocsConfig, folder: Path) -> str | None:
    """Build into ``folder``. On failure remove it and return why the build
    stopped, in a few words (what stopped it was logged above); else None."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    config.site_dir = str(folder)
    # The same lifecycle as `mkdocs build`: some plugins set up in on_startup.
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except (Abort, SystemExit) as error:
        shutil.rmtree(folder, ignore_errors=True)
        return why_stopped(str(error))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        config.plugins.on_shutdown()
    return None


# -- bundle ----------------------------------------------------------------


def _bundle(args: argparse.Namespace) -> int:
    from .bundle import bundle_name, readme, write_bundle
    from .plugin import QualsitePlugin
    from .plugin.offline import needs_network

    config = _load_mkdocs_config(args.config, strict=True if args.strict else None)
    options = _plugin_options(config, args.config)
    options["offline"] = True  # links to files, search without a server or CDN
    # The README promises an examiner that nothing is sent anywhere.
    problems = needs_network(config)
    if problems:
        raise QualsiteError("\n".join(problems))
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary) / "site"
        stopped = _build_into(config, site)
        if stopped is not None:
            print(f"qualsite: {stopped}; no bundle was written.", file=sys.stderr)
            return 1
        plugin = next(p for p in config.plugins.values() if isinstance(p, QualsitePlugin))
        assert plugin.site is not None
        study = plugin.site.published
        name = bundle_name(study)
        project = Path(config.config_file_path or args.config).resolve().parent
        out = args.out or project / "dist" / f"{name}.zip"
        text = readme(study, config.site_name)
        # The site was checked as it was built; what the bundle adds is checked here.
        _gate(
            plugin.site.gate_policy, [(f"{name}.zip", b""), (f"{name}/README.txt", text.encode())]
        )
        write_bundle(site, out, name, text)
    print(f"Bundle written to {display_path(out)}: unzip it and open {name}/index.html")
    return 0


def _gate(policy: GatePolicy, files: list[tuple[str, bytes]]) -> None:
    """The output gate on files about to be handed over; raises QualsiteError."""
    from .guard.gate import describe, gate_files

    report = gate_files(files, policy)
    if report.findings:
        raise QualsiteError(describe(report, where="this command"))


def _make_world_readable(folder: Path) -> None:
    # mkdtemp makes a private folder; the site is for publishing, so give it
    # the permissions a folder made by hand would have.
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)


def _replace_folder(final: Path, staging: Path) -> None:
    retired = final.with_name(f".{final.name}-old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


# -- serve -----------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import Abort

    # MkDocs' serve, but a broken study is shown in the browser (serve.py).
    from .serve import serve

    config_file = args.config
    _plugin_options(_load_mkdocs_config(config_file), config_file)
    try:
        serve(
            config_file=config_file,
            dev_addr=args.dev_addr,
            strict=True if args.strict else None,
        )
    except (Abort, SystemExit) as error:
        print(f"qualsite: {error}", file=sys.stderr)
        return 1
    return 0


# -- pdf -------------------------------------------------------------------


def _pdf(args: argparse.Namespace) -> int:
    from .bundle import bundle_name
    from .chromium import INSTALL_HINT, find_chromium, headless_arguments
    from .plugin import QualsitePlugin

    browser = find_chromium()
    if browser is None:
        raise QualsiteError(f"printing to PDF needs Chromium or Chrome: {INSTALL_HINT}")
    config = _load_mkdocs_config(args.config, strict=True if args.strict else None)
    _plugin_options(config, args.config)["offline"] = True  # printable from file://
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary) / "site"
        stopped = _build_into(config, site)
        if stopped is not None:
            print(f"qualsite: {stopped}; no PDF was written.", file=sys.stderr)
            return 1
        plugin = next(p for p in config.plugins.values() if isinstance(p, QualsitePlugin))
        assert plugin.site is not None
        _for_paper(site / "print.html", plugin.site.published)
        project = Path(config.config_file_path or args.config).resolve().parent
        out: Path = args.out or project / "dist" / f"{bundle_name(plugin.site.published)}.pdf"
        printed_pdf = Path(temporary) / "printed.pdf"
        command = [
            browser,
            *headless_arguments(Path(temporary) / "profile"),
            "--no-pdf-header-footer",
            f"--print-to-pdf={printed_pdf}",
            (site / "print.html").as_uri(),
        ]
        try:
            printed = subprocess.run(command, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            raise QualsiteError(
                "Chromium did not finish printing the report within 5 minutes; close other "
                "Chromium windows and try again, or print the Print page from a browser"
            ) from None
        if printed.returncode != 0 or not printed_pdf.is_file() or not printed_pdf.stat().st_size:
            detail = printed.stderr.strip().splitlines()[-1:] or ["no message"]
            raise QualsiteError(f"Chromium could not print the report: {detail[0]}")
        from .dates import build_date
        from .render.figure import with_date

        pdf = with_date(printed_pdf.read_bytes(), build_date())
    # The pages were checked as HTML; the PDF adds its title and whatever
    # Chromium made of them (a script's words, say), and is checked as it
    # will be handed over: for names and held-back words, as the patterns
    # were looked for in the pages (a PDF runs a table's cells together).
    _gate(replace(plugin.site.gate_policy, patterns=False), [(out.name, pdf)])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    print(f"PDF written to {display_path(out)}")
    return 0


def _for_paper(page: Path, study: Study) -> None:
    """The Print page as the PDF needs it: titled after the study, and with
    no link into the site, which is deleted once the PDF is printed."""
    from html import escape

    from .i18n import _
    from .render.html_links import without_links_inside

    html = without_links_inside(page.read_text(encoding="utf-8"))
    # In the site's language, which the build made the active one.
    title = study.meta.title
    if study.meta.version:
        # Translators: the PDF's title: the study's title and its version.
        title = _("%(title)s, version %(version)s") % {
            "title": title,
            "version": study.meta.version,
        }
    html = re.sub(
        r"<title>.*?</title>",
        lambda match: f"<title>{escape(title)}</title>",
        html,
        count=1,
        flags=re.DOTALL,
    )
    page.write_text(html, encoding="utf-8")


# -- export ----------------------------------------------------------------

#: `qualsite export --format` names, and which of the site's files each means.
EXPORT_FORMATS: dict[str, Callable[[str], bool]] = {
    "tables-csv": lambda path: path.startswith("tables/") and path.endswith(".csv"),
    "tables-docx": lambda path: path == "downloads/tables.docx",
    "tables-latex": lambda path: path == "downloads/tables.tex",
    "figure-svg": lambda path: path.startswith("figures/") and path.endswith(".svg"),
    "figure-pdf": lambda path: path.startswith("figures/") and path.endswith(".pdf"),
    "figure-png": lambda path: path.startswith("figures/") and path.endswith(".png"),
    "codebook-csv": lambda path: path == "downloads/codebook.csv",
    "codebook-docx": lambda path: path == "downloads/codebook.docx",
    "codebook-qdc": lambda path: path == "downloads/codebook.qdc",
    "excerpts-docx": lambda path: path == "downloads/excerpts-by-category.docx",
    "matrices-csv": lambda path: path.startswith("matrices/") and path.endswith(".csv"),
    "checklist-docx": lambda path: path == "downloads/reporting-checklist.docx",
    "checklist-latex": lambda path: path == "downloads/reporting-checklist.tex",
}


def _export(args: argparse.Namespace) -> int:
    from .exports.skipped import StudyFiles, skipped_lines, why_nothing
    from .plugin.config import site_settings
    from .site import prepare_site

    config = _load_mkdocs_config(args.config, strict=True if args.strict else None)
    options = _plugin_options(config, args.config)
    if args.paper is not None:
        options["paper"] = args.paper
    # Exactly what a build makes: the published study, after the guard.
    try:
        site = prepare_site(site_settings(config, options))
    except StudyError as error:
        raise StudyError(
            error.problems,
            outcome="nothing was exported",
            warnings=error.warnings,
            notes=error.notes,
        ) from None
    for warning in site.warnings:
        print(warning, file=sys.stderr)
    if site.warnings and config.strict:
        print(_strict_stop(len(site.warnings), "nothing was exported"), file=sys.stderr)
        return 1
    if site.deny_list_entries is None and not options.deny_list_waiver:
        print(f"qualsite: {NO_DENY_LIST}", file=sys.stderr)
    wanted = list(EXPORT_FORMATS) if args.format == "all" else [args.format]
    chosen = [f for f in site.files if any(EXPORT_FORMATS[n](f.path) for n in wanted)]
    missing = [n for n in wanted if not any(EXPORT_FORMATS[n](f.path) for f in site.files)]
    project = Path(config.config_file_path or args.config).resolve().parent
    where = StudyFiles(
        codebook=display_path(project / options.codebook),
        config_file=display_path(Path(config.config_file_path or args.config)),
    )

    def reason(name: str) -> str:
        return why_nothing(name, site.published, matrices=options.matrices, files=where)

    if not chosen:
        why = "; ".join(dict.fromkeys(reason(name) for name in missing))
        raise QualsiteError(f"nothing to export as {args.format}: {why}")
    _gate(site.gate_policy, [(Path(f.path).name, f.content) for f in chosen])
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for generated in chosen:
        target = out / Path(generated.path).name
        target.write_bytes(generated.content)
        print(display_path(target))
    # After what was written, so that a format left out is not taken for one
    # that failed (or a study without a model for a figure that went missing).
    for line in skipped_lines(missing, reason):
        print(line)
    return 0


# -- new -------------------------------------------------------------------


def _new(args: argparse.Namespace) -> int:
    from .scaffold import create_study

    folder: Path = args.folder
    title = args.title if args.title is not None else _ask_title()
    create_study(folder, title)
    print(f"A new study is in {display_path(folder)}. Next:")
    print(f"  cd {display_path(folder)}")
    print("  qualsite serve     # preview it at http://127.0.0.1:8000/ while you edit")
    print(
        "  Write the study's real names, places and services, one a line, in a deny-list "
        "kept outside this folder, and name it in mkdocs.yml (deny_list) or in "
        "QUALSITE_DENY_LIST; until then, checks and builds stop and say so."
    )
    print("  qualsite check     # validate the study, the deny-list included")
    print("  qualsite build     # the site, in site/")
    return 0


def _ask_title() -> str:
    """The study's title, asked for in a terminal; elsewhere (a script, CI)
    a placeholder, which study.yml and mkdocs.yml both hold."""
    from .scaffold import PLACEHOLDER_TITLE, title_problem

    if not sys.stdin.isatty():
        return PLACEHOLDER_TITLE
    while True:
        try:
            answer = " ".join(input(f"The study's title [{PLACEHOLDER_TITLE}]: ").split())
        except EOFError:
            return PLACEHOLDER_TITLE
        problem = title_problem(answer) if answer else None
        if problem is None:
            return answer or PLACEHOLDER_TITLE
        print(problem, file=sys.stderr)


# -- import ------------------------------------------------------------------


def _import(args: argparse.Namespace) -> int:
    from .refi import import_file
    from .refi.write import verdict_lines

    def progress(done: int, total: int) -> None:
        # Large projects take a while; say how far the import has got.
        if total >= 1000 and (done % 1000 == 0 or done == total):
            print(f"  {done:,} of {total:,} selections", file=sys.stderr)

    result = import_file(
        args.file,
        args.into,
        force=args.force,
        dry_run=args.dry_run,
        strict=args.strict,
        schemas=args.schemas,
        progress=progress,
        judge=_check_verdict,
    )
    report = result.report
    verb = "Would write" if result.dry_run else "Wrote"
    print(f"{verb} {len(result.files)} files under {display_path(args.into)}:")
    for path in result.files:
        print(f"  {display_path(path)}")
    if not result.dry_run:
        print(f"  and the JSON Schemas, in {display_path(args.into / 'codebook' / '.schemas')}/")
    removing = "Would remove" if result.dry_run else "Removed"
    for path in result.removed:
        print(f"  {removing} {display_path(path)}, left by an earlier import")
    if result.reviewed_replaced:
        print(
            f"  warning: {result.reviewed_replaced} excerpt(s) marked reviewed: true in the "
            "replaced files are reviewed: false again; that review must be redone"
        )
    for line in report.lines():
        print(line)
    for line in verdict_lines(result.verdict):
        print(line)
    account = display_path(args.into / "codebook" / "IMPORT.md")
    if result.dry_run:
        print(f"Nothing was written (--dry-run); the import would keep this account in {account}.")
        return 0
    print(
        "Next: give the study its title and authors in codebook/study.yml, review every "
        "excerpt and memo (reviewed: true), then run qualsite check in the study folder. "
        f"The import's account is in {account}."
    )
    return 0


def _check_verdict(root: Path) -> Verdict:
    """What ``qualsite check`` says of the study in ``root``: its mkdocs.yml
    loaded by MkDocs (``!ENV`` tags, plugins in any form, docs_dir), the same
    settings, the same checks."""
    from .errors import Location, Problem
    from .plugin.config import site_settings
    from .refi.verdict import Verdict
    from .site import prepare_site

    config_file = str(root / "mkdocs.yml")
    strict = False
    try:
        config = _load_mkdocs_config(config_file)
        options = _plugin_options(config, config_file)
        strict = bool(config.strict)
        site = prepare_site(site_settings(config, options))
    except StudyError as error:
        return Verdict(strict, [*error.problems, *error.warnings])
    except QualsiteError as error:
        # The configuration itself: named as the file, the message as check prints it.
        message = str(error).removeprefix(f"{display_path(Path(config_file))}: ")
        return Verdict(strict, [Problem(Location(config_file), message)])
    return Verdict(strict, site.warnings)


# -- schemas -----------------------------------------------------------------


def _schemas(args: argparse.Namespace) -> int:
    from .study.schema import write_schemas

    for path in write_schemas(args.out):
        print(display_path(path))
    return 0


def _translation(args: argparse.Namespace) -> int:
    from .i18n.extract import write_study_catalogue

    written = write_study_catalogue(args.language, args.into)
    where = display_path(written.path)
    if written.created:
        print(f"Wrote {where}: {counted(written.messages, 'message')}.")
    else:
        print(f"Updated {where} to this qualsite: {counted(written.messages, 'message')}.")
    if written.shipped:
        print(
            f"qualsite ships {args.language}: each message shows its wording in a "
            '"#. qualsite:" comment. Fill in the msgstr "" of only those you want to '
            "reword; the others keep qualsite's wording, and its later corrections."
        )
    elif written.untranslated:
        print(
            f"{counted(written.untranslated, 'message')} to translate: fill in each empty "
            'msgstr "" (with a PO editor such as Poedit, or any text editor), keeping every '
            "%(name)s placeholder, then build: the site uses the file at once. Set "
            f"theme: language: {args.language} in mkdocs.yml if it is not set yet."
        )
    else:
        print("Every message is translated; edit any msgstr to change the wording.")
    return 0


# -- format ------------------------------------------------------------------


def _format(args: argparse.Namespace) -> int:
    """FORMAT.md, whole or one section: messages name sections of it, and a
    user who installed qualsite with pip has no copy of the repository."""
    from .reference import find_section, reference_path

    reference = reference_path().read_text(encoding="utf-8")
    print(find_section(reference, args.section).text if args.section else reference, end="")
    return 0


# -- history -----------------------------------------------------------------


def _history(args: argparse.Namespace) -> int:
    if args.tags and args.old is not None:
        raise QualsiteError(
            "--tags compares every tagged version with the next; give either --tags or "
            "OLD [NEW], not both"
        )
    if not args.tags and args.old is None:
        raise QualsiteError(
            "name the version to compare from: qualsite history OLD [NEW], each a git tag or "
            "revision or a folder with a codebook (NEW by default the codebook on disk); or "
            "qualsite history --tags"
        )
    from .guard.redact import redactor

    # mkdocs.yml, read once, and only if it is needed.
    study_config = functools.cache(functools.partial(_history_config, args.config))
    # The deny-list first: whatever the command prints, its errors too (an
    # old version's problem can quote what was written in it), is checked
    # against it, and a terminal's words end up in notes and messages.
    hide = redactor(_history_deny_list(args.config, study_config))
    try:
        report = _history_report(args, study_config)
    except QualsiteError as error:
        raise QualsiteError(hide(str(error))) from None
    print(hide(report))
    return 0


def _history_report(
    args: argparse.Namespace, study_config: Callable[[], tuple[Path, QualsiteConfig]]
) -> str:
    """What qualsite history prints, before it is checked against the deny-list."""
    from .history import (
        WORKING_TREE,
        Withdrawals,
        describe_history,
        history_across,
        read_folder,
        read_tagged_versions,
        read_version,
    )

    # The codebook on disk says where the codebook sits in every revision;
    # two folders need none, unless a study's mkdocs.yml is at hand.
    codebook: Path | None = args.codebook
    specs = [args.old, args.new]
    if codebook is None and (
        args.tags
        or Path(args.config).is_file()
        or not all(spec is not None and Path(spec).is_dir() for spec in specs)
    ):
        if not Path(args.config).is_file():
            raise QualsiteError(
                f"{display_path(Path(args.config))}: no such file, and qualsite history needs "
                "the codebook it names: as NEW when NEW is not given, and to find the codebook "
                "in a git revision; run qualsite history in the study's folder, or name the "
                "codebook with --codebook (or the configuration with -f)"
            )
        root, options = study_config()
        codebook = root / options.codebook
    if args.tags:
        assert codebook is not None
        versions = read_tagged_versions(codebook)
        newest = [versions[-1].study]
    else:
        # The codebook on disk is the newest version there is: whoever it
        # withdraws counts in no version compared, NEW included.
        on_disk = codebook is not None and (args.new is None or codebook.is_dir())
        working = read_folder(codebook, WORKING_TREE) if codebook is not None and on_disk else None
        if args.new is None:
            assert working is not None
            new = working
        else:
            new = read_version(args.new, codebook, newest=[working.study] if working else [])
        newest = [new.study]
        if working is not None and working is not new:
            newest.append(working.study)
        versions = [read_version(args.old, codebook, newest=newest), new]
    return describe_history(history_across(versions, withdrawals=Withdrawals.of(*newest)))


def _history_config(config_file: str) -> tuple[Path, QualsiteConfig]:
    """The study's folder and the plugin's options, from its mkdocs.yml."""
    config = _load_mkdocs_config(config_file)
    options = _plugin_options(config, config_file)
    return Path(config.config_file_path or config_file).resolve().parent, options


def _history_deny_list(
    config_file: str, study_config: Callable[[], tuple[Path, QualsiteConfig]]
) -> DenyList | None:
    """The study's deny-list, as a build finds it (QUALSITE_DENY_LIST, else
    mkdocs.yml's deny_list), if it names one; raises StudyError for one
    that is named but cannot be used."""
    from .errors import Problems
    from .guard import deny_list_from_environment
    from .guard.denylist import load_deny_list
    from .plugin.config import deny_list_path

    path = deny_list_from_environment()
    if path is None and Path(config_file).is_file():
        root, options = study_config()
        path = deny_list_path(root, options.deny_list)
    if path is None:
        return None
    problems = Problems()
    deny = load_deny_list(path, problems)
    if problems.errors:
        raise StudyError(
            problems.errors,
            outcome="nothing was shown, as what it shows is checked against it",
            warnings=problems.warnings,
        )
    return deny


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
