use super::check_cloudformation;
use crate::diagnostic::{Diagnostic, Severity, Subject};

fn check(rendered: &str) -> Vec<Diagnostic> {
    check_cloudformation("t.yaml", rendered, rendered)
}

fn codes(rendered: &str) -> Vec<(String, Severity)> {
    check(rendered)
        .into_iter()
        .map(|d| (d.code, d.severity))
        .collect()
}

const QUEUE: &str = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n";

#[test]
fn a_clean_template_has_no_findings() {
    let t = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Name:\n    Type: String\n    Default: q\nConditions:\n  Fifo: !Equals [!Ref Name, fifo]\nMappings:\n  Sizes:\n    small: {Delay: 1}\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Condition: Fifo\n    Properties:\n      QueueName: !Sub '${Name}-${AWS::Region}-${!Literal}'\n      DelaySeconds: !FindInMap [Sizes, small, Delay]\n  Topic:\n    Type: AWS::SNS::Topic\n    DependsOn: [Queue]\n    Properties:\n      TopicName: !If [Fifo, !GetAtt Queue.QueueName, !Ref AWS::NoValue]\nOutputs:\n  Arn:\n    Value: !GetAtt Queue.Arn\n";
    assert_eq!(check(t), vec![]);
}

#[test]
fn yaml_errors_tags_and_duplicate_keys() {
    let d = check("Resources:\n  Queue: [\n");
    assert_eq!(d[0].code, "cfn-yaml");
    assert!(d[0].rendered.is_some());
    let d = check(&format!(
        "{QUEUE}    Properties:\n      QueueName: !Reff Name\n"
    ));
    assert_eq!((d[0].code.as_str(), d[0].line), ("cfn-tag", Some(5)));
    assert!(d[0].message.contains("!Reff"));
    let d = check(&format!("{QUEUE}  Queue:\n    Type: AWS::SNS::Topic\n"));
    assert_eq!(
        (d[0].code.as_str(), d[0].line),
        ("cfn-duplicate-key", Some(4))
    );
}

#[test]
fn json_templates_are_checked_too() {
    let t = "{\"Resources\": {\"Queue\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"QueueName\": {\"Ref\": \"Missing\"}}}}}";
    assert_eq!(codes(t), vec![("cfn-ref".into(), Severity::Error)]);
}

#[test]
fn structure() {
    assert_eq!(codes("- a\n")[0].0, "cfn-structure");
    let d = check(&format!("Resource:\n  X: 1\n{QUEUE}"));
    assert_eq!(d[0].code, "cfn-structure");
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `Resources`?"));
    assert_eq!(
        codes(&format!("AWSTemplateFormatVersion: 2012-01-01\n{QUEUE}"))[0].0,
        "cfn-format-version"
    );
    assert_eq!(codes("Description: x\n")[0].0, "cfn-resources");
    assert_eq!(codes("Resources: {}\n")[0].0, "cfn-resources");
    assert_eq!(
        codes(&format!("Globals:\n  Function: {{}}\n{QUEUE}"))[0].0,
        "cfn-structure"
    );
}

#[test]
fn resource_types_and_keys() {
    let d = check("Resources:\n  Queue:\n    Type: AWS::SQS::Queu\n");
    assert_eq!(d[0].code, "cfn-resource-type");
    assert_eq!(
        d[0].hint.as_deref(),
        Some("did you mean `AWS::SQS::Queue`?")
    );
    assert_eq!(
        codes("Resources:\n  Q:\n    Properties: {}\n")[0].0,
        "cfn-resource-type"
    );
    assert_eq!(
        codes("Resources:\n  Q:\n    Type: sqs queue\n")[0].0,
        "cfn-resource-type"
    );
    assert_eq!(
        codes("Resources:\n  Q:\n    Type: AWS::Serverless::Function\n")[0].0,
        "cfn-resource-type"
    );
    assert!(codes("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n  P:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      Principal: s3.amazonaws.com\n      FunctionName: !Ref FnRole\n").is_empty());
    assert!(codes("Resources:\n  Q:\n    Type: Custom::Thing\n    Properties:\n      Anything: 1\n  R:\n    Type: MyOrg::Some::Thing\nOutputs:\n  O:\n    Value: !GetAtt Q.Whatever\n").is_empty());
    let d = check(&format!("{QUEUE}    Propertes: {{}}\n"));
    assert_eq!(
        (d[0].code.as_str(), d[0].hint.as_deref()),
        ("cfn-resource", Some("did you mean `Properties`?"))
    );
}

