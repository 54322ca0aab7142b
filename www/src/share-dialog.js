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
  $('share').addEventListener('click', () => {
    const link = `${location.origin}${location.pathname}${location.search}#${share.encode(page.workspace)}`;
    $('share-link').value = link;
    const long = $('share-long');
    long.hidden = link.length <= share.LONG_LINK;
    long.textContent = `This link is ${link.length.toLocaleString('en')} characters: chat tools and some browsers cut links past about ${share.LONG_LINK.toLocaleString('en')}. Download the workspace as a .tar.gz instead.`;
    $('share-markdown').value = share.markdown(link, page.workspace.name || 'Workspace', page.outputs.current());
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
