/**
 * The real Chromium the browser tests drive (Debian's `chromium` package, through playwright-core).
 * Required: a test that needs it fails without it, it never skips (CI installs the package).
 */
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_MISSING = `${CHROMIUM} is missing: apt-get install -y chromium`;

/** Headless, and quiet: Chromium makes no request of its own, so a test can count the page's. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
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
