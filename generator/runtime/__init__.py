"""The runtime of generated packages: plain Python modules, identical in every package.

`generator/render.py` copies each listed module (`RUNTIME_MODULES`, plus `_pagination.py`
and `_page_plan.py` when an operation pages, and the other optional ones) verbatim into
every generated package, under a header; this `__init__.py` is not copied. Here they are
linted, type-checked and tested once, as the Python they are (`generator.runtime.<module>`
imports them in the repository).
"""
