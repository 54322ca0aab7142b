// The spec for the current inputs, live, with the matching AWS CLI command.
import { download } from '../dom.js';

function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export class SpecPanel {
  constructor({ spec, command, copy, downloadButton }, onStatus) {
    this.specEl = spec;
    this.commandEl = command;
    this.onStatus = onStatus;
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(this.text || '');
        onStatus('Copied the spec');
      } catch {
        onStatus('Copy failed: the browser refused clipboard access');
      }
    });
    downloadButton.addEventListener('click', () => download('spec.yaml', this.text || ''));
  }

  /** Shows the page's view (main.js `view()`): the spec for the current inputs and its create command. */
  show({ report, bundle, workspace }) {
    this.text = report ? report.spec : '';
    this.specEl.textContent = this.text;
    if (!bundle || !report) {
      this.commandEl.textContent = '';
      return;
    }
    const major = bundle.major || 1;
    // A bundle loaded on its own is named by the engine after what was loaded.
    const name = bundle.name;
    const m = workspace.mocks;
    let command;
    if (bundle.is_environment) {
      command = `aws proton create-environment \\\n  --name ${m.environment.name || 'my-env'} \\\n  --template-name ${name} \\\n  --template-major-version ${major} \\\n  --proton-service-role-arn arn:aws:iam::${m.environment.account_id || '123456789012'}:role/ProtonServiceRole \\\n  --spec ${shellQuote(this.text)}`;
    } else if (bundle.kind === 'service') {
      const repo = bundle.has_pipeline
        ? ` \\\n  --repository-connection-arn ${m.service.repository_connection_arn || 'arn:aws:codestar-connections:us-east-1:123456789012:connection/…'} \\\n  --repository-id ${m.service.repository_id || 'myorg/myrepo'} \\\n  --branch-name ${m.service.branch_name || 'main'}`
        : '';
      command = `aws proton create-service \\\n  --name ${m.service.name || 'my-service'} \\\n  --template-name ${name} \\\n  --template-major-version ${major}${repo} \\\n  --spec ${shellQuote(this.text)}`;
    } else {
      const inst = workspace.inputs.instances[workspace.selection.instance] || {};
      command = `aws proton create-component \\\n  --name ${m.component.name || 'my-component'} \\\n  --service-name ${m.service.name || 'my-service'} \\\n  --service-instance-name ${inst.name || 'my-instance'} \\\n  --template-file file://cloudformation.yaml \\\n  --manifest file://manifest.yaml`;
    }
    this.commandEl.textContent = command;
  }
}
