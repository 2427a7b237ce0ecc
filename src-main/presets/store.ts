/**
 * Presets on disk: one JSON file, replaced atomically (files/atomic-write.ts),
 * so a crash, a full disk or a file size limit mid-save leaves the old
 * presets, never half of them, and the save reports the failure.
 */
import { existsSync } from 'node:fs';
import { MAX_PRESETS_FILE } from '../../shared/ipc/limits';
import { err, ok, problem, type Result } from '../../shared/scsi/result';
import {
  parsePresetsFile,
  presetsFile,
  presetsFileSizeProblem,
  type PresetData,
} from '../../shared/presets-file';
import { writeFileAtomic } from '../files/atomic-write';
import { readBoundedRegularFileSync } from '../files/bounded-read';
import type { FileIo } from '../files/file-io';

export class PresetStore {
  /** @param io stands in for `node:fs` when writing (tests simulate short writes and full disks) */
  constructor(
    readonly file: string,
    private readonly io?: FileIo,
  ) {}

  /**
   * The presets, or why the file does not read. A file that does not read is
   * never replaced (save, remove and import load first): when it is there but
   * does not parse, the error says so, and how the user gets their presets back.
   */
  load(): Result<PresetData[]> {
    if (!existsSync(this.file)) return ok([]);
    // Bounded and regular-only: a FIFO or device put there must not hang or exhaust the app.
    const bytes = readBoundedRegularFileSync(this.file, MAX_PRESETS_FILE);
    if (!bytes.ok) return bytes;
    const read = parsePresetsFile(bytes.value, this.file);
    if (read.ok) return read;
    return err(
      problem(
        read.error.code,
        `${read.error.message}. usbcdb leaves the file as it is and saves no preset until it reads: correct what is named (the file is JSON text), or move the file aside to start a new one`,
      ),
    );
  }

  /**
   * Replaces the file's contents atomically; on failure the file keeps its
   * previous presets. What load() would refuse, over its size or not parsing,
   * is refused before anything is written: a file the app cannot read back
   * would take every preset with it.
   */
  write(presets: readonly PresetData[]): Result<void> {
    const bytes = presetsFile(presets);
    if (bytes.length > MAX_PRESETS_FILE)
      return err(
        problem(
          'file-too-large',
          `cannot save ${this.file}: the presets would make it ${bytes.length} bytes, over the limit of ${MAX_PRESETS_FILE} bytes the app reads back; the file is unchanged. To make room, delete presets you no longer need, those with the most data-out first`,
        ),
      );
    const readable = parsePresetsFile(bytes, `cannot save ${this.file}`);
    if (!readable.ok)
      return err(problem('presets', `${readable.error.message}; the file is unchanged`));
    // The folder owner-only, like the file: presets are the user's own notes.
    return writeFileAtomic(this.file, bytes, {
      createFolder: true,
      ...(this.io ? { io: this.io } : {}),
    });
  }

  /**
   * The file's presets as the app writes them, for presets.export: bytes, so
   * nothing escapes them a second time on the way (a JSON string in a JSON
   * reply could be twice the file, over the web bridge's reply bound).
   */
  exported(): Result<Uint8Array> {
    const current = this.load();
    if (!current.ok) return current;
    const bytes = presetsFile(current.value);
    // A hand-written file re-indented as the app writes it can grow past the bound.
    const large = presetsFileSizeProblem(bytes.length, `the export of ${this.file}`);
    return large ? err(large) : ok(bytes);
  }

  /** The new list once it is on disk, or why it is not (the file then holds the old list). */
  private replace(next: PresetData[]): Result<PresetData[]> {
    const written = this.write(next);
    return written.ok ? ok(next) : written;
  }

  save(preset: PresetData): Result<PresetData[]> {
    const current = this.load();
    if (!current.ok) return current;
    const next = [...current.value.filter((p) => p.id !== preset.id), preset];
    return this.replace(next);
  }

  remove(id: string): Result<PresetData[]> {
    const current = this.load();
    if (!current.ok) return current;
    const next = current.value.filter((p) => p.id !== id);
    return this.replace(next);
  }

  import(presets: readonly PresetData[]): Result<PresetData[]> {
    const current = this.load();
    if (!current.ok) return current;
    const ids = new Set(presets.map((p) => p.id));
    const next = [...current.value.filter((p) => !ids.has(p.id)), ...presets];
    return this.replace(next);
  }
}
