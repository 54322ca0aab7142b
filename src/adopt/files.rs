//! What an adoption writes: the recovered specs and mocks (each value with where it came from),
//! the migration of the exact stacks (proven again against the deployed bodies), the drifted
//! stacks' bodies as deployed with their deployment files, an IAM role for Git Sync scoped to the
//! adopted stacks, `adoption.json` and the README.

use super::recover::Origin;
use super::{
    known_stack, migrate_exact, proves, template_subject, AdoptedStack, Adoption, Case, Found,
    Status,
};
use crate::adopt::account::{Body, Role};
use crate::bundle::Bundle;
use crate::context::Target;
use crate::diagnostic::Diagnostic;
use crate::migrate::{self, OutputsMode, SpecInput};
use crate::report::files::RenderedFile;
use crate::report::SpecSource;
use crate::workspace::Workspace;
use serde_json::{json, Map, Value as Json};

/// One spec file being written: its bundle, path, the cases it serves.
struct SpecFile<'c> {
    bundle: &'c Bundle,
    path: String,
    /// Indexes into the cases.
    members: Vec<usize>,
}

/// A name safe as a file name.
fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The spec files of the exact cases: an EnvironmentSpec per environment, a ServiceSpec per
/// service and template version.
fn spec_files<'c>(cases: &'c [Case]) -> Vec<SpecFile<'c>> {
    let mut specs: Vec<SpecFile> = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let Some(found) = case.found.as_ref().filter(|f| f.exact) else {
            continue;
        };
        let stem = match &case.mapped.role {
            Role::Environment { name } => name.clone(),
            Role::ServiceInstance { service, .. } | Role::Pipeline { service } => service.clone(),
            Role::Component { name } => name.clone(),
        };
        let is_environment = matches!(case.mapped.role, Role::Environment { .. });
        let same = specs.iter_mut().find(|s| {
            !is_environment
                && std::ptr::eq(s.bundle, found.bundle)
                && s.members
                    .iter()
                    .any(|&m| cases[m].service() == case.service())
        });
        match same {
            Some(spec) => spec.members.push(i),
            None => {
                let mut path = format!("specs/{}.yaml", file_name(&stem));
                let mut n = 2;
                while specs.iter().any(|s| s.path == path) {
                    path = format!("specs/{}-{n}.yaml", file_name(&stem));
                    n += 1;
                }
                specs.push(SpecFile {
                    bundle: found.bundle,
                    path,
                    members: vec![i],
                });
            }
        }
    }
    specs
}

/// A section's inputs for the spec, with required inputs the body does not tell filled by their
/// schema's example (and named, so the file says so), and each input's origin.
fn section(
    found: &Found,
    frame_kind: crate::schema::InputKind,
) -> (Map<String, Json>, Vec<String>, Vec<String>) {
    let mut inputs = found.known.inputs.clone();
    let mut undetermined = Vec::new();
    let mut notes = Vec::new();
    let properties = found
        .bundle
        .schema
        .as_ref()
        .and_then(|s| s.input_type(frame_kind))
        .map_or(&[][..], |t| t.properties.as_slice());
    for property in properties {
        match found
            .known
            .origins
            .iter()
            .find(|(n, _)| *n == property.name)
        {
            Some((_, Origin::Deployed { line })) => notes.push(format!(
                "{}: read off the deployed template, line {line}",
                property.name
            )),
            Some((_, Origin::Branch)) => notes.push(format!(
                "{}: the deployed template takes the `{{% if %}}` branch this value decides",
                property.name
            )),
            None if found.pinned(property) => notes.push(format!(
                "{}: {} — the deployed template has it (another value renders otherwise)",
                property.name,
                if found.known.inputs.contains_key(&property.name) {
                    "as found"
                } else {
                    "its default"
                }
            )),
            None => {
                undetermined.push(property.name.clone());
                if property.required
                    && property.default.is_none()
                    && !inputs.contains_key(&property.name)
                {
                    inputs.insert(
                        property.name.clone(),
                        crate::schema::examples::example_value(&property.schema),
                    );
                    notes.push(format!(
                        "{}: UNDETERMINED — required, and nothing in the deployed template depends on it: an example value stands in; write Proton's value",
                        property.name
                    ));
                } else {
                    notes.push(format!(
                        "{}: undetermined — nothing in the deployed template depends on it; {}",
                        property.name,
                        if inputs.contains_key(&property.name) {
                            "kept as found"
                        } else {
                            "its default applies"
                        }
                    ));
                }
            }
        }
    }
    (inputs, undetermined, notes)
}

