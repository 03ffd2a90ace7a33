"""billing-sdkgen: turn an OpenAPI 3.0, 3.1 or 3.2 document into a typed Python SDK package.

Stages, each one module, data flowing one way:
`load` → `lint` → `ir` → `render` → `format` → `write`; `cli` wires them.
"""

__version__ = "0.1.0"
