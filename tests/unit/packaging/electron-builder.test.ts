/**
 * electron-builder.yml, checked by electron-builder itself without packing
 * (no Electron binary, no network): its configuration loader and JSON-schema
 * validation (the first step of every `electron-builder` run), then its own
 * target factory for each platform, and the Linux .deb target's metadata
 * check. What only a real pack would show is listed in README ("Packaging").
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const require = createRequire(join(root, 'package.json'));

interface TargetLike {
  readonly name: string;
  checkOptions(): Promise<unknown>;
}
interface PackagerLike {
  validateConfig(): Promise<void>;
  readonly config: Record<string, unknown>;
  _appInfo: unknown;
  _framework: unknown;
}
type PlatformPackagerClass = new (info: PackagerLike) => unknown;
interface PlatformLike {
  readonly name: string;
}

const builder = require('app-builder-lib') as {
  Packager: new (options: { projectDir: string }) => PackagerLike;
  LinuxPackager: PlatformPackagerClass;
  MacPackager: PlatformPackagerClass;
  WinPackager: PlatformPackagerClass;
  Platform: { LINUX: PlatformLike; MAC: PlatformLike; WINDOWS: PlatformLike };
};
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (on: boolean) => unknown };
const { AppInfo } = require('app-builder-lib/out/appInfo.js') as {
  AppInfo: new (info: PackagerLike, version: null) => unknown;
};
const { createElectronFrameworkSupport } =
  require('app-builder-lib/out/electron/ElectronFramework.js') as {
    createElectronFrameworkSupport(config: unknown, packager: PackagerLike): Promise<unknown>;
  };
const factory = require('app-builder-lib/out/targets/targetFactory.js') as {
  computeArchToTargetNamesMap(
    raw: Map<number, string[]>,
    packager: unknown,
    platform: PlatformLike,
  ): Map<number, string[]>;
  createTargets(
    made: Map<string, TargetLike>,
    names: string[],
    outDir: string,
    packager: unknown,
  ): TargetLike[];
};

/** A packager for this project with its configuration loaded and validated, as a build starts. */
async function loadedPackager(): Promise<PackagerLike> {
  const packager = new builder.Packager({ projectDir: root });
  await packager.validateConfig();
  // What Packager.build() sets next: target factories read the app's name and version, and
  // the Electron framework (its version from the installed electron package; no binary).
  packager._appInfo = new AppInfo(packager, null);
  packager._framework = await createElectronFrameworkSupport(packager.config, packager);
  return packager;
}

/** The targets electron-builder makes for a platform from electron-builder.yml (none is built). */
function targetsFor(
  packager: PackagerLike,
  Kind: PlatformPackagerClass,
  platform: PlatformLike,
): TargetLike[] {
  const platformPackager = new Kind(packager);
  const names = [
    ...factory.computeArchToTargetNamesMap(new Map(), platformPackager, platform).values(),
  ].flat();
  // The output folder is only remembered by the targets here, never created.
  return factory.createTargets(new Map(), names, join(root, 'release'), platformPackager);
}

describe('electron-builder.yml, as electron-builder reads it', () => {
  it("passes electron-builder's configuration schema and package.json checks", async () => {
    const packager = await loadedPackager();
    expect(packager.config['appId']).toBe('org.usbcdb.app');
  });

  it('the schema check can fail: a misspelt option is refused with its path', async () => {
    const packager = await loadedPackager();
    const nsis = packager.config['nsis'] as Record<string, unknown>;
    await expect(
      validateConfiguration(
        { ...packager.config, nsis: { ...nsis, oneClik: false } },
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/configuration\.nsis/);
  });

  it('makes AppImage and deb for Linux, dmg for macOS, nsis for Windows', async () => {
    const packager = await loadedPackager();
    const names = (Kind: PlatformPackagerClass, p: PlatformLike): string[] =>
      targetsFor(packager, Kind, p).map((t) => t.name);
    expect(names(builder.LinuxPackager, builder.Platform.LINUX)).toEqual(['appImage', 'deb']);
    expect(names(builder.MacPackager, builder.Platform.MAC)).toEqual(['dmg']);
    expect(names(builder.WinPackager, builder.Platform.WINDOWS)).toEqual(['nsis']);
  });

  it("the .deb is blocked on exactly what README's Packaging section lists", async () => {
    const packager = await loadedPackager();
    const deb = targetsFor(packager, builder.LinuxPackager, builder.Platform.LINUX).find(
      (t) => t.name === 'deb',
    );
    const refusal = await deb?.checkOptions().then(
      () => '',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    const missing = [
      ...(/specify project homepage/.test(refusal ?? '') ? ['homepage'] : []),
      ...(/maintainer/.test(refusal ?? '') ? ['maintainer'] : []),
    ];
    expect(missing).toEqual(['homepage', 'maintainer']);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const packaging = readme.slice(readme.indexOf('## Packaging'));
    expect(packaging).toMatch(/\.deb needs a `homepage`.*and a maintainer/s);
  });
});
