// The workspace persists in localStorage: it comes back on reload, and loading another bundle
// keeps the previous ones in a "recent" list.

const CURRENT = 'proton-playground.workspace.v1';
const RECENT = 'proton-playground.recent.v1';
const MAX_RECENT = 8;

export function loadCurrent() {
  try {
    const text = localStorage.getItem(CURRENT);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Saves the workspace; returns an error message when storage is full. */
export function saveCurrent(workspace) {
  try {
    localStorage.setItem(CURRENT, JSON.stringify(workspace));
    return null;
  } catch (error) {
    return `Could not save your workspace (${error.name}): download it to keep your edits.`;
  }
}

/**
 * Calls `onChange` when another tab saves the workspace (`storage` events only reach the
 * other tabs of the origin).
 */
export function watchOtherTabs(onChange) {
  window.addEventListener('storage', (event) => {
    if (event.key === CURRENT && event.newValue) onChange();
  });
}

export function recentList() {
  try {
    return JSON.parse(localStorage.getItem(RECENT) || '[]');
  } catch {
    return [];
  }
}

/** Moves `workspace` to the top of the recent list. */
export function remember(workspace) {
  if (!workspace) return;
  const list = recentList().filter((w) => w.id !== workspace.id);
  list.unshift({ ...workspace, savedAt: new Date().toISOString() });
  try {
    localStorage.setItem(RECENT, JSON.stringify(list.slice(0, MAX_RECENT)));
  } catch {
    // The recent list is a convenience: drop the oldest entries when storage is full.
    try {
      localStorage.setItem(RECENT, JSON.stringify(list.slice(0, 2)));
    } catch { /* nothing more to do */ }
  }
}

export function findRecent(id) {
  return recentList().find((w) => w.id === id) || null;
}
