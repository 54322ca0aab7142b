//! What Jinja2 offers a template besides its variables, as Proton ran it: keywords, the filters
//! and tests both Jinja2 and this engine have, Proton's four filters, and the Python methods a
//! value answers to. Each with the signature and one line the editor shows.

/// A name the editor can offer, with its signature and what it does.
pub struct Entry {
    pub name: &'static str,
    pub signature: &'static str,
    pub doc: &'static str,
}

const fn entry(name: &'static str, signature: &'static str, doc: &'static str) -> Entry {
    Entry {
        name,
        signature,
        doc,
    }
}

/// Jinja2's filters that this engine runs as Jinja2 does, then Proton's (docs/proton-semantics.md §8).
pub const FILTERS: &[Entry] = &[
    entry("abs", "abs()", "The absolute value of a number."),
    entry("attr", "attr(name)", "The attribute `name` of an object."),
    entry("batch", "batch(count, fill_with=None)", "Splits a sequence into lists of `count` items."),
    entry("capitalize", "capitalize()", "First character upper case, the rest lower case."),
    entry("center", "center(width=80)", "Centers the text in a field of `width` characters."),
    entry("count", "count()", "The number of items (same as `length`)."),
    entry("default", "default(value='', boolean=False)", "`value` when the input is undefined (or, with `boolean=true`, false)."),
    entry("d", "d(value='', boolean=False)", "Alias of `default`."),
    entry("dictsort", "dictsort(case_sensitive=False, by='key', reverse=False)", "A dict's (key, value) pairs, sorted."),
    entry("escape", "escape()", "HTML-escapes `&`, `<`, `>`, `'` and `\"`."),
    entry("e", "e()", "Alias of `escape`."),
    entry("filesizeformat", "filesizeformat(binary=False)", "A byte count for people: `12.3 kB` (or `12.1 KiB`)."),
    entry("first", "first()", "The first item of a sequence."),
    entry("float", "float(default=0.0)", "Converts to a floating point number."),
    entry("forceescape", "forceescape()", "HTML-escapes, even text marked safe."),
    entry("format", "format(*args, **kwargs)", "printf-style formatting: `'%s-%s' | format(a, b)`."),
    entry("groupby", "groupby(attribute, default=None, case_sensitive=False)", "Groups items by an attribute: (grouper, list) pairs."),
    entry("indent", "indent(width=4, first=False, blank=False)", "Indents every line but the first (or also the first, or blank lines)."),
    entry("int", "int(default=0, base=10)", "Converts to an integer."),
    entry("join", "join(d='', attribute=None)", "Joins the items with a separator."),
    entry("last", "last()", "The last item of a sequence."),
    entry("length", "length()", "The number of items or characters."),
    entry("list", "list()", "Converts to a list (a string becomes its characters)."),
    entry("lower", "lower()", "Lower case."),
    entry("map", "map(attribute=…) or map(filter, *args)", "Applies a filter or takes an attribute of every item."),
    entry("max", "max(case_sensitive=False, attribute=None)", "The largest item."),
    entry("min", "min(case_sensitive=False, attribute=None)", "The smallest item."),
    entry("pprint", "pprint()", "Python's pretty-printed representation."),
    entry("reject", "reject(test, *args)", "Items for which the test fails."),
    entry("rejectattr", "rejectattr(attribute, test, *args)", "Items whose attribute fails the test."),
    entry("replace", "replace(old, new, count=None)", "Replaces occurrences of `old` with `new`."),
    entry("reverse", "reverse()", "The sequence or string reversed."),
    entry("round", "round(precision=0, method='common')", "Rounds a number (`common`, `ceil` or `floor`)."),
    entry("safe", "safe()", "Marks the text safe (no escaping)."),
    entry("select", "select(test, *args)", "Items for which the test passes."),
    entry("selectattr", "selectattr(attribute, test, *args)", "Items whose attribute passes the test."),
    entry("slice", "slice(slices, fill_with=None)", "Splits a sequence into `slices` columns."),
    entry("sort", "sort(reverse=False, case_sensitive=False, attribute=None)", "The items sorted."),
    entry("string", "string()", "Converts to a string."),
    entry("striptags", "striptags()", "Removes HTML tags and comments, collapses whitespace."),
    entry("sum", "sum(attribute=None, start=0)", "The sum of the items."),
    entry("title", "title()", "Title Case."),
    entry("tojson", "tojson(indent=None)", "JSON text of the value (HTML-safe)."),
    entry("trim", "trim(chars=None)", "Strips leading and trailing whitespace (or `chars`)."),
    entry("truncate", "truncate(length=255, killwords=False, end='...', leeway=None)", "Shortens the text to `length` characters."),
    entry("unique", "unique(case_sensitive=False, attribute=None)", "The items without duplicates, in order."),
    entry("upper", "upper()", "Upper case."),
    entry("urlencode", "urlencode()", "Percent-encodes text for a URL, or a dict as a query string."),
    entry("wordcount", "wordcount()", "The number of words."),
    entry("wordwrap", "wordwrap(width=79, break_long_words=True, wrapstring=None)", "Wraps the text at `width` characters."),
    entry("xmlattr", "xmlattr(autospace=True)", "XML attributes from a dict: ` key=\"value\"`."),
    entry(
        "proton_cfn_ecs_task_definition_formatted_env_vars",
        "proton_cfn_ecs_task_definition_formatted_env_vars(raw=False)",
        "Proton: a dict as an ECS task definition `Environment` list (`- Name: k` / `  Value: v`), indented to where it stands; without `raw=True` every value must match `[a-zA-Z0-9_-]*`.",
    ),
    entry(
        "proton_cfn_lambda_function_formatted_env_vars",
        "proton_cfn_lambda_function_formatted_env_vars(raw=False)",
        "Proton: a dict as Lambda `Variables` lines (`k: v`), indented to where it stands; without `raw=True` every value must match `[a-zA-Z0-9_-]*`.",
    ),
    entry(
        "proton_cfn_iam_policy_arns",
        "proton_cfn_iam_policy_arns()",
        "Proton: the values that are IAM policy ARNs, as a YAML list indented to where it stands.",
    ),
    entry(
        "proton_cfn_sanitize",
        "proton_cfn_sanitize()",
        "Proton: the value unchanged when it is `[a-zA-Z0-9_-]*` or an ARN, else an error.",
    ),
];

