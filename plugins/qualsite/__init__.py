"""qualsite: publish a qualitative study (codebook, anonymised excerpts, model) as a website."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("qualsite")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
