"""Differential-test oracle: what Jinja2 offers a template, read from Jinja2 itself.

stdout: JSON {"filters": {name: [parameter, ...]}, "tests": {name: [parameter, ...]},
"globals": [name, ...], "methods": {"str": [...], "dict": [...], "list": [...]}}; a filter's
parameters are those after the value (and after the environment or context Jinja2 passes).
"""
import inspect
import json

import jinja2


def parameters(func, skip):
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return []
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return names[skip:]


def leading(func):
    """Jinja2 passes the environment, eval context or context first to some filters."""
    return 1 + int(getattr(func, "jinja_pass_arg", None) is not None)


def main():
    env = jinja2.Environment()
    methods = {
        kind: sorted(m for m in dir(value) if not m.startswith("_") and callable(getattr(value, m)))
        for kind, value in (("str", ""), ("dict", {}), ("list", []))
    }
    json.dump(
        {
            "filters": {n: parameters(f, leading(f)) for n, f in sorted(env.filters.items())},
            "tests": {n: parameters(t, 1) for n, t in sorted(env.tests.items())},
            "globals": sorted(env.globals),
            "methods": methods,
        },
        __import__("sys").stdout,
    )


if __name__ == "__main__":
    main()
