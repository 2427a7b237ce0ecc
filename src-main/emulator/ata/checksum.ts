/**
 * The checksum that ends ATA's 512-byte data structures (ACS-4: IDENTIFY DEVICE word 255, the
 * SMART data structures' byte 511): the last byte makes all 512 sum to 0 mod 256.
 */

/** Sets byte 511 so the 512 bytes sum to 0 mod 256. */
export function sealChecksum(page: Uint8Array): void {
  page[511] = 0;
  page[511] = (256 - pageSum(page)) & 0xff;
}

/** Sum of the 512 bytes mod 256 (0 for a sealed page). */
export function pageSum(page: Uint8Array): number {
  let sum = 0;
  for (const b of page) sum += b;
  return sum & 0xff;
}
