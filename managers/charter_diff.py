"""Compares two charter versions item by item: what was added, removed, changed or moved.

Items are matched across versions by what identifies them to a reader: a focus area by its title, a
deprioritized activity by its activity, a metric by its key (it keeps it across versions, even renamed),
a support item by its kind and name.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from managers.models import CharterVersion
from managers.services.charters import ITEM_FIELDS

SECTIONS = {
    "focus_areas": (_("Focus areas"), lambda item: item.title.strip().casefold()),
    "deprioritized": (_("Deprioritized"), lambda item: item.activity.strip().casefold()),
    "metrics": (_("Success metrics"), lambda item: item.key),
    "support_items": (_("Support"), lambda item: (item.kind, item.name.strip().casefold())),
}
ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"


@dataclass
class ItemChange:
    state: str
    old: object | None
    new: object | None
    changed_fields: list[str] = field(default_factory=list)
    moved: bool = False

    @property
    def item(self):
        return self.new if self.new is not None else self.old


@dataclass
class SectionDiff:
    name: str
    label: str
    changes: list[ItemChange]

    @property
    def has_changes(self) -> bool:
        return any(change.state != UNCHANGED or change.moved for change in self.changes)


@dataclass
class CharterDiff:
    old: CharterVersion
    new: CharterVersion
    purpose_changed: bool
    sections: list[SectionDiff]

    @property
    def has_changes(self) -> bool:
        return self.purpose_changed or any(section.has_changes for section in self.sections)


def _compared_fields(section: str) -> list[str]:
    return [name for name in ITEM_FIELDS[section] if name != "key"]


def _section_diff(section: str, old_items: list, new_items: list) -> SectionDiff:
    label, identity = SECTIONS[section]
    old_by_identity = {identity(item): (index, item) for index, item in enumerate(old_items)}
    changes, seen = [], set()
    for index, item in enumerate(new_items):
        key = identity(item)
        if key not in old_by_identity:
            changes.append(ItemChange(ADDED, None, item))
            continue
        seen.add(key)
        old_index, old_item = old_by_identity[key]
        changed = [
            str(item._meta.get_field(name).verbose_name)
            for name in _compared_fields(section)
            if getattr(old_item, name) != getattr(item, name)
        ]
        changes.append(ItemChange(CHANGED if changed else UNCHANGED, old_item, item, changed, old_index != index))
    changes.extend(ItemChange(REMOVED, item, None) for key, (_i, item) in old_by_identity.items() if key not in seen)
    return SectionDiff(section, str(label), changes)


def compare_versions(old: CharterVersion, new: CharterVersion) -> CharterDiff:
    """Expects both versions with their items prefetched (selectors.version_with_items)."""
    sections = [
        _section_diff(section, list(getattr(old, section).all()), list(getattr(new, section).all()))
        for section in SECTIONS
    ]
    return CharterDiff(old, new, old.purpose.strip() != new.purpose.strip(), sections)
