"""The exact best choice of coupons (``coupon_choice: "best"``).

Objective: the least payable, then the least cost (``costs``: sum of off, count, ids), compared lexicographically.

Why the search can work on aggregates:
- lane 3 shares are fixed by base amounts and only cut per line, so lanes 2-3 of a store depend on that store's
  coupon alone: each store's candidate (none, or a store coupon whose threshold is met and that takes something)
  yields fixed owed amounts for its lines;
- with platform coupon p (or none) the rest depends only on N (owed on lines p does not cover) and E (owed on lines
  it covers): p applies iff E >= threshold, and then the owed total is ``N + E - min(off, E) = max(N, N + E - off)``;
- red packets then take ``min(sum of offs, owed)`` (``costs.RedPacketTable``).

For each platform coupon (and none), in the order of a quick lower bound, a dynamic programme over the stores keeps
states (N, E) with their cheapest cost and selection, and drops a state when another dominates it (``dominance``)
or when a lower bound of what any completion achieves is no better than the best selection found so far. Both only
drop states that cannot beat a kept one, so the result is the exact optimum. Quick greedy selections seed the
bounds; the widest stores go first; when even the best conceivable selection leaves something to pay, owing less
beats any cost, which keeps one state per E at most.

The problem contains subset-sum (pick store coupons so the covered lines still owe just enough for a platform
coupon's threshold), so no exact method is fast on every input. The search is: realistic carts take a few hundred
states. ``STATE_BUDGET`` caps the work for contrived carts; past it the best selection found is used and
``proven`` is False (``QuoteResult.best_choice_proven``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from promotions.engine import lanes
from promotions.engine.cents import to_cents
from promotions.engine.costs import RedPacketTable, TieBreakCosts
from promotions.engine.dominance import undominated_options, undominated_states
from promotions.engine.lanes import StoreSetup
from promotions.engine.model import PlatformCoupon, RedPacket, StoreCoupon
from promotions.engine.pricing import PreparedCart, Selection


@dataclass(frozen=True)
class StoreOption:
    coupon: StoreCoupon | None
    owed: tuple[int, ...]  # per line of the store, after lane 3
    total: int
    cost: int


@dataclass
class PlatformCase:
    """The search with one platform coupon (or none); amounts are (N, E) as in the module docstring."""

    coupon: PlatformCoupon | None
    threshold: int
    off: int
    cost: int
    fixed_n: int
    fixed_e: int
    groups: list[list[tuple[int, int, int, StoreCoupon | None]]]  # (n, e, cost, coupon) per store with a choice
    min_n_after: list[int]
    min_t_after: list[int]
    max_e_after: list[int]
    none_n_after: list[int]  # what the remaining stores owe without coupons, outside the platform coupon
    none_t_after: list[int]  # ... and in all


UNBOUNDED = (math.inf, math.inf)
# States the search may expand per quote (about 1 s of work). The 100-line bench carts need under 2,000; only
# contrived carts (20 stores of odd-cent coupons with platform thresholds and red packets tuned into a subset-sum)
# come near it. Past it the search stops with the best selection found so far and says so (``proven`` is False).
STATE_BUDGET = 100_000
DEFAULT_BUDGET = object()  # STATE_BUDGET, read when the search starts


class BestChoice:
    """The search. ``seed_with_heuristics`` (default on) starts the bounds from quick greedy selections: it only
    saves time, so tests turn it off to check that the search alone is exact. ``state_budget`` (None: no limit)
    bounds the work; ``proven`` tells whether the selection is the proven optimum."""

    def __init__(self, cart: PreparedCart, seed_with_heuristics: bool = True, state_budget: object = DEFAULT_BUDGET):
        self.seed_with_heuristics = seed_with_heuristics
        budget = STATE_BUDGET if state_budget is DEFAULT_BUDGET else state_budget
        self.states_left = math.inf if budget is None else budget
        coupons = [coupon for coupon in cart.coupons if coupon.off > 0]
        self.costs = TieBreakCosts(coupons)
        self.cart = cart
        by_store: dict[str, list[StoreCoupon]] = {}
        for coupon in coupons:
            if isinstance(coupon, StoreCoupon):
                by_store.setdefault(coupon.store, []).append(coupon)
        self.stores = [
            (setup, self._store_options(setup, by_store.get(setup.store.id, [])))
            for setup in cart.setups
            if setup.line_indexes
        ]
        self.uncovered = [undominated_options(split_owed(options, []), 0) for _, options in self.stores]
        self.least_total = sum(min(option.total for option in options) for _, options in self.stores)
        self.owed_without_coupons = [0] * len(cart.lines)
        for setup, options in self.stores:
            for index, owed in zip(setup.line_indexes, options[0].owed, strict=True):
                self.owed_without_coupons[index] = owed
        self.eligible = {
            coupon.id: [lanes.platform_eligible(coupon, cart_line) for cart_line in cart.lines]
            for coupon in coupons
            if isinstance(coupon, PlatformCoupon)
        }
        self.platforms = [
            coupon for coupon in coupons if isinstance(coupon, PlatformCoupon) and any(self.eligible[coupon.id])
        ]
        self.red = RedPacketTable([coupon for coupon in coupons if isinstance(coupon, RedPacket)], self.costs)
        self.stopped = False  # the state budget ran out
        largest_off = max((to_cents(coupon.off) for coupon in self.platforms), default=0)
        # When even the best conceivable selection leaves something to pay, paying less always wins over cost.
        self.always_payable = max(0, self.least_total - largest_off) > self.red.total
        self.best: tuple = UNBOUNDED  # objective of the best selection so far: (payable, cost)
        self.best_choice: tuple[PlatformCase, object, int] | None = None  # (case, trail, owed after lane 4)

    @property
    def proven(self) -> bool:
        """Whether the selection is the proven optimum (the search ran to the end on complete red-packet sums)."""
        return self.red.complete and not self.stopped

    def _store_options(self, setup: StoreSetup, coupons: Sequence[StoreCoupon]) -> list[StoreOption]:
        """No coupon, and each store coupon whose threshold is met and that takes something."""
        owed = tuple(lanes.run_store(setup, None).owed)
        options = [StoreOption(None, owed, sum(owed), 0)]
        for coupon in coupons:
            if setup.coupon_applies(coupon):
                run = lanes.run_store(setup, coupon)
                if sum(run.coupon_shares) > 0:
                    options.append(StoreOption(coupon, tuple(run.owed), sum(run.owed), self.costs[coupon]))
        return options

    def select(self) -> Selection:
        self._solve(self._case(None))
        quick_bounds = [(self._quick_bound(coupon), position) for position, coupon in enumerate(self.platforms)]
        for bound, position in sorted(item for item in quick_bounds if item[0] is not None):
            if bound >= self.best:
                break  # sorted: no other platform coupon can do better either
            self._solve(self._case(self.platforms[position]))
        if self.best_choice is None:  # only when stopped before any selection was complete
            none_case = self._case(None)
            self._consider(none_case, least_owed(none_case.groups))
        case, trail, owed = self.best_choice
        store_coupons = {}
        while trail is not None:
            trail, coupon = trail
            store_coupons[coupon.store] = coupon
        red_packets = self.red.packets if owed > self.red.total else self.red.chosen(self.red.cheapest(owed)[1])
        return Selection(store_coupons, case.coupon, red_packets)

    def _case(self, coupon: PlatformCoupon | None) -> PlatformCase:
        threshold = to_cents(coupon.threshold) if coupon else 0
        eligible = self.eligible[coupon.id] if coupon else None
        fixed_n = fixed_e = 0
        groups = []
        for position, (setup, options) in enumerate(self.stores):
            covered = [eligible[index] for index in setup.line_indexes] if eligible else []
            # A store the coupon does not cover has the same options for every such coupon: computed once.
            group = (
                undominated_options(split_owed(options, covered), threshold)
                if any(covered)
                else self.uncovered[position]
            )
            if len(group) == 1:
                fixed_n += group[0][0]
                fixed_e += group[0][1]
            else:
                groups.append(group)
        # Widest stores first: the amounts the remaining stores can still reach narrow down soonest.
        groups.sort(key=lambda group: min(n + e for n, e, _, _ in group) - max(n + e for n, e, _, _ in group))
        min_n_after, min_t_after, max_e_after, none_n_after, none_t_after = [0], [0], [0], [0], [0]
        for group in reversed(groups):
            min_n_after.append(min_n_after[-1] + min(n for n, _, _, _ in group))
            min_t_after.append(min_t_after[-1] + min(n + e for n, e, _, _ in group))
            max_e_after.append(max_e_after[-1] + max(e for _, e, _, _ in group))
            none_n_after.append(none_n_after[-1] + group[0][0])  # the first option is the cheapest: no coupon
            none_t_after.append(none_t_after[-1] + group[0][0] + group[0][1])
        return PlatformCase(
            coupon=coupon,
            threshold=threshold,
            off=to_cents(coupon.off) if coupon else 0,
            cost=self.costs[coupon] if coupon else 0,
            fixed_n=fixed_n,
            fixed_e=fixed_e,
            groups=groups,
            min_n_after=min_n_after[::-1],
            min_t_after=min_t_after[::-1],
            max_e_after=max_e_after[::-1],
            none_n_after=none_n_after[::-1],
            none_t_after=none_t_after[::-1],
        )

    def _quick_bound(self, coupon: PlatformCoupon) -> tuple[int, int] | None:
        """A lower bound of the objective with ``coupon``, before building its case (None: it can never apply).

        The owed total is at least the stores' smallest totals minus ``off``; the eligible owed is at most what the
        covered lines owe without store coupons (a coupon never raises what a line owes).
        """
        eligible = self.eligible[coupon.id]
        most_eligible = sum(owed for owed, covered in zip(self.owed_without_coupons, eligible, strict=True) if covered)
        if most_eligible < to_cents(coupon.threshold):
            return None
        owed = max(0, self.least_total - to_cents(coupon.off))
        return max(0, owed - self.red.total), self.costs[coupon] + self.red.cheapest(owed)[0]

    def _solve(self, case: PlatformCase) -> None:
        if self.seed_with_heuristics or self.stopped:
            self._consider(case, least_owed(case.groups))
            if case.coupon is not None:
                self._consider(case, fill_down_to_threshold(case))
        root = self._bound(case, case.fixed_n, case.fixed_e, 0, 0)
        if root is not None and root < self.best and not self.stopped:
            self._search(case)

    def _owed_after_platform(self, case: PlatformCase, n: int, t: int) -> int:
        return t if case.coupon is None else max(n, t - case.off)

    def _bound(self, case: PlatformCase, n: int, e: int, cost: int, level: int) -> tuple[int, int] | None:
        """Lower bound of the objective of any completion of a state after ``level`` groups (exact at the end).

        A completion owes at least the remaining stores' smallest amounts; with a platform coupon it also needs
        ``E >= threshold``, so its total is at least ``N + threshold``. When it might pay nothing, every cent still
        owed without further store coupons must be met by some coupon: a store coupon saves at most its off and a red
        packet covers at most its off, and each costs at least ``per_cent`` for every cent of its off.
        """
        if e + case.max_e_after[level] < case.threshold:
            return None
        least_n = n + case.min_n_after[level]
        least_t = max(n + e + case.min_t_after[level], least_n + case.threshold)
        owed = self._owed_after_platform(case, least_n, least_t)
        payable = max(0, owed - self.red.total)
        still_to_cover = self.red.cheapest(owed)[0]
        if payable == 0 and level < len(case.groups):
            owed_without_more = self._owed_after_platform(
                case, n + case.none_n_after[level], n + e + case.none_t_after[level]
            )
            still_to_cover = max(still_to_cover, owed_without_more * self.costs.per_cent)
        return payable, cost + case.cost + still_to_cover

    def _consider(self, case: PlatformCase, chosen: list[tuple] | None) -> None:
        """Offer a complete selection (one option per group) as the best so far."""
        if chosen is None:
            return
        n, e, cost, trail = case.fixed_n, case.fixed_e, 0, None
        for option_n, option_e, option_cost, coupon in chosen:
            n, e, cost = n + option_n, e + option_e, cost + option_cost
            trail = (trail, coupon) if coupon else trail
        self._offer(case, self._bound(case, n, e, cost, len(case.groups)), trail, n, e)

    def _offer(self, case: PlatformCase, objective, trail, n: int, e: int) -> None:
        if objective is not None and objective < self.best:
            self.best = objective
            self.best_choice = (case, trail, self._owed_after_platform(case, n, n + e))

    def _search(self, case: PlatformCase) -> None:
        states = {(case.fixed_n, case.fixed_e): (0, None)}
        for level, group in enumerate(case.groups, start=1):
            following: dict[tuple[int, int], tuple[int, object]] = {}
            for (n, e), (cost, trail) in states.items():
                for option_n, option_e, option_cost, coupon in group:
                    key = (n + option_n, e + option_e)
                    total = cost + option_cost
                    known = following.get(key)
                    if known is None or total < known[0]:
                        following[key] = (total, (trail, coupon) if coupon else trail)
            self.states_left -= len(following)
            if self.states_left < 0:
                self.stopped = True
                return
            promising = {}
            for (n, e), (cost, trail) in following.items():
                bound = self._bound(case, n, e, cost, level)
                if bound is not None and bound < self.best:
                    promising[(n, e)] = (cost, trail)
            states = undominated_states(promising, case.threshold, self.always_payable)
            if not states:
                return
        for (n, e), (cost, trail) in states.items():
            self._offer(case, self._bound(case, n, e, cost, len(case.groups)), trail, n, e)


def least_owed(groups: list[list[tuple]]) -> list[tuple]:
    """Each store's option owing least (cheapest on a tie): the best selection when thresholds do not bind."""
    return [min(group, key=lambda option: (option[0] + option[1], option[2])) for group in groups]


