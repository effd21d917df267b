"""One table from field kind to widget: a new kind is one widget module plus one line here."""

from __future__ import annotations

from typing import Any

from safeground.content import Field
from safeground.widgets.base import FieldWidget
from safeground.widgets.checklist_field import ChecklistField
from safeground.widgets.choice_field import ChoiceField
from safeground.widgets.list_field import ListField
from safeground.widgets.long_text_field import LongTextField
from safeground.widgets.scale_field import ScaleField
from safeground.widgets.statements_field import StatementsField
from safeground.widgets.text_field import TextField

FIELD_WIDGETS: dict[str, type[FieldWidget]] = {
    "text": TextField,
    "long_text": LongTextField,
    "choice": ChoiceField,
    "checklist": ChecklistField,
    "scale": ScaleField,
    "statements": StatementsField,
    "list": ListField,
}


def widget_for(field: Field, value: Any) -> FieldWidget:
    """The widget that asks ``field``, showing ``value`` (a value that no longer fits shows empty)."""
    return FIELD_WIDGETS[field.kind](field, value, id=f"field-{field.id}")
