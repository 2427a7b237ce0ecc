/**
 * The interface a Bulk-Only mass-storage device presents (BOT 1.0 §4.3,
 * USB Mass Storage Class Overview §2): class 08h mass storage, subclass 06h
 * SCSI transparent command set, protocol 50h Bulk-Only Transport.
 */
export const BOT_INTERFACE = { class: 0x08, subclass: 0x06, protocol: 0x50 } as const;
