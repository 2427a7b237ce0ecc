/**
 * The thirteen cases of USB Mass Storage Bulk-Only Transport 1.0 §6.7
 * (Table 6.1): what the host expects (H) against what the device intends
 * (D) — n none, i data-in, o data-out. This table is the one place both the
 * host engine and the emulated device learn the rules from.
 */

export type BotDirection = 'none' | 'in' | 'out';

/** bCSWStatus the device may report: 00h/01h (passed or failed) or 02h (phase error). */
export type CswStatusClass = 'passed-or-failed' | 'phase-error';

export interface BotCase {
  readonly number: number;
  readonly notation: string;
  readonly host: BotDirection;
  readonly device: BotDirection;
  /** How N (dCBWDataTransferLength) compares with the device's length, where it matters. */
  readonly relation: 'any' | 'greater' | 'equal' | 'less';
  readonly status: CswStatusClass;
  /** What the device must or may do (BOT 1.0 §6.7.x). */
  readonly deviceBehaviour: string;
  /** How dCSWDataResidue is set (§5.2, §6.7). */
  readonly residue: string;
  /** What the host does after the CSW. */
  readonly hostAction: string;
}

export const BOT_CASES: readonly BotCase[] = [
  {
    number: 1,
    notation: 'Hn = Dn',
    host: 'none',
    device: 'none',
    relation: 'any',
    status: 'passed-or-failed',
    deviceBehaviour: 'no data phase',
    residue: '0',
    hostAction: 'use the status',
  },
  {
    number: 2,
    notation: 'Hn < Di',
    host: 'none',
    device: 'in',
    relation: 'any',
    status: 'phase-error',
    deviceBehaviour: 'sends no data (may stall Bulk-In)',
    residue: 'ignored',
    hostAction: 'reset recovery',
  },
  {
    number: 3,
    notation: 'Hn < Do',
    host: 'none',
    device: 'out',
    relation: 'any',
    status: 'phase-error',
    deviceBehaviour: 'receives no data',
    residue: 'ignored',
    hostAction: 'reset recovery',
  },
  {
    number: 4,
    notation: 'Hi > Dn',
    host: 'in',
    device: 'none',
    relation: 'any',
    status: 'passed-or-failed',
    deviceBehaviour: 'stalls Bulk-In, or sends N bytes of padding',
    residue: 'N',
    hostAction: 'clear the stall, read the CSW',
  },
  {
    number: 5,
    notation: 'Hi > Di',
    host: 'in',
    device: 'in',
    relation: 'greater',
    status: 'passed-or-failed',
    deviceBehaviour:
      'sends its data, then pads to N or stalls Bulk-In (must stall if it sent less than N)',
    residue: 'N − relevant bytes sent',
    hostAction: 'clear any stall, read the CSW, use the first N − residue bytes',
  },
  {
    number: 6,
    notation: 'Hi = Di',
    host: 'in',
    device: 'in',
    relation: 'equal',
    status: 'passed-or-failed',
    deviceBehaviour: 'sends N bytes',
    residue: '0',
    hostAction: 'use the status',
  },
  {
    number: 7,
    notation: 'Hi < Di',
    host: 'in',
    device: 'in',
    relation: 'less',
    status: 'phase-error',
    deviceBehaviour: 'sends at most N bytes; must stall Bulk-In if it sent fewer than N',
    residue: 'ignored',
    hostAction: 'reset recovery',
  },
  {
    number: 8,
    notation: 'Hi <> Do',
    host: 'in',
    device: 'out',
    relation: 'any',
    status: 'phase-error',
    deviceBehaviour: 'stalls Bulk-In (or sends up to N bytes)',
    residue: 'ignored',
    hostAction: 'reset recovery',
  },
  {
    number: 9,
    notation: 'Ho > Dn',
    host: 'out',
    device: 'none',
    relation: 'any',
    status: 'passed-or-failed',
    deviceBehaviour: 'accepts and discards N bytes, or stalls Bulk-Out',
    residue: 'N',
    hostAction: 'clear any stall, read the CSW',
  },
  {
    number: 10,
    notation: 'Ho <> Di',
    host: 'out',
    device: 'in',
    relation: 'any',
    status: 'phase-error',
    deviceBehaviour: 'stalls Bulk-Out (or accepts up to N bytes)',
    residue: 'ignored',
    hostAction: 'reset recovery',
  },
  {
    number: 11,
    notation: 'Ho > Do',
    host: 'out',
    device: 'out',
    relation: 'greater',
    status: 'passed-or-failed',
    deviceBehaviour:
      'accepts N bytes (processing only its own amount), or stalls Bulk-Out after its own amount',
    residue: 'N − bytes processed',
    hostAction: 'clear any stall, read the CSW',
  },
  {
    number: 12,
    notation: 'Ho = Do',
    host: 'out',
    device: 'out',
    relation: 'equal',
    status: 'passed-or-failed',
    deviceBehaviour: 'accepts N bytes',
    residue: '0',
    hostAction: 'use the status',
  },
  {
    number: 13,
    notation: 'Ho < Do',
    host: 'out',
    device: 'out',
    relation: 'less',
    status: 'phase-error',
    deviceBehaviour: 'accepts up to N bytes; must stall Bulk-Out if it ends early',
    residue: 'ignored',
    hostAction: 'reset recovery',
  },
];

export interface BotSide {
  readonly direction: BotDirection;
  /** Bytes; a zero length means no data phase whatever the direction (§5.1: direction ignored when N = 0). */
  readonly length: number;
}

function effective(side: BotSide): BotDirection {
  return side.length === 0 ? 'none' : side.direction;
}

function relationOf(host: number, device: number): BotCase['relation'] {
  return host > device ? 'greater' : host === device ? 'equal' : 'less';
}

/** Which of the 13 cases a host expectation and a device intent make. */
export function classifyBotCase(host: BotSide, device: BotSide): BotCase {
  const h = effective(host);
  const d = effective(device);
  const rel = relationOf(host.length, device.length);
  const found = BOT_CASES.find(
    (c) => c.host === h && c.device === d && (c.relation === 'any' || c.relation === rel),
  );
  // The table covers every (host, device, relation) triple; a miss is a programmer error.
  if (!found)
    throw new Error(`no BOT case for host ${h}/${host.length}, device ${d}/${device.length}`);
  return found;
}

/** True for the three "thin diagonal" cases where host and device agree exactly (1, 6, 12). */
export function isAgreement(c: BotCase): boolean {
  return c.number === 1 || c.number === 6 || c.number === 12;
}

/**
 * The CSW a device must return for a case: the status class, and the residue
 * given how many bytes were relevant (data-in sent, data-out processed).
 * Phase-error cases have no meaningful residue (§6.7: the host ignores it).
 */
export function expectedCsw(
  c: BotCase,
  hostLength: number,
  relevantBytes: number,
): { readonly status: CswStatusClass; readonly residue: number | undefined } {
  if (c.status === 'phase-error') return { status: c.status, residue: undefined };
  return { status: c.status, residue: Math.max(0, hostLength - relevantBytes) };
}
