from django.db import migrations


def number_per_plan(apps, schema_editor):
    """A plan's risk analysis and internal-control areas were numbered in their file's list
    (the seed's risks.yaml holds several plans'); they are numbered per plan now, as a
    workbook gives them (imports.services.Writer.per_plan). The order within a plan stays."""
    for name in ("RiskAnalysis", "InternalControlArea"):
        model = apps.get_model("risks", name)
        plan, n = None, 0
        for row in model.objects.order_by("plan_id", "position", "pk"):
            n = n + 1 if row.plan_id == plan else 0
            plan = row.plan_id
            if row.position != n:
                model.objects.filter(pk=row.pk).update(position=n)


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(number_per_plan, migrations.RunPython.noop),
    ]
