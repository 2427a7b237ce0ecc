/**
 * Nothing a clone holds may point at the team's folder beside the checkout
 * (a user's clone has no such folder), nor at one of the team's notes by its
 * file name unless `docs/` has a file of that name: code comments, READMEs,
 * messages and vendor-set descriptions cite `docs/`, or the standard itself.
 * Reads every file git tracks or would track (untracked, not ignored).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const THIS_FILE = 'tests/unit/repo-references.test.ts';
/** The team folder's name, built so this file does not name it itself. */
const TEAM = ['sha', 'red'].join('');
/** The notes, cases and tools kept there, by the names the code used to cite. */
const TEAM_FILES = [
  'bridges.md',
  'device-and-protocols.md',
  'qemu-guest.md',
  'macos-driverkit.md',
  'style.md',
  'inquiry-illegal-request.txt',
  'usbredir-peer',
  'before-stop',
];
/** Folders the team folder has and this repository's `shared/` does not. */
const TEAM_DIRS = ['notes', 'cases', 'tools', 'hooks', 'data'];

function repoFiles(): string[] {
  const out = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return (
    out
      .split('\0')
      // This file lists the names it looks for.
      .filter((f) => f.length > 0 && !f.startsWith('node_modules/') && f !== THIS_FILE)
      .filter((f) => existsSync(join(root, f)) && statSync(join(root, f)).isFile())
  );
}

function text(file: string): string | undefined {
  const bytes = readFileSync(join(root, file));
  // Binary files (images, captures) cannot cite anything.
  return bytes.subarray(0, 8000).includes(0) ? undefined : bytes.toString('utf8');
}

/** Each `../…/shared/…` path that, resolved from the file's folder, leaves the repository. */
function pathsLeavingRepo(file: string, body: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(`((?:\\.\\./)+)${TEAM}(?=[/\\s\`'")\\]]|$)`, 'gm');
  for (const m of body.matchAll(pattern)) {
    const target = resolve(root, dirname(file), `${m[1] ?? ''}${TEAM}`);
    const inside = relative(root, target);
    if (inside.startsWith('..') || inside.split(sep)[0] === '..') found.push(m[0]);
  }
  return found;
}

describe('references a clone can follow', () => {
  const files = repoFiles().map((f) => ({ file: f, body: text(f) }));

  it('reads the repository (a check over no files would pass vacuously)', () => {
    expect(files.some((f) => f.file === 'README.md')).toBe(true);
    expect(files.length).toBeGreaterThan(100);
  });

  it('no file names a path to the folder beside the checkout', () => {
    const bad = files.flatMap(({ file, body }) =>
      body === undefined ? [] : pathsLeavingRepo(file, body).map((p) => `${file}: ${p}`),
    );
    expect(bad).toEqual([]);
  });

  it("no file names a team-only folder (notes, cases, tools…) as if this repository's shared/ had it", () => {
    const pattern = new RegExp(`\\b${TEAM}/(${TEAM_DIRS.join('|')})/`, 'g');
    const bad = files.flatMap(({ file, body }) =>
      body === undefined
        ? []
        : [...body.matchAll(pattern)]
            .filter((m) => !existsSync(join(root, TEAM, m[1] ?? '')))
            .map((m) => `${file}: ${m[0]}`),
    );
    expect(bad).toEqual([]);
  });

  it('every note cited by file name has its counterpart in docs/', () => {
    const bad = files.flatMap(({ file, body }) =>
      body === undefined
        ? []
        : TEAM_FILES.filter(
            (name) => body.includes(name) && !existsSync(join(root, 'docs', name)),
          ).map((name) => `${file}: ${name}`),
    );
    expect(bad).toEqual([]);
  });

  it('recognises a path out of the repository and leaves imports of shared/ alone', () => {
    const up = `../${TEAM}/notes/x.md`;
    expect(pathsLeavingRepo('DEVELOPERS.md', `see ${up}`)).toEqual([`../${TEAM}`]);
    expect(pathsLeavingRepo('shared/probe/README.md', `../../../${TEAM}/notes`)).toEqual([
      `../../../${TEAM}`,
    ]);
    expect(
      pathsLeavingRepo('src-main/cli/commands/doctor.ts', `from '../../../${TEAM}/doctor/doctor'`),
    ).toEqual([]);
  });
});
