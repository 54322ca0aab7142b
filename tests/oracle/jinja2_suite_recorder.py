"""Pytest plugin run over Jinja2's own test suite (its source distribution's `tests/`): records
every template those tests render with an Environment configured as Proton's (default syntax
and settings, no loader, extensions or autoescape; Undefined or StrictUndefined) and a JSON
context, with what CPython Jinja2 printed or raised. tests/jinja2_differential.rs renders them
with the playground's engine. Nothing of the suite is copied: it is fetched and run."""
import json, os
import jinja2

CASES = []
_orig_from_string = jinja2.Environment.from_string
_orig_render = jinja2.Template.render
DEFAULT = jinja2.Environment()

def _plain(env):
    if env.loader is not None or env.extensions or env.autoescape or env.is_async:
        return None
    for attr in ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                 "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                 "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "finalize"):
        if getattr(env, attr) != getattr(DEFAULT, attr):
            return None
    if set(env.filters) != set(DEFAULT.filters) or set(env.tests) != set(DEFAULT.tests):
        return None
    if set(env.globals) != set(DEFAULT.globals) or env.policies != DEFAULT.policies:
        return None
    if env.context_class is not DEFAULT.context_class or env.code_generator_class is not DEFAULT.code_generator_class:
        return None
    if env.undefined is jinja2.StrictUndefined:
        return "strict"
    if env.undefined is jinja2.Undefined:
        return "lenient"
    return None

def from_string(self, source, *a, **k):
    t = _orig_from_string(self, source, *a, **k)
    if isinstance(source, str) and not k.get("globals") and not (a and a[0]):
        t._pp_source = source
    return t

def render(self, *args, **kwargs):
    ctx = dict(*args, **kwargs)
    mode = _plain(self.environment)
    source = getattr(self, "_pp_source", None)
    try:
        out = _orig_render(self, *args, **kwargs)
    except Exception as exc:
        if source is not None and mode:
            _record(source, ctx, mode, None, f"{type(exc).__name__}: {exc}")
        raise
    if source is not None and mode:
        _record(source, ctx, mode, out, None)
    return out

def _record(source, ctx, mode, out, err):
    # Only contexts JSON holds exactly (a tuple, an object or an int key would come back other).
    try:
        if json.loads(json.dumps(ctx)) != ctx:
            return
    except (TypeError, ValueError):
        return
    CASES.append({"template": source, "context": ctx, "undefined": mode, "output": out, "error": err})

jinja2.Environment.from_string = from_string
jinja2.Template.render = render

def pytest_sessionfinish(session, exitstatus):
    with open(os.environ["JINJA2_CASES_OUT"], "w") as f:
        json.dump(CASES, f)
