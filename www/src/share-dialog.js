// The share dialog (a link with the whole workspace, Markdown for issues, the workspace as a
// .tar.gz) and the bar shown while a shared workspace is open: it is not saved over the user's
// own until they keep it.
import * as share from './share.js';
import * as store from './store.js';
import { download } from './dom.js';

const $ = (id) => document.getElementById(id);
/** The hash without `#`. */
const hashText = () => decodeURIComponent(location.hash.slice(1));
const withoutHash = () => history.replaceState(null, '', `${location.pathname}${location.search}`);

function showSharedBar(message, canKeep) {
  $('shared-message').textContent = message;
  $('shared-keep').hidden = !canKeep;
  $('shared-discard').textContent = canKeep ? 'Discard' : 'Dismiss';
  $('shared').hidden = false;
}

/**
 * Wires the dialog and the bar to `page` (main.js). `blocksSaving()` is true while a shared
 * workspace is shown and not kept; `sharedWorkspace()` is the workspace of a share link in the
 * URL, or null (a damaged link is said, and nothing changes).
 */
export function setUpSharing(page) {
  let viewingShared = false;
  const dialog = $('share-dialog');
  const copy = (text, what) => navigator.clipboard.writeText(text).then(
    () => page.status(`Copied the ${what}`),
    () => page.status(`Copy failed: select the ${what} and copy it yourself`),
  );
  /** Shows the link for the whole workspace, or (`only`, a bundle's root) for that bundle alone. */
  const showLink = (only) => {
    const ws = page.workspace;
    const link = `${location.origin}${location.pathname}${location.search}#${share.encode(ws, { only })}`;
    const files = Object.keys(ws.files).filter((p) => only === null || only === '' || p.startsWith(`${only}/`)).length;
    $('share-link').value = link;
    const kb = (n) => `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
    const bytes = Object.values(ws.files).reduce((sum, text) => sum + text.length, 0);
    $('share-size').textContent = `${link.length.toLocaleString('en')} characters, ${only === null ? `the whole workspace: ${files} file${files === 1 ? '' : 's'}, ${kb(bytes)}` : `${files} file${files === 1 ? '' : 's'} of ${only || 'the bundle'} only (what its render needs)`}, compressed.`;
    const long = $('share-long');
    long.hidden = link.length <= share.LONG_LINK;
    long.textContent = `Chat tools and some browsers cut links past about ${share.LONG_LINK.toLocaleString('en')} characters. ${only === null && page.bundle && page.summary.bundles.length > 1 ? 'Link only the template shown, or download' : 'Download'} the workspace as a .tar.gz instead.`;
    // A repository's link can carry only the template shown: what its render needs.
    const root = page.bundle ? page.bundle.root : null;
    const scope = $('share-scope');
    $('share-scope-row').hidden = root === null || page.summary.bundles.length < 2;
    scope.textContent = only === null ? `Link only ${page.bundle ? page.bundle.label : ''}` : 'Link the whole workspace';
    scope.onclick = () => showLink(only === null ? root : null);
    $('share-markdown').value = share.markdown(link, ws.name || 'Workspace', page.outputs.current());
  };
  $('share').addEventListener('click', () => {
    showLink(null);
    dialog.showModal();
  });
  $('copy-link').addEventListener('click', () => copy($('share-link').value, 'link'));
  $('copy-markdown').addEventListener('click', () => copy($('share-markdown').value, 'Markdown'));
  $('close-share').addEventListener('click', () => dialog.close());
  $('download-workspace').addEventListener('click', async () => {
    const bytes = await page.engine.call('packArchive', { files: page.workspace.files });
    download(`${page.workspace.templateName || 'workspace'}.tar.gz`, new Blob([bytes], { type: 'application/gzip' }));
  });
  $('shared-keep').addEventListener('click', () => {
    const saved = store.loadCurrent();
    if (saved && saved.files) store.remember(saved);
    viewingShared = false;
    $('shared').hidden = true;
    withoutHash();
    page.persist();
    page.refreshRecent();
  });
  $('shared-discard').addEventListener('click', () => {
    $('shared').hidden = true;
    withoutHash();
    if (!viewingShared) return;
    viewingShared = false;
    page.attach(page.savedOrFirstExample());
    page.update();
  });
  return {
    blocksSaving: () => viewingShared,
    sharedWorkspace() {
      if (!share.isShareHash(hashText())) return null;
      try {
        const ws = share.decode(hashText());
        viewingShared = true;
        showSharedBar('You are looking at a shared workspace; your own is untouched until you keep this one.', true);
        return ws;
      } catch (error) {
        showSharedBar(`Could not open the share link: ${error.message}. Your saved workspace is unchanged.`, false);
        return null;
      }
    },
  };
}