/// Jinja2's tests (`x is defined`).
pub const TESTS: &[Entry] = &[
    entry("boolean", "boolean", "True for `true` and `false`."),
    entry("callable", "callable", "True for a function or macro."),
    entry(
        "defined",
        "defined",
        "True when the variable exists (the guard for optional inputs).",
    ),
    entry(
        "divisibleby",
        "divisibleby(num)",
        "True when divisible by `num`.",
    ),
    entry("eq", "eq(other)", "Equal to `other` (also `==`)."),
    entry("escaped", "escaped", "True for text marked safe."),
    entry("even", "even", "True for an even number."),
    entry("false", "false", "True for the value `false`."),
    entry("float", "float", "True for a floating point number."),
    entry("ge", "ge(other)", "Greater than or equal (also `>=`)."),
    entry("gt", "gt(other)", "Greater than (also `>`)."),
    entry("in", "in(seq)", "True when contained in `seq`."),
    entry("integer", "integer", "True for an integer."),
    entry(
        "iterable",
        "iterable",
        "True for something a `for` can loop over.",
    ),
    entry("le", "le(other)", "Less than or equal (also `<=`)."),
    entry("lower", "lower", "True for lower-case text."),
    entry("lt", "lt(other)", "Less than (also `<`)."),
    entry("mapping", "mapping", "True for a dict."),
    entry("ne", "ne(other)", "Not equal (also `!=`)."),
    entry("none", "none", "True for `none`."),
    entry("number", "number", "True for a number."),
    entry("odd", "odd", "True for an odd number."),
    entry(
        "sameas",
        "sameas(other)",
        "True when the same object as `other`.",
    ),
    entry(
        "sequence",
        "sequence",
        "True for a list, a string or a dict.",
    ),
    entry("string", "string", "True for text."),
    entry("true", "true", "True for the value `true`."),
    entry(
        "undefined",
        "undefined",
        "True when the variable does not exist.",
    ),
    entry("upper", "upper", "True for upper-case text."),
];

/// Words a `{% … %}` tag starts with or holds.
pub const STATEMENT_KEYWORDS: &[&str] = &[
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "in",
    "endfor",
    "set",
    "endset",
    "macro",
    "endmacro",
    "call",
    "endcall",
    "filter",
    "endfilter",
    "include",
    "import",
    "from",
    "as",
    "with",
    "endwith",
    "raw",
    "endraw",
    "not",
    "and",
    "or",
    "is",
    "recursive",
    "ignore missing",
];

