/**
 * The app in web mode for the end-to-end tests and the app benchmark: the
 * bridge serving the built renderer on a data folder, and Debian's Chromium
 * (driven by playwright-core) with the flags they share: headless, no
 * sandbox as root, and no background network traffic.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type ViewportSize } from 'playwright-core';
import { startBridge, type Bridge, type BridgeOptions } from '../../src-main/ipc/ws-bridge';

export const CHROMIUM = '/usr/bin/chromium';
export const RENDERER = join(process.cwd(), 'dist', 'renderer');
/** Where the e2e tests leave screenshots for a reviewer (git-ignored). */
export const SCREENSHOTS = join(process.cwd(), 'tests', 'e2e', 'screenshots');
/** The viewport pages open at unless told otherwise. */
export const VIEWPORT: ViewportSize = { width: 1280, height: 800 };

async function launchChromium(renderer: string): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; npm test does it as root)`,
    );
  if (!existsSync(join(renderer, 'index.html')))
    throw new Error('the renderer is not built: run npm run build (npm test does it)');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface WebAppOptions {
  /**
   * The user's data folder (presets, images) the bridge uses; a new temporary
   * folder by default. Either way it is the app's: `close` removes it.
   */
  readonly dataDir?: string;
  /** The renderer bundle to serve: dist/renderer under the working folder by default. */
  readonly renderer?: string;
  /** Further bridge options (a fixed port, a kept token), also used when the bridge is restarted. */
  readonly bridge?: Omit<BridgeOptions, 'staticDir' | 'dataDir'>;
}

/** A bridge and a browser on it; `close` gives back both and the data folder. */
export interface WebApp {
  readonly browser: Browser;
  readonly dataDir: string;
  /** The running bridge; throws while it is stopped (between `stopBridge` and `startBridge`). */
  readonly bridge: Bridge;
  /** Closes the bridge; the browser and its pages stay. */
  stopBridge(): Promise<void>;
  /**
   * Starts a bridge on the same renderer and data folder (the current one is
   * closed first), with the first options and `extra` over them.
   */
  startBridge(extra?: Omit<BridgeOptions, 'staticDir' | 'dataDir'>): Promise<Bridge>;
  /**
   * A page in a new browser context of its own (closed with it) at `viewport`,
   * on the bridge's address; `prepare` runs on it before it loads (listeners,
   * init scripts).
   */
  openPage(viewport?: ViewportSize, prepare?: (page: Page) => Promise<void> | void): Promise<Page>;
  /** Closes the browser, then the bridge, then removes the data folder. */
  close(): Promise<void>;
}

/** Starts the bridge on the built renderer, then Chromium; on a failure, undoes what was started. */
export async function startWebApp(options: WebAppOptions = {}): Promise<WebApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'usbcdb-e2e-'));
  const staticDir = options.renderer ?? RENDERER;
  let bridge: Bridge | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    try {
      await browser?.close();
      await bridge?.close();
    } finally {
      bridge = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    bridge = await startBridge({ ...options.bridge, staticDir, dataDir });
    browser = await launchChromium(staticDir);
  } catch (e) {
    await close();
    throw e;
  }
  const launched = browser;
  const app: WebApp = {
    browser: launched,
    dataDir,
    get bridge(): Bridge {
      if (!bridge) throw new Error('the bridge is stopped');
      return bridge;
    },
    async stopBridge() {
      const running = bridge;
      bridge = undefined;
      await running?.close();
    },
    async startBridge(extra = {}) {
      await app.stopBridge();
      bridge = await startBridge({ ...options.bridge, ...extra, staticDir, dataDir });
      return bridge;
    },
    async openPage(viewport = VIEWPORT, prepare) {
      const page = await launched.newPage({ viewport });
      await prepare?.(page);
      await page.goto(app.bridge.pageUrl);
      return page;
    },
    close,
  };
  return app;
}