def fill_down_to_threshold(case: PlatformCase) -> list[tuple] | None:
    """Knapsack-style: from no store coupons, take the biggest savings first while the threshold stays met."""
    chosen = [group[0] for group in case.groups]  # the cheapest option: no coupon
    eligible_owed = case.fixed_e + sum(option[1] for option in chosen)
    if eligible_owed < case.threshold:
        return None
    for position in sorted(range(len(chosen)), key=lambda position: -saving(case.groups[position])):
        current = chosen[position]
        for option in sorted(case.groups[position], key=lambda option: (option[0] + option[1], option[2])):
            if eligible_owed - current[1] + option[1] >= case.threshold:
                eligible_owed += option[1] - current[1]
                chosen[position] = option
                break
    return chosen


def saving(group: list[tuple]) -> int:
    """How much less a store owes with its best option than with no coupon (its first, cheapest option)."""
    best = least_owed([group])[0]
    return group[0][0] + group[0][1] - best[0] - best[1]


def split_owed(options: Sequence[StoreOption], covered: list[bool]) -> list[tuple]:
    """Each option as (n, e, cost, coupon): owed on the store's lines the platform coupon does not / does cover."""
    if not any(covered):
        return [(option.total, 0, option.cost, option.coupon) for option in options]
    if all(covered):
        return [(0, option.total, option.cost, option.coupon) for option in options]
    split = []
    for option in options:
        e = sum(owed for owed, is_covered in zip(option.owed, covered, strict=True) if is_covered)
        split.append((option.total - e, e, option.cost, option.coupon))
    return split


def best_selection(cart: PreparedCart, seed_with_heuristics: bool = True) -> Selection:
    """The proven best selection (no state budget)."""
    return BestChoice(cart, seed_with_heuristics, state_budget=None).select()
