"""Stage 2, validate: a loaded ``Spec`` -> diagnostics; nothing is built from an invalid spec.

In: the ``Spec`` from ``generator.load``.  Out: ``Diagnostic`` records (file, JSON pointer, line)
from the OpenAPI schema of the spec's version and from codegen's own checks; findings are cached
on disk by the sha256 of everything they depend on.

* ``validator``: the entry points (``check_version``, ``start_validation``, ``validate_spec``), the
  cache key and the run in a worker thread beside the build;
* ``fastvalidate``: a compiled validator for the OpenAPI meta-schemas (same findings, faster);
* ``schemacheck``: codegen's own checks that the meta-schemas do not make.
"""
