//! `adopt` on accounts made from real bundles: each stack's deployed body is the corpus's
//! CPython Jinja2 render (what Proton deployed), its tags Proton's; some edited by hand since.
//! Every stack claimed exact must pass both proofs; every edited one must drift. Skips with a
//! message when `../shared/corpus` is absent. The CLI's contract is tested on `examples/`.

use proton_playground::adopt::account::{Account, Texts};
use proton_playground::adopt::{adopt, Adoption, Status};
use proton_playground::migrate::{verify, OutputsMode};
use proton_playground::{run, Mocks, Request, SpecSource, Target, Workspace};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ARN: &str = "arn:aws:proton:us-east-1:123456789012";

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.join("cases").is_dir().then_some(dir)
}

/// One stack of a made account.
struct Made {
    name: String,
    tags: Vec<(String, String)>,
    outputs: Vec<(String, String)>,
    body: Option<String>,
    edited: bool,
}

fn tags(pairs: &[(&str, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// describe-stacks and get-template output for `stacks`.
fn print_account(stacks: &[Made]) -> (Texts, Texts) {
    let list: Vec<Value> = stacks
        .iter()
        .map(|s| {
            json!({
                "StackName": s.name,
                "Tags": s.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
                "Outputs": s.outputs.iter().map(|(k, v)| json!({"OutputKey": k, "OutputValue": v})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let templates = stacks
        .iter()
        .filter_map(|s| {
            let body = s.body.as_ref()?;
            Some((
                format!("{}.json", s.name),
                json!({"TemplateBody": body}).to_string(),
            ))
        })
        .collect();
    (
        vec![("stacks.json".into(), json!({"Stacks": list}).to_string())],
        templates,
    )
}

fn content<'a>(adoption: &'a Adoption, path: &str) -> &'a str {
    &adoption
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap()
        .content
}

/// Both proofs of an exact stack, from the written files alone.
fn proofs_hold(ws: &Workspace, adoption: &Adoption, stack: &str, body: &str) -> Result<(), String> {
    let entry = adoption.stacks.iter().find(|e| e.stack == stack).unwrap();
    let bundle = ws
        .bundles
        .iter()
        .find(|b| {
            Some(&b.name) == entry.template.as_ref()
                && b.major.map_or("1".into(), |m| m.to_string()) == *entry.version.as_ref().unwrap()
        })
        .ok_or("no bundle")?;
    let spec_file = entry.spec_file.as_deref().ok_or("no spec file")?;
    let mocks_text = content(
        adoption,
        entry.mocks_file.as_deref().ok_or("no mocks file")?,
    );
    let mocks: Mocks = serde_json::from_value(
        proton_playground::yaml::parse(mocks_text)
            .unwrap()
            .root
            .to_json(),
    )
    .map_err(|e| e.to_string())?;
    let target = match entry.kind.as_deref() {
        Some("environment") => Target::Environment,
        Some("pipeline") => Target::Pipeline,
        _ => Target::ServiceInstance,
    };
    let report = run(
        bundle,
        &Request {
            target: Some(target),
            instance: entry.instance.clone(),
            spec: Some(SpecSource {
                path: spec_file.into(),
                text: content(adoption, spec_file).into(),
            }),
            mocks,
            skip_checks: true,
            ..Default::default()
        },
    );
    let refuted = report.diagnostics.iter().any(|d| {
        d.is_error()
            && ["template-", "input-", "spec-", "target-"]
                .iter()
                .any(|p| d.code.starts_with(p))
    });
    if refuted || report.outputs[0].content != body {
        return Err("render with the spec and mocks files is not the deployed body".into());
    }
    let deployment = proton_playground::yaml::parse(content(
        adoption,
        entry.deployment_file.as_deref().unwrap(),
    ))
    .unwrap()
    .root
    .to_json();
    let template = content(adoption, deployment["template-file-path"].as_str().unwrap());
    let parameters = deployment["parameters"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    verify(template, &parameters, body)
}

#[test]
fn accounts_made_from_the_corpus() {
    let Some(corpus) = corpus() else {
        eprintln!("skipping: ../shared/corpus is absent");
        return;
    };
    // The corpus's cases by bundle: one account per bundle.
    let mut by_bundle: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for entry in std::fs::read_dir(corpus.join("cases")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let case: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let adoptable = case["expected_status"] == "ok"
                && case["kind"] != "component"
                && case["expected_files"]
                    .as_array()
                    .is_some_and(|f| f.len() == 1)
                && case["options"]["compat"].is_null();
            if adoptable {
                // One account per bundle and spec: a service's stacks come from one spec.
                let key = format!("{}\t{}", case["bundle"].as_str().unwrap(), case["spec"]);
                by_bundle.entry(key).or_default().push(case);
            }
        }
    }
    let (mut exact, mut adoptable, mut edited_drift) = (0, 0, 0);
    let mut missed = Vec::new();
    for (key, cases) in &by_bundle {
        let bundle_path = key.split('\t').next().unwrap();
        let ws = Workspace::load_path(&corpus.join(bundle_path)).unwrap();
        // A pre-GA bundle: Proton (GA) refused it, so no account holds its stacks.
        let pre_ga = ws
            .all_diagnostics()
            .iter()
            .any(|d| d.code.starts_with("pre-ga-") && d.is_error());
        let name = &ws.bundles[0].name;
        let mut stacks: Vec<Made> = Vec::new();
        // Each service's instance outputs as its pipeline read them.
        let mut pipeline_outputs: Vec<(String, Value)> = Vec::new();
        for case in cases {
            let expected = corpus
                .join(case["expected_path"].as_str().unwrap())
                .join(case["expected_files"][0].as_str().unwrap());
            let body = std::fs::read_to_string(expected).unwrap();
            let names = &case["names"];
            let service = names["service_name"].as_str().unwrap().to_string();
            let template_tag =
                |kind: &str| ("proton:template", format!("{ARN}:{kind}-template/{name}"));
            let outputs_of = |v: &Value| -> Vec<(String, String)> {
                v.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), String::from)))
                    .collect()
            };
            match case["kind"].as_str().unwrap() {
                "environment" => {
                    let env = names["env_name"].as_str().unwrap();
                    stacks.push(Made {
                        name: format!("AWSProton-{env}-cloudformation-E"),
                        tags: tags(&[
                            (
                                "proton:account",
                                names["account_id"].as_str().unwrap().into(),
                            ),
                            template_tag("environment"),
                            ("proton:environment", format!("{ARN}:environment/{env}")),
                        ]),
                        outputs: Vec::new(),
                        body: Some(body),
                        edited: false,
                    });
                }
                "service_instance" => {
                    let spec_name = case["instance"].as_str().unwrap();
                    let instance = names["instance_name_override"]
                        .as_str()
                        .unwrap_or(spec_name);
                    let env = case["spec"]["instances"]
                        .as_array()
                        .and_then(|list| list.iter().find(|i| i["name"] == spec_name))
                        .and_then(|i| i["environment"].as_str())
                        .unwrap_or("my-env")
                        .to_string();
                    // The environment's stack, made from a template not given: its outputs
                    // are what the instance read.
                    if !stacks
                        .iter()
                        .any(|s| s.name == format!("AWSProton-{env}-env"))
                    {
                        stacks.push(Made {
                            name: format!("AWSProton-{env}-env"),
                            tags: tags(&[
                                (
                                    "proton:template",
                                    format!("{ARN}:environment-template/elsewhere"),
                                ),
                                ("proton:environment", format!("{ARN}:environment/{env}")),
                            ]),
                            outputs: outputs_of(&case["env_outputs"]),
                            body: None,
                            edited: false,
                        });
                    }
                    stacks.push(Made {
                        name: format!("AWSProton-{service}-{instance}-cloudformation-I"),
                        tags: tags(&[
                            (
                                "proton:account",
                                names["account_id"].as_str().unwrap().into(),
                            ),
                            template_tag("service"),
                            ("proton:environment", format!("{ARN}:environment/{env}")),
                            ("proton:service", format!("{ARN}:service/{service}")),
                            (
                                "proton:service-instance",
                                format!("{ARN}:service/{service}/service-instance/{instance}"),
                            ),
                        ]),
                        outputs: outputs_of(&case["instance_outputs"]),
                        body: Some(body),
                        edited: false,
                    });
                }
                _ => {
                    pipeline_outputs.push((service.clone(), case["instance_outputs"].clone()));
                    stacks.push(Made {
                        name: format!("AWSProton-{service}-pipeline-P"),
                        tags: tags(&[
                            (
                                "proton:account",
                                names["account_id"].as_str().unwrap().into(),
                            ),
                            template_tag("service"),
                            ("proton:service", format!("{ARN}:service/{service}")),
                        ]),
                        outputs: Vec::new(),
                        body: Some(body),
                        edited: false,
                    })
                }
            }
        }
        // What each instance stack outputs, as its pipeline read it.
        for (service, outputs) in &pipeline_outputs {
            for made in stacks.iter_mut() {
                let of_service = made
                    .tags
                    .iter()
                    .any(|(k, v)| k == "proton:service" && v.ends_with(&format!("/{service}")));
                let instance = made
                    .tags
                    .iter()
                    .find(|(k, _)| k == "proton:service-instance")
                    .map(|(_, v)| v.rsplit('/').next().unwrap_or_default().to_string());
                if let (true, Some(instance)) = (of_service, instance) {
                    let pairs = |v: &Value| -> Vec<(String, String)> {
                        v.as_object()
                            .into_iter()
                            .flatten()
                            .map(|(k, v)| {
                                (k.clone(), v.as_str().map_or(v.to_string(), String::from))
                            })
                            .collect()
                    };
                    made.outputs = match outputs.get(&instance) {
                        Some(own) if own.is_object() => pairs(own),
                        _ => pairs(outputs),
                    };
                }
            }
        }
        // One stack edited by hand since Proton deployed it.
        if let Some(first) = stacks.iter().find(|s| s.body.is_some()) {
            let mut copy = Made {
                name: format!("{}-edited", first.name),
                tags: first.tags.clone(),
                outputs: first.outputs.clone(),
                body: first.body.as_ref().map(|b| {
                    b.replacen(
                        "Resources:",
                        "Resources:\n  HandMade:\n    Type: AWS::SNS::Topic\n",
                        1,
                    )
                }),
                edited: true,
            };
            // A second stack of the same role would not be told apart: give it its own name.
            for (k, v) in copy.tags.iter_mut() {
                if k == "proton:environment" && first.name.ends_with("-E") {
                    *v = format!("{v}-edited");
                }
                if k == "proton:service-instance" {
                    *v = format!("{v}-edited");
                }
            }
            if copy.body != first.body && !first.name.contains("pipeline") {
                stacks.push(copy);
            }
        }
        // Two cases of one bundle may render the same instance of the same service for other
        // specs: an account holds it once.
        let mut seen = std::collections::BTreeSet::new();
        stacks.retain(|s| seen.insert(s.name.clone()));
        let (pages, templates) = print_account(&stacks);
        let (account, _) = Account::read(&pages, &templates);
        let adoption = adopt(&ws, &account, OutputsMode::Parameters);
        for made in stacks.iter().filter(|s| s.body.is_some()) {
            let entry = adoption
                .stacks
                .iter()
                .find(|e| e.stack == made.name)
                .unwrap();
            let body = made.body.as_deref().unwrap();
            if made.edited {
                assert_ne!(
                    entry.status,
                    Status::Exact,
                    "{}: an edited stack claimed exact",
                    made.name
                );
                edited_drift += 1;
                continue;
            }
            if pre_ga {
                assert_ne!(
                    entry.status,
                    Status::Exact,
                    "{}: a pre-GA bundle's stack claimed exact",
                    made.name
                );
                continue;
            }
            adoptable += 1;
            match entry.status {
                Status::Exact => {
                    proofs_hold(&ws, &adoption, &made.name, body).unwrap_or_else(|e| {
                        panic!("{bundle_path} {}: claimed exact, but {e}", made.name)
                    });
                    exact += 1;
                }
                _ => missed.push(format!(
                    "{bundle_path} {}: {:?} {:?}",
                    made.name,
                    entry.status,
                    entry
                        .diagnostics
                        .iter()
                        .map(|d| &d.message)
                        .collect::<Vec<_>>()
                )),
            }
        }
    }
    eprintln!("adopted exactly: {exact} of {adoptable}; edited stacks drifting: {edited_drift}");
    for m in &missed {
        eprintln!("  not exact: {m}");
    }
    assert!(adoptable > 40, "the corpus's cases make accounts");
    assert!(edited_drift > 5);
    assert!(
        exact * 10 >= adoptable * 9,
        "{exact} of {adoptable} adopted exactly:\n{}",
        missed.join("\n")
    );
}

/// The CLI on a small account made from `examples/`: its exit codes, its files, its proofs.
#[test]
fn the_cli_adopts_an_account_made_from_the_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_proton-playground");
    let work = tempfile::tempdir().unwrap();
    let templates = work.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    // Two environments and one service, rendered by the CLI itself.
    let render = |args: &[&str], spec: &str, mocks: &Value| {
        let spec_path = work.path().join("spec.json");
        let mocks_path = work.path().join("mocks.json");
        std::fs::write(&spec_path, spec).unwrap();
        std::fs::write(&mocks_path, mocks.to_string()).unwrap();
        let out = std::process::Command::new(bin)
            .arg("render")
            .args(args)
            .arg("--spec")
            .arg(&spec_path)
            .arg("--mocks")
            .arg(&mocks_path)
            .current_dir(root)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let env_body = render(
        &["examples/templates/ecs-shared-env/v1"],
        "proton: EnvironmentSpec\nspec:\n  vpc_cidr: 10.42.0.0/16\n  nat_gateway_count: 2\n",
        &json!({"environment": {"name": "dev", "account_id": "111122223333"}}),
    );
    assert!(env_body.contains("10.42.0.0/16"));
    let stacks = json!({"Stacks": [
        {"StackName": "AWSProton-dev-cloudformation-1", "Tags": [
            {"Key": "proton:account", "Value": "111122223333"},
            {"Key": "proton:template", "Value": format!("{ARN}:environment-template/ecs-shared-env")},
            {"Key": "proton:environment", "Value": format!("{ARN}:environment/dev")}]},
        {"StackName": "someone-elses", "Tags": []},
    ]});
    std::fs::write(work.path().join("stacks.json"), stacks.to_string()).unwrap();
    std::fs::write(
        templates.join("AWSProton-dev-cloudformation-1.json"),
        json!({"TemplateBody": env_body}).to_string(),
    )
    .unwrap();
    std::fs::write(templates.join("someone-elses.yaml"), "Resources: {}\n").unwrap();
    let out_dir = work.path().join("repo");
    let adopt = |format: &str| {
        std::process::Command::new(bin)
            .args(["adopt", "examples/templates", "--stacks"])
            .arg(work.path().join("stacks.json"))
            .arg("--templates")
            .arg(&templates)
            .arg("--out")
            .arg(&out_dir)
            .args(["--format", format])
            .current_dir(root)
            .output()
            .unwrap()
    };
    let out = adopt("text");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout
            .contains("exact      AWSProton-dev-cloudformation-1 ecs-shared-env v1 (environment)"),
        "{stdout}"
    );
    assert!(stdout.contains("unmatched  someone-elses"), "{stdout}");
    for file in [
        "adoption.json",
        "README.md",
        "specs/dev.yaml",
        "mocks/AWSProton-dev-cloudformation-1.yaml",
        "deployments/AWSProton-dev-cloudformation-1.yaml",
        "iam/git-sync-role.json",
    ] {
        assert!(out_dir.join(file).is_file(), "{file} written");
    }
    let spec = std::fs::read_to_string(out_dir.join("specs/dev.yaml")).unwrap();
    assert!(
        spec.contains("vpc_cidr: 10.42.0.0/16") && spec.contains("nat_gateway_count: 2"),
        "{spec}"
    );
    // `render` with the files written gives the deployed body.
    let again = std::process::Command::new(bin)
        .args(["render", "examples/templates/ecs-shared-env/v1", "--spec"])
        .arg(out_dir.join("specs/dev.yaml"))
        .arg("--mocks")
        .arg(out_dir.join("mocks/AWSProton-dev-cloudformation-1.yaml"))
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&again.stdout), env_body);
    // JSON for CI; a drifted stack makes the exit code 1.
    let json_out: Value = serde_json::from_slice(&adopt("json").stdout).unwrap();
    assert_eq!(json_out["stacks"].as_array().unwrap().len(), 2);
    std::fs::write(
        templates.join("AWSProton-dev-cloudformation-1.json"),
        json!({"TemplateBody": env_body.replace("Resources:", "Resources:\n  Extra:\n    Type: AWS::SNS::Topic\n")}).to_string(),
    )
    .unwrap();
    let out = adopt("text");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("drift      AWSProton-dev-cloudformation-1")
    );
    // A malformed describe-stacks file is a located diagnostic, not a crash.
    std::fs::write(work.path().join("stacks.json"), "{\"Stacks\": [").unwrap();
    let out = adopt("text");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[adopt-stacks]"));
}
