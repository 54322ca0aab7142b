//! The parity table of docs/proton-semantics.md §7.8, and the Proton filter examples of §8.
use super::*;

fn parity_context() -> Value {
    let json: serde_json::Value = serde_json::from_str(
        r#"{"s":"hello world foo bar","n":null,"t":true,"i":80,"f":0.5,"l":["a","b"],
            "d":{"k":"v","a":1},"o":{"Output1":"hello","my-output":"x"}}"#,
    )
    .unwrap();
    Value::from(minijinja::value::Serde(&json))
}

fn render_with(src: &str, mode: UndefinedMode) -> Result<String, Diagnostic> {
    let mut files = BTreeMap::new();
    files.insert("t.yaml".to_string(), src.to_string());
    let options = RenderOptions {
        undefined: mode,
        ..Default::default()
    };
    Renderer::new(Arc::new(files), &options).render("t.yaml", src, &parity_context())
}

fn ok(src: &str) -> String {
    render_with(src, UndefinedMode::Strict).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn err(src: &str) -> Diagnostic {
    render_with(src, UndefinedMode::Strict).expect_err(src)
}

fn lenient(src: &str) -> Result<String, Diagnostic> {
    render_with(src, UndefinedMode::Lenient)
}

#[test]
fn printing() {
    assert_eq!(
        ok("{{ n }}|{{ t }}|{{ false }}|{{ i }}|{{ f }}"),
        "None|True|False|80|0.5"
    );
    assert_eq!(
        ok("{{ 7/2 }}|{{ 6/2 }}|{{ 7//2 }}|{{ -7//2 }}|{{ 7%3 }}|{{ 2**10 }}"),
        "3.5|3.0|3|-4|1|1024"
    );
    assert_eq!(
        ok("{{ 1e20 }}|{{ 1e-5 }}|{{ 0.0001 }}|{{ 1e16 }}|{{ 0.1+0.2 }}"),
        "1e+20|1e-05|0.0001|1e+16|0.30000000000000004"
    );
    assert_eq!(
        ok("{{ l }}|{{ d }}|{{ [1, n, t, \"it's\"] }}|{{ ('a', 2) }}|{{ ('a',) }}"),
        "['a', 'b']|{'k': 'v', 'a': 1}|[1, None, True, \"it's\"]|('a', 2)|('a',)"
    );
    assert_eq!(
        ok("{{ d.items()|list }}|{{ d|dictsort }}|{{ d.keys()|list }}"),
        "[('k', 'v'), ('a', 1)]|[('a', 1), ('k', 'v')]|['k', 'a']"
    );
}

#[test]
fn tojson() {
    assert_eq!(
        ok("{{ d | tojson }}|{{ l | tojson }}|{{ t | tojson }}|{{ n | tojson }}"),
        r#"{"a": 1, "k": "v"}|["a", "b"]|true|null"#
    );
    assert_eq!(
        ok("{{ {'b': '<&>', 'a': \"'\"} | tojson }}|{{ 'café' | tojson }}"),
        r#"{"a": "\u0027", "b": "\u003c\u0026\u003e"}|"caf\u00e9""#
    );
    assert_eq!(
        ok("{{ d | tojson(2) }}"),
        "{\n  \"a\": 1,\n  \"k\": \"v\"\n}"
    );
    assert_eq!(
        ok("{{ {'python3.9': 'py', 'nodejs14.x': 'js'}['python3.9'] | tojson | safe }}"),
        "\"py\""
    );
}

#[test]
fn filters_with_jinja2_signatures() {
    assert_eq!(
        ok("{{ t | lower }}|{{ t | string }}|{{ n | default('x') }}|{{ '' | default('x', true) }}"),
        "true|True|None|x"
    );
    assert_eq!(
        ok("{{ s | truncate(9) }}|{{ s | truncate(14) }}|{{ s | truncate(9, true) }}|{{ s | truncate(9, true, 'zzz', 0) }}"),
        "hello...|hello world foo bar|hello ...|hello zzz"
    );
    assert_eq!(
        ok("{{ 'customer-payments-api--production-eu-west-1' | truncate(29, true, 'zzz') }}"),
        "customer-payments-api--prozzz"
    );
    assert_eq!(
        ok("{{ 'my-service--my-instance-0123' | truncate(29, true, 'zzz') }}"),
        "my-service--my-instance-0123"
    );
    assert_eq!(
        err("{{ 'hello world' | truncate(2) }}").message,
        "expected length >= 3, got 2"
    );
    assert_eq!(
        ok("{{ s | wordwrap(11) }}|{{ 'aaaaaaaaaaaa bb' | wordwrap(5, false) }}"),
        "hello world\nfoo bar|aaaaaaaaaaaa\nbb"
    );
    assert_eq!(ok("[{{ 'hi'|center(6) }}][{{ 'hi'|center(5) }}][{{ 'abc'|center(6) }}][{{ 'ab'|center(7) }}]"), "[  hi  ][  hi ][ abc  ][   ab  ]");
    assert_eq!(
        ok("{{ 'abc'|int }}|{{ '3.7'|int }}|{{ ' 42 '|int }}|{{ '1_000'|int }}|{{ t|int }}|{{ n|int }}|{{ 'x'|int(7) }}|{{ '1F'|int(0, 16) }}|{{ 'x'|float }}"),
        "0|3|42|1000|1|0|7|31|0.0"
    );
    assert_eq!(
        ok("{{ '%s-%05.1f' | format('a', 3.14159) }}|{{ '{}-{}'.format('a', 1) }}"),
        "a-003.1|a-1"
    );
    assert_eq!(
        ok("{{ 'x' ~ 1 ~ n }}|{{ 'a' in l }}|{{ l | join(',') }}|{{ l | length }}"),
        "x1None|True|a,b|2"
    );
}

#[test]
fn python_methods_and_syntax() {
    assert_eq!(
        ok("{{ 'a,b,,c'.split(',') }}|{{ 'a b  c'.split() }}|{{ 'AbC'.upper() }}|{{ d.get('z', 'x') }}|{{ ' x '.strip() }}"),
        "['a', 'b', '', 'c']|['a', 'b', 'c']|ABC|x|x"
    );
    assert_eq!(
        ok("{% set a, b = 'k=v'.split('=') %}{{ b }}-{{ a }}"),
        "v-k"
    );
    assert_eq!(
        err("{% set a, b = 'k=v=w'.split('=') %}{{ b }}").code,
        "template-error"
    );
    assert_eq!(
        ok("{% for x in l %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }} {% endfor %}"),
        "10True 21False "
    );
    assert_eq!(
        ok("{{ '{{resolve:ssm:/p:1}}' }}  and  {% raw %}{{resolve:ssm:/p:1}}{% endraw %}"),
        "{{resolve:ssm:/p:1}}  and  {{resolve:ssm:/p:1}}"
    );
    let syntax = err("Value: '{{resolve:ssm:/p:1}}'");
    assert_eq!(syntax.code, "template-syntax");
    assert!(syntax.hint.unwrap().contains("raw"));
    assert_eq!(
        err("{% for x in l %}{% break %}{% endfor %}").message,
        "unknown tag 'break'"
    );
}

#[test]
fn percent_is_pythons_operator() {
    assert_eq!(
        ok("{{ '%s-%03d' % ('a', 7) }}|{{ i % 7 }}|{{ -7 % 3 }}|{{ '%(k)s' % d }}|{{ '%s' % l }}"),
        "a-007|3|2|v|['a', 'b']"
    );
    // Located where written, although the template was loaded rewritten.
    let e = err("{{ s }}\n  {{ '%d' % s }}");
    assert_eq!((e.line, e.column), (Some(2), Some(6)), "{e:?}");
}

#[test]
fn multiplying_repeats_within_the_budget_anywhere() {
    // A number is multiplied wherever it is met, a loop or a macro too.
    assert_eq!(
        ok("{% for x in [i, f] %}{{ x * 1048576 }};{% endfor %}{{ 'ab' * 2 }}{{ l * 2 }}"),
        "83886080;524288.0;abab['a', 'b', 'a', 'b']"
    );
    let e = err("{% for x in [s] %}\n  {{ x * 1048576 }}{% endfor %}");
    assert_eq!(e.code, "template-limit");
    assert_eq!((e.line, e.column), (Some(2), Some(6)), "{e:?}");
    assert_eq!(err("{{ [1] * 100000000 }}").code, "template-limit");
    assert!(err("{{ s * 1.5 }}")
        .message
        .contains("non-int of type 'float'"));
}

#[test]
fn macros_take_varargs_and_kwargs_when_their_body_reads_them() {
    let m = "{% macro m(a, b='B') %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro -%}\n";
    assert_eq!(
        ok(&format!(
            "{m}{{{{ m(1) }}}}|{{{{ m(1, 2, 3, c=4, a2=5) }}}}|{{{{ m(b=0, a=1, z=2) }}}}"
        )),
        "1B(){}|12(3,){'c': 4, 'a2': 5}|10(){'z': 2}"
    );
    // A name given by position and by keyword: the keyword is an extra one.
    assert_eq!(ok(&format!("{m}{{{{ m(1, a=2) }}}}")), "1B(){'a': 2}");
    // Without reading them, extra arguments are refused as Jinja2 refuses them.
    assert!(err("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, c=2) }}")
        .message
        .contains("keyword argument"));
    assert!(err("{% macro m() %}{{ kwargs }}{% endmacro %}{{ m(1) }}")
        .message
        .contains("not more than 0"));
    // `{% call %}`, a trailing comma, whitespace control and recursion keep working.
    assert_eq!(
        ok("{% macro w(x,) %}[{{ caller() }}{{ kwargs.k }}]{% endmacro -%}\n  {% call w(1, k='K') %}in{% endcall %}"),
        "[inK]"
    );
    assert_eq!(
        ok("{% macro r(n) %}{{ n }}{% if n %}{{ r(n - 1, *varargs) }}{% endif %}{% endmacro %}{{ r(2, 'x') }}"),
        "210"
    );
}

#[test]
fn unrunnable_constructs_have_a_rewrite() {
    let e = err("{% set x = [] %}{% set _ = x.append(1) %}");
    assert_eq!(e.code, "template-mutation");
    assert!(e.hint.unwrap().contains("+"));
}

#[test]
fn undefined_values() {
    let e = err("{{ o.my-output }}");
    assert_eq!(e.message, "'dict object' has no attribute 'my'");
    assert!(lenient("{{ o.my-output }}").is_err());
    assert_eq!(ok("{{ o['my-output'] }}"), "x");
    assert_eq!(err("{{ missing }}").message, "'missing' is undefined");
    assert_eq!(
        err("{{ o.missing }}").message,
        "'dict object' has no attribute 'missing'"
    );
    assert_eq!(err("{{ l[5] }}").message, "list object has no element 5");
    assert_eq!(
        err("{{ s.missing }}").message,
        "'str object' has no attribute 'missing'"
    );
    for src in [
        "{{ missing }}",
        "{{ o.missing }}",
        "{{ l[5] }}",
        "{% if missing %}y{% endif %}",
    ] {
        assert_eq!(lenient(src).unwrap(), "", "{src}");
    }
    assert_eq!(
        err("{% if missing %}y{% endif %}").message,
        "'missing' is undefined"
    );
    assert!(render_with("{{ missing | length }}", UndefinedMode::Strict).is_err());
    assert_eq!(lenient("{{ missing | length }}").unwrap(), "0");
    assert!(render_with("{{ missing ~ 'x' }}", UndefinedMode::Strict).is_err());
    assert_eq!(lenient("{{ missing ~ 'x' }}").unwrap(), "x");
    assert_eq!(
        ok("{{ missing is defined }}|{{ missing | default('d') }}|{{ o.missing | default('d') }}"),
        "False|d|d"
    );
    assert_eq!(
        err("{{ o.missing.deeper | default('d') }}").message,
        "'dict object' has no attribute 'missing'"
    );
    assert!(lenient("{{ o.missing.deeper | default('d') }}").is_err());
    assert!(render_with("{{ missing | tojson }}", UndefinedMode::Strict).is_err());
    assert!(lenient("{{ missing | tojson }}").is_err());
}

#[test]
fn whitespace_and_newlines() {
    assert_eq!(ok("a\n{% if true %}\nb\n{% endif %}\nc\n"), "a\n\nb\n\nc");
    assert_eq!(ok("a\n  {%- if true %}\nb\n{%- endif %}\nc"), "a\nb\nc");
    assert_eq!(ok("a\r\nb\r\n"), "a\nb");
}

#[test]
fn errors_are_located() {
    let e = err("line1\n  x: {{ nope }}\n");
    assert_eq!((e.line, e.column), (Some(2), Some(9)));
    assert_eq!(e.file.as_deref(), Some("t.yaml"));
    assert_eq!(
        e.subject.as_deref(),
        Some(&crate::diagnostic::Subject::Variable {
            path: "nope".into()
        })
    );
}

#[test]
fn runaway_templates_stop() {
    // 10^10 iterations: the fuel (a count of steps, not a clock) is what stops them.
    let e =
        err("{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}");
    assert_eq!(e.code, "template-fuel");
    let e = err("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}");
    assert!(
        e.code == "template-recursion" || e.code == "template-error",
        "{e:?}"
    );
}

fn proton_context() -> Value {
    let json: serde_json::Value = serde_json::from_str(
        r#"{"outputs": {"BucketName": "arn:aws:s3:::mock-bucket", "BucketAccessPolicyArn": "arn:aws:iam::123456789012:policy/mock-policy"},
            "empty": {}, "aws": {"Output1": "hello", "Output2": "world"}, "bad": {"a": "x y"}}"#,
    )
    .unwrap();
    Value::from(minijinja::value::Serde(&json))
}

