"""Largest-remainder allocation of an amount of cents over weighted lines."""

from collections.abc import Sequence


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` cents in proportion to ``weights`` so that the shares add up to ``amount`` exactly.

    Exact shares are rounded down to a cent; the cents left over go one each to the largest remainders, earlier
    position first on a tie. Weight 0 gets nothing; if every weight is 0 nothing is allocated (all shares 0).
    """
    total = sum(weights)
    if amount <= 0 or total <= 0:
        return [0] * len(weights)
    shares = []
    remainders = []
    for weight in weights:
        share, remainder = divmod(amount * weight, total)
        shares.append(share)
        remainders.append(remainder)
    left_over = amount - sum(shares)
    if left_over:
        # Remainders share the denominator ``total``, so comparing numerators compares the exact fractions.
        by_remainder = sorted(range(len(weights)), key=lambda position: (-remainders[position], position))
        for position in by_remainder[:left_over]:
            shares[position] += 1
    return shares


def allocate_capped(amount: int, weights: Sequence[int], owed: Sequence[int]) -> list[int]:
    """Allocate by ``weights``, then cut each share to what its line still owes; the excess is not moved."""
    return [min(share, still_owed) for share, still_owed in zip(allocate(amount, weights), owed, strict=True)]
