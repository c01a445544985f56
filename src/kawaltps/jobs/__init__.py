"""Background jobs: long work (bulk imports, mandate PDFs, analytics) runs outside the request.

The queue is Celery. With ``KAWALTPS_BROKER_URL`` set (``redis://…`` or ``amqp://…``) tasks go to
the broker and ``kawaltps worker`` processes run them, on as many machines as needed. Without it
(the laptop default on SQLite) tasks run in-process at enqueue time (Celery's eager mode), so one
command still runs everything. Either way the caller gets a :class:`~kawaltps.jobs.models.Job` row
whose status and progress any web process can read.
"""
