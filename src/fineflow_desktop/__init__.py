"""FineFlow Desktop: documents and chat logs in, clean fine-tuning datasets out."""

from importlib import metadata as _metadata


def _version() -> str:
    """The installed distribution's version (pyproject.toml ``version``; the frozen bundle ships
    the metadata too); ``0+unknown`` when run from a source tree that was never installed."""
    try:
        return _metadata.version("fineflow-desktop")
    except _metadata.PackageNotFoundError:
        return "0+unknown"


__version__ = _version()
APP_NAME = "FineFlow Desktop"
