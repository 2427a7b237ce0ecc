/**
 * `usbcdb emulate --profile P [--image FILE] [--vendor-set FILE]… --usbredir HOST:PORT [--capture F]`:
 * exports an emulated drive so a real kernel can use it (QEMU's usb-redir).
 * The drive speaks the user's vendor sets too. Runs until Ctrl+C or SIGTERM.
 */
import { err, ok, type Result } from '../../../shared/scsi/result';
import { UsbCapture } from '../../capture/usbmon';
import { BUILT_IN_PROFILES, findProfile } from '../../emulator/profiles';
import { driveStore } from '../../emulator/drive';
import { ExportedDrive } from '../../export/exported-drive';
import { TRANSPORTS } from '../../export/manager';
import { option, type ParsedArgs } from '../args';
import { vendorSetRow, vendorSetsFromArgs } from '../vendor-set-options';
import { optionRows } from '../usage';
import type { CliCommand } from '../command';
import { isLoopback } from '../../net/address';
import { EXIT } from '../exit-codes';
import type { CliIo } from '../io';
import { errorText } from '../../../shared/error-text';

/** `HOST:PORT`, `:PORT` or `PORT` (host 127.0.0.1); `[v6]:PORT` for IPv6. */
export function parseEndpoint(text: string, what: string): Result<{ host: string; port: number }> {
  const m = /^(?:(?:\[([^\]]+)\]|([^:[\]]*)):)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    return err({
      code: 'syntax',
      message: `--${what} takes HOST:PORT (e.g. 127.0.0.1:37001), not "${text}"`,
    });
  return ok({ host: m[1] ?? (m[2] || '127.0.0.1'), port });
}

type ExporterName = keyof typeof TRANSPORTS;

export const emulateCommand: CliCommand = {
  name: 'emulate',
  options: {
    'vendor-set': 'values',
    profile: 'value',
    image: 'value',
    capture: 'value',
    usbredir: 'value',
    usbip: 'value',
  },
  summary: 'Export an emulated drive to a real kernel: QEMU usb-redir or USB/IP (see README)',
  usage: `usbcdb emulate [--profile P] [--image FILE] [--vendor-set FILE]… (--usbredir HOST:PORT | --usbip HOST:PORT) [--capture FILE]
${optionRows([
  [
    '--profile P',
    `${BUILT_IN_PROFILES.map((p) => p.name).join(', ')} (default ${BUILT_IN_PROFILES[0]?.name ?? ''})`,
  ],
  ['--image FILE', "back LUN 0 with FILE (created sparse at the profile's size if missing)"],
  vendorSetRow('(the drive answers their commands as their declared emulation says)'),
  [
    '--usbredir H:P',
    "listen for QEMU's usb-redir on H:P (loopback unless you name another address):",
    'qemu … -device qemu-xhci,id=xhci -chardev socket,id=ur,host=H,port=P,reconnect=1',
    '       -device usb-redir,chardev=ur,bus=xhci.0',
  ],
  [
    '--usbip H:P',
    "serve USB/IP on H:P (3240 is usbip's port): modprobe vhci-hcd; usbip attach -r H -b 1-1",
  ],
  ['--capture FILE', 'write the USB traffic as a usbmon pcap (Wireshark, tshark)'],
])}
Runs until Ctrl+C.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const name = option(args, 'profile') ?? BUILT_IN_PROFILES[0]?.name ?? '';
    const profile = findProfile(name);
    if (!profile) {
      io.err(
        `emulate: no profile "${name}"; the profiles are ${BUILT_IN_PROFILES.map((p) => p.name).join(', ')}`,
      );
      return EXIT.syntax;
    }
    const asked = (Object.keys(TRANSPORTS) as ExporterName[]).filter(
      (k) => option(args, k) !== undefined,
    );
    const kind = asked[0];
    if (kind === undefined) {
      io.err(
        'emulate: say where to export the drive, one of --usbredir HOST:PORT or --usbip HOST:PORT (one host at a time uses a drive)',
      );
      return EXIT.syntax;
    }
    // Two exporters at once would give one drive to two hosts: options that exclude each other.
    if (asked.length > 1) {
      io.err(
        `emulate: give ${asked.map((k) => `--${k}`).join(' or ')}, not both: one host at a time uses a drive`,
      );
      return EXIT.contradict;
    }
    const where = parseEndpoint(option(args, kind) ?? '', kind);
    if (!where.ok) {
      io.err(`emulate: ${where.error.message}`);
      return EXIT.syntax;
    }
    const vendorSets = await vendorSetsFromArgs(args, io, 'emulate');
    if (!vendorSets) return EXIT.fileError;
    const image = option(args, 'image');
    const store = driveStore(profile, image);
    if (!store.ok) {
      io.err(`emulate: ${store.error.message}`);
      return EXIT.fileError;
    }
    const captureFile = option(args, 'capture');
    let capture: UsbCapture | undefined;
    let captureFailed = false;
    try {
      capture =
        captureFile !== undefined
          ? new UsbCapture(captureFile, undefined, undefined, {
              onFailure: (p) => {
                io.err(`emulate: ${p.message}`);
                captureFailed = true;
              },
            })
          : undefined;
    } catch (e) {
      io.err(`emulate: cannot write ${captureFile ?? ''}: ${errorText(e)}`);
      return EXIT.fileError;
    }
    const drive = new ExportedDrive(profile, store.value, vendorSets);
    drive.onEvent((line) => io.err(`emulate: ${profile.name}: ${line}`));
    if (!isLoopback(where.value.host))
      io.err(
        `emulate: listening on ${where.value.host}, not loopback: any machine that reaches it can read and write this drive`,
      );
    try {
      const server = await TRANSPORTS[kind].serve({
        drive,
        host: where.value.host,
        port: where.value.port,
        ...(capture ? { capture } : {}),
        log: (l) => io.err(l),
      });
      io.out(
        `usbcdb emulate: ${profile.name} on ${kind} ${server.host}:${server.port}${image ? ` (image ${image})` : ''}${captureFile ? `, capturing to ${captureFile}` : ''}\n  attach it: ${TRANSPORTS[kind].attach(server.host, server.port)}`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
      return captureFailed ? EXIT.fileError : EXIT.ok;
    } catch (e) {
      io.err(`emulate: cannot listen on ${where.value.host}:${where.value.port}: ${errorText(e)}`);
      return EXIT.other;
    } finally {
      capture?.close();
      drive.close();
    }
  },
};
