"""What the checklist services take: typed commands with domain names (style: ``premises.kit.commands``).

A template's items are ``work_order.commands.FormItem`` lines without a value: the same types and
the same checks as a work order's lines (``work_order.form_items``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from premises.kit.commands import UNSET, Unset
from premises.work_order.commands import FormItem


@dataclass(frozen=True, slots=True)
class FormTemplateCreate:
    name: str | None
    description: str | None = None
    form_items: Sequence[FormItem] | None = None


@dataclass(frozen=True, slots=True)
class FormTemplateChanges:
    name: str | Unset | None = UNSET
    description: str | Unset | None = UNSET
    form_items: Sequence[FormItem] | Unset | None = UNSET  # replaces the items; None: none
