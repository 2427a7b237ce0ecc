/**
 * Branded numeric types: a bare `number` does not cross a module boundary
 * where it could be confused with another unit (docs/style.md, "Our own conventions").
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A SCSI operation code, 00h–FFh. */
export type Opcode = Brand<number, 'Opcode'>;
/** A service action code carried in the CDB (5 or 16 bits wide). */
export type ServiceAction = Brand<number, 'ServiceAction'>;
/** A count of bytes. */
export type ByteCount = Brand<number, 'ByteCount'>;
/** A count of logical blocks. */
export type BlockCount = Brand<number, 'BlockCount'>;
/** A logical unit number as BOT carries it (0–15). */
export type Lun = Brand<number, 'Lun'>;
/** A logical block address; 64-bit in SBC-4, so always a bigint. */
export type Lba = Brand<bigint, 'Lba'>;

export const asOpcode = (n: number): Opcode => (n & 0xff) as Opcode;
export const asServiceAction = (n: number): ServiceAction => n as ServiceAction;
export const asByteCount = (n: number): ByteCount => n as ByteCount;
export const asBlockCount = (n: number): BlockCount => n as BlockCount;
export const asLun = (n: number): Lun => n as Lun;
export const asLba = (n: bigint): Lba => n as Lba;
