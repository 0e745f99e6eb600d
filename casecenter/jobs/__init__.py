"""Background work for the whole project: tasks, the periodic schedule, progress of long jobs.

Tasks are django-tasks ``@task`` functions in each app's ``tasks.py``, run by ``casecenter worker``
(the database backend by default; Redis with ``CASECENTER_TASKS_BACKEND=redis``). Several workers
may run on several machines.

The rules every task follows:

1. **A task takes ids, never model instances or querysets**: its arguments are JSON (they are
   stored in the queue) and the task reads the rows as they are when it runs.
2. **A task is idempotent: running it twice does nothing twice.** A worker may die after the work
   and before the result is saved, Redis may deliver a periodic job twice, an administrator may
   press a button twice. So a task checks what is already done (``progress_open`` answers None for
   a job that has finished; a rebuild upserts; an import skips rows it already has) and writes with
   compare-and-set, never "add one".
3. **Enqueue in the transaction of the change** that calls for the task: with the database backend
   the task row then commits or rolls back with it (a rolled-back change leaves no task behind).
   With Redis, enqueue in ``transaction.on_commit``.
4. **Long tasks report progress** (``casecenter.jobs.progress``) and commit their own batches,
   so that the owner's progress bar moves and a failure keeps what was done.
5. **Writes go through the owning app's services**, with their ledger events, as from a view; a
   task acts as the system (``actor=None``) unless it acts for the user who started it.

Periodic jobs: ``casecenter.jobs.schedule.periodic``.

May import: core, ledger, accounts. The apps above bring their tasks (``tasks.py``, found at start);
the ledger, below, cannot: its verification as a background job lives here (``verification.py``).
"""
