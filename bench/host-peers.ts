/**
 * The host-only comparison for `npm run bench`: one client (bench/usb-guest.ts) against
 * usbcdb's usbredir exporter (`usbcdb emulate`, its own process) and the C reference disk
 * (bench/reference-disk/peer.c, its own process), in rounds that alternate the two, so a change
 * in the machine's load falls on both. No QEMU, no guest: what differs is the device side.
 */
import { buildCPeer, startCPeer } from './c-peer';
import { startExporter } from './exporter-process';
import { measureAsync, median, ratio } from './measure';
import { connectUsbGuest, type UsbGuest } from './usb-guest';

const MIB = 1024 * 1024;
const ROUNDS = 5;
/** Each measurement in a round runs this long. */
const MS = 700;

export interface HostRow {
  readonly label: string;
  readonly unit: string;
  /** Per round: [usbcdb, C peer]. */
  readonly rounds: (readonly [number, number])[];
}

/** Runs the rounds; both processes are stopped on every path. */
export async function measureHostPeers(log: (l: string) => void): Promise<HostRow[]> {
  const binary = buildCPeer(log);
  const ours = await startExporter('fw-updatable', 'usbredir');
  try {
    const peer = await startCPeer(binary);
    try {
      const guests: [UsbGuest, UsbGuest] = [
        await connectUsbGuest(ours.port),
        await connectUsbGuest(peer.port),
      ];
      const block = new Uint8Array(MIB).fill(0xa5);
      // Both read blocks written before (a sparse store answers never-written ones with zeros).
      for (const g of guests) await g.write(block);
      const kinds = [
        { label: 'TEST UNIT READY', unit: '/s', run: (g: UsbGuest) => g.tur() },
        { label: 'READ(10) of 1 MiB', unit: 'MiB/s', run: (g: UsbGuest) => g.read(MIB) },
        {
          label: 'WRITE(10) of 1 MiB',
          unit: 'MiB/s',
          run: (g: UsbGuest) => g.write(block),
        },
      ];
      const rows: HostRow[] = kinds.map((k) => ({ label: k.label, unit: k.unit, rounds: [] }));
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, k] of kinds.entries()) {
          // The order alternates so neither side always runs on a warmer machine.
          const order = round % 2 === 0 ? [0, 1] : [1, 0];
          const rate: number[] = [0, 0];
          for (const who of order) {
            const g = guests[who] as UsbGuest;
            rate[who] = (await measureAsync(k.label, () => k.run(g), MS)).opsPerSecond;
          }
          rows[i]?.rounds.push([rate[0] ?? NaN, rate[1] ?? NaN]);
        }
      }
      for (const g of guests) g.close();
      return rows;
    } finally {
      await peer.close();
    }
  } finally {
    await ours.close();
  }
}

/** The table rows: medians of each side, the ratio of the medians and the range of per-round ratios. */
export function hostPeerRows(rows: readonly HostRow[]): string[] {
  const fmt = (x: number, unit: string): string =>
    unit === '/s' ? `${(x / 1000).toFixed(1)} k/s` : `${x.toFixed(0)} ${unit}`;
  return rows.map((r) => {
    const ours = r.rounds.map(([a]) => a);
    const peer = r.rounds.map(([, b]) => b);
    return `| ${r.label} | ${fmt(median(ours), r.unit)} | ${fmt(median(peer), r.unit)} | ${ratio(ours, peer)} |`;
  });
}
