"""Differential-test oracle: renders each case with CPython Jinja2, configured as Proton was.

stdin: JSON list of {"template", "context", "undefined": "strict"|"lenient"}.
stdout: JSON list of {"ok": true, "output"} or {"ok": false, "error": "<class>: <message>"}.
"""
import json
import sys

import jinja2


def main():
    cases = json.load(sys.stdin)
    envs = {
        "strict": jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False),
        "lenient": jinja2.Environment(undefined=jinja2.Undefined, autoescape=False),
    }
    results = []
    for case in cases:
        env = envs[case.get("undefined", "strict")]
        try:
            output = env.from_string(case["template"]).render(**case["context"])
            results.append({"ok": True, "output": output})
        except Exception as exc:  # every failure is a result to compare
            results.append({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
