"""``quote``: the engine's entry point."""

from promotions.engine.assemble import assemble
from promotions.engine.choice import BestChoice
from promotions.engine.explicit import check_all_used, explicit_selection
from promotions.engine.hints import hints
from promotions.engine.model import QuoteRequest, QuoteResult
from promotions.engine.pricing import prepare, price


def quote(request: QuoteRequest) -> QuoteResult:
    """Price ``request``; raises QuoteInputError (UnusableCouponError) if an explicitly chosen coupon cannot be used."""
    cart = prepare(request)
    proven = True
    if request.coupon_choice == "best":
        search = BestChoice(cart)
        priced = price(cart, search.select())
        proven = search.proven
    else:
        selection = explicit_selection(cart, request.coupon_choice)
        priced = price(cart, selection)
        check_all_used(cart, request.coupon_choice, selection, priced)
    return assemble(cart, priced, hints(cart, priced), proven)
