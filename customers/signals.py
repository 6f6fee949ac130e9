"""What customers announces (messaging listens and notifies the shopper; see its receivers).

``targeted_coupon_issued(sender=TargetedCampaign, campaign, shopper_ids, coupon_ids)``: a targeted campaign put
its coupon in these shoppers' wallets; sent after the issuing transaction commits, once per batch.
``store_followed(sender=StoreFollow, store, shopper)``: a shopper started following a store.
"""

from django.dispatch import Signal

targeted_coupon_issued = Signal()
store_followed = Signal()
