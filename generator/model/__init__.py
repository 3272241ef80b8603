"""Stage 3, model: the validated spec document -> the intermediate model (``ir.Api``).

In: a ``Spec`` (from ``generator.load``, validated by ``generator.validate``).  Out: an ``ir.Api``
that says everything the generated package holds (groups, operations, parameters, models, enums,
unions, servers, auth, webhooks) with every Python name decided, plus WARNING diagnostics for the
operations and schemas that could not be built.  No Jinja, no output folder.

* ``ir``: the model's dataclasses;
* ``build``: operations, parameters, request bodies and responses -> ``ir``;
* ``schemas``: JSON Schema -> models, enums, unions and type expressions;
* ``naming``: every Python name (methods, classes, fields, arguments, files), collision-free;
* ``events``: webhooks and callbacks;
* ``ignored``: what the spec holds that the package does not expose, and why;
* ``context``: what build, events and ignored share (the builder's interface, media choice).
"""
