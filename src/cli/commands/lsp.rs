//! `proton-playground lsp`: a Language Server Protocol server over stdio (docs/editors.md). The
//! protocol's plumbing is `lsp-server` (rust-analyzer's: a synchronous message loop, no async
//! runtime to start) with `lsp-types`; every answer is the core's — the same `Engine` the page's
//! worker holds: the workspace check for diagnostics, `assist` for completion, hover and
//! definition. This face only maps positions, paths and shapes.
//!
//! The workspace folder holds bundles or a template-sync repository, read from disk once; an open
//! document's text replaces its file. Edits are applied incrementally; the engine re-analyzes the
//! bundle an edit touches. Diagnostics are computed when no message is waiting, so a completion
//! asked right after a keystroke is answered first.

use crate::common::Fatal;
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentLinkRequest, GotoDefinition, HoverRequest, Request as _,
};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionOptions, CompletionParams,
    CompletionResponse, CompletionTextEdit, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DocumentLink, DocumentLinkOptions, DocumentLinkParams, Documentation,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, Location, MarkupContent, MarkupKind, NumberOrString,
    OneOf, Position, PublishDiagnosticsParams, Range, ServerCapabilities,
    TextDocumentContentChangeEvent, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextEdit, Uri,
};
use proton_playground::assist::{self, Completions};
use proton_playground::engine::{AssistRequest, Assisted, Engine, Question};
use proton_playground::report::sarif;
use proton_playground::report::Request as RenderRequest;
use proton_playground::Severity;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

#[derive(clap::Args)]
pub struct Args {
    /// Talk over stdin and stdout (the only transport; editors pass it).
    #[arg(long)]
    stdio: bool,
}

pub fn run(_: Args) -> Result<ExitCode, Fatal> {
    let (connection, threads) = Connection::stdio();
    serve(&connection).map_err(Fatal)?;
    // The writer thread ends once every sender is gone.
    drop(connection);
    threads.join().map_err(|e| Fatal(e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}

/// Serves `connection` until the client's `shutdown` and `exit`.
fn serve(connection: &Connection) -> Result<(), String> {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([".", "|", " ", "{", "("].map(String::from).to_vec()),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        ..Default::default()
    };
    let capabilities = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    let params = connection
        .initialize(capabilities)
        .map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let mut server = Server::new(root_of(&params));
    server.publish(connection)?;
    loop {
        let message = match connection.receiver.recv() {
            Ok(message) => message,
            Err(_) => return Ok(()),
        };
        if server.handle(connection, message)? {
            return Ok(());
        }
        // Diagnostics once the queue is empty: requests typed meanwhile are answered first.
        if server.stale && connection.receiver.is_empty() {
            server.publish(connection)?;
        }
    }
}

/// The workspace folder the client opened (the first), else the current directory.
fn root_of(params: &InitializeParams) -> PathBuf {
    #[allow(deprecated)] // `root_uri` is what older clients send.
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|f| f.uri.clone())
        .or_else(|| params.root_uri.clone());
    uri.and_then(|u| path_of(&u))
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_default())
}

struct Server {
    root: PathBuf,
    /// The workspace's text files by workspace path (`/`-separated, relative to the root), open
    /// documents' texts in place of their files'.
    files: BTreeMap<String, String>,
    /// Open documents.
    open: BTreeSet<String>,
    engine: Engine,
    /// Files the last diagnostics named (cleared when they have none now).
    published: BTreeSet<String>,
    /// An edit since the last diagnostics.
    stale: bool,
}

impl Server {
    fn new(root: PathBuf) -> Server {
        let files = proton_playground::bundle::files::load_path(&root)
            .map(|(tree, _)| {
                tree.files
                    .into_iter()
                    .filter_map(|(path, bytes)| Some((path, String::from_utf8(bytes).ok()?)))
                    .collect()
            })
            .unwrap_or_default();
        let mut server = Server {
            root,
            files,
            open: BTreeSet::new(),
            engine: Engine::new(),
            published: BTreeSet::new(),
            stale: true,
        };
        server.analyze();
        server
    }