#[test]
fn properties_known_and_required() {
    let d = check(&format!(
        "{QUEUE}    Properties:\n      QueueNme: a\n      QueueUrl: b\n"
    ));
    assert_eq!(d.len(), 2);
    assert_eq!(
        (d[0].code.as_str(), d[0].line, d[0].column),
        ("cfn-property", Some(5), Some(7))
    );
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `QueueName`?"));
    assert!(d[1].hint.as_deref().unwrap().contains("read-only"));
    let d = check("Resources:\n  Stack:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      Parameters: {}\n");
    assert_eq!(d[0].code, "cfn-required-property");
    assert!(d[0].message.contains("TemplateURL"));
}

#[test]
fn references() {
    let d = check(&format!(
        "{QUEUE}    Properties:\n      QueueName: !Ref Nmae\n"
    ));
    assert_eq!((d[0].code.as_str(), d[0].column), ("cfn-ref", Some(23)));
    let d = check(&format!("{QUEUE}Outputs:\n  A:\n    Value: !GetAtt Quue.Arn\n  B:\n    Value: !GetAtt Queue.Url\n  C:\n    Value: !GetAtt [Queue, QueueUrl]\n"));
    assert_eq!(
        d.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["cfn-getatt", "cfn-getatt"]
    );
    assert!(d[0].hint.as_deref() == Some("did you mean `Queue`?"));
    assert!(d[1].message.contains("no attribute `Url`"));
    // A resource without an attribute, in either form.
    // One finding even when the name is not (yet) a resource: typing `!GetAtt Que` shows one.
    for value in [
        "!GetAtt Queue",
        "!GetAtt [Queue]",
        "{'Fn::GetAtt': Queue}",
        "!GetAtt Que",
        "!GetAtt [Que]",
    ] {
        let d = check(&format!("{QUEUE}Outputs:\n  A:\n    Value: {value}\n"));
        assert_eq!(d.len(), 1, "{value}: {d:?}");
        assert!(
            d[0].message.contains("needs a resource and an attribute"),
            "{value}"
        );
    }
    // An attribute given by a parameter is not a literal, but it is there.
    let d = check(&format!("{QUEUE}Parameters:\n  Attr:\n    Type: String\n    Default: Arn\nOutputs:\n  A:\n    Value: !GetAtt [Queue, !Ref Attr]\n"));
    assert!(d.is_empty(), "{d:?}");
    let d = check(&format!("{QUEUE}    Properties:\n      QueueName: !Sub 'q-${{Missing}}-${{Queue.Nope}}-${{!Literal}}-${{AWS::Region}}'\n"));
    // `${Queue.Nope}` in Queue itself is also a loop (cfn-cycle, tested below).
    let d: Vec<_> = d.into_iter().filter(|d| d.code != "cfn-cycle").collect();
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!((d[0].code.as_str(), d[0].column), ("cfn-ref", Some(26)));
    assert_eq!(d[1].code, "cfn-getatt");
    let d = check(&format!(
        "{QUEUE}    Properties:\n      QueueName: !Sub ['${{A}}-${{B}}', {{A: x}}]\n"
    ));
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("`B`"));
    let d = check(&format!(
        "{QUEUE}    DependsOn: Topic\n    Condition: IsProd\n"
    ));
    assert_eq!(
        d.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["cfn-depends-on", "cfn-condition"]
    );
    let d = check(&format!(
        "{QUEUE}    Properties:\n      DelaySeconds: !If [Prod, 1, !FindInMap [Sizes, a, b]]\n"
    ));
    assert_eq!(
        d.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["cfn-condition", "cfn-find-in-map"]
    );
}

