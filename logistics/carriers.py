"""The carriers a parcel can be shipped with (pure). Codes are stored; names are shown in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str  # lazily translated
    aliases: tuple[str, ...] = ()


CARRIERS: tuple[Carrier, ...] = (
    Carrier("SF", _("SF Express"), ("顺丰", "顺丰速运", "SF Express", "sf-express")),
    Carrier("ZTO", _("ZTO Express"), ("中通", "中通快递", "ZTO Express")),
    Carrier("YTO", _("YTO Express"), ("圆通", "圆通速递", "YTO Express")),
    Carrier("YUNDA", _("Yunda Express"), ("韵达", "韵达快递", "Yunda Express")),
    Carrier("STO", _("STO Express"), ("申通", "申通快递", "STO Express")),
    Carrier("JD", _("JD Logistics"), ("京东", "京东物流", "JD Logistics")),
    Carrier("EMS", _("China Post EMS"), ("中国邮政", "邮政EMS", "China Post EMS")),
    Carrier("CAINIAO", _("Cainiao Station"), ("菜鸟", "菜鸟驿站", "Cainiao Station")),
    Carrier("DBL", _("Deppon Express"), ("德邦", "德邦快递", "Deppon Express")),
)
BY_CODE = {carrier.code: carrier for carrier in CARRIERS}
_LOOKUP = {key.casefold(): carrier for carrier in CARRIERS for key in (carrier.code, *carrier.aliases)}


def find(text: str) -> Carrier | None:
    """A carrier by code, English name or Chinese name (or a name followed by its translation, "顺丰速运 SF
    Express"); None when it is not on the list."""
    text = (text or "").strip().casefold()
    found = _LOOKUP.get(text)
    if found is None and " " in text:
        found = _LOOKUP.get(text.split()[0])
    return found


def name_of(code: str) -> str:
    carrier = BY_CODE.get(code)
    return str(carrier.name) if carrier else code


def choices() -> list[tuple[str, str]]:
    return [(carrier.code, str(carrier.name)) for carrier in CARRIERS]
