/** Where web mode keeps presets: $XDG_CONFIG_HOME/usbcdb (or ~/.config/usbcdb) — the same place across restarts. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultPresetsFile(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.length > 0
      ? env.XDG_CONFIG_HOME
      : join(homedir(), '.config');
  return join(base, 'usbcdb', 'presets.json');
}
