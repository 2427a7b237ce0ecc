/**
 * The byte bounds of the IPC contract, in a module of their own so the web
 * page's socket worker (src-renderer/ipc/link.ts) can size its frames
 * without loading the contract's schemas.
 */

/**
 * The longest CDB that crosses: a variable-length CDB (opcode 7Fh) is at most
 * 260 bytes (SPC-5 4.2.3: ADDITIONAL CDB LENGTH, a multiple of 4). A USB
 * Bulk-Only CBW carries at most 16 (BOT 1.0 5.1); that is the transport's
 * check (encodeCbw) and the editor's, not the contract's.
 */
export const MAX_CDB_BYTES = 260;
/**
 * The most data one command moves either way through the app: a 64 MiB READ
 * or WRITE. The web bridge's message bounds are sized from it (ws-bridge.ts).
 */
export const MAX_DATA_BYTES = 64 * 1024 * 1024;
/**
 * The largest presets file the app writes or reads back. Each list of
 * presets it answers with (presets.list, .save, .delete, .import) is the
 * file's presets as JSON without the file's indentation, so never longer
 * than the file: like one command's data-in, it fits the web bridge's reply
 * bound (web-protocol.ts), which is sized from MAX_DATA_BYTES. Export and
 * import carry the file's bytes (a byte field), never its text in a string.
 */
export const MAX_PRESETS_FILE = MAX_DATA_BYTES;
/**
 * The most data-out one preset keeps. The file holds it as hex, three
 * characters a byte: three quarters of the presets file, so a preset always
 * fits the file with its name and notes, and its presets.save request fits
 * the bridge's request bound. How many such presets fit together is the
 * file's bound, checked when the file is written.
 */
export const MAX_PRESET_DATA_BYTES = MAX_PRESETS_FILE / 4;
/** Sense data: REQUEST SENSE's ALLOCATION LENGTH is one byte (SPC-5 6.39). */
export const MAX_SENSE_BYTES = 255;
/**
 * The largest capture the app hands over (device.capture): as much as one
 * command's data, so its answer fits the bridge's message bound. A session
 * that moved more than that is captured in full by the CLI's `--capture`.
 */
export const MAX_CAPTURE_BYTES = MAX_DATA_BYTES;
