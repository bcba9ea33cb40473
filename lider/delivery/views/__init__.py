"""Back-office pages of delivery, one module per object: the calendar, sessions, attendance,
tasks."""
