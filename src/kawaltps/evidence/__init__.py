"""One evidence store and one set of rules for every file that proves something (``rules``, ``store``)."""