/// YAML text of `document` under a comment header.
fn yaml_with_header(header: &[String], document: &Map<String, Json>) -> String {
    let mut text: String = header.iter().map(|l| format!("# {l}\n")).collect();
    let mut body = String::new();
    crate::yaml::write_mapping(&mut body, document, 0);
    text.push_str(body.trim_start_matches('\n'));
    text
}

/// The mocks file of one exact stack, each value with its origin.
fn mocks_file(case: &Case, found: &Found) -> String {
    let mocks = serde_json::to_value(&found.known.mocks).unwrap_or_default();
    // Only what is known: empty and absent fields stay out (they take no part in the render).
    fn prune(value: &Json) -> Option<Json> {
        match value {
            Json::Null => None,
            Json::Object(m) => {
                let kept: Map<String, Json> = m
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), prune(v)?)))
                    .collect();
                (!kept.is_empty()).then_some(Json::Object(kept))
            }
            other => Some(other.clone()),
        }
    }
    let document = match prune(&mocks) {
        Some(Json::Object(m)) => m,
        _ => Map::new(),
    };
    let mut header = vec![
        format!(
            "What Proton knew when it deployed stack {} (proton-playground adopt):",
            case.deployed.name
        ),
        "  names and the account: the stack's proton:* tags".to_string(),
    ];
    if let Role::ServiceInstance {
        environment: Some(env),
        ..
    } = &case.mapped.role
    {
        if !found.known.mocks.environment.outputs.is_empty() {
            header.push(format!(
                "  environment.outputs: the Outputs of environment `{env}`'s stack, as deployed"
            ));
        }
    }
    if let Role::Pipeline { .. } = case.mapped.role {
        header.push(
            "  outputs_by_instance, environments: the instance and environment stacks' Outputs"
                .into(),
        );
    }
    for (field, origin) in &found.known.mock_origins {
        if let Origin::Deployed { line } = origin {
            header.push(format!(
                "  {field}: read off the deployed template, line {line}"
            ));
        }
    }
    yaml_with_header(&header, &document)
}

/// The located differences between the closest render and the deployed body (at most five).
fn differences(found: &Found, body: &Body) -> Vec<Diagnostic> {
    let Some(render) = &found.render else {
        return Vec::new();
    };
    let deployed = body.text();
    let template = found
        .bundle
        .files
        .get(&render.file)
        .cloned()
        .unwrap_or_default();
    let origins = crate::assist::line_map(&template, &render.text);
    let rendered_lines: Vec<&str> = render.text.lines().collect();
    let deployed_lines: Vec<&str> = deployed.lines().collect();
    let diff = similar::TextDiff::from_lines(&render.text, &deployed);
    let mut out = Vec::new();
    for op in diff
        .ops()
        .iter()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .take(5)
    {
        let (old, new) = (op.old_range(), op.new_range());
        let ours = rendered_lines.get(old.start).copied();
        let theirs = deployed_lines.get(new.start).copied();
        let message = match (old.is_empty(), new.is_empty()) {
            (true, _) => format!(
                "deployed line {}: `{}` — the render has no such line",
                new.start + 1,
                theirs.unwrap_or_default().trim()
            ),
            (_, true) => format!(
                "rendered line {}: `{}` — the deployed template has no such line",
                old.start + 1,
                ours.unwrap_or_default().trim()
            ),
            _ => format!(
                "deployed line {}: `{}`; the render has `{}`",
                new.start + 1,
                theirs.unwrap_or_default().trim(),
                ours.unwrap_or_default().trim()
            ),
        };
        let template_line = origins
            .get(old.start.min(origins.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0);
        let mut d = Diagnostic::warning("adopt-difference", message).in_file(&render.file);
        if template_line > 0 {
            d = d.at(template_line, 1);
        }
        out.push(found.bundle.in_workspace(d, None));
    }
    out
}

/// The deployment of a drifted stack: its body as deployed, its parameters and tags as they are.
fn as_deployed(case: &Case) -> (String, Vec<RenderedFile>) {
    let extension = match case.body {
        Body::Json(_) => "json",
        Body::Text(text) if text.trim_start().starts_with('{') => "json",
        Body::Text(_) => "yaml",
    };
    let template_file = format!("templates/deployed/{}.{extension}", case.deployed.name);
    let parameters: Map<String, Json> = case
        .deployed
        .parameters
        .iter()
        .map(|(k, v)| (k.clone(), Json::String(v.clone())))
        .collect();
    let tags: Map<String, Json> = case
        .deployed
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), Json::String(v.clone())))
        .collect();
    let mut document = Map::new();
    document.insert(
        "template-file-path".into(),
        Json::String(template_file.clone()),
    );
    document.insert("parameters".into(), Json::Object(parameters));
    document.insert("tags".into(), Json::Object(tags));
    let header = vec![format!(
        "CloudFormation Git Sync stack deployment file for stack {}: its template, parameters and tags as deployed (drift: no template version reproduces it).",
        case.deployed.name
    )];
    let deployment = RenderedFile {
        path: format!("deployments/{}.yaml", case.deployed.name),
        content: yaml_with_header(&header, &document),
    };
    let template = RenderedFile {
        path: template_file,
        content: case.body.text(),
    };
    (deployment.path.clone(), vec![template, deployment])
}