    fn name(&self) -> String {
        self.root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    fn analyze(&mut self) {
        let name = self.name();
        self.engine.analyze(&self.files, &name);
    }

    /// Handles one message; true at `exit` after `shutdown`.
    fn handle(&mut self, connection: &Connection, message: Message) -> Result<bool, String> {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(true);
                }
                let response = self.answer(request);
                send(connection, Message::Response(response))?;
            }
            Message::Notification(notification) => self.notified(notification),
            Message::Response(_) => {}
        }
        Ok(false)
    }

    fn answer(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            Completion::METHOD => parse::<CompletionParams>(request)
                .map(|p| serde_json::to_value(self.complete(&p)).unwrap_or_default()),
            HoverRequest::METHOD => parse::<HoverParams>(request)
                .map(|p| serde_json::to_value(self.hover(&p)).unwrap_or_default()),
            GotoDefinition::METHOD => parse::<GotoDefinitionParams>(request)
                .map(|p| serde_json::to_value(self.definition(&p)).unwrap_or_default()),
            DocumentLinkRequest::METHOD => parse::<DocumentLinkParams>(request)
                .map(|p| serde_json::to_value(self.links(&p)).unwrap_or_default()),
            method => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("{method} is not supported"),
                )
            }
        };
        match result {
            Ok(value) => Response {
                id,
                result: Some(value),
                error: None,
            },
            Err(message) => {
                Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, message)
            }
        }
    }

    fn notified(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = notification
                    .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    if let Some(path) = self.workspace_path(&p.text_document.uri) {
                        self.open.insert(path.clone());
                        self.set(path, p.text_document.text);
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = notification.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) {
                    if let Some(path) = self.workspace_path(&p.text_document.uri) {
                        let mut text = self.files.get(&path).cloned().unwrap_or_default();
                        for change in &p.content_changes {
                            apply(&mut text, change);
                        }
                        self.set(path, text);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = notification
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    // Closed: the file on disk is the truth again.
                    if let Some(path) = self.workspace_path(&p.text_document.uri) {
                        self.open.remove(&path);
                        match std::fs::read_to_string(self.root.join(&path)) {
                            Ok(text) => self.set(path, text),
                            Err(_) => {
                                self.files.remove(&path);
                                self.analyze();
                                self.stale = true;
                            }
                        }
                    }
                }
            }
            DidSaveTextDocument::METHOD => {}
            _ => {}
        }
    }

    fn set(&mut self, path: String, text: String) {
        if self.files.get(&path) == Some(&text) {
            return;
        }
        self.files.insert(path, text);
        self.analyze();
        self.stale = true;
    }

    /// Publishes the workspace check's findings, file by file, and clears files that have none now.
    fn publish(&mut self, connection: &Connection) -> Result<(), String> {
        self.stale = false;
        let findings = self
            .engine
            .check(&RenderRequest::default())
            .map(|answer| answer.value)
            .unwrap_or_default();
        let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        for finding in &findings {
            // A finding about the whole load (no file: "no bundle found", an unreadable entry) is
            // published on the workspace folder itself, never dropped.
            let file = finding.file.clone().unwrap_or_default();
            let diagnostic = self.diagnostic(finding, &file);
            by_file.entry(file).or_default().push(diagnostic);
        }
        let now: BTreeSet<String> = by_file.keys().cloned().collect();
        for gone in self.published.difference(&now) {
            by_file.insert(gone.clone(), Vec::new());
        }
        for (file, diagnostics) in by_file {
            let Some(uri) = self.uri(&file) else { continue };
            let params = PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            };
            send(
                connection,
                Message::Notification(Notification::new(
                    PublishDiagnostics::METHOD.to_string(),
                    params,
                )),
            )?;
        }
        self.published = now;
        Ok(())
    }

    fn diagnostic(&self, finding: &proton_playground::Diagnostic, file: &str) -> Diagnostic {
        let text = self.files.get(file).map(String::as_str).unwrap_or_default();
        let start = position_at(text, finding.line, finding.column);
        let end = line_end(text, start);
        let mut message = finding.message.clone();
        if let Some(hint) = &finding.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        // Rendered-output findings sit on their template line; where in the output is related.
        let related = finding.rendered.as_ref().map(|at| {
            vec![DiagnosticRelatedInformation {
                location: Location {
                    uri: self
                        .uri(&at.file)
                        .unwrap_or_else(|| Uri::from_str("file:///").unwrap()),
                    range: Range::new(
                        Position::new(at.line.saturating_sub(1), at.column.saturating_sub(1)),
                        Position::new(at.line.saturating_sub(1), at.column.saturating_sub(1)),
                    ),
                },
                message: format!("in the rendered {}, line {}", at.file, at.line),
            }]
        });
        Diagnostic {
            range: Range::new(start, end),
            severity: Some(match finding.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Info => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(finding.code.clone())),
            source: Some("proton-playground".into()),
            message,
            related_information: related,
            ..Default::default()
        }
    }

    /// The open text of `uri` and the UTF-16 offset of `position` in it.
    fn site(&self, uri: &Uri, position: Position) -> Option<(String, &str, usize)> {
        let path = self.workspace_path(uri)?;
        let text = self.files.get(&path)?;
        let offset = utf16_offset(text, position);
        Some((path, text, offset))
    }

    fn ask(&self, question: Question, uri: &Uri, position: Position) -> Option<(Assisted, &str)> {
        let (path, text, offset) = self.site(uri, position)?;
        let request = AssistRequest {
            question,
            path,
            text: text.to_string(),
            offset,
            selected: None,
            request: RenderRequest {
                fill_required: true,
                ..RenderRequest::default()
            },
        };
        Some((self.engine.assist(&request).ok()??, text))
    }

    fn complete(&self, params: &CompletionParams) -> Option<CompletionResponse> {
        let at = &params.text_document_position;
        let (Assisted::Completions(found), text) =
            self.ask(Question::Complete, &at.text_document.uri, at.position)?
        else {
            return None;
        };
        let Completions { from, to, items } = found;
        let range = Range::new(position_of(text, from), position_of(text, to));
        let items = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| CompletionItem {
                kind: Some(kind_of(item.kind)),
                detail: Some(item.detail.clone()),
                documentation: (!item.info.is_empty()).then(|| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: item.info.clone(),
                    })
                }),
                // The engine's order: its rank, then its list order.
                sort_text: Some(format!("{}{i:05}", item.rank)),
                filter_text: Some(item.label.clone()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    range,
                    item.label.clone(),
                ))),
                label: item.label,
                ..Default::default()
            })
            .collect();
        Some(CompletionResponse::List(CompletionList {
            is_incomplete: false,
            items,
        }))
    }

    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let at = &params.text_document_position_params;
        let (Assisted::Hover(Some(found)), text) =
            self.ask(Question::Hover, &at.text_document.uri, at.position)?
        else {
            return None;
        };
        let mut parts = vec![format!("**{}**", found.title)];
        if let Some(value) = &found.value {
            parts.push(format!(
                "```python\n{value}\n```{}",
                found.kind.map(|k| format!("\n{k}")).unwrap_or_default()
            ));
        }
        if let Some(error) = &found.error {
            parts.push(error.clone());
        }
        if let Some(input) = &found.input {
            parts.push(assist::InputInfo::describe(input));
        }
        if let Some(doc) = &found.doc {
            parts.push(doc.clone());
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n"),
            }),
            range: Some(Range::new(
                position_of(text, found.from),
                position_of(text, found.to),
            )),
        })
    }

    fn definition(&self, params: &GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let at = &params.text_document_position_params;
        let (Assisted::Definition(Some(found)), _) =
            self.ask(Question::Definition, &at.text_document.uri, at.position)?
        else {
            return None;
        };
        let text = self
            .files
            .get(&found.file)
            .map(String::as_str)
            .unwrap_or_default();
        let start = position_at(text, Some(found.line), Some(found.column));
        Some(GotoDefinitionResponse::Scalar(Location {
            uri: self.uri(&found.file)?,
            range: Range::new(start, start),
        }))
    }

    fn links(&self, params: &DocumentLinkParams) -> Vec<DocumentLink> {
        let uri = &params.text_document.uri;
        let Some((Assisted::Links(links), text)) =
            self.ask(Question::Links, uri, Position::new(0, 0))
        else {
            return Vec::new();
        };
        links
            .into_iter()
            .filter_map(|link| {
                Some(DocumentLink {
                    range: Range::new(position_of(text, link.from), position_of(text, link.to)),
                    target: Some(self.uri(&link.file)?),
                    tooltip: Some(link.file),
                    data: None,
                })
            })
            .collect()
    }

    fn workspace_path(&self, uri: &Uri) -> Option<String> {
        let path = path_of(uri)?;
        let relative = path.strip_prefix(&self.root).ok()?;
        Some(relative.to_string_lossy().replace('\\', "/"))
    }

    fn uri(&self, workspace_path: &str) -> Option<Uri> {
        // The folder itself for "": `join("")` would add a trailing `/`.
        match workspace_path {
            "" => uri_of(&self.root),
            path => uri_of(&self.root.join(path)),
        }
    }
}

