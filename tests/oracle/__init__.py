"""Differential oracle: our generated models against datamodel-code-generator's."""
