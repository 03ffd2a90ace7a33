"""The modules a request needs, imported at the first one (they build pydantic types), so
that `import <package>` and `Client()` load no pydantic model machinery.

Other runtime modules reach them as attributes of this module (`_lazy._wire`), after
`load_request_modules()`.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import _files as _files
    from . import _request_body as _request_body
    from . import _responses as _responses
    from . import _streams as _streams
    from . import _wire as _wire
else:  # set by `load_request_modules`
    _files = _request_body = _responses = _streams = _wire = None

__all__ = ["load_request_modules"]


def load_request_modules() -> None:
    """Import what checking, sending and parsing need, once."""
    global _files, _request_body, _responses, _streams, _wire
    if _wire is None:
        from . import _files, _request_body, _responses, _streams, _wire
