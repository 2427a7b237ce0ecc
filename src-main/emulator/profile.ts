/**
 * Device profiles: what an emulated drive claims to be and how it misbehaves.
 * The schema is the one definition — the TypeScript type is inferred from
 * it — and every profile file is validated against it, with errors naming
 * the field.
 */
import { z } from 'zod';
import { BUILT_IN_SETS, findVendorSet } from '../../shared/vendor-sets/registry';

const hex16 = z.number().int().min(0).max(0xffff);
const asciiText = (max: number): z.ZodString =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .regex(/^[\x20-\x7e]*$/, 'printable ASCII only (SPC-5 ASCII data fields)');

export const QuirksSchema = z
  .object({
    /**
     * Check reserved CDB bits against the SPC-2 layouts and answer nonzero ones
     * with CHECK CONDITION 05/24/00 and a field pointer (strict SPC-2-era bridges).
     */
    spc2Strict: z.boolean().default(false),
    /** Stall Bulk-In after short data-in instead of padding it (BOT 1.0 §6.7 cases 4/5 allow both; QEMU pads). */
    stallShortDataIn: z.boolean().default(false),
    /** Case 7 (Hi < Di): send N bytes and report success, residue 0, as QEMU 7.2 does, instead of a phase error. */
    truncateExcessDataIn: z.boolean().default(false),
    /** Report a CSW residue of 0 whatever was moved (a bridge bug some hosts must tolerate). */
    zeroResidue: z.boolean().default(false),
    /** After power-on or reset, medium access fails NOT READY 02/04/01 until a TEST UNIT READY arrives. */
    needsTestUnitReady: z.boolean().default(false),
    /** Vendor opcodes (C0h–FFh) never reach the device: a bridge that filters them answers 05/20/00. */
    rejectVendorOpcodes: z.boolean().default(false),
    /** Milliseconds each command takes, plus milliseconds per MiB moved. */
    latency: z
      .object({
        perCommandMs: z.number().min(0).max(60_000),
        perMiBMs: z.number().min(0).max(60_000),
      })
      .default({ perCommandMs: 0, perMiBMs: 0 }),
  })
  .strict();

/** One SMART attribute (ACS-4 does not define the table; the layout every drive uses, see ata/smart.ts). */
export const SmartAttributeSchema = z
  .object({
    id: z.number().int().min(1).max(255),
    /** Flags word: bit 0 pre-failure, bit 1 updated online (smartctl's "Type" and "Updated"). */
    flags: z.number().int().min(0).max(0xffff).default(0x0032),
    /** Normalised value, 1 (worst) to 253 (best). */
    current: z.number().int().min(1).max(253),
    worst: z.number().int().min(1).max(253),
    /** The thresholds page's value: a pre-failure attribute at or below it means the drive is failing. */
    threshold: z.number().int().min(0).max(255).default(0),
    /** The 48-bit raw value, little-endian in the data page. */
    raw: z
      .number()
      .int()
      .min(0)
      .max(2 ** 48 - 1),
  })
  .strict();

/**
 * The ATA device behind a SAT bridge (answers ATA PASS-THROUGH). Its health
 * is not a separate flag: SMART RETURN STATUS reports "threshold exceeded"
 * exactly when a pre-failure attribute is at or below its threshold, so the
 * status and the attribute table can never disagree.
 */
export const AtaSchema = z
  .object({
    /** IDENTIFY DEVICE words 27–46, 10–19, 23–26 (ACS-4, ATA string fields). */
    model: asciiText(40).default('USBCDB Emulated SATA SSD'),
    serial: asciiText(20).default('USBCDB-SSD-0001'),
    firmware: asciiText(8).default('1.0'),
    attributes: z
      .array(SmartAttributeSchema)
      .max(30, 'the SMART data page holds 30 attributes')
      .refine((a) => new Set(a.map((x) => x.id)).size === a.length, 'attribute ids must differ')
      .default([
        { id: 0x05, flags: 0x0033, current: 100, worst: 100, threshold: 10, raw: 0 },
        { id: 0x09, flags: 0x0032, current: 100, worst: 100, threshold: 0, raw: 1234 },
        { id: 0x0c, flags: 0x0032, current: 100, worst: 100, threshold: 0, raw: 56 },
        { id: 0xc2, flags: 0x0022, current: 67, worst: 55, threshold: 0, raw: 33 },
        { id: 0xe7, flags: 0x0033, current: 98, worst: 98, threshold: 10, raw: 98 },
      ]),
  })
  .strict();