/// An IAM role Git Sync assumes, allowed to change exactly `stacks`.
fn git_sync_role(stacks: &[&str]) -> String {
    let arns: Vec<Json> = stacks
        .iter()
        .map(|s| json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:cloudformation:${{AWS::Region}}:${{AWS::AccountId}}:stack/{s}/*")}))
        .collect();
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "The role CloudFormation Git Sync assumes to keep the adopted stacks in sync with this repository (proton-playground adopt).",
        "Resources": {
            "GitSyncRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudformation.sync.codeconnections.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }],
                    },
                    "Policies": [{
                        "PolicyName": "SyncAdoptedStacks",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Sid": "SyncTheAdoptedStacks",
                                    "Effect": "Allow",
                                    "Action": [
                                        "cloudformation:CreateChangeSet",
                                        "cloudformation:DeleteChangeSet",
                                        "cloudformation:DescribeChangeSet",
                                        "cloudformation:DescribeStackEvents",
                                        "cloudformation:DescribeStacks",
                                        "cloudformation:ExecuteChangeSet",
                                        "cloudformation:GetTemplate",
                                        "cloudformation:ListChangeSets",
                                    ],
                                    "Resource": arns,
                                },
                                {
                                    "Sid": "ActionsWithoutAStack",
                                    "Effect": "Allow",
                                    "Action": ["cloudformation:ListStacks", "cloudformation:ValidateTemplate"],
                                    "Resource": "*",
                                },
                                {
                                    "Sid": "SyncStatusEvents",
                                    "Effect": "Allow",
                                    "Action": ["events:PutRule", "events:PutTargets"],
                                    "Resource": "*",
                                    "Condition": {"StringEquals": {"events:ManagedBy": ["cloudformation.sync.codeconnections.amazonaws.com"]}},
                                },
                                {
                                    "Sid": "DescribeSyncStatusRules",
                                    "Effect": "Allow",
                                    "Action": ["events:DescribeRule"],
                                    "Resource": {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*"},
                                },
                            ],
                        },
                    }],
                },
            },
        },
        "Outputs": {"GitSyncRoleArn": {"Value": {"Fn::GetAtt": ["GitSyncRole", "Arn"]}}},
    });
    serde_json::to_string_pretty(&template).unwrap_or_default() + "\n"
}

fn kind_name(role: &Role) -> &'static str {
    match role {
        Role::Environment { .. } => "environment",
        Role::ServiceInstance { .. } => "service-instance",
        Role::Pipeline { .. } => "pipeline",
        Role::Component { .. } => "component",
    }
}

/// Writes the adoption of `cases` into `adoption`.
pub(super) fn write(
    workspace: &Workspace,
    cases: &[Case],
    outputs: OutputsMode,
    adoption: &mut Adoption,
) {
    let mut entries: Vec<AdoptedStack> = cases
        .iter()
        .map(|case| {
            let (environment, service, instance) = match &case.mapped.role {
                Role::Environment { name } => (Some(name.clone()), None, None),
                Role::ServiceInstance {
                    service,
                    instance,
                    environment,
                } => (
                    environment.clone(),
                    Some(service.clone()),
                    Some(instance.clone()),
                ),
                Role::Pipeline { service } => (None, Some(service.clone()), None),
                Role::Component { .. } => (None, None, None),
            };
            let found = case.found.as_ref();
            AdoptedStack {
                stack: case.deployed.name.clone(),
                status: if found.is_some_and(|f| f.exact) {
                    Status::Exact
                } else {
                    Status::Drift
                },
                kind: Some(kind_name(&case.mapped.role).to_string()),
                template: Some(case.mapped.template.clone()),
                version: found.map(|f| f.bundle.major.map_or("1".to_string(), |m| m.to_string())),
                target: found.map(|f| f.target.name().to_string()),
                environment,
                service,
                instance,
                spec_file: None,
                mocks_file: None,
                deployment_file: None,
                template_file: None,
                undetermined: Vec::new(),
                diagnostics: Vec::new(),
            }
        })
        .collect();
    // The recovered specs and mocks, proven by rendering them as written.
    let mut files: Vec<RenderedFile> = Vec::new();
    let mut inputs: Vec<SpecInput> = Vec::new();
    for spec in spec_files(cases) {
        let mut document = Map::new();
        let mut header = vec![format!(
            "Recovered by proton-playground adopt from the deployed templates of {} (template {}); each input and where it came from:",
            spec.members.iter().map(|&m| cases[m].deployed.name.as_str()).collect::<Vec<_>>().join(", "),
            spec.bundle.label()
        )];
        let mut instances = Vec::new();
        let mut adopted_inputs: std::collections::BTreeMap<usize, Map<String, Json>> =
            std::collections::BTreeMap::new();
        for &m in &spec.members {
            let case = &cases[m];
            let found = case.found.as_ref().expect("exact cases are found");
            let kind = match found.target {
                Target::Environment => crate::schema::InputKind::Environment,
                Target::Pipeline => crate::schema::InputKind::Pipeline,
                _ => crate::schema::InputKind::Service,
            };
            let (values, undetermined, notes) = section(found, kind);
            let scope = match &case.mapped.role {
                Role::ServiceInstance { instance, .. } => format!("instance {instance}"),
                Role::Pipeline { .. } => "pipeline".to_string(),
                _ => "spec".to_string(),
            };
            header.extend(notes.iter().map(|n| format!("  {scope}: {n}")));
            entries[m].undetermined = undetermined;
            match &case.mapped.role {
                Role::Environment { .. } => {
                    document.insert("proton".into(), json!("EnvironmentSpec"));
                    document.insert("spec".into(), Json::Object(values));
                }
                Role::ServiceInstance { .. } => {
                    adopted_inputs.insert(m, values);
                }
                Role::Pipeline { .. } => {
                    document.insert("pipeline".into(), Json::Object(values));
                }
                Role::Component { .. } => {}
            }
        }
        // Every instance of the service on this version, in the order its pipeline rendered
        // them; one drifted since keeps its inputs as read off its body (not adopted).
        for (i, case) in cases.iter().enumerate() {
            let (
                Role::ServiceInstance {
                    instance,
                    environment,
                    ..
                },
                Some(found),
            ) = (&case.mapped.role, case.found.as_ref())
            else {
                continue;
            };
            let of_this = std::ptr::eq(found.bundle, spec.bundle)
                && spec
                    .members
                    .iter()
                    .any(|&m| cases[m].service() == case.service());
            // With a pipeline, the instances it rendered; else those adopted.
            let pipeline = spec.members.iter().find_map(|&m| {
                let f = cases[m].found.as_ref()?;
                (f.target == Target::Pipeline).then_some(f)
            });
            let wanted = match pipeline {
                Some(p) => p.renders_instance(instance),
                None => adopted_inputs.contains_key(&i),
            };
            if !of_this || !wanted || document.contains_key("proton") {
                continue;
            }
            let values = match adopted_inputs.remove(&i) {
                Some(values) => values,
                None => {
                    header.push(format!(
                        "  instance {instance}: its stack {} drifted (edited since Proton deployed it); its inputs as read off its body, for the pipeline — not adopted",
                        case.deployed.name
                    ));
                    found.known.inputs.clone()
                }
            };
            instances.push(json!({
                "name": instance,
                "environment": environment.clone().unwrap_or_default(),
                "spec": values,
            }));
        }
        if !document.contains_key("proton") {
            let mut service = Map::new();
            service.insert("proton".into(), json!("ServiceSpec"));
            if let Some(pipeline) = document.remove("pipeline") {
                service.insert("pipeline".into(), pipeline);
            }
            service.insert("instances".into(), Json::Array(instances));
            document = service;
        }
        let source = SpecSource {
            path: spec.path.clone(),
            text: yaml_with_header(&header, &document),
        };
        let mut known = Vec::new();
        for &m in &spec.members {
            let case = &cases[m];
            let found = case.found.as_ref().expect("exact cases are found");
            let mocks_path = format!("mocks/{}.yaml", case.deployed.name);
            let mocks_text = mocks_file(case, found);
            match proves(found, &source, &mocks_text, case.body) {
                Ok(()) => {
                    entries[m].spec_file = Some(spec.path.clone());
                    entries[m].mocks_file = Some(mocks_path.clone());
                    known.push(known_stack(case, found, found.known.mocks.clone()));
                    files.push(RenderedFile {
                        path: mocks_path,
                        content: mocks_text,
                    });
                }
                Err(why) => {
                    entries[m].status = Status::Drift;
                    entries[m].diagnostics.push(
                        Diagnostic::error(
                            "adopt-proof",
                            format!("stack {}: {why}", case.deployed.name),
                        )
                        .in_file(&spec.path)
                        .about(template_subject(found.bundle, Some(why))),
                    );
                }
            }
        }
        if known.is_empty() {
            continue;
        }
        files.push(RenderedFile {
            path: source.path.clone(),
            content: source.text.clone(),
        });
        inputs.push(SpecInput {
            template: Some(spec.bundle.root.clone()),
            source,
            stacks: known,
            from_form: false,
            unconfirmed_mocks: false,
        });
    }
    // The exact stacks' repository, each deployment proven against its deployed body.
    let migration = migrate_exact(workspace, inputs, outputs);
    adoption
        .diagnostics
        .extend(migration.diagnostics.iter().cloned());
    let mut dropped: Vec<String> = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        if entries[i].status != Status::Exact {
            continue;
        }
        let proof = match migration
            .stacks
            .iter()
            .find(|s| s.name == case.deployed.name)
        {
            None => Err("the migration left it out".to_string()),
            Some(stack) => {
                let template = migration
                    .files
                    .iter()
                    .find(|f| f.path == stack.template_file)
                    .map(|f| f.content.as_str())
                    .unwrap_or_default();
                entries[i].deployment_file = Some(stack.deployment_file.clone());
                entries[i].template_file = Some(stack.template_file.clone());
                migrate::verify(template, &stack.parameters, &case.body.text())
            }
        };
        if let Err(why) = proof {
            dropped.extend(entries[i].deployment_file.take());
            entries[i].template_file = None;
            entries[i].status = Status::Drift;
            entries[i].diagnostics.push(Diagnostic::error(
                "adopt-proof",
                format!("stack {}: its Git Sync deployment does not resolve to the deployed body ({why})", case.deployed.name),
            ));
        }
    }
    files.extend(migration.files.into_iter().filter(|f| {
        !dropped.contains(&f.path) && f.path != "README.md" && f.path != "migration.json"
    }));
    // Drift: the body as deployed, and where it parts from the closest version.
    for (i, case) in cases.iter().enumerate() {
        if entries[i].status != Status::Drift {
            continue;
        }
        let (deployment, written) = as_deployed(case);
        entries[i].template_file = Some(written[0].path.clone());
        entries[i].deployment_file = Some(deployment);
        files.extend(written);
        let closest = case.found.as_ref();
        let message = match closest {
            Some(found) => format!(
                "stack {}: no version and inputs reproduce its deployed template (edited since, or deployed from a version not given); the closest is {}: it is kept as deployed",
                case.deployed.name,
                found.bundle.label()
            ),
            None => format!(
                "stack {}: no given version of `{}` renders for it; it is kept as deployed",
                case.deployed.name, case.mapped.template
            ),
        };
        let mut d = Diagnostic::error("adopt-drift", message).in_file(&case.deployed.file).with_hint(
            "connecting Git Sync with its deployment file changes nothing; bring it back to a template version by editing the template or the spec, then point the deployment at that",
        );
        if let Some(found) = closest {
            d = d.about(template_subject(found.bundle, None));
            entries[i].diagnostics.push(d);
            entries[i].diagnostics.extend(differences(found, case.body));
        } else {
            entries[i].diagnostics.push(d);
        }
    }
    let adopted: Vec<&str> = entries
        .iter()
        .filter(|e| e.status != Status::Unmatched)
        .map(|e| e.stack.as_str())
        .collect();
    if !adopted.is_empty() {
        files.push(RenderedFile {
            path: "iam/git-sync-role.json".into(),
            content: git_sync_role(&adopted),
        });
    }
    adoption.stacks.extend(entries);
    adoption.stacks.sort_by(|a, b| a.stack.cmp(&b.stack));
    files.push(RenderedFile {
        path: "adoption.json".into(),
        content: serde_json::to_string_pretty(&json!({ "stacks": adoption.stacks }))
            .unwrap_or_default()
            + "\n",
    });
    files.push(RenderedFile {
        path: "README.md".into(),
        content: readme(&adoption.stacks),
    });
    adoption.files = files;
    for stack in &adoption.stacks {
        adoption
            .diagnostics
            .extend(stack.diagnostics.iter().cloned());
    }
}

/// The README: what was adopted, and how to connect each stack.
fn readme(stacks: &[AdoptedStack]) -> String {
    let count = |s: Status| stacks.iter().filter(|e| e.status == s).count();
    let mut text = format!(
        "# Adopted from the running stacks\n\n\
         `proton-playground adopt` read the account's stacks and their deployed templates and wrote \
         this CloudFormation Git Sync repository: {} exact, {} drift, {} unmatched \
         (`adoption.json` says which, and why).\n\n\
         - **exact**: a template version and the recovered spec (`specs/`) with the stack's mocks \
         (`mocks/`) render its deployed template byte for byte, and its deployment file resolved \
         against its template deploys exactly that. Connecting Git Sync changes nothing.\n\
         - **drift**: no version and inputs given reproduce it (edited by hand since, or deployed \
         from a version not given). Its deployment file points at its template as deployed \
         (`templates/deployed/`), with its parameters and tags as they are: connecting Git Sync \
         changes nothing either. `adoption.json` lists where it parts from the closest version.\n\
         - **unmatched**: not made by Proton, or its template was not given: nothing is written.\n\n\
         Inputs the deployed templates never print are *undetermined*: the spec keeps their \
         defaults and its header says so; a required one holds an example value, marked — write \
         Proton's value before you change that stack.\n\n\
         ## Connect the stacks, one by one\n\n\
         1. Push this repository and connect it (Developer Tools → Connections).\n\
         2. Create the Git Sync role: `aws cloudformation deploy --template-file \
         iam/git-sync-role.json --stack-name git-sync-role --capabilities CAPABILITY_IAM`; it may \
         change exactly the stacks below.\n\
         3. For each stack, environments first: `aws codeconnections create-sync-configuration \
         --branch main --config-file <deployment file> --repository-link-id <link> \
         --resource-name <stack> --role-arn <role> --sync-type CFN_STACK_SYNC`.\n\n\
         | Stack | Status | Template | Deployment file |\n|---|---|---|---|\n",
        count(Status::Exact),
        count(Status::Drift),
        count(Status::Unmatched)
    );
    for stack in stacks {
        text.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            stack.stack,
            serde_json::to_value(stack.status)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            match (&stack.template, &stack.version) {
                (Some(t), Some(v)) => format!("{t} v{v}"),
                (Some(t), None) => t.clone(),
                _ => "—".into(),
            },
            stack.deployment_file.as_deref().unwrap_or("—")
        ));
    }
    text
}
