// Talks to the engine worker: promise per request, latest-wins for renders, and a restart with
// the last request replayed if the worker crashes.
import { startEngineWorker } from './start.js';

export class Engine {
  constructor(onCrash) {
    this.onCrash = onCrash;
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
      const { id, ok, result, error, fatal } = event.data;
      const entry = this.pending.get(id);
      if (!entry) return;
      this.pending.delete(id);
      if (ok) entry.resolve(result);
      else entry.reject(new Error(error));
      if (fatal) this.restart(error);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.restart(event.message || 'the engine stopped');
    };
  }

  restart(reason) {
    this.worker.terminate();
    for (const entry of this.pending.values()) entry.reject(new Error(`engine restarted: ${reason}`));
    this.pending.clear();
    this.inFlight = null;
    this.start();
    if (this.onCrash) this.onCrash(reason);
  }

  call(type, payload = {}, transfer = []) {
    // Edits replace the files object rather than change it (panels/files.js), so a form
    // keystroke sends the state alone and the worker keeps the files it has (worker.js).
    if (payload.files) {
      if (payload.files === this.sentFiles) payload = { ...payload, files: null };
      else this.sentFiles = payload.files;
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
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
