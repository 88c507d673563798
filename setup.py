"""The one thing pyproject.toml cannot declare yet (outside an experimental
table): the optional C extensions, winnow._forest (src/winnow/_forest.c) that
walks the trees, winnow._langid (src/winnow/_langid.c) that walks py3langid's
byte automaton, winnow._segment (src/winnow/_segment.c) that walks the parsed
page into blocks, and winnow._textstats (src/winnow/_textstats.c) that counts
the text statistics of the block features.

Optional: where they do not compile (no C compiler, no Python headers), the
install goes on without them and winnow walks in numpy and Python, with the
same results.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("winnow._forest", ["src/winnow/_forest.c"], optional=True),
        Extension("winnow._langid", ["src/winnow/_langid.c"], optional=True),
        Extension("winnow._textstats", ["src/winnow/_textstats.c"], optional=True),
        Extension(
            "winnow._segment",
            ["src/winnow/_segment.c"],
            depends=["src/winnow/_lexbor.h", "src/winnow/_classmatch.h"],
            optional=True,
        ),
    ]
)
