"""The Markdown documentation of a generated package, rendered beside its code.

In: the ``ir.Api`` and the views built for the code (``generator.emit.views``).  Out: README.md,
docs/*.md and mkdocs.yml as text, rendering the same on GitHub and MkDocs.

* ``pages``: ``render_docs``, every page from its template;
* ``view``: what each page shows (operations, parameters, models, errors, webhooks);
* ``examples``: example values and calls that type-check against the generated package;
* ``markdown``: spec text made safe as Markdown (prose, table cells, code spans, links, slugs).
"""
