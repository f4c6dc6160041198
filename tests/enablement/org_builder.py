"""Builds a deep org quickly (one bulk insert per level) for the selector and page query-count tests."""

from enablement.models import Person


def level_sizes(total: int, levels: int = 5) -> list[int]:
    """1 at the top, then each level about five times the one above, the rest at the bottom."""
    sizes = [1]
    for _ in range(levels - 2):
        sizes.append(min(max(2, sizes[-1] * 5), max(1, (total - sum(sizes)) // 3)))
    sizes.append(total - sum(sizes))
    assert all(size > 0 for size in sizes) and sum(sizes) == total
    return sizes


def build_org(total: int, levels: int = 5, prefix: str = "ORG") -> list[list[Person]]:
    """Returns the people level by level; everyone on a level reports round-robin to the level above."""
    tiers: list[list[Person]] = []
    number = 0
    for depth, size in enumerate(level_sizes(total, levels)):
        above = tiers[-1] if tiers else []
        people = []
        for index in range(size):
            number += 1
            people.append(
                Person(
                    external_id=f"{prefix}-{number}",
                    first_name=f"First{number}",
                    last_name=f"Last{number}",
                    email=f"{prefix.lower()}{number}@example.com",
                    title=f"Level {depth}",
                    manager=above[index % len(above)] if above else None,
                )
            )
        tiers.append(Person.objects.bulk_create(people))
    return tiers
