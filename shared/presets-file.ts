/**
 * The presets file format ({ usbcdbPresets: 1, presets: [...] }): what the
 * app's store writes, what export and import exchange, and what the editor's
 * "export as JSON preset" produces, so one command can be imported elsewhere.
 */
import { z } from 'zod';
import { Preset } from './ipc/contract';
import { err, ok, type Result } from './scsi/result';
import { errorText } from './error-text';

export type PresetData = z.infer<typeof Preset>;

const FileSchema = z.object({ usbcdbPresets: z.literal(1), presets: z.array(Preset) });

/** Parses an exported presets file; the error names the preset and the field. */
export function parsePresetsJson(text: string, source: string): Result<PresetData[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return err({
      code: 'presets',
      message: `${source} is not JSON: ${errorText(e)}`,
    });
  }
  const r = FileSchema.safeParse(data);
  if (r.success) return ok(r.data.presets);
  return err({
    code: 'presets',
    message: `${source}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ')}`,
  });
}

export function presetsJson(presets: readonly PresetData[]): string {
  return JSON.stringify({ usbcdbPresets: 1, presets }, null, 2) + '\n';
}
