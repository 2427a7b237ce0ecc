/**
 * The emulated NVMe SSD: the admin commands a USB bridge passes to it
 * (NVMe 1.4: 06h Identify, 02h Get Log Page) and what each returns. The
 * bridge behaviours decode their CDBs into `AdminCommand`s and decide how
 * much of the answer crosses USB.
 */
import type { NvmeProfile } from '../profile';
import {
  errorInformationLog,
  identifyController,
  identifyNamespace,
  smartHealthLog,
  type NvmeGeometry,
} from './pages';

/** Admin opcodes (NVMe 1.4, figure 139). */
export const ADMIN_GET_LOG_PAGE = 0x02;
export const ADMIN_IDENTIFY = 0x06;
/** Identify CNS values (NVMe 1.4, figure 244). */
export const CNS_NAMESPACE = 0x00;
export const CNS_CONTROLLER = 0x01;
/** Log identifiers (NVMe 1.4, figure 191). */
export const LOG_ERROR = 0x01;
export const LOG_SMART_HEALTH = 0x02;

/** One admin command as the bridge passes it. */
export interface AdminCommand {
  readonly opcode: number;
  /** CDW10 (Identify: CNS in 7:0; Get Log Page: log id in 7:0, NUMDL in 31:16). */
  readonly cdw10: number;
  /** Get Log Page: the byte offset into the log (LPOL/LPOU, CDW12–13). */
  readonly logOffset?: number;
}

export class NvmeDevice {
  constructor(
    readonly profile: NvmeProfile,
    readonly geometry: NvmeGeometry,
  ) {}

  /**
   * The data an admin command returns, before any cut to a transfer
   * length; undefined for a command, CNS or log the drive does not
   * implement (a real controller completes those with Invalid Field in
   * Command, which neither bridge reports).
   */
  answer(c: AdminCommand): Uint8Array | undefined {
    const low = c.cdw10 & 0xff;
    if (c.opcode === ADMIN_IDENTIFY) {
      if (low === CNS_CONTROLLER) return identifyController(this.profile, this.geometry);
      if (low === CNS_NAMESPACE) return identifyNamespace(this.geometry);
      return undefined;
    }
    if (c.opcode === ADMIN_GET_LOG_PAGE) {
      const log =
        low === LOG_SMART_HEALTH
          ? smartHealthLog(this.profile)
          : low === LOG_ERROR
            ? errorInformationLog()
            : undefined;
      if (!log) return undefined;
      // NUMD is 0's based, in dwords (NVMe 1.4, figure 190); the answer is that many bytes from the offset.
      const bytes = (((c.cdw10 >>> 16) & 0xffff) + 1) * 4;
      const from = Math.min(c.logOffset ?? 0, log.length);
      const out = new Uint8Array(bytes);
      out.set(log.subarray(from, from + bytes));
      return out;
    }
    return undefined;
  }
}
