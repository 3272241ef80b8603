"""Stage 5, write: the rendered files -> the output folder, atomically, with the lock file.

In: the files from ``generator.emit`` and what the output folder already holds.  Out: the folder
holding exactly the new files plus whatever codegen does not own, swapped in at once (or left
untouched on any failure), and ``codegen.lock`` recording inputs, outputs and the public names.

* ``writer``: staging, carrying over files codegen does not own, the atomic swap, the manifest;
* ``lock``: the lock file, the name lock (renames of public names), no-op build detection;
* ``pristine``, ``handedits``, ``merge``: the generated text as last written, so hand edits in the
  output folder are kept by a three-way merge;
* ``ignorefile``: ``.codegenignore``, the files codegen must never write.
"""
