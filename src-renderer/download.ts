/**
 * Saving from the page: a download of a Blob. In a browser that is the
 * browser's download; in Electron the window shows its save dialog. The
 * renderer never touches the file system itself.
 */
import { errorText } from '../shared/error-text';
export function download(name: string, data: Uint8Array | string, type: string): void {
  const part: BlobPart = typeof data === 'string' ? data : new Uint8Array(data);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoke after the click has been handled; the download holds its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copies text to the clipboard; an error message a person can act on when the page may not. */
export async function copyText(text: string): Promise<string | undefined> {
  try {
    await navigator.clipboard.writeText(text);
    return undefined;
  } catch (e) {
    return `The clipboard refused the text (${errorText(e)}); pages served over plain http from another machine may not write to it — use "Save" instead.`;
  }
}
