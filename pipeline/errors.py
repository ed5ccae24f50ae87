"""Errors the CLI turns into one clear line and a non-zero exit."""


class StanceError(Exception):
    """Base class for the errors a user can fix."""


class InputError(StanceError):
    """An input file is missing, empty, binary, not UTF-8, too large or malformed."""


class ConfigError(StanceError):
    """The YAML config is malformed or does not match the schema."""


class ModelError(StanceError):
    """The stance model is missing or unreadable."""


class Terminated(Exception):
    """The process was asked to stop (SIGTERM); raised in the main thread so that workers and files are cleaned up."""
