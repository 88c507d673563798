"""Batch runs: many inputs in, one row per record out, every record accounted for.

``winnow run`` (``command.py``) drives ``runner.run`` locally or
``ray_engine.run_ray`` on a Ray cluster. For use inside an existing Ray Data
pipeline see ``winnow.batch.ray_engine.extract_batch`` and docs/batch.md.
"""

from winnow.batch.runner import Report, RunConfig, run

__all__ = ["Report", "RunConfig", "run"]
