// The VS Code extension: starts `proton-playground lsp` (the CLI, docs/editors.md) as the language
// server for the bundle files of the open folder. Everything it shows comes from the server.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client = null;

function activate(context) {
  const command = vscode.workspace.getConfiguration('protonPlayground').get('path') || 'proton-playground';
  client = new LanguageClient('protonPlayground', 'Proton Playground',
    { command, args: ['lsp'] },
    {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'file', language: 'json' },
        { scheme: 'file', pattern: '**/*.tf' },
      ],
    });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
