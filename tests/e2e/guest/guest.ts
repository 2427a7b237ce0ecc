/**
 * A small Linux guest for proving usbcdb against a real kernel, built from
 * Debian packages only: Debian's
 * kernel unpacked with dpkg -x, busybox-static, sg3-utils, usbip and
 * libiscsi's iscsi-test-cu with the libraries they need, and init.sh as
 * PID 1. Booted with qemu-system-x86_64 under TCG (KVM does not work on
 * these machines). Commands go in as a second cpio appended to the
 * initramfs; their output comes back framed on the serial console.
 *
 * The build is cached under .guest-cache/ keyed by the package versions and
 * init.sh, so a second run builds nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = process.cwd();
const CACHE = join(ROOT, '.guest-cache');
const INIT = join(ROOT, 'tests', 'e2e', 'guest', 'init.sh');

/** Debian packages the guest is made of (and the host needs to build and boot it). */
export const GUEST_DEBS = [
  'qemu-system-x86',
  'busybox-static',
  'sg3-utils',
  'usbip',
  'libiscsi-bin',
  'usbutils',
  // ATA clients of the emulated SAT bridge (smartctl -d sat, hdparm -I).
  'smartmontools',
  'hdparm',
] as const;

/** Modules loaded in the guest, with their parameters; dependencies come first automatically. */
const MODULES: readonly (readonly [string, string])[] = [
  ['xhci-pci', ''],
  ['ehci-pci', ''],
  ['sd_mod', ''],
  ['sg', ''],
  ['usb-storage', 'delay_use=0'],
  ['vhci-hcd', ''],
  ['e1000', ''],
  // The host's files over virtio 9p (scenario 2 runs the host's Node and usbcdb in the guest).
  ['virtio_pci', ''],
  ['9pnet_virtio', ''],
  ['9p', ''],
];

/** Programs copied into the guest with their shared libraries. */
const PROGRAMS = [
  ...'sg_inq sg_vpd sg_readcap sg_turs sg_raw sg_write_buffer sg_dd sg_requests sg_opcodes sg_luns sg_modes sg_logs sg_senddiag'
    .split(' ')
    .map((p) => `/usr/bin/${p}`),
  '/usr/sbin/usbip',
  '/usr/bin/iscsi-test-cu',
  '/usr/bin/lsusb',
  '/usr/bin/usbreset',
  '/usr/bin/md5sum',
  '/usr/bin/dd',
  '/usr/sbin/smartctl',
  '/usr/sbin/hdparm',
];

