"""What logistics announces (messaging listens). Sent after the transaction commits.

``parcel_shipped(sender=SubOrder, suborder)``, ``parcel_delivered(sender=SubOrder, suborder)``,
``late_shipment_compensated(sender=LateShipment, late_shipment)``.
"""

from django.dispatch import Signal

parcel_shipped = Signal()
parcel_delivered = Signal()
late_shipment_compensated = Signal()
