"""Tasks of the jobs app itself: ``ping`` proves a worker picks jobs up (``kawaltps jobs --ping``)."""

from .services import Progress, job_task


@job_task("jobs.ping")
def ping(progress: Progress, steps: int = 3) -> dict:
    """Advance ``steps`` times and answer; a job that stays queued means no worker is listening."""
    progress.total(steps)
    for _ in range(steps):
        progress.advance()
    return {"pong": steps}
