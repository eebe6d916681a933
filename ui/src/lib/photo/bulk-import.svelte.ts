// A bulk photo import: the photo files chosen (kept as File handles: each is read
// only when it is sent, so memory stays flat however many there are), an optional
// list naming whose each file is, the backend's plan, then one call per photo so the
// screen shows progress and can stop between two photos (each photo is saved on its
// own: stopping loses nothing). A resumed import goes on from the first photo not
// done; a report line comes back for every photo, whatever became of it.
import { commands } from "../ipc";
import type { BulkPhotoOutcome } from "../ipc/generated/BulkPhotoOutcome";
import type { BulkPhotoRow } from "../ipc/generated/BulkPhotoRow";
import type { HolderKey } from "../ipc/generated/HolderKey";
import type { PhotoImportPlan } from "../ipc/generated/PhotoImportPlan";
import type { PlannedPhoto } from "../ipc/generated/PlannedPhoto";
import { fileToBase64, readAsDataUrl } from "../files/read";
import { runTask, TaskCancelled } from "../tasks.svelte";
import { now } from "../time/clock";

export const HOLDER_KEYS: readonly HolderKey[] = ["hr_id", "email", "name"];
export const OUTCOMES: readonly BulkPhotoOutcome[] = ["saved", "accepted", "needs_desk", "refused"];

/** How often the elapsed time shown moves while a photo is being checked (ms). */
const TICK_MS = 250;

export interface BulkPhotoImportEvents {
  /** After a run that saved at least one photo (the queue reloads). */
  onsaved?: () => void;
}

export class BulkPhotoImport {
  key = $state<HolderKey>("hr_id");
  /** The CSV naming each holder's photo file; none: each file is named after its holder. */
  list = $state<File | null>(null);
  /** The chosen photo files (handles only, never their bytes). */
  files = $state.raw<File[]>([]);
  plan = $state<PhotoImportPlan | null>(null);
  planning = $state(false);
  dryRun = $state(false);
  /** One report line per photo done, in order. */
  rows = $state<BulkPhotoRow[]>([]);
  running = $state(false);
  /** Stop asked: the loop ends after the photo being checked. */
  stopping = $state(false);
  /** The photo being checked now. */
  current = $state<string | null>(null);
  /** Whether the lines of the report come from a dry run. */
  reportIsDryRun = $state(false);
  /** A failure that stopped the import (the backend unreachable, the database down). */
  error = $state<unknown>(null);
  /** Milliseconds spent running, for the progress line. */
  elapsedMs = $state(0);

  readonly #events: BulkPhotoImportEvents;
  #planRound = 0;
  #stop = false;
  #disposed = false;

  constructor(events: BulkPhotoImportEvents = {}) {
    this.#events = events;
  }

  get total(): number {
    return this.plan?.photos.length ?? 0;
  }

  get done(): number {
    return this.rows.length;
  }

  /** Photos of the plan not done yet (the import was stopped, or not started). */
  get left(): number {
    return this.total - this.done;
  }

  count(outcome: BulkPhotoOutcome): number {
    return this.rows.filter((row) => row.outcome === outcome).length;
  }

  /** New photo files: the plan and any report are for the previous choice. */
  chooseFiles(files: readonly File[]): Promise<void> {
    this.files = [...files];
    return this.makePlan();
  }

  chooseList(list: File | null): Promise<void> {
    this.list = list;
    return this.makePlan();
  }

  chooseKey(key: HolderKey): Promise<void> {
    this.key = key;
    return this.makePlan();
  }

  /** Asks the backend which photos go to whom (nothing written); a newer choice supersedes it. */
  async makePlan(): Promise<void> {
    if (this.running) return;
    const round = ++this.#planRound;
    this.plan = null;
    this.rows = [];
    this.error = null;
    this.elapsedMs = 0;
    if (this.files.length === 0) return;
    this.planning = true;
    try {
      const list = this.list ? await fileToBase64(this.list) : null;
      const fileNames = this.files.map((f) => f.name);
      const plan = await runTask(
        "task.photoPlan",
        () => commands.planPhotoImport({ key: this.key, list, fileNames }),
        { cancellable: true },
      );
      if (round === this.#planRound) this.plan = plan;
    } catch (e) {
      if (round === this.#planRound && !(e instanceof TaskCancelled)) this.error = e;
    } finally {
      if (round === this.#planRound) this.planning = false;
    }
  }

  /** Runs the whole plan from its first photo (a new report). */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.rows = [];
    this.elapsedMs = 0;
    return this.resume();
  }

  /** Goes on from the first photo not done. */
  async resume(): Promise<void> {
    const plan = this.plan;
    if (!plan || this.running || this.#disposed) return;
    this.running = true;
    this.stopping = false;
    this.#stop = false;
    this.error = null;
    // Going on from a stopped run keeps that run's kind: one report is all trial
    // lines or all real saves, never both.
    if (this.done > 0) this.dryRun = this.reportIsDryRun;
    const dryRun = this.dryRun;
    this.reportIsDryRun = dryRun;
    const byName = new Map(this.files.map((f) => [f.name, f]));
    const started = now() - this.elapsedMs;
    const ticker = setInterval(() => (this.elapsedMs = now() - started), TICK_MS);
    let saved = 0;
    try {
      while (this.done < plan.photos.length && !this.#stop && !this.#disposed) {
        const photo = plan.photos[this.done];
        this.current = photo.fileName;
        const row = await this.#importOne(photo, byName.get(photo.fileName), dryRun);
        if (!row) break; // the import itself failed: `error` says why, resume goes on from here
        this.rows = [...this.rows, row];
        if (row.outcome === "saved") saved += 1;
        this.elapsedMs = now() - started;
      }
    } finally {
      clearInterval(ticker);
      this.elapsedMs = now() - started;
      this.running = false;
      this.stopping = false;
      this.current = null;
      if (saved > 0) this.#events.onsaved?.();
    }
  }

  /** One photo: read now (and let go after the call), sent, its report line. */
  async #importOne(photo: PlannedPhoto, file: File | undefined, dryRun: boolean): Promise<BulkPhotoRow | null> {
    let image: string;
    try {
      if (!file) throw new Error("not chosen");
      image = await readAsDataUrl(file);
    } catch {
      // The file went away or cannot be read: a line of the report, not a stop.
      return unread(photo);
    }
    try {
      return await commands.importRequestPhoto({
        fileName: photo.fileName,
        key: photo.key,
        keyKind: this.key,
        image,
        dryRun,
      });
    } catch (e) {
      this.error = e;
      return null;
    }
  }

  /** Stops after the photo being checked. */
  stop(): void {
    if (!this.running) return;
    this.#stop = true;
    this.stopping = true;
  }

  /** The dialog is gone: no further photo is sent. */
  dispose(): void {
    this.#disposed = true;
    this.#stop = true;
    this.#planRound++;
  }
}

/** The report line of a file the desk could not read (the same code as a photo file the backend cannot read). */
function unread(photo: PlannedPhoto): BulkPhotoRow {
  return {
    fileName: photo.fileName,
    key: photo.key,
    outcome: "refused",
    requestId: null,
    holder: null,
    code: "photo.io",
    checks: [],
  };
}
