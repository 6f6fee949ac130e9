"""Dropping search states that another state beats after any completion (see ``choice``).

A state is (n, e) -> (cost, ...): n is owed on lines the platform coupon does not cover, e on lines it covers. One
state dominates another when it costs less, owes no more in n and no more in all (n + e), and is at least as far
toward the platform coupon's threshold (more e, or the threshold already reached: later stores only add to e).
"""

import math
from bisect import bisect_right


class Staircase:
    """Points (n, total): the least total among points with at most a given n, in log time."""

    def __init__(self):
        self.n: list[int] = []  # ascending
        self.total: list[int] = []  # the least total among points with at most that n: strictly descending

    def least_total(self, n: int) -> float:
        position = bisect_right(self.n, n)
        return self.total[position - 1] if position else math.inf

    def add(self, n: int, total: int) -> None:
        position = bisect_right(self.n, n)
        if position and self.total[position - 1] <= total:
            return
        start = position - 1 if position and self.n[position - 1] == n else position
        end = position
        while end < len(self.n) and self.total[end] >= total:
            end += 1
        self.n[start:end] = [n]
        self.total[start:end] = [total]


def undominated_states(states: dict, threshold: int, always_payable: bool = False) -> dict:
    """The states no other state dominates, as far as quick tests can tell.

    Two cases are cheap to test: the same e (then less n is enough), and a dominator that has reached the threshold
    (then a staircase of (n, least n + e) answers in log time). Keeping a state that is in fact dominated is
    harmless; a state is only dropped when it is dominated. ``always_payable``: see ``owing_least``.
    """
    if always_payable:
        states = owing_least(states)
    if len(states) <= 1:
        return states
    least_n_by_e: dict[int, int] = {}  # per e, the least n of the cheaper states kept so far
    reached = Staircase()  # kept states that reached the threshold
    kept = {}
    for (n, e), value in sorted(states.items(), key=lambda item: item[1][0]):
        if least_n_by_e.get(e, n + 1) <= n or reached.least_total(n) <= n + e:
            continue
        kept[(n, e)] = value
        least_n_by_e[e] = n
        if e >= threshold:
            reached.add(n, n + e)
    return kept


def owing_least(states: dict) -> dict:
    """When every selection leaves something to pay, owing less wins whatever it costs.

    Then a state is dominated by one with the same e and less n (or as much n and less cost), and by one with more e
    and less n + e: that one has less n too (n = total - e), so after any completion it owes less both in n and in
    n + e, hence pays less. This keeps at most one state per e, and usually far fewer.
    """
    least_by_e: dict[int, tuple] = {}
    for (n, e), value in states.items():
        known = least_by_e.get(e)
        if known is None or (n, value[0]) < (known[0], known[1][0]):
            least_by_e[e] = (n, value)
    richer = Staircase()  # states with more e, seen first
    kept = {}
    for e in sorted(least_by_e, reverse=True):
        n, value = least_by_e[e]
        if richer.least_total(n) < n + e:
            continue
        kept[(n, e)] = value
        richer.add(n, n + e)
    return kept


def undominated_options(group: list[tuple], threshold: int) -> list[tuple]:
    """One store's options (n, e, cost, coupon) that no cheaper option dominates; cheapest (no coupon) first."""
    ordered = sorted(group, key=lambda option: option[2])
    cheapest: dict[tuple[int, int], tuple[int, int]] = {}
    for index, (n, e, cost, _) in enumerate(ordered):
        cheapest.setdefault((n, e), (cost, index))
    return [ordered[index] for _, index in sorted(undominated_states(cheapest, threshold).values())]
