from django.db import migrations


def number_tables_per_plan(apps, schema_editor):
    """A plan's budget tables were numbered in their file's list (the seed's budget.yaml
    holds three plans'); they are numbered per plan now, as a workbook gives them
    (imports.services.Writer.per_plan). The order within a plan stays."""
    BudgetTable = apps.get_model("budget", "BudgetTable")
    plan, n = None, 0
    for table in BudgetTable.objects.order_by("plan_id", "position", "pk"):
        n = n + 1 if table.plan_id == plan else 0
        plan = table.plan_id
        if table.position != n:
            BudgetTable.objects.filter(pk=table.pk).update(position=n)


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0002_number_field"),
    ]

    operations = [
        migrations.RunPython(number_tables_per_plan, migrations.RunPython.noop),
    ]
