"""Interval queries by offset, so no pass compares every statement with every other one.

Extraction asks the same few questions of many spans: does anything already attributed
overlap this sentence, which speaker turn holds this cue, which relay's content holds this
statement. Answered by scanning a list, each question costs O(n) and the pass O(n²) (or
O(n³) when the scan itself nests); answered with sorted starts, a running maximum of ends
and `bisect`, each costs O(log n), so extraction stays linear in the text's length.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate


class Coverage:
    """Half-open spans `[a, b)`; answers "does any span overlap `[start, end)`?" in O(log n).

    Spans sorted by start with the running maximum of their ends: the spans starting before
    `end` are a prefix, and one of them reaches past `start` exactly when that prefix's
    maximum end does.
    """

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._reach = list(accumulate((b for _, b in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self._starts, end)
        return k > 0 and self._reach[k - 1] > start


class FirstContaining:
    """Over intervals kept in a meaningful order (by start), the first one, in that order,
    with `start <= point < end`; its index, or None.

    The intervals starting at or before `point` are a prefix; the first of them whose end
    passes `point` is where the running maximum of ends first passes it (every interval
    before has a smaller end, and the maximum only grows where an interval sets it).
    """

    def __init__(self, intervals: Sequence[tuple[int, int]]) -> None:
        self._starts = [a for a, _ in intervals]
        if any(x > y for x, y in zip(self._starts, self._starts[1:], strict=False)):
            raise ValueError("intervals must be sorted by start")
        self._reach = list(accumulate((b for _, b in intervals), max))

    def find(self, point: int) -> int | None:
        k = bisect_right(self._starts, point)
        i = bisect_right(self._reach, point)
        return i if i < k else None


def first_holder(holders: Sequence[tuple[int, int]], points: Sequence[int]) -> list[int | None]:
    """For each point, the lowest-numbered holder `[a, b]` (closed) that contains it.

    Holders may nest and overlap in any order, so a prefix maximum will not do: sweep the
    points in ascending order, push holders as their start is reached, and drop from the
    top of a heap (keyed by holder number) those that ended before the current point, which
    are dead for every later point too. O((holders + points) log holders).
    """
    by_start = sorted(range(len(holders)), key=lambda h: holders[h][0])
    heap: list[tuple[int, int]] = []  # (holder number, end)
    result: list[int | None] = [None] * len(points)
    next_holder = 0
    for p in sorted(range(len(points)), key=points.__getitem__):
        point = points[p]
        while next_holder < len(by_start) and holders[by_start[next_holder]][0] <= point:
            h = by_start[next_holder]
            heapq.heappush(heap, (h, holders[h][1]))
            next_holder += 1
        # Holders that ended before this point are dead for every later point too; a live one
        # lower in the heap stays until it surfaces.
        while heap and heap[0][1] < point:
            heapq.heappop(heap)
        if heap:
            result[p] = heap[0][0]
    return result
