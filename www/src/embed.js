// <proton-playground>: a live example for documentation pages. One script tag and one element:
//   <script type="module" src="…/assets/embed.js"></script>
//   <proton-playground src="bundle.tar.gz" target="service-instance"></proton-playground>
// shows a compact form, the rendered output and the diagnostics of one bundle, working offline
// from the playground's static files. Every element on a page shares one engine worker, started
// when the first element comes into view (or is touched); an element renders only once it is
// near the viewport. What the element holds (a docs build's pre-rendered output) is shown until
// then, and is what a reader without JavaScript, or a search engine, sees.
import { Engine } from './engine/client.js';
import { InputsForm } from './panels/form.js';
import { h, clear } from './dom.js';
import { newWorkspace, exampleWorkspace, fillSuggestedMocks } from './workspace.js';
import { answerState } from './engine/answer.js';
import { encode, decode } from './share.js';

const elements = new Set();
let engine = null;
/** The page's one engine; after a crash every element renders again. */
function sharedEngine() {
  // After a crash every element renders again; after the watchdog ended a render that ran too
  // long, each element says so (its render would run as long again).
  engine ??= new Engine((reason, { timedOut }) => elements.forEach((el) => {
    if (timedOut) el.status.textContent = `The engine stopped (${reason}).`;
    else el.update();
  }), () => elements.forEach((el) => el.update()));
  return engine;
}

const PANELS = ['form', 'output', 'diagnostics'];

let galleryRequest = null;
/** The examples gallery, fetched once for every element of the page. */
function examples() {
  galleryRequest ??= fetch(new URL('../examples.json', import.meta.url)).then((response) => response.json());
  return galleryRequest;
}

class ProtonPlayground extends HTMLElement {
  static get observedAttributes() {
    return ['height', 'theme', 'readonly'];
  }

  connectedCallback() {
    elements.add(this);
    if (this.shadowRoot) return;
    const shadow = this.attachShadow({ mode: 'open' });
    shadow.append(h('link', { rel: 'stylesheet', href: new URL('../embed.css', import.meta.url).href }));
    const panels = (this.getAttribute('panels') || PANELS.join(' ')).split(/[\s,]+/);
    this.frame = h('div', { class: 'frame', part: 'frame' });
    this.status = h('p', { class: 'status', role: 'status' }, 'Loading…');
    this.formRoot = h('div', { class: 'form', role: 'group', hidden: !panels.includes('form') });
    this.output = h('pre', { class: 'output', role: 'region', hidden: !panels.includes('output') });
    this.diagnostics = h('ul', { class: 'diagnostics', role: 'region', 'aria-label': 'Diagnostics', hidden: !panels.includes('diagnostics') });
    // The playground with this embed's state (a share link); its href is made when it is about
    // to be followed, not on every keystroke.
    this.openLink = h('a', { class: 'open', target: '_blank', rel: 'noopener', href: new URL('../', import.meta.url).href }, 'Open in playground');
    const refreshLink = () => {
      if (this.workspace) this.openLink.href = new URL(`../#${encode(this.workspace)}`, import.meta.url).href;
    };
    for (const event of ['pointerenter', 'focus', 'mousedown', 'touchstart']) this.openLink.addEventListener(event, refreshLink);
    // The live parts appear with the first render; until then the element's own content shows.
    this.live = h('div', { class: 'live', hidden: true }, h('div', { class: 'columns' }, this.formRoot, this.output), this.diagnostics);
    this.frame.append(h('div', { class: 'head' }, this.status, this.openLink), this.live);
    // The element's own content (pre-rendered output) stays visible until the live render.
    this.prerendered = h('div', { class: 'prerendered' }, h('slot'));
    this.frame.append(this.prerendered);
    shadow.append(this.frame);
    this.form = new InputsForm(this.formRoot, () => this.update());
    this.attributeChangedCallback();
    this.status.textContent = this.hasAttribute('eager') ? 'Loading…' : 'Live when scrolled into view';
    this.whenNeeded(() => this.load().catch((error) => { this.status.textContent = `Could not load the example: ${error.message}`; }));
  }

