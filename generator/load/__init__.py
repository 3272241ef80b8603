"""Stage 1, load: spec files on disk -> one in-memory document with ``$ref`` resolvable.

In: the target's root spec path (OpenAPI 3.0/3.1 or Swagger 2.0, YAML or JSON, any number of files
reached by ``$ref``) and its overlay files.  Out: a ``loader.Spec`` (documents cached per file,
``$ref`` resolution, line numbers on demand), the overlays applied to its root document and a
Swagger 2.0 root converted to 3.0 in place.

* ``loader``: reading files, ``$ref`` resolution, locations (file, JSON pointer, line);
* ``yamlevents``: the fast path that builds plain YAML documents straight from libyaml's events;
* ``overlay``: OpenAPI Overlay 1.0 actions (RFC 9535 JSONPath targets);
* ``swagger2``: the Swagger 2.0 -> OpenAPI 3.0 conversion, with origins for diagnostics.
"""
