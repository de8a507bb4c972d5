"""The compiled modules: the HTML walk (``pipeline/_walk.pyx``), the block features' counts
(``pipeline/_counts.pyx``), the tree ensembles' sums (``pipeline/_trees.pyx``), the flattened text's token
counts (``pipeline/_tokens.pyx``) and dedup's MinHash signatures (``_signature.pyx``).

They are optional: where they cannot be built (no C compiler, a platform without ``dlopen``) the package
installs without them and the same code runs in Python, with the same results.
"""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # building without Cython: the pure-Python walk is used
    ext_modules = []
else:
    ext_modules = cythonize(
        [
            Extension(f"broadsheet.pipeline.{name}", [f"src/broadsheet/pipeline/{name}.pyx"], optional=True)
            for name in ("_walk", "_counts", "_trees", "_tokens")
        ]
        + [Extension("broadsheet._signature", ["src/broadsheet/_signature.pyx"], optional=True)],
        language_level=3,
        quiet=True,
    )
    for extension in ext_modules:  # cythonize makes new extensions without the flag
        extension.optional = True

setup(ext_modules=ext_modules)
