// Help: the Help dialog (links to the docs page and its sections, the editor's keys) and a
// first-visit hint, dismissed once for good.
const SEEN_KEY = 'proton-playground:hint-seen';

export function setUpHelp() {
  const dialog = document.getElementById('help-dialog');
  const hint = document.getElementById('first-visit');
  const seen = () => {
    try {
      return localStorage.getItem(SEEN_KEY) === '1';
    } catch {
      return false;
    }
  };
  const dismiss = () => {
    hint.hidden = true;
    try {
      localStorage.setItem(SEEN_KEY, '1');
    } catch {
      // Not stored: the hint shows again next visit.
    }
  };
  hint.hidden = seen();
  document.getElementById('first-visit-close').addEventListener('click', dismiss);
  document.getElementById('help').addEventListener('click', () => dialog.showModal());
  document.getElementById('close-help').addEventListener('click', () => dialog.close());
  document.getElementById('help-first-visit').addEventListener('click', () => {
    hint.hidden = false;
    dialog.close();
  });
}
