// Two tabs on the same workspace: when another tab saves it, this tab stops saving and asks
// which version to keep (saving meanwhile would silently overwrite the other tab's edits).
import * as store from './store.js';

const $ = (id) => document.getElementById(id);

/** Wires the conflict bar to `page` (main.js); `blocksSaving()` is true while it waits. */
export function setUpTabConflicts(page) {
  let conflict = false;
  const bar = $('conflict');
  store.watchOtherTabs(() => {
    conflict = true;
    bar.hidden = false;
  });
  $('conflict-theirs').addEventListener('click', () => {
    conflict = false;
    bar.hidden = true;
    const theirs = store.loadCurrent();
    if (theirs && theirs.files) page.attach(theirs);
    page.update();
  });
  $('conflict-mine').addEventListener('click', () => {
    conflict = false;
    bar.hidden = true;
    page.persist();
  });
  return { blocksSaving: () => conflict };
}
