/**
 * The built-in device profiles (`emu:NAME`), one JSON file each in
 * profiles/, validated against the schema when loaded; the first is the
 * default `emu:`. Registration is this explicit list (docs/style.md lesson 9).
 */
import { err, ok, type Result } from '../../shared/scsi/result';
import { ProfileSchema, type Profile } from './profile';
import asmediaNvme from './profiles/asmedia-nvme.json';
import cardReader from './profiles/card-reader.json';
import flashStick from './profiles/flash-stick.json';
import fwUpdatable from './profiles/fw-updatable.json';
import jmicronNvme from './profiles/jmicron-nvme.json';
import realtekNvme from './profiles/realtek-nvme.json';
import sataBridge from './profiles/sata-bridge.json';
import spc2Bridge from './profiles/spc2-bridge.json';

/** Validates a parsed profile file; the error names every field that is wrong. */
export function validateProfile(data: unknown, source: string): Result<Profile> {
  const r = ProfileSchema.safeParse(data);
  if (r.success) return ok(r.data);
  const problems = r.error.issues.map(
    (i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`,
  );
  return err({
    code: 'profile',
    message: `${source} is not a valid profile: ${problems.join('; ')}`,
  });
}

function builtIn(data: unknown, file: string): Profile {
  const r = validateProfile(data, `profiles/${file}`);
  // A shipped profile that fails its own schema is a bug, caught by the tests.
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export const BUILT_IN_PROFILES: readonly Profile[] = [
  builtIn(flashStick, 'flash-stick.json'),
  builtIn(spc2Bridge, 'spc2-bridge.json'),
  builtIn(sataBridge, 'sata-bridge.json'),
  builtIn(cardReader, 'card-reader.json'),
  builtIn(fwUpdatable, 'fw-updatable.json'),
  builtIn(asmediaNvme, 'asmedia-nvme.json'),
  builtIn(realtekNvme, 'realtek-nvme.json'),
  builtIn(jmicronNvme, 'jmicron-nvme.json'),
];

export function findProfile(name: string): Profile | undefined {
  return BUILT_IN_PROFILES.find((p) => p.name === name);
}
