// Lays out the npm package of the embed (and the self-hostable playground it opens) in
// target/npm/: the built dist/ (without our docs page), a package.json versioned as Cargo.toml,
// a README for docs builds and the CHANGELOG. `make package` then runs `npm pack` there.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const out = join(root, 'target', 'npm');
const version = /^version = "([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))[1];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(dist, out, { recursive: true, filter: (path) => !path.startsWith(join(dist, 'docs')) });
cpSync(join(root, 'CHANGELOG.md'), join(out, 'CHANGELOG.md'));
cpSync(join(root, 'LICENSE'), join(out, 'LICENSE'));
writeFileSync(join(out, 'package.json'), `${JSON.stringify({
  name: '@proton-playground/embed',
  version,
  description: 'Live AWS Proton template examples for documentation: the <proton-playground> element, its engine (WebAssembly) and the playground it opens, all static files',
  license: 'Apache-2.0',
  type: 'module',
  exports: { '.': './assets/embed.js', './embed.js': './assets/embed.js', './*': './*' },
  files: ['assets', 'embed.css', 'embed.html', 'examples.json', 'index.html', 'styles.css', 'favicon.svg', 'CHANGELOG.md', 'LICENSE'],
  keywords: ['aws-proton', 'cloudformation', 'jinja', 'web-component', 'documentation'],
}, null, 2)}\n`);
writeFileSync(join(out, 'README.md'), `# @proton-playground/embed ${version}

Live examples of AWS Proton templates in your documentation: the \`<proton-playground>\` element
renders a bundle exactly as Proton did, offline, in the reader's browser.

Copy this package's files to your site (or serve them from a CDN that sends
\`Access-Control-Allow-Origin\`), then:

\`\`\`html
<script type="module" src="/playground/assets/embed.js"></script>
<proton-playground src="bundles/my-env.tar.gz" target="environment"><pre>
…pre-rendered output (proton-playground render bundles/my-env.tar.gz --target environment), HTML-escaped…
</pre></proton-playground>
\`\`\`

Attributes: \`src\` (a .tar.gz or .zip), \`example\`, \`share\` (a share link), \`target\`, \`inputs\`
(JSON), \`panels\`, \`height\`, \`theme\`, \`eager\`. A page starts one engine, when the first element
nears the viewport; the element's own content is shown until then and without JavaScript. With a
bundler: \`import '@proton-playground/embed';\` and copy the package's \`assets/\` beside your
output (the engine fetches its wasm and data files next to \`embed.js\`). \`index.html\` is the
playground the *Open in playground* link opens. CHANGELOG.md lists the versions.
`);
console.log(`target/npm: @proton-playground/embed ${version}`);
