"""The one error the engine raises for bad input: it says what is wrong and where."""


class QuoteInputError(ValueError):
    """Invalid scenario: ``message`` reads like ``lines[2].quantity: must be >= 1``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnusableCouponError(QuoteInputError):
    """An explicitly chosen coupon cannot be used with this cart (unknown, expired, threshold not met...)."""

    def __init__(self, position: int, coupon_id: str, reason: str):
        super().__init__(f'coupon_choice[{position}]: coupon "{coupon_id}" {reason}')
        self.coupon_id = coupon_id
        self.reason = reason
