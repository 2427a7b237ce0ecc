/**
 * Device profiles: what an emulated drive claims to be and how it misbehaves.
 * Built-in profiles live in profiles.ts; loading profiles from JSON files
 * with schema validation is still to come (issue 3 note).
 */

export interface Quirks {
  /**
   * Check reserved CDB bits against the SPC-2 layouts and answer nonzero ones
   * with CHECK CONDITION 05/24/00 and a field pointer (strict SPC-2-era bridges;
   * INQUIRY byte 3 is reserved there).
   */
  readonly spc2Strict: boolean;
  /** Stall Bulk-In after short data-in instead of padding it (BOT 1.0 §6.7 cases 4/5 allow both; QEMU pads). */
  readonly stallShortDataIn: boolean;
  /**
   * When the device has more data than the host asked for (case 7), send the
   * first N bytes and report success with residue 0, as QEMU 7.2 usb-storage
   * does, instead of the phase error BOT 1.0 requires.
   */
  readonly truncateExcessDataIn: boolean;
}

export interface Profile {
  readonly name: string;
  readonly description: string;
  readonly usb: {
    readonly vendorId: number;
    readonly productId: number;
    readonly manufacturer: string;
    readonly product: string;
    /** At least 12 hex digits (BOT requires a unique serial; USBCV checks the format). */
    readonly serial: string;
  };
  readonly inquiry: {
    readonly vendor: string;
    readonly product: string;
    readonly revision: string;
    /** INQUIRY VERSION: 04h SPC-2, 05h SPC-3, 06h SPC-4. */
    readonly version: number;
    readonly removable: boolean;
  };
  readonly blockSize: number;
  readonly blocks: number;
  readonly quirks: Quirks;
}