#[test]
fn parameters_conditions_mappings_outputs() {
    let d = check(&format!("Parameters:\n  Name:\n    Type: String\n  Unused:\n    Type: String\n    Default: x\nConditions:\n  Never: !Equals [a, b]\nMappings:\n  M:\n    a: {{b: c}}\n{QUEUE}    Properties:\n      QueueName: !Ref Name\nOutputs:\n  O:\n    Description: no value\n"));
    let found: Vec<_> = d
        .iter()
        .map(|d| (d.code.as_str(), d.severity, d.line.unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("cfn-parameter-default", Severity::Error, 2),
            ("cfn-unused", Severity::Warning, 4),
            ("cfn-unused", Severity::Warning, 8),
            ("cfn-unused", Severity::Warning, 10),
            ("cfn-output-value", Severity::Error, 18),
        ]
    );
}

#[test]
fn proton_leftovers() {
    let d = check(&format!(
        "{QUEUE}    Properties:\n      QueueName: {{{{ name }}}}x\n"
    ));
    assert!(
        d.iter()
            .any(|d| d.code == "cfn-jinja-leftover" && d.column == Some(18)),
        "{d:?}"
    );
    assert!(d.iter().all(|d| d.code != "cfn-yaml"));
    assert!(check(&format!(
        "{QUEUE}    Properties:\n      QueueName: '{{{{resolve:ssm:/q:1}}}}'\n"
    ))
    .is_empty());
    let d = check(&format!("{QUEUE}    Properties:\n      FifoQueue: True\n      QueueName: None\n      Tags: \"['a', 'b']\"\n      KmsMasterKeyId: \"{{'k': 'v'}}\"\n      RedrivePolicy: 'arn:${{Queue.Arn}}'\n      DelaySeconds: '${{HOME}}'\n"));
    let found = |severity| -> Vec<_> {
        d.iter()
            .filter(|d| d.severity == severity)
            .map(|d| (d.code.as_str(), d.line.unwrap()))
            .collect()
    };
    assert_eq!(
        found(Severity::Warning),
        [
            ("cfn-python-repr", 5),
            ("cfn-python-repr", 6),
            ("cfn-python-repr", 7),
            ("cfn-python-repr", 8),
            ("cfn-sub-missing", 9),
        ]
    );
    // What CloudFormation then rejects: a printed list where a list goes, a printed dict where a
    // key goes, `${HOME}` where a number goes.
    assert_eq!(
        found(Severity::Error),
        [
            ("cfn-value-type", 7),
            ("cfn-value-format", 8),
            ("cfn-value-type", 10),
        ]
    );
}

#[test]
fn findings_point_at_the_template_line_too() {
    let source = "Resources:\n{% for q in queues %}\n  {{ q }}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueNme: {{ q }}\n{% endfor %}\n";
    let rendered = "Resources:\n\n  a:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueNme: a\n\n  b:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueNme: b\n\n";
    let d = check_cloudformation("t.yaml", source, rendered);
    assert_eq!(d.len(), 2);
    let at: Vec<_> = d
        .iter()
        .map(|d| (d.line, d.column, d.rendered.as_ref().map(|r| r.line)))
        .collect();
    assert_eq!(
        at,
        [(Some(6), Some(7), Some(6)), (Some(6), Some(7), Some(11))]
    );
    assert_eq!(d[0].file.as_deref(), Some("t.yaml"));
}

#[test]
fn findings_name_the_element_they_are_about() {
    let rendered = "Parameters:\n  Unused: {Type: String, Default: x}\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueNme: a\n      DelaySeconds: !Ref Nope\n";
    let d = check_cloudformation("t.yaml", rendered, rendered);
    let subjects: Vec<(&str, Option<&Subject>)> = d
        .iter()
        .map(|d| (d.code.as_str(), d.subject.as_deref()))
        .collect();
    let cfn = |section: &str, name: &str, detail: Option<&str>| Subject::Cfn {
        section: section.into(),
        name: name.into(),
        detail: detail.map(String::from),
    };
    assert!(
        subjects.contains(&(
            "cfn-property",
            Some(&cfn("Resources", "Queue", Some("QueueNme")))
        )),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&("cfn-ref", Some(&cfn("Parameters", "Nope", Some("Ref"))))),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&("cfn-unused", Some(&cfn("Parameters", "Unused", None)))),
        "{subjects:?}"
    );
}

