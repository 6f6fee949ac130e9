"""Live prices were named "Live price: <stream title>" in English when created; the name is now the title alone and
pages say "Live price: …" in the reader's language (StorePromotion.display_name)."""

from django.db import migrations

PREFIX = "Live price: "


def forwards(apps, schema_editor):
    StorePromotion = apps.get_model("promotions", "StorePromotion")
    for promotion in StorePromotion.objects.filter(live_stream_id__isnull=False, name__startswith=PREFIX):
        promotion.name = promotion.name[len(PREFIX) :] or promotion.name
        promotion.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("promotions", "0003_first_order_gift_scope")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
