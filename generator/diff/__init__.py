"""The CI commands' comparisons (``codegen diff`` and ``codegen check``): two versions of a spec ->
what changed in the generated Python API.

In: two specs (or a target and a git revision of it).  Out: the public API changes, each marked
breaking or not, and the public names that the name lock tracks.

* ``apidiff``: both sides built into ``ir.Api`` and compared structurally;
* ``revision``: a target's inputs as they were at a git revision, exported into a folder.
"""
