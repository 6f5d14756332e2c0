"""Where each state's tile sits on the national tile-grid map: (row, column), roughly
Mexico's geography.

Every tile has the same size, so no state dominates by area; the grid keeps
neighbours next to each other well enough to be found at a glance.
"""

from __future__ import annotations

TILE_POSITIONS: dict[str, tuple[int, int]] = {
    "02": (1, 1),
    "26": (1, 2),
    "08": (1, 3),
    "05": (1, 4),
    "19": (1, 5),
    "03": (2, 1),
    "25": (2, 2),
    "10": (2, 3),
    "32": (2, 4),
    "24": (2, 5),
    "28": (2, 6),
    "31": (2, 9),
    "18": (3, 2),
    "01": (3, 3),
    "11": (3, 4),
    "22": (3, 5),
    "13": (3, 6),
    "30": (3, 7),
    "04": (3, 8),
    "23": (3, 9),
    "14": (4, 2),
    "16": (4, 3),
    "15": (4, 4),
    "09": (4, 5),
    "29": (4, 6),
    "21": (4, 7),
    "27": (4, 8),
    "06": (5, 2),
    "12": (5, 4),
    "17": (5, 5),
    "20": (5, 7),
    "07": (5, 8),
}


def in_map_order(tiles: list[dict]) -> list[dict]:
    """The tiles as the map shows them, row by row from the top-left corner: the order keyboard
    and screen-reader users meet them (CSS places each tile; the DOM order is the tab order)."""
    return sorted(tiles, key=lambda tile: TILE_POSITIONS[tile["state"].code])
