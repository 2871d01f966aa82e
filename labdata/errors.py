"""The one exception type of labdata: a data problem the user can fix, in one line."""


class DataError(Exception):
    """A data set file is missing, unreadable, corrupt, or fails its checksum.

    The message is a single line that names the file and says what to do.
    """