fn proton(src: &str) -> Result<String, Diagnostic> {
    let mut files = BTreeMap::new();
    files.insert("t.yaml".to_string(), src.to_string());
    Renderer::new(Arc::new(files), &RenderOptions::default()).render(
        "t.yaml",
        src,
        &proton_context(),
    )
}

#[test]
fn proton_filters_worked_example() {
    let template = "          Environment:\n            {{ outputs | proton_cfn_ecs_task_definition_formatted_env_vars }}\n      ManagedPolicyArns:\n        - !Ref Base\n        {{ outputs | proton_cfn_iam_policy_arns }}\n          Variables: {{ outputs | proton_cfn_lambda_function_formatted_env_vars }}\n";
    let expected = "          Environment:\n            - Name: BucketName\n              Value: arn:aws:s3:::mock-bucket\n            - Name: BucketAccessPolicyArn\n              Value: arn:aws:iam::123456789012:policy/mock-policy\n      ManagedPolicyArns:\n        - !Ref Base\n        - arn:aws:iam::123456789012:policy/mock-policy\n          Variables: BucketName: arn:aws:s3:::mock-bucket\n                     BucketAccessPolicyArn: arn:aws:iam::123456789012:policy/mock-policy";
    assert_eq!(proton(template).unwrap(), expected);
    assert_eq!(
        proton("Environment:\n  {{ aws | proton_cfn_ecs_task_definition_formatted_env_vars }}")
            .unwrap(),
        "Environment:\n  - Name: Output1\n    Value: hello\n  - Name: Output2\n    Value: world"
    );
    assert_eq!(
        proton("x:\n            {{ empty | proton_cfn_ecs_task_definition_formatted_env_vars }}\n")
            .unwrap(),
        "x:\n            "
    );
    assert_eq!(
        proton(
            "{{ {'a': 'arn:aws:iam::aws:policy/ReadOnlyAccess'} | proton_cfn_iam_policy_arns }}"
        )
        .unwrap(),
        ""
    );
}

