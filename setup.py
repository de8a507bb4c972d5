"""The one compiled module: the HTML walk (``broadsheet/pipeline/_walk.pyx``).

It is optional: where it cannot be built (no C compiler, a platform without ``dlopen``) the package
installs without it and the walk runs in Python, with the same results.
"""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # building without Cython: the pure-Python walk is used
    ext_modules = []
else:
    ext_modules = cythonize(
        [Extension("broadsheet.pipeline._walk", ["src/broadsheet/pipeline/_walk.pyx"], optional=True)],
        language_level=3,
        quiet=True,
    )

setup(ext_modules=ext_modules)
