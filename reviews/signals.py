"""What reviews announces to the apps to its right.

``review_replied(sender=Review, review)``: the store replied to a shopper's review (once per review; sent after
the reply is committed). Messaging tells the reviewer.
"""

from django.dispatch import Signal

review_replied = Signal()