fn parse<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, String> {
    serde_json::from_value(request.params).map_err(|e| e.to_string())
}

fn send(connection: &Connection, message: Message) -> Result<(), String> {
    connection.sender.send(message).map_err(|e| e.to_string())
}

fn kind_of(kind: &str) -> CompletionItemKind {
    match kind {
        "variable" => CompletionItemKind::VARIABLE,
        "input" | "property" => CompletionItemKind::PROPERTY,
        "keyword" => CompletionItemKind::KEYWORD,
        "method" => CompletionItemKind::METHOD,
        _ => CompletionItemKind::FUNCTION,
    }
}

/// Applies one change (a range edit in UTF-16 positions, or the whole text).
fn apply(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let start = assist::byte_offset(text, utf16_offset(text, range.start));
            let end = assist::byte_offset(text, utf16_offset(text, range.end));
            text.replace_range(start.min(end)..end.max(start), &change.text);
        }
        None => *text = change.text.clone(),
    }
}

/// The UTF-16 offset of an LSP position (line, UTF-16 column) in `text`.
fn utf16_offset(text: &str, position: Position) -> usize {
    let mut offset = 0;
    for (i, line) in text.split('\n').enumerate() {
        if i as u32 == position.line {
            let width: usize = line.encode_utf16().count();
            return offset + width.min(position.character as usize);
        }
        offset += line.encode_utf16().count() + 1;
    }
    offset.saturating_sub(1)
}