/// Words an expression may hold.
pub const EXPRESSION_KEYWORDS: &[&str] = &[
    "if", "else", "and", "or", "not", "in", "is", "true", "false", "none",
];

/// Jinja2's global functions.
pub const FUNCTIONS: &[Entry] = &[
    entry(
        "range",
        "range([start,] stop[, step])",
        "A sequence of integers.",
    ),
    entry("dict", "dict(**items)", "A dict of the keyword arguments."),
    entry(
        "namespace",
        "namespace(**attrs)",
        "An object whose attributes a loop may set.",
    ),
    entry(
        "cycler",
        "cycler(*items)",
        "Cycles through the items with `.next()`.",
    ),
    entry(
        "joiner",
        "joiner(sep=', ')",
        "Returns `sep` on every call but the first.",
    ),
    entry(
        "lipsum",
        "lipsum(n=5, html=True, min=20, max=100)",
        "Lorem ipsum text.",
    ),
];

/// The members of `loop` inside a `{% for %}`.
pub const LOOP: &[Entry] = &[
    entry("index", "loop.index", "The current iteration, from 1."),
    entry("index0", "loop.index0", "The current iteration, from 0."),
    entry("revindex", "loop.revindex", "Iterations left, ending at 1."),
    entry(
        "revindex0",
        "loop.revindex0",
        "Iterations left, ending at 0.",
    ),
    entry("first", "loop.first", "True on the first iteration."),
    entry("last", "loop.last", "True on the last iteration."),
    entry("length", "loop.length", "The number of items."),
    entry(
        "depth",
        "loop.depth",
        "Nesting level of a recursive loop, from 1.",
    ),
    entry(
        "previtem",
        "loop.previtem",
        "The item of the previous iteration.",
    ),
    entry(
        "nextitem",
        "loop.nextitem",
        "The item of the next iteration.",
    ),
    entry(
        "cycle",
        "loop.cycle(*values)",
        "Cycles through `values`, one per iteration.",
    ),
    entry(
        "changed",
        "loop.changed(*values)",
        "True when the values changed since the last call.",
    ),
];

/// Python methods of a text value that this engine runs as Python does.
pub const STRING_METHODS: &[Entry] = &[
    entry(
        "capitalize",
        "capitalize()",
        "First character upper case, the rest lower case.",
    ),
    entry("count", "count(sub)", "Occurrences of `sub`."),
    entry(
        "endswith",
        "endswith(suffix)",
        "True when the text ends with `suffix`.",
    ),
    entry("find", "find(sub)", "Index of `sub`, or -1."),
    entry(
        "format",
        "format(*args, **kwargs)",
        "`str.format`: `'{}-{}'.format(a, b)`.",
    ),
    entry("join", "join(iterable)", "The items joined with this text."),
    entry("lower", "lower()", "Lower case."),
    entry(
        "lstrip",
        "lstrip(chars=None)",
        "Strips leading whitespace (or `chars`).",
    ),
    entry(
        "replace",
        "replace(old, new, count=-1)",
        "Replaces occurrences of `old`.",
    ),
    entry(
        "rstrip",
        "rstrip(chars=None)",
        "Strips trailing whitespace (or `chars`).",
    ),
    entry(
        "split",
        "split(sep=None, maxsplit=-1)",
        "A list of the parts.",
    ),
    entry("splitlines", "splitlines()", "A list of the lines."),
    entry(
        "startswith",
        "startswith(prefix)",
        "True when the text starts with `prefix`.",
    ),
    entry(
        "strip",
        "strip(chars=None)",
        "Strips whitespace (or `chars`) at both ends.",
    ),
    entry("title", "title()", "Title Case."),
    entry("upper", "upper()", "Upper case."),
];

/// Python methods of a dict.
pub const DICT_METHODS: &[Entry] = &[
    entry(
        "get",
        "get(key, default=None)",
        "The value of `key`, else `default`.",
    ),
    entry(
        "items",
        "items()",
        "The (key, value) pairs, for `{% for k, v in d.items() %}`.",
    ),
    entry("keys", "keys()", "The keys."),
    entry("values", "values()", "The values."),
];

/// Python methods of a list.
pub const LIST_METHODS: &[Entry] = &[
    entry("count", "count(value)", "Occurrences of `value`."),
    entry("index", "index(value)", "Position of `value`."),
];

pub fn filter(name: &str) -> Option<&'static Entry> {
    FILTERS.iter().find(|f| f.name == name)
}

pub fn test(name: &str) -> Option<&'static Entry> {
    TESTS.iter().find(|t| t.name == name)
}