#[test]
fn dependency_loops_are_found_once_with_their_resources() {
    let d = check("Resources:\n  A:\n    Type: AWS::SQS::Queue\n    DependsOn: A\n");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!((d[0].code.as_str(), d[0].line), ("cfn-cycle", Some(2)));
    assert!(d[0].message.contains("`A` depends on itself"));
    let loop_of_three = "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    DependsOn: [B]\n  B:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt C.QueueName\n  C:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${A}-q'\n";
    let d: Vec<_> = check(loop_of_three)
        .into_iter()
        .filter(|d| d.code == "cfn-cycle")
        .collect();
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].message.contains("`A` → `B` → `C` → `A`"),
        "{}",
        d[0].message
    );
    let chain = "Resources:\n  A:\n    Type: AWS::SQS::Queue\n  B:\n    Type: AWS::SNS::Topic\n    DependsOn: A\n    Properties:\n      TopicName: !Ref A\n";
    assert!(check(chain).iter().all(|d| d.code != "cfn-cycle"));
}

#[test]
fn output_shapes() {
    let clean = format!("{QUEUE}Outputs:\n  Arn:\n    Description: the queue\n    Value: !GetAtt Queue.Arn\n    Export:\n      Name: !Sub '${{AWS::StackName}}-Arn'\n  Port:\n    Value: 80\n");
    assert_eq!(check(&clean), vec![]);
    let broken = format!("{QUEUE}Outputs:\n  List:\n    Value: [a, b]\n  Nameless:\n    Value: x\n    Export: {{}}\n  BadName:\n    Value: x\n    Export:\n      Name: [a]\n  Typo:\n    Valeu: x\n");
    let found: Vec<(String, Option<u32>)> = check(&broken)
        .into_iter()
        .map(|d| (d.code, d.line))
        .collect();
    assert_eq!(
        found,
        [
            ("cfn-output".to_string(), Some(6)),
            ("cfn-output".to_string(), Some(9)),
            ("cfn-output".to_string(), Some(13)),
            ("cfn-output-value".to_string(), Some(14)),
            ("cfn-output".to_string(), Some(15)),
        ]
    );
}

#[test]
fn a_bucket_acl_fails_unless_ownership_allows_acls() {
    let bucket = |extra: &str| {
        format!("Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: LogDeliveryWrite\n{extra}")
    };
    let d = check(&bucket(""));
    assert_eq!(
        (d[0].code.as_str(), d[0].line, d[0].severity),
        ("cfn-s3-acl", Some(5), Severity::Error)
    );
    assert!(d[0].hint.as_deref().unwrap().contains("OwnershipControls"));
    let allowed = bucket("      OwnershipControls:\n        Rules:\n          - ObjectOwnership: BucketOwnerPreferred\n");
    assert_eq!(check(&allowed), vec![]);
    let enforced = bucket("      OwnershipControls:\n        Rules:\n          - ObjectOwnership: BucketOwnerEnforced\n");
    assert_eq!(codes(&enforced)[0].0, "cfn-s3-acl");
    let private = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: Private\n";
    assert_eq!(check(private), vec![]);
}

#[test]
fn inline_code_needs_a_node_or_python_runtime() {
    let function = |runtime: &str| {
        format!("Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {{}}\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: {runtime}\n      Handler: index.handler\n      Role: !GetAtt Role.Arn\n      Code:\n        ZipFile: |\n          exports.handler = async () => 1;\n")
    };
    assert_eq!(check(&function("nodejs24.x")), vec![]);
    assert_eq!(check(&function("python3.13")), vec![]);
    let d = check(&function("java21"));
    assert_eq!(
        (d[0].code.as_str(), d[0].line),
        ("cfn-inline-code", Some(13))
    );
}

#[test]
fn a_sam_function_takes_its_runtime_from_globals() {
    let t = |runtime: &str| {
        format!("Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: {runtime}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      InlineCode: |\n        exports.handler = async () => 1;\n")
    };
    assert_eq!(check(&t("nodejs24.x")), vec![]);
    let found: Vec<(String, Option<u32>)> = check(&t("ruby2.7"))
        .into_iter()
        .map(|d| (d.code, d.line))
        .collect();
    assert_eq!(
        found,
        [
            ("cfn-runtime".to_string(), Some(4)),
            ("cfn-inline-code".to_string(), Some(10))
        ]
    );
    // A function that ignores `Globals` does not run on their runtime.
    let ignoring = t("ruby2.7").replace(
        "    Properties:\n",
        "    IgnoreGlobals: '*'\n    Properties:\n",
    );
    assert_eq!(check(&ignoring), vec![]);
}

