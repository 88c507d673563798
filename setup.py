"""The one thing pyproject.toml cannot declare yet (outside an experimental
table): the optional C extension that walks the trees (src/winnow/_forest.c).

Optional: where it does not compile (no C compiler, no Python headers), the
install goes on without it and winnow walks the trees in numpy, with the same
results.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("winnow._forest", ["src/winnow/_forest.c"], optional=True)])