#[test]
fn proton_filter_errors() {
    let e = proton("{{ bad | proton_cfn_lambda_function_formatted_env_vars(false) }}").unwrap_err();
    assert_eq!(
        e.message,
        "Illegal character(s) detected in \"x y\". Must match regex ^[a-zA-Z0-9_-]*$"
    );
    assert!(
        proton("{{ bad | proton_cfn_ecs_task_definition_formatted_env_vars(raw=False) }}").is_err()
    );
    assert_eq!(
        proton("{{ 'abc-1' | proton_cfn_sanitize }}|{{ 'arn:aws:s3:::b' | proton_cfn_sanitize }}")
            .unwrap(),
        "abc-1|arn:aws:s3:::b"
    );
    let e = proton("{{ 'a b' | proton_cfn_sanitize }}").unwrap_err();
    assert!(e.message.ends_with("or be a valid ARN"));
    assert_eq!(
        proton("{{ 'x' | proton_cfn_iam_policy_arns }}")
            .unwrap_err()
            .message,
        "proton_cfn_iam_policy_arns expects a dict of outputs, got str"
    );
    let mut files = BTreeMap::new();
    files.insert(
        "t".to_string(),
        "{{ missing | proton_cfn_iam_policy_arns }}".to_string(),
    );
    let lenient = RenderOptions {
        undefined: UndefinedMode::Lenient,
        ..Default::default()
    };
    assert!(Renderer::new(Arc::new(files), &lenient)
        .render("t", "", &proton_context())
        .is_err());
}

#[test]
fn an_unclosed_expression_is_reported_where_it_was_opened() {
    let e = err("a: 1\nb: 2\nc: {{ n\nd: 4\n");
    assert_eq!(
        (e.code.as_str(), e.line, e.column),
        ("template-syntax", Some(3), Some(4))
    );
    assert!(
        e.message.starts_with("`{{` opened here is not closed"),
        "{}",
        e.message
    );
    assert_eq!(e.hint.as_deref(), Some("close it with `}}` on this line"));
    // Unclosed on its own line: the parser's own position is already there.
    let e = err("a: {{ n }\n");
    assert_eq!(e.line, Some(1));
    assert!(!e.message.contains("opened here"), "{}", e.message);
}