/** SMART / Health Information log values (NVMe 1.4, figure 194); counters are 128-bit in the log. */
export const NvmeSmartSchema = z
  .object({
    /** Critical Warning bits: 0 spare below threshold, 1 temperature, 2 reliability degraded, 3 read-only, 4 volatile backup failed. */
    criticalWarning: z.number().int().min(0).max(0x3f).default(0),
    /** Composite temperature, kelvin. */
    temperatureKelvin: z.number().int().min(0).max(0xffff).default(310),
    availableSpare: z.number().int().min(0).max(100).default(100),
    availableSpareThreshold: z.number().int().min(0).max(100).default(10),
    /** Percentage of rated endurance used; may exceed 100 (up to 255). */
    percentageUsed: z.number().int().min(0).max(255).default(0),
    /** Thousands of 512-byte units read / written (1 = 512 000 bytes). */
    dataUnitsRead: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    dataUnitsWritten: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    hostReadCommands: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    hostWriteCommands: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    controllerBusyMinutes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    powerCycles: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    powerOnHours: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    unsafeShutdowns: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    mediaErrors: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    /** Number of Error Information Log Entries over the drive's life. */
    errorLogEntries: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .strict();

/**
 * The NVMe SSD behind a USB–NVMe bridge (answers the bridge's vendor
 * pass-through: Identify and Get Log Page). Its namespace is the drive's
 * blocks at the drive's block size, so NVMe and SCSI report one capacity.
 */
export const NvmeSchema = z
  .object({
    /** Identify Controller MN, SN, FR (NVMe 1.4, figure 247: ASCII, space padded). */
    model: asciiText(40).default('USBCDB Emulated NVMe SSD'),
    serial: asciiText(20).default('USBCDB-NVME-0001'),
    firmware: asciiText(8).default('1.0'),
    /** PCI vendor ID (VID and SSVID). */
    pciVendorId: hex16.default(0x1d79),
    /** VER: major in 31:16, minor in 15:8 (10400h = 1.4). */
    version: z.number().int().min(0).max(0xffffffff).default(0x00010400),
    /** MDTS: the largest transfer is 2^MDTS memory pages; 0 = no limit. */
    mdts: z.number().int().min(0).max(255).default(0),
    warningTemperatureKelvin: z.number().int().min(0).max(0xffff).default(343),
    criticalTemperatureKelvin: z.number().int().min(0).max(0xffff).default(353),
    /** Power state 0 maximum power, in 0.01 W. */
    maxPowerCentiwatts: z.number().int().min(0).max(0xffff).default(550),
    smart: NvmeSmartSchema.default(NvmeSmartSchema.parse({})),
    /**
     * A bridge whose NVMe pass-through is no vendor set because it reuses a
     * standard opcode: `jmicron` (JMS581/583) answers A1h with byte 1 bit 7
     * set as its three-phase NVMe pass-through (docs/bridges.md; nvme/jmicron.ts)
     * instead of ATA PASS-THROUGH(12). Absent: the profile's vendor sets reach the SSD.
     */
    bridge: z.enum(['jmicron']).optional(),
  })
  .strict();

export const ProfileSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]*$/,
        'lowercase letters, digits and dashes (it is used in emu:NAME)',
      ),
    description: z.string().min(1),
    usb: z
      .object({
        vendorId: hex16,
        productId: hex16,
        manufacturer: z.string().min(1).max(126),
        product: z.string().min(1).max(126),
        /** BOT requires a unique serial: at least 12 hex digits, not all zero in the last 12 (USBCV TD1.2). */
        serial: z
          .string()
          .regex(
            /^[0-9A-F]{12,126}$/,
            'at least 12 upper-case hex digits (USB mass storage class serial number rules)',
          )
          .refine((s) => !/^0{12}$/.test(s.slice(-12)), 'the last 12 digits must not all be 0'),
        /**
         * The bus speed it presents when exported to a real kernel: a high-speed (USB 2.0) device
         * gets 120 KiB per command from Linux's usb-storage, a SuperSpeed one 1 MiB.
         */
        speed: z.enum(['high', 'super']).default('high'),
      })
      .strict(),
    inquiry: z
      .object({
        vendor: asciiText(8),
        product: asciiText(16),
        revision: asciiText(4),
        /** INQUIRY VERSION: 00h none, 04h SPC-2, 05h SPC-3, 06h SPC-4, 07h SPC-5. */
        version: z.number().int().min(0).max(0x07),
        removable: z.boolean(),
      })
      .strict(),
    blockSize: z.union([z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]),
    blocks: z
      .number()
      .int()
      .min(1)
      .max(2 ** 40),
    /** Logical units behind the one USB interface (card readers often have one per slot); each is a disk like LUN 0. */
    luns: z.number().int().min(1).max(16).default(1),
    /** Removable media only: whether a medium is in at power-on (an empty card reader says 02/3A/00). */
    mediumPresent: z.boolean().default(true),
    /** Vendor command sets the device implements (shared/vendor-sets/registry.ts names them). */
    vendorSets: z
      .array(z.string())
      .default([])
      .refine((names) => names.every((n) => findVendorSet(n) !== undefined), {
        message: `unknown vendor set; known: ${BUILT_IN_SETS.map((s) => s.name).join(', ')}`,
      }),
    quirks: QuirksSchema.default(QuirksSchema.parse({})),
    /**
     * Log pages (SPC-5): LOG SENSE answers the supported pages, Temperature with these values in
     * °C, Self-Test Results and Informational Exceptions (absent: 4Dh is refused, 05/20/00).
     */
    logPages: z
      .object({
        temperature: z.number().int().min(0).max(254),
        referenceTemperature: z.number().int().min(0).max(254),
      })
      .strict()
      .optional(),
    /** An ATA drive behind a SAT bridge: ATA PASS-THROUGH reaches it (absent: 85h/A1h are refused, 05/20/00). */
    ata: AtaSchema.optional(),
    /** An NVMe SSD behind a USB–NVMe bridge: the profile's vendor sets reach it (absent: their NVMe commands answer 05/20/00). */
    nvme: NvmeSchema.optional(),
  })
  .strict();

export type Quirks = z.infer<typeof QuirksSchema>;
export type Profile = z.infer<typeof ProfileSchema>;
export type AtaProfile = z.infer<typeof AtaSchema>;
export type SmartAttribute = z.infer<typeof SmartAttributeSchema>;
export type NvmeProfile = z.infer<typeof NvmeSchema>;
