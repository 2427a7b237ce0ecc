/**
 * The Node.js versions usbcdb promises (README's first screen) and the check
 * scripts/setup.mjs, scripts/start.mjs and bin/usbcdb.js make at start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  atLeast,
  NODE_MIN,
  nodeProblem,
  parseNodeVersion,
  WINDOW_NODE_MIN,
  windowNodeProblem,
} from '../../../scripts/node-support.mjs';

const root = process.cwd();
const json = (path: string): { engines?: { node?: string } } =>
  JSON.parse(readFileSync(join(root, path), 'utf8')) as { engines?: { node?: string } };
/** `>=20.19`, `>= 22.12.0` → `20.19`, `22.12`. */
const minimumOf = (range: string | undefined): string | undefined =>
  /^>=\s*(\d+\.\d+)(?:\.0)?$/.exec(range ?? '')?.[1];

describe('parseNodeVersion', () => {
  it('reads process.version and short forms', () => {
    expect(parseNodeVersion('v20.20.2')).toEqual([20, 20, 2]);
    expect(parseNodeVersion('22.12')).toEqual([22, 12, 0]);
    expect(parseNodeVersion('node')).toBeUndefined();
  });
});

describe('atLeast', () => {
  it('compares major, then minor, then patch', () => {
    expect(atLeast('v20.19.0', '20.19')).toBe(true);
    expect(atLeast('v20.18.9', '20.19')).toBe(false);
    expect(atLeast('v21.0.0', '20.19')).toBe(true);
    expect(atLeast('v22.11.99', '22.12')).toBe(false);
    expect(atLeast('v22.12.0', '22.12')).toBe(true);
    expect(atLeast('garbage', '20.19')).toBe(false);
  });
});

describe('nodeProblem', () => {
  it('accepts 20.19 and newer', () => {
    expect(nodeProblem('v20.19.0')).toBeUndefined();
    expect(nodeProblem('v24.1.0')).toBeUndefined();
  });

  it('refuses an older Node, naming both minimums and the Node it found', () => {
    const text = nodeProblem('v18.20.4');
    expect(text).toContain('Node.js 20.19 or newer');
    expect(text).toContain('22.12 or newer for the desktop window');
    expect(text).toContain('this is Node.js v18.20.4');
  });
});

describe('windowNodeProblem', () => {
  it('says the Electron installer needs 22.12 on Node 20', () => {
    expect(windowNodeProblem('v20.20.2')).toBe(
      "Electron's installer needs Node.js 22.12 or newer and this is Node.js v20.20.2; install Node.js 22.12+ for the desktop window",
    );
    expect(windowNodeProblem('v22.12.0')).toBeUndefined();
  });
});

describe('the promise and the packages agree', () => {
  it("NODE_MIN is package.json's engines.node", () => {
    expect(minimumOf(json('package.json').engines?.node)).toBe(NODE_MIN);
  });

  it("WINDOW_NODE_MIN is the installed electron package's engines.node", () => {
    expect(minimumOf(json('node_modules/electron/package.json').engines?.node)).toBe(
      WINDOW_NODE_MIN,
    );
  });

  it("README's first screen states both", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const firstScreen = readme.slice(0, readme.indexOf('\n---'));
    expect(firstScreen).toContain(`Node.js ≥ ${NODE_MIN}`);
    expect(firstScreen).toContain(`Node.js ≥ ${WINDOW_NODE_MIN}`);
  });
});
