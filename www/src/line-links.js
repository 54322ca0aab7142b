// Template ↔ output linking: the cursor on a template line marks the rendered lines it produced,
// and a click on a rendered line opens its template line. The engine maps rendered lines to
// template lines (src/assist, the source map the findings are located with), once per pair of
// texts.
import { editorModule } from './editor-loader.js';

/** `page` gives the engine, the files and outputs panels, status, and the current state. */
export function linkLines(page) {
  let cached = { template: null, rendered: null, map: null };

  /** The output a template (workspace path) renders to in the current report, if any. */
  function outputOf(path) {
    const { report, bundle } = page;
    if (!report || !bundle || !path) return null;
    const prefix = bundle.root ? `${bundle.root}/` : '';
    if (!path.startsWith(prefix)) return null;
    return report.outputs.find((o) => o.path === path.slice(prefix.length)) || null;
  }

  async function mapOf(template, rendered) {
    if (cached.template !== template || cached.rendered !== rendered) {
      const map = await page.engine.call('lineMap', { template, rendered }).catch(() => null);
      cached = { template, rendered, map };
    }
    return cached.map;
  }

  let lastTemplateLine = null;

  /** The cursor is on `line` of template `path`: mark the rendered lines it made. */
  async function fromTemplate(path, line, { scroll = true } = {}) {
    lastTemplateLine = { path, line };
    const output = outputOf(path);
    if (!output) {
      page.outputs.markLinked(null, []);
      return;
    }
    const map = await mapOf(page.workspace.files[path] ?? '', output.content);
    if (!map || lastTemplateLine.line !== line || lastTemplateLine.path !== path) return;
    const lines = [];
    map.forEach((templateLine, i) => { if (templateLine === line) lines.push(i + 1); });
    if (page.outputs.selected !== output.path && lines.length) page.outputs.select(output.path);
    page.outputs.markLinked(output.path, lines, { scroll });
  }

  /** A click on rendered `line` of output `outputPath`: open the template line that made it. */
  async function fromOutput(outputPath, line) {
    const { bundle, workspace } = page;
    const template = bundle ? (bundle.root ? `${bundle.root}/${outputPath}` : outputPath) : null;
    const output = page.outputs.outputs.find((o) => o.path === outputPath);
    if (!template || !(template in workspace.files) || !output) {
      page.status(`${outputPath} is generated: no template line made it`);
      return;
    }
    const map = await mapOf(workspace.files[template], output.content);
    const templateLine = map && map[line - 1];
    if (!templateLine) {
      page.status(`Line ${line} of ${outputPath}: no single template line made it (a tag's output or whitespace)`);
      return;
    }
    page.files.reveal(template, templateLine, 1);
    lastTemplateLine = { path: template, line: templateLine };
    const cm = editorModule();
    if (cm && page.files.view) cm.markLinkedLines(page.files.view, [templateLine]);
    const rendered = [];
    map.forEach((t, i) => { if (t === templateLine) rendered.push(i + 1); });
    page.outputs.markLinked(outputPath, rendered);
  }

  /** After a render: the marks follow the new texts. */
  function refresh() {
    if (lastTemplateLine) fromTemplate(lastTemplateLine.path, lastTemplateLine.line, { scroll: false });
  }

  return { fromTemplate, fromOutput, refresh };
}
