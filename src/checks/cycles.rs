//! Resources that depend on each other: through `DependsOn`, `Ref`, `Fn::GetAtt` or a `Fn::Sub`
//! variable, a loop (also of a resource on itself) makes CloudFormation reject the whole
//! template ("Circular dependency between resources").

use super::references::sub_variables;
use super::template::{intrinsic, referenced_name, Template};
use super::Finding;
use crate::yaml::{Node, NodeValue};

/// Every resource a node reads: `Ref`, `Fn::GetAtt` and `Fn::Sub` variables (by name).
fn references(node: &Node, add: &mut dyn FnMut(&str)) {
    match intrinsic(node) {
        Some(("Ref" | "Fn::GetAtt", _)) => {
            if let Some(name) = referenced_name(node) {
                add(name);
            }
        }
        Some(("Fn::Sub", arg)) => {
            let (text, rest) = match &arg.value {
                NodeValue::Seq(items) => (items.first().and_then(Node::as_str), items.get(1..)),
                _ => (arg.as_str(), None),
            };
            for (_, variable) in sub_variables(text.unwrap_or_default()) {
                add(variable.split('.').next().unwrap_or(variable));
            }
            // The variables map of `Fn::Sub [text, {…}]` may read resources too.
            for item in rest.unwrap_or_default() {
                references(item, add);
            }
        }
        _ => match &node.value {
            NodeValue::Seq(items) => items.iter().for_each(|i| references(i, add)),
            NodeValue::Map(entries) => entries.iter().for_each(|(_, v)| references(v, add)),
            _ => {}
        },
    }
}

/// Properties of a SAM resource the transform moves into resources it generates that depend on
/// the resource (event source mappings and permissions for `Events`, the CodeDeploy group and
/// the alias's update policy for `DeploymentPreference`): what they read is not the resource's
/// own dependency. A SAM API's definition pointing at its function and the function's `Api`
/// event pointing at the API is no loop.
fn moved_by_sam(type_name: Option<&str>) -> &'static [&'static str] {
    match type_name {
        Some("AWS::Serverless::Function") => &["Events", "DeploymentPreference"],
        Some("AWS::Serverless::StateMachine") => &["Events"],
        _ => &[],
    }
}

/// Each dependency loop once, as a finding on its first resource (in template order).
pub fn check(template: &Template, findings: &mut Vec<Finding>) {
    let resources = template.entries("Resources");
    let index = |name: &str| resources.iter().position(|(n, _, _)| n == name);
    // What each resource depends on, by index, each once.
    let edges: Vec<Vec<usize>> = resources
        .iter()
        .map(|(_, _, resource)| {
            let mut needs: Vec<usize> = Vec::new();
            let mut add = |target: &str| {
                if let Some(i) = index(target).filter(|i| !needs.contains(i)) {
                    needs.push(i);
                }
            };
            if let Some(depends) = resource.get("DependsOn") {
                match &depends.value {
                    NodeValue::Seq(items) => {
                        items.iter().filter_map(Node::as_str).for_each(&mut add)
                    }
                    _ => depends.as_str().into_iter().for_each(&mut add),
                }
            }
            let sam_moved = moved_by_sam(resource.get("Type").and_then(Node::as_str));
            for (key, value) in resource
                .get("Properties")
                .and_then(Node::as_map)
                .unwrap_or_default()
            {
                if !key.as_str().is_some_and(|k| sam_moved.contains(&k)) {
                    references(value, &mut add);
                }
            }
            needs
        })
        .collect();
    // Iterative depth-first search: 0 unvisited, 1 on the current path, 2 done.
    let mut state = vec![0u8; resources.len()];
    let mut reported: Vec<Vec<usize>> = Vec::new();
    for start in 0..resources.len() {
        if state[start] != 0 {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&(node, next)) = path.last() {
            let Some(&target) = edges[node].get(next) else {
                state[node] = 2;
                path.pop();
                continue;
            };
            if let Some(top) = path.last_mut() {
                top.1 += 1;
            }
            match state[target] {
                0 => {
                    state[target] = 1;
                    path.push((target, 0));
                }
                1 => {
                    let from = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                    let cycle: Vec<usize> = path[from..].iter().map(|(n, _)| *n).collect();
                    let mut key = cycle.clone();
                    key.sort_unstable();
                    if !reported.contains(&key) {
                        reported.push(key);
                        let names: Vec<&str> =
                            cycle.iter().map(|&i| resources[i].0.as_str()).collect();
                        findings.push(finding(&names, resources[cycle[0]].1.pos));
                    }
                }
                _ => {}
            }
        }
    }
}

fn finding(cycle: &[&str], pos: crate::yaml::Pos) -> Finding {
    let first = cycle[0];
    let message = if cycle.len() == 1 {
        format!("resource `{first}` depends on itself: CloudFormation rejects the template (circular dependency)")
    } else {
        let chain: Vec<String> = cycle
            .iter()
            .chain([&first])
            .map(|n| format!("`{n}`"))
            .collect();
        format!(
            "resources depend on each other in a loop, {}: CloudFormation rejects the template (circular dependency)",
            chain.join(" → ")
        )
    };
    Finding::error(
        "cfn-cycle",
        pos,
        message,
        "break the loop: drop a `DependsOn`, or a `Ref`/`GetAtt`/`${…}` between them",
    )
    .about("Resources", first, None)
}
