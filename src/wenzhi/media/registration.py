"""What the media app registers with core when Django starts (permissions, search, demo, nav)."""


def register() -> None:
    """Called from :meth:`MediaConfig.ready`."""
