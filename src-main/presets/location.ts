/**
 * Where usbcdb keeps a user's data outside Electron (web mode, the CLI):
 * $XDG_CONFIG_HOME/usbcdb (or ~/.config/usbcdb) — the same place across restarts.
 * Electron uses its own per-user folder (app.getPath('userData')).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.length > 0
      ? env.XDG_CONFIG_HOME
      : join(homedir(), '.config');
  return join(base, 'usbcdb');
}

/** The presets file in a data folder. */
export function presetsFileIn(dataDir: string): string {
  return join(dataDir, 'presets.json');
}
