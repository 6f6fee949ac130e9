"""What a selection of coupons costs for the best-choice tie-breaks, and the cheapest red packets for an owed total.

PRICING.md breaks ties on the total discount by (sum of ``off`` of the used coupons, their number, their ids). These
fold into one additive integer cost per coupon, ``off_cents x W + V - 2^(K-1-r)`` with K candidate coupons, r a
coupon's rank among their ids sorted as strings, ``V = 2^K`` and ``W = (K+1) x V``: off sums dominate, then the count
(each coupon adds between V/2 and V), then the id bits. For two sets of the same size, "the sorted id list is
lexicographically smaller" is the same as "the smallest id in only one of the sets is in the first", which is what a
larger sum of ``2^(K-1-r)`` says. So selections compare as (payable, sum of costs), and different selections never
tie.
"""

from bisect import bisect_left
from collections.abc import Sequence

from promotions.engine.cents import to_cents
from promotions.engine.model import CouponKind, RedPacket

# Distinct sums of red-packet offs the table keeps: every set of up to 16 red packets; past it (only with many
# red packets of scattered amounts) some sets are left out and the choice is no longer proven optimal.
RED_PACKET_SUMS = 1 << 16


class TieBreakCosts:
    def __init__(self, coupons: Sequence[CouponKind]):
        ranks = {coupon_id: rank for rank, coupon_id in enumerate(sorted(coupon.id for coupon in coupons))}
        count = len(ranks)
        per_coupon = 1 << count
        self.per_cent = (count + 1) * per_coupon  # every coupon costs at least this much per cent of its off
        self._costs = {
            coupon.id: to_cents(coupon.off) * self.per_cent + per_coupon - (1 << (count - 1 - ranks[coupon.id]))
            for coupon in coupons
        }

    def __getitem__(self, coupon: CouponKind) -> int:
        return self._costs[coupon.id]


class RedPacketTable:
    """For an owed total, the cheapest set of red packets taking as much of it as red packets can.

    In input order each red packet takes ``min(off, what is left)``, so a set takes ``min(sum of offs, owed)``: the
    cheapest useful set is all of them when they cannot cover the owed total, otherwise the cheapest set whose offs
    add up to at least the owed total (in it every packet takes something, or dropping one would be cheaper).
    """

    def __init__(self, packets: Sequence[RedPacket], costs: TieBreakCosts):
        self.packets = tuple(packets)
        self.total = sum(to_cents(packet.off) for packet in packets)
        self.complete = True  # False when some sets had to be left out (see RED_PACKET_SUMS)
        cheapest_by_sum = {0: (0, 0)}  # offs sum -> (cost, bit mask of the packets)
        for bit, packet in enumerate(packets):
            off, cost = to_cents(packet.off), costs[packet]
            for offs, (so_far, mask) in list(cheapest_by_sum.items()):
                known = cheapest_by_sum.get(offs + off)
                if known is None and len(cheapest_by_sum) >= RED_PACKET_SUMS:
                    self.complete = False
                elif known is None or so_far + cost < known[0]:
                    cheapest_by_sum[offs + off] = (so_far + cost, mask | 1 << bit)
        everything = (1 << len(packets)) - 1
        cheapest_by_sum[self.total] = (sum(costs[packet] for packet in packets), everything)
        self._sums = sorted(cheapest_by_sum)
        self._best_from: list[tuple[int, int]] = [cheapest_by_sum[offs] for offs in self._sums]
        for position in range(len(self._sums) - 2, -1, -1):
            self._best_from[position] = min(self._best_from[position], self._best_from[position + 1])

    def cheapest(self, owed: int) -> tuple[int, int]:
        """(cost, mask) of the cheapest useful set for ``owed``; the cost never decreases as ``owed`` grows."""
        return self._best_from[min(bisect_left(self._sums, owed), len(self._sums) - 1)]

    def chosen(self, mask: int) -> tuple[RedPacket, ...]:
        return tuple(packet for bit, packet in enumerate(self.packets) if mask >> bit & 1)