/// `(code, line)` of the errors and warnings of `rendered`.
fn found(rendered: &str) -> Vec<(String, u32)> {
    check(rendered)
        .into_iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| (d.code, d.line.unwrap_or(0)))
        .collect()
}

#[test]
fn value_types_at_every_depth() {
    let bucket = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n";
    assert_eq!(
        found(&format!("{bucket}      VersioningConfiguration: Enabled\n")),
        [("cfn-value-type".into(), 5)]
    );
    assert_eq!(
        found(&format!(
            "{QUEUE}    Properties:\n      VisibilityTimeout: sixty\n"
        )),
        [("cfn-value-type".into(), 5)]
    );
    let function = "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/r\n      Code:\n        ZipFile: x\n";
    let d = check(&format!(
        "{function}      Environment:\n        Variables:\n          - A\n"
    ));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].code.as_str(), d[0].line),
        ("cfn-value-type", Some(12))
    );
    assert!(
        matches!(d[0].subject.as_deref(), Some(Subject::Cfn { detail: Some(detail), .. }) if detail == "Environment.Variables")
    );
    // Clean: CloudFormation's leniency (numeric strings, "true"), intrinsic functions anywhere,
    // both branches of an `Fn::If`.
    let clean = format!("Conditions:\n  C: !Equals [a, b]\n{QUEUE}    Properties:\n      VisibilityTimeout: '60'\n      FifoQueue: 'true'\n      DelaySeconds: !If [C, 5, !Ref AWS::NoValue]\n      MessageRetentionPeriod: !Ref AWS::NoValue\n");
    assert_eq!(found(&clean), []);
    assert_eq!(
        found(&format!("Conditions:\n  C: !Equals [a, b]\n{QUEUE}    Properties:\n      DelaySeconds: !If [C, 5, five]\n")),
        [("cfn-value-type".into(), 7)]
    );
}

#[test]
fn allowed_values_lengths_and_ranges() {
    let bucket = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n";
    let d = check(&format!(
        "{bucket}      VersioningConfiguration:\n        Status: On\n"
    ));
    assert_eq!(
        (d[0].code.as_str(), d[0].line),
        ("cfn-value-allowed", Some(6))
    );
    assert!(
        d[0].message
            .contains("`On` (YAML 1.1 reads the boolean True)"),
        "{}",
        d[0].message
    );
    assert_eq!(
        found(&format!(
            "{bucket}      VersioningConfiguration:\n        Status: Enabled\n"
        )),
        []
    );
    assert_eq!(
        found(&format!(
            "{QUEUE}    Properties:\n      DelaySeconds: 9000\n"
        )),
        [("cfn-value-range".into(), 5)]
    );
    let topic = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: ";
    assert_eq!(
        found(&format!("{topic}{}\n", "t".repeat(257))),
        [("cfn-value-length".into(), 5)]
    );
    assert_eq!(found(&format!("{topic}{}\n", "t".repeat(256))), []);
    assert_eq!(
        found(&format!(
            "{QUEUE}    Properties:\n      DelaySeconds: 900\n      QueueName: q\n"
        )),
        []
    );
}

#[test]
fn unknown_and_missing_properties_at_every_depth() {
    let bucket = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n";
    let d = found(&format!("{bucket}      LifecycleConfiguration:\n        Rules:\n          - Id: r\n            Statuss: Enabled\n"));
    assert_eq!(
        d,
        [
            ("cfn-required-property".into(), 7),
            ("cfn-property".into(), 8)
        ]
    );
    let hint = check(&format!("{bucket}      LifecycleConfiguration:\n        Rules:\n          - Statuss: Enabled\n            Status: Enabled\n"));
    assert_eq!(hint[0].hint.as_deref(), Some("did you mean `Status`?"));
    assert_eq!(found(&format!("{bucket}      LifecycleConfiguration:\n        Rules:\n          - Id: r\n            Status: Enabled\n")), []);
    assert_eq!(
        found(&format!(
            "{QUEUE}    Properties:\n      Tags:\n        - Key: a\n"
        )),
        [("cfn-required-property".into(), 6)]
    );
}

