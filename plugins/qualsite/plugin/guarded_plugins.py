"""Other plugins that would take a study's confidential files somewhere.

Material's ``info`` plugin, meant for bug reports, zips the whole project
folder (mkdocs.yml, docs_dir and every file beside them, the codebook with
every excerpt, withdrawn ones included, and the participants' list) and
stops the build; Material's bug-report process asks for that zip to be
attached to a public issue. Nothing of it passes through the output gate,
so the only safe moment to stop it is before it runs.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

#: The names the info plugin is listed under in mkdocs.yml.
_INFO_PLUGIN = ("info", "material/info")


def project_archive_refusal(
    config: MkDocsConfig, *, shareable: bool, serving: bool = False
) -> str | None:
    """Why this build must not go on (None: it may), when Material's ``info``
    plugin would archive the project and the study has not said that the
    project holds nothing confidential."""
    if shareable:
        return None
    for name in _INFO_PLUGIN:
        plugin = config.plugins.get(name)
        if plugin is None:
            continue
        options = getattr(plugin, "config", None)
        enabled = bool(getattr(options, "enabled", True))
        archive = bool(getattr(options, "archive", True))
        # Under serve it does nothing unless told to (enabled_on_serve).
        if serving and not getattr(options, "enabled_on_serve", False):
            continue
        if enabled and archive:
            return (
                f"plugins: {name}: Material's info plugin is enabled: it zips the whole "
                "project folder, the codebook included (every excerpt, withdrawn ones too, "
                "and the participants), for a bug report that Material asks to be attached "
                "to a public issue. Remove it from plugins (or set its enabled: false), and "
                "report a bug with a copy of the project that holds no real data; only if "
                "this project holds nothing confidential (an invented example), set "
                "shareable_project: true under qualsite"
            )
    return None
