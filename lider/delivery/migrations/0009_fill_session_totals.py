"""Keep a total for each session that existed before SessionTotal (0008): the size of its list
(lider.delivery.queries.on_list) counted for every session at once, in one INSERT … SELECT.
Reversing it leaves the rows (0008's reverse drops the table)."""

from django.db import migrations

# The statuses as they stood at this migration (Enrolment.TAKES_PLACE, SessionBooking BOOKED).
TAKES_PLACE = ("qualified", "participating", "completed")
DROPPED = "dropped"
BOOKED = "booked"


def fill_session_totals(apps, schema_editor):
    """Insert the total of each session without one: the distinct participants booked on it,
    marked on it, or enrolled in its group for its task and holding a place (or dropped only
    after the session's day)."""
    tables = {
        name: schema_editor.quote_name(apps.get_model("delivery", model)._meta.db_table)
        for name, model in (
            ("session", "Session"),
            ("booking", "SessionBooking"),
            ("mark", "Attendance"),
            ("enrolment", "Enrolment"),
            ("total", "SessionTotal"),
        )
    }
    places = ", ".join(["%s"] * len(TAKES_PLACE))
    sql = f"""
        INSERT INTO {tables["total"]} (session_id, listed)
        SELECT s.id, COUNT(DISTINCT listed.participant_id)
        FROM {tables["session"]} s
        LEFT JOIN (
            SELECT b.session_id, b.participant_id FROM {tables["booking"]} b
            WHERE b.status = %s
            UNION
            SELECT m.session_id, m.participant_id FROM {tables["mark"]} m
            UNION
            SELECT g.id, e.participant_id
            FROM {tables["session"]} g
            JOIN {tables["enrolment"]} e ON e.group_id = g.group_id AND e.task_id = g.task_id
            WHERE e.status IN ({places}) OR (e.status = %s AND e.dropped_on > g.date)
        ) listed ON listed.session_id = s.id
        WHERE NOT EXISTS (SELECT 1 FROM {tables["total"]} t WHERE t.session_id = s.id)
        GROUP BY s.id
    """
    schema_editor.execute(sql, [BOOKED, *TAKES_PLACE, DROPPED])


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0008_session_total"),
    ]

    operations = [
        migrations.RunPython(fill_session_totals, migrations.RunPython.noop, elidable=True),
    ]