  /** Runs `start` once: when the element nears the viewport, or on a first touch or focus. */
  whenNeeded(start) {
    let started = false;
    const go = () => {
      if (started) return;
      started = true;
      this.visibility?.disconnect();
      this.status.textContent = 'Loading…';
      start();
    };
    if (this.hasAttribute('eager') || typeof IntersectionObserver === 'undefined') {
      go();
      return;
    }
    this.visibility = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) go();
    }, { rootMargin: '200px' });
    this.visibility.observe(this);
    for (const event of ['pointerenter', 'focusin', 'touchstart']) this.addEventListener(event, go, { once: true });
  }

  disconnectedCallback() {
    elements.delete(this);
    this.visibility?.disconnect();
  }

  attributeChangedCallback() {
    if (!this.frame) return;
    this.frame.style.height = this.getAttribute('height') || '';
    this.frame.dataset.theme = this.getAttribute('theme') || 'auto';
    // `readonly`: the inputs are shown, not edited (a fixed example): no control looks usable.
    const readonly = this.hasAttribute('readonly');
    this.formRoot.inert = readonly;
    this.formRoot.classList.toggle('readonly', readonly);
    this.formRoot.setAttribute('aria-label', readonly ? 'Inputs (fixed for this example)' : 'Inputs');
  }

  /**
   * Files from `share` (a share link, or its `#share=…` part), `example` (a gallery id) or `src`
   * (an archive URL, relative to the page).
   */
  async load() {
    let ws;
    const example = this.getAttribute('example');
    const shared = this.getAttribute('share');
    if (shared) {
      const hash = shared.includes('#') ? shared.slice(shared.indexOf('#') + 1) : shared;
      ws = decode(decodeURIComponent(hash));
    } else if (example) {
      const gallery = await examples();
      const entry = gallery.find((e) => e.id === example);
      if (!entry) throw new Error(`no example "${example}"`);
      ws = exampleWorkspace(entry);
    } else {
      const src = this.getAttribute('src');
      if (!src) throw new Error('give the element a share link, an example or a src (a .tar.gz or .zip)');
      const response = await fetch(new URL(src, document.baseURI));
      if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`);
      const bytes = await response.arrayBuffer();
      const loaded = await sharedEngine().call('loadArchive', { name: src, bytes }, [bytes]);
      ws = newWorkspace({ id: `embed:${src}`, name: src, files: loaded.files });
      // A bundle at the archive's top is named after the archive, as the page names an upload.
      ws.templateName = src.split(/[?#]/)[0].split('/').pop().replace(/\.(tar\.gz|tgz|zip|tar)$/i, '');
    }
    if (this.getAttribute('target') || !shared) ws.selection.target = this.getAttribute('target');
    this.workspace = ws;
    this.initialInputs = JSON.parse(this.getAttribute('inputs') || '{}');
    await this.update();
  }

  async update() {
    if (!this.workspace) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      const result = await sharedEngine().call('update', { files: this.workspace.files, name: this.workspace.templateName || '', state: answerState(this.workspace) });
      this.show(result);
    } catch (error) {
      if (!error.restarted) this.status.textContent = `Engine error: ${error.message}`;
    } finally {
      this.busy = false;
    }
    if (this.again) {
      this.again = false;
      this.update();
    }
  }

  show({ summary, root, target, report }) {
    const ws = this.workspace;
    const bundle = summary.bundles.find((b) => b.root === root) || null;
    ws.selection.root = root;
    ws.selection.target = target;
    if (bundle && (this.applyInitialInputs(bundle) || fillSuggestedMocks(ws, bundle))) {
      this.update();
      return;
    }
    this.form.show({ bundle, workspace: ws, report });
    this.prerendered.hidden = true;
    this.live.hidden = false;
    const output = report && report.outputs[0];
    this.output.setAttribute('aria-label', output ? `Rendered ${output.path}` : 'Rendered output');
    this.output.textContent = output ? output.content : 'Nothing rendered (see the diagnostics).';
    const diagnostics = [...summary.diagnostics, ...(report ? report.diagnostics : [])];
    clear(this.diagnostics);
    for (const d of diagnostics) {
      const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''} ` : '';
      this.diagnostics.append(h('li', { class: `sev-${d.severity}` }, `${where}${d.severity}[${d.code}]: ${d.message}`));
    }
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    this.status.textContent = `${bundle ? bundle.label : 'No bundle'} · ${target || ''}${errors ? ` · ${errors} error${errors === 1 ? '' : 's'}` : ''}`;
  }

  /** The `inputs` attribute, once: environment inputs, or the first instance's for a service. */
  applyInitialInputs(bundle) {
    if (this.inputsApplied) return false;
    this.inputsApplied = true;
    const ws = this.workspace;
    const target = bundle.kind === 'service' || bundle.kind === 'component' ? ws.inputs.instances[0].spec : ws.inputs.environment;
    Object.assign(target, this.initialInputs);
    return Object.keys(this.initialInputs).length > 0;
  }
}

customElements.define('proton-playground', ProtonPlayground);
