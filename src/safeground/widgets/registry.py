"""From field kind to widget: each kind names its widget in :data:`safeground.kinds.KINDS`.

A new kind is one widget module, named in its ``KINDS`` entry; nothing here changes. The widgets
are imported when this module is (as before: the chapter screen needs them all), so a widget that
is misnamed stops the app at once, not when a page first asks that kind.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from safeground.content import Field
from safeground.kinds import KINDS
from safeground.widgets.base import FieldWidget


def _widget_class(kind: str, name: str) -> type[FieldWidget]:
    """The class ``name`` (``module:Class``) names, checked to be a field widget."""
    module, _, attribute = name.partition(":")
    widget = getattr(import_module(module), attribute, None)
    if not (isinstance(widget, type) and issubclass(widget, FieldWidget)):
        raise TypeError(f"KINDS[{kind!r}].widget is {name!r}, which is not a FieldWidget subclass")
    return widget


FIELD_WIDGETS: dict[str, type[FieldWidget]] = {kind: _widget_class(kind, rules.widget) for kind, rules in KINDS.items()}


def widget_for(field: Field, value: Any) -> FieldWidget:
    """The widget that asks ``field``, showing ``value`` (a value that no longer fits shows empty)."""
    return FIELD_WIDGETS[field.kind](field, value, id=f"field-{field.id}")
