"""Your code for `kitchen_sink_32`: billing-sdkgen never writes, changes or deletes
anything in this folder, so what you put here survives every regeneration.

`kitchen_sink_32/__init__.py` imports this module last, when everything else in the
package is defined. Add helpers, subclasses of the clients, httpx event hooks… and import
them from here to make them part of the package, for example::

    from .._client import KitchenSink32Client


    class KitchenSink32ClientWithDefaults(KitchenSink32Client):
        ...

The rest of the package is regenerated from the spec: a regeneration refuses to
overwrite generated files edited by hand (`--force` overrides), so keep changes here.
"""
