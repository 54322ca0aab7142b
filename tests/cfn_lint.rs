//! Our CloudFormation checks against cfn-lint (issue "CloudFormation checks as deep as cfn-lint"),
//! when cfn-lint is importable (`pip install cfn-lint`, like the Jinja2 oracle): on broken
//! templates of our own and on every `ok` render of the corpus, each error cfn-lint reports is
//! either a class we check — and then we report it on that file too — or a class listed below as
//! left out, with the reason. A cfn-lint error class in neither list fails the test.

use proton_playground::checks::{check_rendered, Mocked};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// cfn-lint rule → the codes of ours that report the same defect.
const COVERED: &[(&str, &[&str])] = &[
    ("E0000", &["cfn-yaml", "cfn-tag"]),
    ("E1150", &["cfn-value-format"]),
    ("E1151", &["cfn-value-format"]),
    ("E1152", &["cfn-value-format"]),
    ("E1153", &["cfn-value-format"]),
    ("E1154", &["cfn-value-format"]),
    ("E1155", &["cfn-value-format"]),
    ("E1156", &["cfn-value-format"]),
    ("E1157", &["cfn-value-format"]),
    ("E1158", &["cfn-value-format"]),
    ("E1159", &["cfn-value-format"]),
    ("E1160", &["cfn-value-format"]),
    ("E1162", &["cfn-value-format"]),
    ("E1164", &["cfn-value-format"]),
    ("E1001", &["cfn-structure", "cfn-resources"]),
    ("E1010", &["cfn-getatt"]),
    ("E1011", &["cfn-find-in-map"]),
    ("E1019", &["cfn-ref"]),
    ("E1020", &["cfn-ref"]),
    ("E2530", &["cfn-runtime"]),
    ("E2531", &["cfn-runtime"]),
    ("E2533", &["cfn-runtime"]),
    // The SAM transform failed: cfn-lint before 1.58 reports SAM's own property errors so
    // (the transform stops at the first).
    ("E0001", SAM_PROPERTIES),
    ("E3001", &["cfn-resource", "cfn-resource-type"]),
    ("E3002", &["cfn-property"]),
    ("E3003", &["cfn-required-property"]),
    ("E3004", &["cfn-cycle"]),
    ("E3005", &["cfn-depends-on"]),
    ("E3006", &["cfn-resource-type"]),
    ("E3012", &["cfn-value-type"]),
    ("E3030", &["cfn-value-allowed", "cfn-runtime"]),
    ("E3031", &["cfn-value-pattern", "cfn-value-format"]),
    ("E3032", &["cfn-value-length"]),
    ("E3033", &["cfn-value-length"]),
    ("E3034", &["cfn-value-range"]),
    ("E3037", &["cfn-value-unique"]),
    // A value none of a schema's alternatives takes (SAM's event sources): we say the closest's.
    ("E3017", SAM_PROPERTIES),
    // SAM's `Globals` section (cfn-lint 1.58 on).
    ("E3724", SAM_PROPERTIES),
    ("E3049", &["cfn-health-check-port"]),
    ("E3015", &["cfn-condition"]),
    ("E3045", &["cfn-s3-acl"]),
    ("E3677", &["cfn-inline-code"]),
    ("E6001", &["cfn-output"]),
    ("E6002", &["cfn-output-value"]),
    ("E6101", &["cfn-output"]),
    ("E6102", &["cfn-output"]),
    ("E8002", &["cfn-condition"]),
];

/// What a SAM property or `Globals` error is, in our codes.
const SAM_PROPERTIES: &[&str] = &[
    "cfn-property",
    "cfn-required-property",
    "cfn-value-type",
    "cfn-value-allowed",
    "cfn-value-pattern",
    "cfn-value-length",
    "cfn-value-range",
];

/// cfn-lint rules we deliberately do not reproduce, and why.
const LEFT_OUT: &[(&str, &str)] = &[];

/// Errors of ours cfn-lint has no error class for, and why they are errors.
const OURS_ONLY: &[(&str, &str)] = &[];

