/**
 * Taking the file a person picked in an `<input type="file">`. Chromium fires `change` only
 * when the chosen file differs from what the input already holds, so an input left holding
 * its file would ignore the same file picked again (after Clear, or after editing it on
 * disk). The input is emptied as its file is taken; what was loaded is shown by the page.
 */
export function takePickedFile(input: HTMLInputElement): File | undefined {
  const file = input.files?.[0];
  input.value = '';
  return file;
}
