/**
 * Presets on disk: one JSON file, written atomically (a temporary file,
 * fsync, then rename over the old one), so a crash mid-save leaves either
 * the old presets or the new ones, never half of either.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { ok, type Result } from '../../shared/scsi/result';
import { parsePresetsJson, presetsJson, type PresetData } from '../../shared/presets-file';

export class PresetStore {
  constructor(readonly file: string) {}

  load(): Result<PresetData[]> {
    if (!existsSync(this.file)) return ok([]);
    return parsePresetsJson(readFileSync(this.file, 'utf8'), this.file);
  }

  /** Replaces the file's contents atomically. */
  write(presets: readonly PresetData[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, presetsJson(presets));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }

  save(preset: PresetData): Result<PresetData[]> {
    const current = this.load();
    if (!current.ok) return current;
    const next = [...current.value.filter((p) => p.id !== preset.id), preset];
    this.write(next);
    return ok(next);
  }

  remove(id: string): Result<PresetData[]> {
    const current = this.load();
    if (!current.ok) return current;
    const next = current.value.filter((p) => p.id !== id);
    this.write(next);
    return ok(next);
  }

  import(presets: readonly PresetData[]): Result<PresetData[]> {
    const current = this.load();
    if (!current.ok) return current;
    const ids = new Set(presets.map((p) => p.id));
    const next = [...current.value.filter((p) => !ids.has(p.id)), ...presets];
    this.write(next);
    return ok(next);
  }
}