#[test]
fn formats_judge_literal_text_never_mocked_values() {
    let group = "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n      VpcId: ";
    assert_eq!(
        found(&format!("{group}my-vpc\n")),
        [("cfn-value-format".into(), 6)]
    );
    assert_eq!(found(&format!("{group}vpc-0123abcd\n")), []);
    assert_eq!(found(&format!("{group}!ImportValue shared-vpc\n")), []);
    let mocked = super::Mocked::of([&serde_json::json!({"VpcId": "mock-VpcId"})]);
    let text = format!("{group}mock-VpcId\n");
    assert!(super::check_rendered("t.yaml", &text, &text, &mocked).is_empty());
    // Alternatives of formats are one finding naming them all.
    let d = check(&format!(
        "{QUEUE}    Properties:\n      KmsMasterKeyId: my-key\n"
    ));
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message
            .contains("none of AWS::KMS::Key.Arn, AWS::KMS::Key.Id, AWS::KMS::Alias.AliasName"),
        "{}",
        d[0].message
    );
    assert_eq!(
        found(&format!(
            "{QUEUE}    Properties:\n      KmsMasterKeyId: alias/aws/sqs\n"
        )),
        []
    );
    // A dynamic reference is resolved at deploy time.
    assert_eq!(
        found(&format!("{group}'{{{{resolve:ssm:/vpc/id}}}}'\n")),
        []
    );
}

#[test]
fn iam_actions() {
    let policy = |action: &str| {
        format!("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: {action}\n            Resource: '*'\n")
    };
    let d = check(&policy("s3:createmultipartupload"));
    assert_eq!(
        (d[0].code.as_str(), d[0].severity, d[0].line),
        ("cfn-iam-action", Severity::Warning, Some(9))
    );
    assert_eq!(
        codes(&policy("GetObject")),
        [("cfn-iam-action".into(), Severity::Error)]
    );
    assert_eq!(
        found(&policy("[s3:GetObject, 's3:List*', sqs:sendmessage, '*']")),
        []
    );
    let bucket_policy = "Resources:\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: b\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: '*'\n            Action: sqs:SendMessage\n            Resource: '*'\n";
    assert_eq!(found(bucket_policy), [("cfn-iam-action".into(), 10)]);
}

#[test]
fn a_dynamic_host_port_needs_the_traffic_port_health_check() {
    let template = |health: &str| {
        format!("Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx\n          PortMappings:\n            - ContainerPort: 80\n              HostPort: 0\n  Group:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      Port: 80\n      Protocol: HTTP\n      VpcId: vpc-0123abcd\n{health}  Service:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster: c\n      TaskDefinition: !Ref Task\n      LoadBalancers:\n        - ContainerName: web\n          ContainerPort: 80\n          TargetGroupArn: !Ref Group\n")
    };
    let d = check(&template("      HealthCheckPort: '8080'\n"));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].code.as_str(), d[0].line),
        ("cfn-health-check-port", Some(17))
    );
    assert!(d[0].message.contains("`Group`") && d[0].message.contains("`Service`"));
    assert_eq!(
        found(&template("      HealthCheckPort: traffic-port\n")),
        []
    );
    // Absent, the port is `traffic-port`.
    assert_eq!(found(&template("")), []);
}

/// A SAM function resource named `name`, with more properties in `extra`.
fn sam_function(name: &str, extra: &str) -> String {
    format!("  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: s3://b/k.zip\n{extra}")
}

