// End to end in Chromium: first start with the full demo seed, then the pages as people use them, each checked with axe.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { startServer } from '../../src/app/server.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let base: string;
let password: string;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flock-e2e-'));

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  server = await startServer(loadConfig({ FLOCK_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' }));
  base = `http://localhost:${server.port}`;
  password = readFileSync(path.join(dataDir, 'demo-password.txt'), 'utf8').trim();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs axe on the page and fails with the rule ids and targets of any violation. */
async function expectAccessible(page: Page) {
  const violations = await page.evaluate(async (source) => {
    // axe is injected by evaluation because the page’s CSP rightly blocks inline scripts.
    (0, eval)(source);
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            o: unknown,
          ) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run({
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    });
    return result.violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  }, axeSource);
  expect(violations, `axe violations on ${page.url()}`).toEqual([]);
}

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button.nhsuk-button');
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

describe('Flock in Chromium', () => {
  it('shows the public home and group pages to a signed-out visitor, without private data', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await expect(page.title()).resolves.toBe('Commissioning groups – Flock');
    expect(await page.locator('h1').textContent()).toBe('Commissioning groups');
    await expectAccessible(page);
    await page.click('text=NHS Coastal West Sussex CCG (09G)');
    await expect(page.locator('h1').textContent()).resolves.toBe('NHS Coastal West Sussex CCG');
    expect(await page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(46);
    expect(await page.content()).not.toContain('Weighted population');
    await expectAccessible(page);
    await page.goto(`${base}/groups/09G/practices`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });

  it('re-shows the sign-in form with an error summary', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/sign-in`);
    await page.fill('#email', 'gp@demo.flock.test');
    await page.fill('#password', 'not the password');
    await page.click('button.nhsuk-button');
    await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
      'Your email address or password is incorrect',
    );
    expect(await page.title()).toMatch(/^Error: Sign in/);
    await expectAccessible(page);
    await page.close();
  });

  it('lets a GP member sign in and use the overview, practices table and a practice profile', async () => {
    const page = await browser.newPage();
    await signIn(page, 'gp@demo.flock.test');
    await page.goto(`${base}/groups/09G/overview`);
    expect(await page.locator('h1').textContent()).toContain('overview');
    expect(await page.locator('table caption').first().textContent()).toContain('NHS Sussex ICB');
    await expectAccessible(page);

    await page.click('.app-subnav >> text=Practices');
    expect(await page.title()).toBe('NHS Coastal West Sussex CCG: practices – Flock');
    await page.click('th >> text=Registered patients');
    const sorted = await page.locator('th[aria-sort]').textContent();
    expect(sorted).toContain('Registered patients');
    await expectAccessible(page);

    const download = page.waitForEvent('download');
    await page.click('text=Download this table (CSV)');
    const file = await (await download).path();
    const csv = readFileSync(file!, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('practice_code,practice_name');
    expect(csv).toContain('H82006');

    await page.click('text=THE PETWORTH SURGERY');
    expect(await page.locator('h1').textContent()).toBe('THE PETWORTH SURGERY');
    expect(await page.locator('svg.app-chart').count()).toBe(3);
    expect(await page.content()).toContain(
      'Contains public sector information licensed under the Open Government Licence v3.0.',
    );
    await expectAccessible(page);
    await page.close();
  });

  it('works without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, 'gp@demo.flock.test');
    await page.goto(`${base}/groups/09G/practices?sort=HYP&order=desc`);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain(
      'Hypertension',
    );
    await page.goto(`${base}/sign-out`);
    await page.click('button.nhsuk-button');
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });

  it('keeps another group’s member out and shows the audit log to an administrator', async () => {
    const page = await browser.newPage();
    await signIn(page, 'brighton@demo.flock.test');
    const response = await page.goto(`${base}/groups/09G/practices`);
    expect(response?.status()).toBe(403);
    await expectAccessible(page);
    await page.close();

    const admin = await browser.newPage();
    await signIn(admin, 'admin@demo.flock.test');
    await admin.goto(`${base}/admin/audit`);
    expect(await admin.locator('h1').textContent()).toBe('Audit log');
    expect(await admin.content()).toContain('sign_in.succeeded');
    await expectAccessible(admin);
    await admin.goto(`${base}/data-sources`);
    await expectAccessible(admin);
    await admin.goto(`${base}/no/such/page`);
    await expectAccessible(admin);
    await admin.close();
  });
});
