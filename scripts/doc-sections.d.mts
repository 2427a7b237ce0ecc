/** Replaces the section NAME of a markdown file (between `<!-- NAME -->` and `<!-- /NAME -->`), or appends it; a missing file starts with `title`. */
export function replaceSection(file: string, name: string, markdown: string, title?: string): void;
