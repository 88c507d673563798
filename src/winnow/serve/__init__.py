"""winnow as an HTTP service (``winnow serve``; needs the ``serve`` extra).

- ``app.py``      the ASGI app: routes, time budget, JSON errors
- ``intake.py``   request -> Order (media types, JSON body, options, format)
- ``pool.py``     extraction worker processes; a stuck one is killed and replaced
- ``worker.py``   the worker process: job in, rendered Document out
- ``fetch.py``    ``--allow-fetch``: fetching that refuses non-public addresses
- ``metrics.py``  ``/metrics`` in the Prometheus text format
- ``openapi.py``  ``/openapi.json``
- ``protocol.py`` uvicorn's HTTP protocol with a deadline for the headers
- ``command.py``  the ``winnow serve`` flags (standard library only)

``create_app`` is importable from ``winnow.serve.app`` for running under any
ASGI server.
"""
