"""Background tasks (django.tasks: the database backend in production, immediate in tests)."""

from django.tasks import task


@task()
def generate_pack_task(pack_id: int) -> str:
    """Generate one data pack version (core20.datapacks.generation); returns its status."""
    from core20.datapacks.generation import execute_generation

    return execute_generation(pack_id).status
