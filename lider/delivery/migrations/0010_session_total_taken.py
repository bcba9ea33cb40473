"""Keep each session's places taken beside the size of its list (SessionTotal.taken), and fill
it for the totals already kept (lider.delivery.queries.places_taken, counted for every session
at once: the enrolments of each group and the bookings of each session grouped once, in three
statements). A session without a kept total (a bulk load) has its places counted when read.
Reversing it drops the column."""

from django.db import migrations, models

# The statuses as they stood at this migration (Enrolment.TAKES_PLACE, SessionBooking BOOKED).
TAKES_PLACE = ("qualified", "participating", "completed")
BOOKED = "booked"


def fill_places_taken(apps, schema_editor):
    """Set the places taken of each kept total: the enrolments holding a place in the
    session's group, or, for a session of no group, its bookings; nought where none."""
    tables = {
        name: schema_editor.quote_name(apps.get_model("delivery", model)._meta.db_table)
        for name, model in (
            ("session", "Session"),
            ("booking", "SessionBooking"),
            ("enrolment", "Enrolment"),
            ("total", "SessionTotal"),
        )
    }
    places = ", ".join(["%s"] * len(TAKES_PLACE))
    schema_editor.execute(f"UPDATE {tables['total']} SET taken = 0")
    schema_editor.execute(
        f"""
        UPDATE {tables["total"]} SET taken = taking.n
        FROM {tables["session"]} s
        JOIN (
            SELECT e.group_id, COUNT(*) AS n FROM {tables["enrolment"]} e
            WHERE e.status IN ({places}) GROUP BY e.group_id
        ) taking ON taking.group_id = s.group_id
        WHERE s.id = {tables["total"]}.session_id
        """,
        list(TAKES_PLACE),
    )
    schema_editor.execute(
        f"""
        UPDATE {tables["total"]} SET taken = taking.n
        FROM {tables["session"]} s
        JOIN (
            SELECT b.session_id, COUNT(*) AS n FROM {tables["booking"]} b
            WHERE b.status = %s GROUP BY b.session_id
        ) taking ON taking.session_id = s.id
        WHERE s.id = {tables["total"]}.session_id AND s.group_id IS NULL
        """,
        [BOOKED],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0009_fill_session_totals"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessiontotal",
            name="taken",
            field=models.PositiveIntegerField(db_default=0, default=0),
        ),
        migrations.RunPython(fill_places_taken, migrations.RunPython.noop, elidable=True),
    ]
