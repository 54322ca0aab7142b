//! What an adoption writes: the recovered specs and mocks (`specs.rs`), the migration of the exact
//! stacks (proven again against the deployed bodies), the drifted stacks' bodies as deployed with
//! their deployment files, an IAM role for Git Sync scoped to the adopted stacks,
//! `adoption.json` and the README.

use super::specs::{self, yaml_with_header};
use super::{migrate_exact, AdoptedStack, Adoption, Case, Found, Status};
use crate::adopt::account::{string_map, Body, Role};
use crate::diagnostic::{Diagnostic, Subject};
use crate::migrate::{self, OutputsMode};
use crate::report::files::RenderedFile;
use crate::workspace::Workspace;
use serde_json::{json, Map, Value as Json};

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
    let mut document = Map::new();
    document.insert(
        "template-file-path".into(),
        Json::String(template_file.clone()),
    );
    document.insert(
        "parameters".into(),
        Json::Object(string_map(&case.deployed.parameters)),
    );
    document.insert("tags".into(), Json::Object(string_map(&case.deployed.tags)));
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
    let mut entries: Vec<AdoptedStack> = cases.iter().map(entry_of).collect();
    let mut files: Vec<RenderedFile> = Vec::new();
    let inputs = specs::write_specs(cases, &mut entries, &mut files);
    let migration = migrate_exact(workspace, inputs, outputs);
    adoption
        .diagnostics
        .extend(migration.diagnostics.iter().cloned());
    files.extend(prove_migration(cases, &mut entries, migration));
    keep_drifted(cases, &mut entries, &mut files);
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
    // Every finding about a stack names it (its template too, when known).
    for stack in &mut adoption.stacks {
        for d in &mut stack.diagnostics {
            d.subject = Some(Box::new(Subject::Stack {
                stack: stack.stack.clone(),
                template: stack.template.clone(),
            }));
        }
        adoption
            .diagnostics
            .extend(stack.diagnostics.iter().cloned());
    }
}

/// What is known of a case before its files are written.
fn entry_of(case: &Case) -> AdoptedStack {
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
}

/// The exact stacks' repository, each deployment proven against its deployed body; a stack whose
/// deployment does not resolve to it is drift. Returns the migration's files that stay.
fn prove_migration(
    cases: &[Case],
    entries: &mut [AdoptedStack],
    migration: migrate::Migration,
) -> Vec<RenderedFile> {
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
    migration
        .files
        .into_iter()
        .filter(|f| {
            !dropped.contains(&f.path) && f.path != "README.md" && f.path != "migration.json"
        })
        .collect()
}

/// Drift: each drifted stack's body as deployed, and where it parts from the closest version.
fn keep_drifted(cases: &[Case], entries: &mut [AdoptedStack], files: &mut Vec<RenderedFile>) {
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
        entries[i].diagnostics.push(Diagnostic::error("adopt-drift", message).in_file(&case.deployed.file).with_hint(
            "connecting Git Sync with its deployment file changes nothing; bring it back to a template version by editing the template or the spec, then point the deployment at that",
        ));
        if let Some(found) = closest {
            entries[i].diagnostics.extend(differences(found, case.body));
        }
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
            stack.status.name(),
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
