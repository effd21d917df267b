"""Reading TOML quickly, with the standard library's error messages.

Parsing is most of the time it takes to open a large workbook and its progress file (100 chapters:
a quarter of a second with :mod:`tomllib`, which is pure Python). The ``tomli`` package, which
tomllib was taken from, ships compiled wheels that parse the same documents about three times
faster, so it is used when it is installed. When it rejects a document (or is missing), the text is
parsed again with tomllib, so that errors and their line numbers read exactly as before.

tomli is held below 2.4 (pyproject.toml): later versions also read TOML 1.1 (inline tables over
several lines, new escapes), so a workbook could pass ``safeground check`` here and fail where
only tomllib reads it. Below 2.4 both accept exactly TOML 1.0.
"""

from __future__ import annotations

from typing import Any

try:
    import tomli as _fast
except ImportError:  # pragma: no cover - tomli is a dependency; tomllib alone is still correct
    _fast = None


def __getattr__(name: str) -> Any:
    # ``TOMLDecodeError`` is tomllib's; tomllib itself is imported only when a document is
    # refused (or tomli is missing), which keeps it off the start-up path.
    if name == "TOMLDecodeError":
        import tomllib

        return tomllib.TOMLDecodeError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, faster where tomli is installed. Raises what tomllib raises."""
    if _fast is not None:
        try:
            return _fast.loads(text)
        except Exception:  # noqa: BLE001 - any refusal is reported by tomllib below, in its words
            pass
    import tomllib

    return tomllib.loads(text)
