/**
 * The exports the app started (device picker → Export): each a fresh
 * emulated drive of a profile served over usbredir or USB/IP on loopback,
 * until stopped or the app quits. The same exporters as `usbcdb emulate`.
 */
import { BUILT_IN_PROFILES, findProfile } from '../emulator/profiles';
import { MemoryStore } from '../emulator/store';
import { ExportedDrive } from './exported-drive';
import { serveUsbip } from './usbip';
import { serveUsbredir } from './usbredir';
import { errorText } from '../../shared/error-text';
import type { ResponseOf } from '../../shared/ipc/contract';
import type { UsbCapture } from '../capture/usbmon';
import type { ExportServer, ServeOptions } from './tcp-listener';

/** An export as the app lists it: the contract's ExportInfo. */
export type ExportInfo = ResponseOf<'exports.start'>;
export type ExportTransport = ExportInfo['transport'];

/** How each transport is served and attached: the app's exports and `usbcdb emulate` both read this. */
export const TRANSPORTS: Readonly<
  Record<
    ExportTransport,
    {
      serve: (options: ServeOptions<ExportedDrive, UsbCapture>) => Promise<ExportServer>;
      attach: (host: string, port: number) => string;
    }
  >
> = {
  usbredir: {
    serve: serveUsbredir,
    attach: (host, port) =>
      `qemu-system-x86_64 … -device qemu-xhci,id=xhci -chardev socket,id=ur,host=${host},port=${port},reconnect=1 -device usb-redir,chardev=ur,bus=xhci.0`,
  },
  usbip: {
    serve: serveUsbip,
    attach: (host, port) =>
      `modprobe vhci-hcd; usbip${port === 3240 ? '' : ` --tcp-port ${port}`} attach -r ${host} -b 1-1`,
  },
};

/**
 * Exports one manager runs at once. Each is a listening port and a drive whose memory store grows
 * to its profile's size as a guest writes it (up to 3.7 GiB for the largest); in web mode every
 * page of the bridge starts them in one manager, so without a bound a page could start them until
 * memory or ports ran out. A person attaches a drive or two to a VM.
 */
export const MAX_EXPORTS = 4;

export class ExportManager {
  private readonly running = new Map<
    string,
    { info: ExportInfo; close: () => Promise<void>; drive: ExportedDrive }
  >();
  private next = 1;
  /** Starts still waiting for their port: counted with the running ones, so racing starts cannot pass MAX_EXPORTS. */
  private starting = 0;

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  list(): ExportInfo[] {
    return [...this.running.values()].map((r) => r.info);
  }

  /** Starts one on 127.0.0.1 (port 0 picks a free one); the error names the profile or the port. */
  async start(profileName: string, transport: ExportTransport, port = 0): Promise<ExportInfo> {
    const profile = findProfile(profileName);
    if (!profile)
      throw new Error(
        `no profile "${profileName}"; the profiles are ${BUILT_IN_PROFILES.map((p) => p.name).join(', ')}`,
      );
    if (this.running.size + this.starting >= MAX_EXPORTS)
      throw new Error(
        `${MAX_EXPORTS} exports are running or starting, the most at once: stop one to start another`,
      );
    this.starting++;
    const drive = new ExportedDrive(profile, new MemoryStore(profile.blockSize, profile.blocks));
    const server = await TRANSPORTS[transport]
      .serve({ drive, host: '127.0.0.1', port, log: this.log })
      .catch((e: unknown) => {
        drive.close();
        throw new Error(`cannot listen on 127.0.0.1:${port}: ${errorText(e)}`);
      })
      .finally(() => this.starting--);
    const info: ExportInfo = {
      id: `export-${this.next++}`,
      profile: profile.name,
      transport,
      host: server.host,
      port: server.port,
      attach: TRANSPORTS[transport].attach(server.host, server.port),
    };
    this.running.set(info.id, { info, close: () => server.close(), drive });
    return info;
  }

  async stop(id: string): Promise<boolean> {
    const r = this.running.get(id);
    if (!r) return false;
    this.running.delete(id);
    await r.close();
    r.drive.close();
    return true;
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.running.keys()]) await this.stop(id);
  }
}