/// The LSP position of UTF-16 `offset` in `text`.
fn position_of(text: &str, offset: usize) -> Position {
    let (mut line, mut column, mut at) = (0, 0, 0);
    for c in text.chars() {
        if at >= offset {
            break;
        }
        at += c.len_utf16();
        if c == '\n' {
            line += 1;
            column = 0;
        } else {
            column += c.len_utf16() as u32;
        }
    }
    Position::new(line, column)
}

/// The position of a finding's 1-based line and column (a character count) in `text`; the
/// line's start without a column, the file's start without a line.
fn position_at(text: &str, line: Option<u32>, column: Option<u32>) -> Position {
    let Some(line) = line.filter(|l| *l > 0) else {
        return Position::new(0, 0);
    };
    let row = line - 1;
    let content = text.split('\n').nth(row as usize).unwrap_or_default();
    let chars = column.unwrap_or(1).saturating_sub(1) as usize;
    let character = content
        .chars()
        .take(chars)
        .map(char::len_utf16)
        .sum::<usize>() as u32;
    Position::new(row, character)
}

/// The end of the line `start` is on (a finding marks from its place to the line's end).
fn line_end(text: &str, start: Position) -> Position {
    let content = text
        .split('\n')
        .nth(start.line as usize)
        .unwrap_or_default();
    let width = content.trim_end_matches('\r').encode_utf16().count() as u32;
    Position::new(start.line, width.max(start.character))
}

fn path_of(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str().strip_prefix("file://")?;
    // `file:///home/x` (empty authority) and `file://localhost/home/x`.
    let path = text.strip_prefix("localhost").unwrap_or(text);
    Some(PathBuf::from(percent_decode(path)))
}

fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_str(&format!(
        "file://{}",
        sarif::uri_path(&path.to_string_lossy())
    ))
    .ok()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_through_utf16() {
        let text = "a: é\n{{ x }}\n𝄞b\n";
        for (offset, position) in [
            (0, (0, 0)),
            (3, (0, 3)),
            (5, (1, 0)),
            (13, (2, 0)),
            (15, (2, 2)),
        ] {
            assert_eq!(
                position_of(text, offset),
                Position::new(position.0, position.1)
            );
            assert_eq!(
                utf16_offset(text, Position::new(position.0, position.1)),
                offset
            );
        }
    }

    #[test]
    fn incremental_edits_apply_in_utf16() {
        let mut text = String::from("𝄞 {{ x }}\nnext\n");
        apply(
            &mut text,
            &TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(0, 6), Position::new(0, 7))),
                range_length: None,
                text: "environment.inputs.y".into(),
            },
        );
        assert_eq!(text, "𝄞 {{ environment.inputs.y }}\nnext\n");
    }

    #[test]
    fn uris_round_trip() {
        let path = Path::new("/tmp/my bundles/ä/v1");
        let uri = uri_of(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20bundles/%C3%A4/v1");
        assert_eq!(path_of(&uri).unwrap(), path);
    }
}
