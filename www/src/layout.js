// The window's layout: the side pane (files above the inputs), the editor and the results,
// resized by dragging (or arrow keys on) their splitters, sizes kept across visits; the file tree
// folds away to give the inputs the side; below 1024 px a pane switcher shows one pane at a time;
// the secondary panels (Diagnostics, Spec, Versions, Workshop) as tabs.
const SIZES_KEY = 'proton-playground:layout';
/** Each splitter's CSS variable and limits in pixels (styles.css has the initial sizes). */
const SIZES = {
  side: { variable: '--side-width', min: 180, max: 640 },
  editor: { variable: '--editor-width', min: 240, max: 1600 },
  panels: { variable: '--panels-height', min: 64, max: 900 },
};
const STEP = 24;

function savedSizes() {
  try {
    return JSON.parse(localStorage.getItem(SIZES_KEY) || '{}') || {};
  } catch {
    return {};
  }
}

function setSize(name, px) {
  const spec = SIZES[name];
  const value = Math.round(Math.max(spec.min, Math.min(spec.max, px)));
  document.documentElement.style.setProperty(spec.variable, `${value}px`);
  return value;
}

/** Wires the splitters of `root` (the workbench). */
export function setUpSplitters(root) {
  const sizes = savedSizes();
  for (const [name, px] of Object.entries(sizes)) if (SIZES[name] && Number.isFinite(px)) setSize(name, px);
  for (const splitter of root.querySelectorAll('.splitter')) {
    const name = splitter.dataset.size;
    const vertical = splitter.getAttribute('aria-orientation') === 'vertical';
    // The pane the splitter sizes: the one before it, except the panels below it.
    const pane = name === 'panels' ? splitter.nextElementSibling : splitter.previousElementSibling;
    const current = () => (vertical ? pane.getBoundingClientRect().width : pane.getBoundingClientRect().height);
    const commit = (px) => {
      sizes[name] = setSize(name, px);
      splitter.setAttribute('aria-valuenow', String(sizes[name]));
      try {
        localStorage.setItem(SIZES_KEY, JSON.stringify(sizes));
      } catch {
        // Storage full or refused: the size holds for this visit.
      }
    };
    splitter.setAttribute('aria-valuemin', String(SIZES[name].min));
    splitter.setAttribute('aria-valuemax', String(SIZES[name].max));
    splitter.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      splitter.setPointerCapture(event.pointerId);
      splitter.classList.add('dragging');
      const start = vertical ? event.clientX : event.clientY;
      const from = current();
      const move = (e) => {
        const delta = (vertical ? e.clientX : e.clientY) - start;
        // The panels sit below their splitter: dragging down makes them smaller.
        commit(name === 'panels' ? from - delta : from + delta);
      };
      const up = () => {
        splitter.classList.remove('dragging');
        splitter.removeEventListener('pointermove', move);
        splitter.removeEventListener('pointerup', up);
      };
      splitter.addEventListener('pointermove', move);
      splitter.addEventListener('pointerup', up);
    });
    splitter.addEventListener('keydown', (event) => {
      const grow = vertical ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowUp: 1, ArrowDown: -1 };
      if (!(event.key in grow)) return;
      event.preventDefault();
      commit(current() + grow[event.key] * STEP);
    });
  }
}

/** `button` (aria-controls its section) folds the section away and back; the choice is kept. */
export function setUpFolding(button) {
  const key = `${SIZES_KEY}:folded:${button.id}`;
  const body = document.getElementById(button.getAttribute('aria-controls'));
  const set = (open) => {
    button.setAttribute('aria-expanded', String(open));
    body.hidden = !open;
    button.closest('.panel')?.classList.toggle('folded', !open);
  };
  set(localStorage.getItem(key) !== '1');
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    set(open);
    try {
      localStorage.setItem(key, open ? '0' : '1');
    } catch {
      // Storage refused: folded for this visit.
    }
  });
}

/** A `<details>` menu: closes when one of its controls is used, on Escape, and on a click outside it. */
export function setUpMenu(menu) {
  const close = () => { menu.open = false; };
  menu.addEventListener('change', close);
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menu.open) return;
    close();
    menu.querySelector('summary').focus();
  });
  document.addEventListener('pointerdown', (event) => { if (menu.open && !menu.contains(event.target)) close(); });
}

/** The pane switcher below 1024 px: shows one pane of the workbench at a time. */
export function setUpPaneSwitcher(nav, workbench) {
  const show = (pane) => {
    workbench.dataset.pane = pane;
    for (const tab of nav.querySelectorAll('[role=tab]')) tab.setAttribute('aria-selected', String(tab.dataset.pane === pane));
  };
  for (const tab of nav.querySelectorAll('[role=tab]')) tab.addEventListener('click', () => show(tab.dataset.pane));
  return { show };
}

/**
 * Tabs over panels: `tablist` holds `[role=tab]` buttons whose `aria-controls` name the panels.
 * Arrow keys move between tabs (one Tab stop). Returns `select(panelId)`.
 */
export function setUpTabs(tablist) {
  const tabs = () => [...tablist.querySelectorAll('[role=tab]')];
  const select = (panelId) => {
    for (const tab of tabs()) {
      const selected = tab.getAttribute('aria-controls') === panelId;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected;
    }
  };
  for (const tab of tabs()) tab.addEventListener('click', () => select(tab.getAttribute('aria-controls')));
  tablist.addEventListener('keydown', (event) => {
    const all = tabs();
    const at = all.indexOf(document.activeElement);
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (at < 0 || !step) return;
    const next = all[(at + step + all.length) % all.length];
    select(next.getAttribute('aria-controls'));
    next.focus();
  });
  return { select };
}
