"""Whether a third-party rule plugin may be installed, without importing importlib.metadata.

Apart from the rule registry so that the result cache can ask it before
answering a re-run (ftlint.rerun) without importing any rule.
"""

from __future__ import annotations

import os
import sys

#: The entry-point group third-party rules register in (see ftlint.rules).
ENTRY_POINT_GROUP = "ftlint.rules"


def may_be_installed() -> bool:
    """False when no installed distribution's entry_points.txt names the plugin group.

    importlib.metadata costs 30-50 ms to import (email, zipfile, csv, ...), a
    large part of a pre-commit run; this look at the same files costs about
    1 ms. Anything it cannot see into (a zip or .egg on sys.path) counts as a
    maybe, and importlib.metadata decides.
    """
    for entry in sys.path:
        where = entry or "."
        if where.endswith(".egg") or os.path.isfile(where):
            return True
        try:
            names = os.listdir(where)
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(where, name, "entry_points.txt"), "rb") as fh:
                        if ENTRY_POINT_GROUP.encode() in fh.read():
                            return True
                except OSError:
                    pass
    return False