/// Errors of ours that cfn-lint from a version on no longer reports, and why they still are.
const MISSED_SINCE: &[((u32, u32), &str, &str)] = &[(
    (1, 58),
    "cfn-inline-code",
    "cfn-lint 1.58 checks SAM functions before the transform and looks for `Code.ZipFile`, not \
     SAM's `InlineCode` (1.51 reported E3677 on the transformed function); CloudFormation still \
     zips inline code for Node.js and Python only",
)];

/// The installed cfn-lint's `(major, minor)`.
fn cfn_lint_version() -> (u32, u32) {
    let output = Command::new("cfn-lint").arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let mut numbers = text
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok());
    (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0))
}

fn cfn_lint_available() -> bool {
    Command::new("python3")
        .args(["-c", "import cfnlint"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// cfn-lint's error rules per file (warnings and informational rules aside), leaving out the
/// findings about a value `mocked` covers (an ID or ARN format judged on `mock-VpcId`).
fn cfn_lint(files: &[(PathBuf, Mocked)]) -> BTreeMap<PathBuf, BTreeSet<String>> {
    let output = Command::new("cfn-lint")
        .args(["--format", "parseable"])
        .args(files.iter().map(|(f, _)| f))
        .output()
        .expect("cfn-lint runs");
    let mut found: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let parts: Vec<&str> = line.splitn(6, ':').collect();
        if let [file, _, _, _, _, rest] = parts.as_slice() {
            let (rule, message) = rest.split_once(':').unwrap_or((rest, ""));
            let mocked = files
                .iter()
                .find(|(f, _)| f == Path::new(file))
                .is_some_and(|(_, mocked)| mocked.covers(message));
            // E3049 also fires on a target group without `HealthCheckPort` (then on its
            // `Properties`), whose default is `traffic-port`, the right port: not a defect.
            let default_port = rule == "E3049"
                && parts[1].parse::<usize>().is_ok_and(|line| {
                    let text = std::fs::read_to_string(file).unwrap_or_default();
                    !text
                        .lines()
                        .nth(line - 1)
                        .unwrap_or_default()
                        .contains("HealthCheckPort")
                });
            if rule.starts_with('E') && !mocked && !default_port {
                found
                    .entry(PathBuf::from(file))
                    .or_default()
                    .insert(rule.to_string());
            }
        }
    }
    found
}

/// Compares on `files` (rendered templates and their mocked values); returns the failures.
fn compare(files: &[(PathBuf, Mocked)]) -> Vec<String> {
    let theirs = cfn_lint(files);
    let version = cfn_lint_version();
    let mut failures = Vec::new();
    for (file, mocked) in files {
        let text = std::fs::read_to_string(file).unwrap();
        let ours: BTreeSet<String> = check_rendered("t.yaml", &text, &text, mocked)
            .into_iter()
            .filter(|d| d.severity == proton_playground::Severity::Error)
            .map(|d| d.code)
            .collect();
        for rule in theirs.get(file).into_iter().flatten() {
            match COVERED.iter().find(|(r, _)| r == rule) {
                Some((_, codes)) if codes.iter().any(|c| ours.contains(*c)) => {}
                Some((_, codes)) => failures.push(format!(
                    "{}: cfn-lint {rule}, we report none of {codes:?} (ours: {ours:?})",
                    file.display()
                )),
                None if LEFT_OUT.iter().any(|(r, _)| r == rule) => {}
                None => failures.push(format!(
                    "{}: cfn-lint {rule} is neither covered nor listed as left out",
                    file.display()
                )),
            }
        }
        // No error of ours without a cfn-lint error of a class that says the same.
        for code in &ours {
            let said = theirs.get(file).into_iter().flatten().any(|rule| {
                COVERED
                    .iter()
                    .any(|(r, codes)| r == rule && codes.contains(&code.as_str()))
            });
            let missed = MISSED_SINCE
                .iter()
                .any(|(since, c, _)| c == code && version >= *since);
            if !said && !missed && !OURS_ONLY.iter().any(|(c, _)| c == code) {
                failures.push(format!(
                    "{}: we report {code}, cfn-lint no error of the same class",
                    file.display()
                ));
            }
        }
    }
    failures
}

/// One defect class per place, each a finding of both tools.
const BROKEN: &[&str] = &[
    "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: java21\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code:\n        ZipFile: x\n  G:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.7\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code:\n        ZipFile: x\n",
    "Resources:\n  C1:\n    Type: AWS::SQS::Queue\n    DependsOn: C2\n  C2:\n    Type: AWS::SQS::Queue\n    DependsOn: C1\n    Properties:\n      QueueName: !Ref Missing\n      Bogus: 1\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt C1.Nope\nOutputs:\n  O:\n    Value: x\n    Export:\n      Name: [a]\n  L:\n    Value: [a, b]\n",
    "Resourcez: {}\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n  Q:\n    Type: AWS::SQS::Queuee\n  R:\n    Type: AWS::SQS::Queue\n    DependsOn: Nothing\n    Condition: NoSuch\n",
    // Values at every depth: types, allowed values, required and unknown nested properties,
    // ranges, ID formats of literal text.
    "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration: Enabled\n  Bucket2:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: On\n      LifecycleConfiguration:\n        Rules:\n          - Id: r\n            Statuss: Enabled\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: sixty\n      DelaySeconds: 9000\n      Tags:\n        - Key: a\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n      Code:\n        ZipFile: x\n      Environment:\n        Variables:\n          - A\n      VpcConfig:\n        SecurityGroupIds: [my-group]\n        SubnetIds: [subnet-12345678]\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      VpcId: my-vpc\n",
    // SAM: values of the SAM types, their event sources and `Globals` (merged into functions).
    "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Timeout: thirty\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: s3://bucket/key.zip\n      MemorySize: big\n      Tracing: Sometimes\n      Events:\n        FromQueue:\n          Type: SQS\n          Properties:\n            BatchSize: 10\n            Qeue: !GetAtt Queue.Arn\n",
    // A dynamic host port behind a target group that health-checks a fixed port.
    "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx\n          PortMappings:\n            - ContainerPort: 80\n              HostPort: 0\n  Group:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      Port: 80\n      Protocol: HTTP\n      VpcId: vpc-0123abcd\n      HealthCheckPort: '8080'\n  Service:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster: c\n      TaskDefinition: !Ref Task\n      LoadBalancers:\n        - ContainerName: web\n          ContainerPort: 80\n          TargetGroupArn: !Ref Group\n",
];

#[test]
fn broken_templates_are_found_by_both() {
    if !cfn_lint_available() {
        eprintln!("skipping: cfn-lint is not importable (pip install cfn-lint)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(PathBuf, Mocked)> = BROKEN
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let path = dir.path().join(format!("broken-{i}.yaml"));
            std::fs::write(&path, text).unwrap();
            (path, Mocked::default())
        })
        .collect();
    // cfn-lint must find something in each, or the comparison says nothing.
    let theirs = cfn_lint(&files);
    assert_eq!(theirs.len(), files.len(), "{theirs:?}");
    let failures = compare(&files);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_renders_are_found_by_both() {
    if !cfn_lint_available() {
        eprintln!("skipping: cfn-lint is not importable (pip install cfn-lint)");
        return;
    }
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cases");
    if !cases.is_dir() {
        eprintln!("skipping: ../shared/corpus is absent");
        return;
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&cases).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if case["expected_status"] != "ok" {
            continue;
        }
        let dir = cases
            .join(path.file_stem().unwrap())
            .with_extension("expected");
        let outputs = ["env_outputs", "instance_outputs", "component_outputs"];
        let mocked = Mocked::of(outputs.iter().map(|key| &case[*key]));
        for rendered in case["expected_sha256"].as_object().unwrap().keys() {
            let file = dir.join(rendered);
            let is_template = proton_playground::checks::is_template_file(rendered)
                && !rendered.ends_with("manifest.yaml")
                && std::fs::read_to_string(&file).is_ok_and(|t| t.contains("Resources"));
            if is_template {
                files.push((file, mocked.clone()));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        files.len() > 40,
        "expected the corpus's templates, got {}",
        files.len()
    );
    let failures = compare(&files);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