function run(cmd: string, args: readonly string[], opts: { cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** The host packages must be there (npm test's setup installs them as root): say which are not. */
export function checkHostPackages(): void {
  const missing = GUEST_DEBS.filter(
    (d) =>
      !spawnSync('dpkg-query', ['-W', '-f=${Status}', d], { encoding: 'utf8' }).stdout.includes(
        'install ok installed',
      ),
  );
  if (missing.length > 0)
    throw new Error(
      `the test guest needs Debian packages ${missing.join(' ')}: apt-get install ${missing.join(' ')} (npm test does it as root)`,
    );
}

function kernelPackage(): string {
  const deps = run('apt-cache', ['depends', 'linux-image-amd64']);
  const m = /Depends: (linux-image-[\w.-]+-amd64)/.exec(deps);
  if (!m?.[1]) throw new Error(`cannot tell which kernel linux-image-amd64 depends on:\n${deps}`);
  return m[1];
}

function versionOf(pkg: string): string {
  return run('apt-cache', ['policy', pkg]).match(/Candidate: (\S+)/)?.[1] ?? 'unknown';
}

/** modules.dep: module path → its dependencies' paths. */
function moduleDeps(modDir: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of readFileSync(join(modDir, 'modules.dep'), 'utf8').split('\n')) {
    const [path, deps] = line.split(':');
    if (!path) continue;
    map.set(path.trim(), (deps ?? '').trim().split(/\s+/).filter(Boolean));
  }
  return map;
}

/** Load order: every dependency before its user (modules.dep lists them, modprobe-style). */
function loadOrder(deps: Map<string, string[]>): { path: string; args: string }[] {
  const byName = new Map<string, string>();
  for (const p of deps.keys())
    byName.set(
      p
        .replace(/^.*\//, '')
        .replace(/\.ko(\.\w+)?$/, '')
        .replace(/_/g, '-'),
      p,
    );
  const order: { path: string; args: string }[] = [];
  const seen = new Set<string>();
  const visit = (path: string, args: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const d of deps.get(path) ?? []) visit(d, '');
    order.push({ path, args });
  };
  for (const [name, args] of MODULES) {
    const path = byName.get(name.replace(/_/g, '-'));
    if (!path) throw new Error(`the kernel has no module ${name}`);
    visit(path, args);
  }
  return order;
}

function copyWithLibraries(program: string, root: string, copied: Set<string>): void {
  const copy = (file: string): void => {
    if (copied.has(file)) return;
    copied.add(file);
    const target = join(root, file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(realpathSync(file), target);
    chmodSync(target, statSync(realpathSync(file)).mode);
  };
  copy(program);
  const ldd = spawnSync('ldd', [program], { encoding: 'utf8' }).stdout;
  for (const m of ldd.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)) if (m[1]) copy(m[1]);
}

function cpio(dir: string, out: string): void {
  // busybox cpio writes newc archives; gzip compresses them (the kernel reads both).
  const list = run('find', ['.'], { cwd: dir });
  const r = spawnSync('sh', ['-c', `busybox cpio -o -H newc -R 0:0 | gzip -1 > '${out}'`], {
    cwd: dir,
    input: list,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`cpio failed: ${r.stderr}`);
}

export interface GuestImage {
  readonly kernel: string;
  readonly initrd: string;
  readonly kernelVersion: string;
}

/** Builds the guest (or reuses the cached one). */
export function ensureGuest(log: (l: string) => void = () => undefined): GuestImage {
  checkHostPackages();
  const pkg = kernelPackage();
  const key = createHash('sha256')
    .update(
      [
        pkg,
        versionOf(pkg),
        ...GUEST_DEBS.map(versionOf),
        readFileSync(INIT, 'utf8'),
        JSON.stringify(MODULES),
        PROGRAMS.join(),
      ].join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
  const dir = join(CACHE, key);
  const image = { kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'base.cpio.gz') };
  if (existsSync(image.initrd) && existsSync(image.kernel))
    return { ...image, kernelVersion: readFileSync(join(dir, 'kernel-version'), 'utf8') };
  log(`building the guest (${pkg}) in ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // apt-get download drops privileges to _apt: give it a directory it may write.
  const dl = mkdtempSync(join(tmpdir(), 'usbcdb-kernel-'));
  const kroot = join(dir, 'kernel');
  try {
    chmodSync(dl, 0o777);
    run('apt-get', ['download', '-q', pkg], { cwd: dl });
    const deb = readdirSync(dl).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} left no .deb`);
    run('dpkg', ['-x', join(dl, deb), kroot]);
  } finally {
    rmSync(dl, { recursive: true, force: true });
  }
  const kver = readdirSync(join(kroot, 'lib', 'modules'))[0];
  if (!kver) throw new Error('the kernel package has no modules');
  const modDir = join(kroot, 'lib', 'modules', kver);
  // The package has no modules.dep (depmod runs at install time): busybox builds it.
  run('busybox', ['depmod', '-b', kroot, kver]);
  const vmlinuz = readdirSync(join(kroot, 'boot')).find((f) => f.startsWith('vmlinuz'));
  if (!vmlinuz) throw new Error('the kernel package has no vmlinuz');
  copyFileSync(join(kroot, 'boot', vmlinuz), image.kernel);

  const root = join(dir, 'root');
  for (const d of [
    'bin',
    'sbin',
    'usr/bin',
    'usr/sbin',
    'proc',
    'sys',
    'dev',
    'tmp',
    'lib/modules',
    'usr/share/misc',
  ])
    mkdirSync(join(root, d), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
  chmodSync(join(root, 'bin', 'busybox'), 0o755);
  symlinkSync('busybox', join(root, 'bin', 'sh'));
  const copied = new Set<string>();
  for (const p of PROGRAMS) copyWithLibraries(p, root, copied);
  if (existsSync('/usr/share/misc/usb.ids'))
    copyFileSync('/usr/share/misc/usb.ids', join(root, 'usr', 'share', 'misc', 'usb.ids'));
  const order = loadOrder(moduleDeps(modDir));
  for (const m of order) {
    const target = join(root, 'lib', 'modules', m.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(modDir, m.path), target);
  }
  writeFileSync(
    join(root, 'modules.order'),
    order.map((m) => `${m.path} ${m.args}`.trim()).join('\n') + '\n',
  );
  copyFileSync(INIT, join(root, 'init'));
  chmodSync(join(root, 'init'), 0o755);
  writeFileSync(join(root, 'cmds'), '');
  cpio(root, image.initrd);
  writeFileSync(join(dir, 'kernel-version'), kver);
  rmSync(kroot, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
  return { ...image, kernelVersion: kver };
}

export interface CommandResult {
  readonly command: string;
  readonly rc: number;
  readonly output: string;
}

export interface GuestRun {
  readonly results: CommandResult[];
  readonly console: string;
  /** sg and block nodes the guest found for the USB disk ('' when none). */
  readonly sg: string;
  readonly sd: string;
  readonly done: boolean;
}

/** What `command` printed and returned in a guest run; throws with the console's end when it did not run. */
export function resultOf(run: GuestRun, command: string): CommandResult {
  const r = run.results.find((x) => x.command === command);
  if (!r) throw new Error(`"${command}" did not run; console:\n${run.console.slice(-4000)}`);
  return r;
}

/** Parses the framed console output of init.sh. */
export function parseConsole(text: string): Omit<GuestRun, 'console'> {
  const results: CommandResult[] = [];
  const re = /=== CMD (\d+): (.*)\r?\n([\s\S]*?)=== END \1 rc=(\d+)/g;
  for (const m of text.matchAll(re))
    results.push({
      command: m[2] ?? '',
      output: (m[3] ?? '').replace(/\r/g, ''),
      rc: Number(m[4]),
    });
  const ready = /USBCDB-READY sg=(\S*) sd=(\S*)/.exec(text);
  return {
    results,
    sg: ready?.[1] ?? '',
    sd: ready?.[2] ?? '',
    done: text.includes('USBCDB-DONE'),
  };
}

/**
 * Boots the guest with `commands` and extra QEMU arguments (the USB devices);
 * resolves when it powers off or `timeoutMs` passes (then QEMU is killed).
 */
export async function runGuest(
  image: GuestImage,
  commands: readonly string[],
  qemuArgs: readonly string[],
  options: { timeoutMs?: number; env?: Record<string, string>; memoryMb?: number } = {},
): Promise<GuestRun> {
  const work = mkdtempSync(join(tmpdir(), 'usbcdb-guest-'));
  try {
    const extra = join(work, 'root');
    mkdirSync(extra);
    writeFileSync(join(extra, 'cmds'), commands.join('\n') + '\n');
    const cmdsCpio = join(work, 'cmds.cpio.gz');
    cpio(extra, cmdsCpio);
    // Two gzip'd cpio archives back to back are one initramfs; the second's /cmds wins.
    const initrd = join(work, 'initrd.gz');
    writeFileSync(initrd, Buffer.concat([readFileSync(image.initrd), readFileSync(cmdsCpio)]));
    const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const args = [
      '-accel',
      'tcg',
      '-m',
      String(options.memoryMb ?? 512),
      '-smp',
      '1',
      '-nographic',
      '-no-reboot',
      '-kernel',
      image.kernel,
      '-initrd',
      initrd,
      '-append',
      ['console=ttyS0', 'quiet', 'panic=-1', ...env].join(' '),
      ...qemuArgs,
    ];
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // Kept as bytes and decoded once at the end, so a UTF-8 character split across chunks survives.
    const chunks: Buffer[] = [];
    qemu.stdout.on('data', (d: Buffer) => chunks.push(d));
    qemu.stderr.on('data', (d: Buffer) => chunks.push(d));
    const timer = setTimeout(() => qemu.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    await new Promise<void>((resolve) => qemu.on('exit', () => resolve()));
    clearTimeout(timer);
    const text = Buffer.concat(chunks).toString('utf8');
    return { ...parseConsole(text), console: text };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
