// Talks to the engine worker: promise per request, latest-wins for renders, a restart if the
// worker crashes, and a watchdog that ends a worker busy past a deadline (the engine's own
// budgets stop runaway templates in milliseconds; the watchdog is the last line).
import { startEngineWorker } from './start.js';

/** How long a request may take before the worker is ended and restarted, by request type. */
const DEADLINES_MS = { update: 15000, loadArchive: 30000, versions: 60000, fleetCheck: 60000, exportAll: 60000, migrate: 60000, adopt: 120000 };
const DEFAULT_DEADLINE_MS = 30000;

/** What a request was working on, for the message when it takes too long. */
function subjectOf(type, payload) {
  const selection = payload && payload.state && payload.state.selection;
  if (selection && selection.root !== undefined) {
    const template = selection.root || 'the bundle';
    return selection.target ? `${template} (${selection.target})` : template;
  }
  return payload && payload.root ? payload.root : type;
}

export class Engine {
  /**
   * `onCrash(reason, {timedOut})` after a restart; `onData()` when the worker has fetched data
   * shards a render lacked (src/engine/worker.js): render again to see those checks.
   */
  constructor(onCrash, onData) {
    this.onCrash = onCrash;
    this.onData = onData;
    this.pending = new Map();
    this.nextId = 1;
    this.inFlight = null;
    this.queued = null;
    this.start();
  }

  start() {
    /** The files object the worker holds (sent last): the same object is not sent again. */
    this.sentFiles = null;
    // The boot script starts the first worker early; restarts make their own.
    this.worker = window.protonPlaygroundWorker
      || startEngineWorker(new URL('./worker.js', import.meta.url), new URL('./proton_playground_bg.wasm', import.meta.url));
    window.protonPlaygroundWorker = null;
    this.worker.onmessage = (event) => {
      const { id, ok, result, error, fatal, type } = event.data;
      if (type === 'shards') {
        if (this.onData) this.onData();
        return;
      }
      const entry = this.pending.get(id);
      if (!entry) return;
      this.pending.delete(id);
      clearTimeout(entry.timer);
      if (ok) entry.resolve(result);
      else entry.reject(new Error(error));
      if (fatal) this.restart(error);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.restart(event.message || 'the engine stopped');
    };
  }

  /** Ends the worker and starts another; `timedOut` when the watchdog ended it. */
  restart(reason, { timedOut = false } = {}) {
    this.worker.terminate();
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      // Marked, so callers leave the saying to `onCrash`.
      entry.reject(Object.assign(new Error(`engine restarted: ${reason}`), { restarted: true }));
    }
    this.pending.clear();
    this.inFlight = null;
    this.start();
    if (this.onCrash) this.onCrash(reason, { timedOut });
  }

  call(type, payload = {}, transfer = []) {
    // Edits replace the files object rather than change it (panels/files.js), so a form
    // keystroke sends the state alone and the worker keeps the files it has (worker.js).
    if (payload.files) {
      if (payload.files === this.sentFiles) payload = { ...payload, files: null };
      else this.sentFiles = payload.files;
    }
    const id = this.nextId++;
    // Tests shorten the deadline (`window.protonPlaygroundEngineDeadlineMs`).
    const deadline = window.protonPlaygroundEngineDeadlineMs ?? DEADLINES_MS[type] ?? DEFAULT_DEADLINE_MS;
    const subject = subjectOf(type, payload);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.restart(`it spent more than ${Math.round(deadline / 1000)} s on ${subject}`, { timedOut: true });
      }, deadline);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, type, payload }, transfer);
    });
  }

  /** Renders, dropping intermediate requests made while one is running. */
  update(payload) {
    return new Promise((resolve, reject) => {
      if (this.inFlight) {
        if (this.queued) this.queued.resolve(null);
        this.queued = { payload, resolve, reject };
        return;
      }
      this.run(payload, resolve, reject);
    });
  }

  run(payload, resolve, reject) {
    this.inFlight = this.call('update', payload)
      .then(resolve, reject)
      .finally(() => {
        this.inFlight = null;
        const next = this.queued;
        this.queued = null;
        if (next) this.run(next.payload, next.resolve, next.reject);
      });
  }
}
