"""Stage 4, emit: ``ir.Api`` -> the generated package's files as text, black-formatted.

In: an ``ir.Api`` from ``generator.model`` and the Jinja templates under ``templates/``.  Out: a
mapping of relative POSIX path -> file text (code, runtime, Markdown docs, ``pyproject.toml``),
deterministic and formatted as black formats it.

* ``views``: per-file view data for the templates (code fragments built from the IR);
* ``types``: ``TypeRenderer``, the Python annotation of an IR type;
* ``literals``: spec text made safe: Python literals, docstrings, comments, TOML strings;
* ``layout``: lays code out as black would, so most files need no black pass;
* ``render``: the Jinja environment and ``render_package``;
* ``runtime``: where the templates and the runtime modules copied into each package live;
* ``unasync``: the sync runtime modules, derived from their async source;
* ``format``: black for what the layout engine could not settle, cached on disk;
* ``docs``: the Markdown documentation pages and their examples.
"""