#[test]
fn sam_values_with_their_globals() {
    let sam = "Transform: AWS::Serverless-2016-10-31\n";
    // Clean: event sources, and a `VpcConfig` whose halves come from `Globals` and the function.
    let clean = format!(
        "{sam}Globals:\n  Function:\n    Timeout: 30\n    VpcConfig:\n      SecurityGroupIds: [sg-12345678]\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n{}",
        sam_function(
            "Fn",
            "      VpcConfig:\n        SubnetIds: [subnet-12345678]\n      Events:\n        FromQueue:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Queue.Arn\n            BatchSize: 10\n"
        )
    );
    assert_eq!(check(&clean), vec![]);

    // A bad value in `Globals` is said once, where it is written, for the two functions it
    // reaches; a property `Globals` cannot hold; an event source's missing and misspelt ones.
    let broken = format!(
        "{sam}Globals:\n  Function:\n    Timeout: thirty\n    Nonsense: 1\nResources:\n{}{}",
        sam_function(
            "One",
            "      Tracing: Sometimes\n      Events:\n        FromQueue:\n          Type: SQS\n          Properties:\n            Qeue: arn:aws:sqs:us-east-1:123456789012:q\n"
        ),
        sam_function("Two", "")
    );
    let d = check(&broken);
    let found: Vec<(&str, Option<u32>)> = d.iter().map(|d| (d.code.as_str(), d.line)).collect();
    assert_eq!(
        found,
        [
            ("cfn-value-type", Some(4)),
            ("cfn-property", Some(5)),
            ("cfn-value-allowed", Some(13)),
            ("cfn-property", Some(18)),
            ("cfn-required-property", Some(18)),
        ],
        "{d:#?}"
    );
    assert!(
        d[1].message.starts_with("`Function.Nonsense` of `Globals`"),
        "{}",
        d[1].message
    );
    assert!(
        d[2].hint.as_deref().unwrap().contains("Active"),
        "an enum beside `type: object`"
    );
    assert_eq!(d[3].hint.as_deref(), Some("did you mean `Queue`?"));

    // `Globals` may complete a mapping the function starts (the transform merges them), unless
    // the function ignores `Globals`.
    let completed = |ignore: &str| {
        format!(
            "{sam}Globals:\n  Function:\n    FunctionUrlConfig:\n      AuthType: NONE\nResources:\n{}{ignore}",
            sam_function("Fn", "      FunctionUrlConfig:\n        InvokeMode: BUFFERED\n")
        )
    };
    assert_eq!(check(&completed("")), vec![]);
    let ignoring = check(&completed("    IgnoreGlobals: '*'\n"));
    assert_eq!(ignoring.len(), 1, "{ignoring:#?}");
    assert_eq!(ignoring[0].code, "cfn-required-property");
    assert!(
        ignoring[0].message.contains("`AuthType`"),
        "{}",
        ignoring[0].message
    );
}

#[test]
fn sam_moves_events_and_deployments_out_of_the_function() {
    let sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n";
    // An API whose definition invokes the function, the function's event on that API: the
    // transform puts the event on the API's side, so no loop.
    let api = format!(
        "{sam}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        paths:\n          /:\n            get:\n              x-amazon-apigateway-integration:\n                uri: !Sub 'arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{Fn.Arn}}/invocations'\n{}",
        sam_function(
            "Fn",
            "      Events:\n        Get:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n            Path: /\n            Method: get\n"
        )
    );
    assert_eq!(check(&api), vec![]);
    // A traffic hook that reads the function it guards, and the CodeDeploy application SAM
    // generates for a deployment preference.
    let hooked = format!(
        "{sam}{}{}",
        sam_function(
            "Guarded",
            "      AutoPublishAlias: live\n      DeploymentPreference:\n        Type: Linear10PercentEvery1Minute\n        Hooks:\n          PreTraffic: !Ref Hook\n"
        ),
        sam_function(
            "Hook",
            "      DeploymentPreference:\n        Enabled: false\n      Environment:\n        Variables:\n          APP: !Ref ServerlessDeploymentApplication\n          VERSION: !Ref Guarded.Version\n"
        )
    );
    assert_eq!(check(&hooked), vec![]);
    // Without any deployment preference there is no such application.
    let unhooked = hooked.replace("Type: Linear10PercentEvery1Minute", "Enabled: false");
    let d = check(&unhooked);
    assert!(
        d.iter()
            .any(|d| d.code == "cfn-ref" && d.message.contains("ServerlessDeploymentApplication")),
        "{d:#?}"
    );
    // Two functions reading each other in their environment: a loop after the transform too.
    let real = format!(
        "{sam}{}{}",
        sam_function(
            "A",
            "      Environment:\n        Variables:\n          B: !Ref B\n"
        ),
        sam_function(
            "B",
            "      Environment:\n        Variables:\n          A: !GetAtt A.Arn\n"
        )
    );
    assert!(check(&real).iter().any(|d| d.code == "cfn-cycle"));
}
