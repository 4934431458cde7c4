"""Writers of the scheduling app, one module per job.

- ``dataset``: ``import_dataset`` (every CSV file, validated, then all or nothing);
- ``build``: ``build_roster`` (plan a week and write it);
- ``approval``: ``approve_rosters`` and ``reject_rosters``;
- ``queued``: week builds fanned out through Celery, and the e-mail to BKPSDM.

Commands, admin actions and Celery tasks all call these functions, so a roster
built from the command line is the one the worker would have built.
"""
