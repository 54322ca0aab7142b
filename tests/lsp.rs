//! `proton-playground lsp` driven as an editor drives it: the process over stdio, framed JSON-RPC
//! (initialize, initialized, didOpen, didChange, completion, hover, definition, the published
//! diagnostics, shutdown, exit), on the examples' repository and on the corpus's bundles.

mod common;
use common::copy_into;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read while waiting for another.
    seen: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_proton-playground"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (send, messages) = channel();
        std::thread::spawn(move || loop {
            let mut length = 0;
            loop {
                let mut header = String::new();
                if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                    return;
                }
                let header = header.trim();
                if header.is_empty() {
                    break;
                }
                if let Some(n) = header.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            stdout.read_exact(&mut body).unwrap();
            if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            seen: Vec::new(),
            next_id: 1,
        };
        let uri = uri(root);
        let init = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri, "capabilities": {},
                   "workspaceFolders": [{"uri": uri, "name": "ws"}]}),
        );
        assert_eq!(
            init["capabilities"]["textDocumentSync"]["change"], 2,
            "incremental sync"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response's result.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait(|m| m["id"] == id && m.get("method").is_none());
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    /// The first message (seen or to come) that `wanted` accepts.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.seen.iter().position(&wanted) {
            return self.seen.remove(at);
        }
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(60))
                .expect("the server answers");
            if wanted(&message) {
                return message;
            }
            self.seen.push(message);
        }
    }

    /// The latest diagnostics published for `uri` once the server is idle: a round trip
    /// (a request answered after them) flushes what it published before.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
        );
        let mut latest = None;
        while let Some(at) = self.seen.iter().position(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        }) {
            latest = Some(self.seen.remove(at));
        }
        latest
            .map(|m| m["params"]["diagnostics"].as_array().unwrap().clone())
            .unwrap_or_default()
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success());
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display()).replace(' ', "%20")
}

/// A copy of `from` in a temporary folder (the server reads the folder; the test edits only in
/// memory, but a copy keeps the repository's files out of reach).
fn copy(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_into(from, dir.path());
    dir
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates")
}

const ENV: &str = "ecs-shared-env/v1/infrastructure/cloudformation.yaml";

#[test]
fn an_editor_session_on_the_examples_repository() {
    let dir = copy(&examples());
    let root = dir.path().canonicalize().unwrap();
    let mut client = Client::start(&root);
    let env_uri = uri(&root.join(ENV));
    let text = std::fs::read_to_string(root.join(ENV)).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": env_uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    assert!(
        client.diagnostics(&env_uri).is_empty(),
        "the example is clean"
    );

    // Completion after `{{ environment.inputs.` on a new line 3 (incremental edit).
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": env_uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                                   "text": "# {{ environment.inputs. }}\n"}]}),
    );
    let list = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": env_uri}, "position": {"line": 2, "character": 24}}),
    );
    let items = list["items"].as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    for input in [
        "vpc_cidr",
        "container_insights",
        "log_retention_days",
        "nat_gateway_count",
    ] {
        assert!(labels.contains(&input), "{input} in {labels:?}");
    }
    // Sorted as the engine ranks them: the inputs before the dict's methods.
    let sort = |label: &str| {
        items.iter().find(|i| i["label"] == label).unwrap()["sortText"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(sort("vpc_cidr") < sort("items"));
    let vpc = items.iter().find(|i| i["label"] == "vpc_cidr").unwrap();
    assert_eq!(
        vpc["textEdit"]["range"]["start"],
        json!({"line": 2, "character": 24})
    );

    // Hover names the value and the input's schema.
    let line = text
        .lines()
        .position(|l| l.contains("inputs.vpc_cidr"))
        .unwrap()
        + 1;
    let column = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("vpc_cidr")
        .unwrap()
        + 2;
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": env_uri}, "position": {"line": line, "character": column}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("10.0.0.0/16"), "{shown}");
    assert!(shown.contains("CIDR block for the VPC"), "{shown}");

    // Definition lands on the input in schema.yaml.
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": env_uri}, "position": {"line": line, "character": column}}),
    );
    let schema = root.join("ecs-shared-env/v1/schema/schema.yaml");
    assert_eq!(definition["uri"], uri(&schema));
    let schema_text = std::fs::read_to_string(&schema).unwrap();
    let defined = schema_text
        .lines()
        .position(|l| l.trim_start() == "vpc_cidr:")
        .unwrap();
    assert_eq!(definition["range"]["start"]["line"], defined);

    // An include is a document link to the file it names.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": env_uri, "version": 3},
               "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 3, "character": 0}},
                                   "text": "# {% include 'schema/schema.yaml' %}\n"}]}),
    );
    let links = client.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": env_uri}}),
    );
    assert_eq!(links[0]["target"], uri(&schema), "{links}");
    assert_eq!(
        links[0]["range"]["start"],
        json!({"line": 2, "character": 14})
    );

    // An undefined input is a diagnostic on its line; fixing it clears it.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": env_uri, "version": 3},
               "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 3, "character": 0}},
                                   "text": "# {{ environment.inputs.nope }}\n"}]}),
    );
    let found = client.diagnostics(&env_uri);
    let undefined = found
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("nope"))
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(undefined["range"]["start"]["line"], 2);
    assert_eq!(undefined["severity"], 1, "an error");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": env_uri, "version": 4},
               "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 3, "character": 0}},
                                   "text": ""}]}),
    );
    assert!(client.diagnostics(&env_uri).is_empty());
    client.stop();
}

#[test]
fn a_finding_about_the_whole_folder_is_published_on_the_folder() {
    // A folder with no bundle in it: `check` says so with no file; the editor must see it too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.yaml"), "a: 1\n").unwrap();
    let root = dir.path().canonicalize().unwrap();
    let mut client = Client::start(&root);
    let found = client.diagnostics(&uri(&root));
    assert!(
        found.iter().any(|d| d["code"] == "bundle-structure"),
        "{found:#?}"
    );
    client.stop();
}

#[test]
fn every_corpus_bundle_answers_completion_on_its_templates() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/bundles/aws-proton-cloudformation-sample-templates");
    if !corpus.exists() {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    }
    let root = corpus.canonicalize().unwrap();
    let mut client = Client::start(&root);
    let mut asked = 0;
    for entry in walk(&root) {
        let path = entry.to_string_lossy().into_owned();
        if !path.ends_with("cloudformation.yaml") || path.contains("/spec") {
            continue;
        }
        let text = std::fs::read_to_string(&entry).unwrap();
        let Some((line, at)) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| l.find("inputs.").map(|c| (i, c + "inputs.".len())))
        else {
            continue;
        };
        let file_uri = uri(&entry);
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": file_uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
        let list = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": file_uri}, "position": {"line": line, "character": at}}),
        );
        assert!(
            list["items"]
                .as_array()
                .is_some_and(|items| items.iter().any(|i| i["kind"] == 10)),
            "{path}:{}: the inputs are offered: {list}",
            line + 1
        );
        asked += 1;
    }
    assert!(asked >= 10, "{asked} templates");
    client.stop();
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}
