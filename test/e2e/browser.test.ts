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
let whileLoading: {
  status: number;
  retryAfter: string | null;
  home: string;
  api: unknown;
  sources: string;
};
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flock-e2e-'));

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  server = await startServer(
    loadConfig({
      FLOCK_DATA_DIR: dataDir,
      FLOCK_SHARED_DATA: process.env.FLOCK_SHARED_DATA,
      PORT: '0',
      LOG_LEVEL: 'warn',
    }),
  );
  base = `http://localhost:${server.port}`;
  // The server answers before the first start's seeding is done, and says what it is loading.
  const home = await fetch(`${base}/`);
  whileLoading = {
    status: home.status,
    retryAfter: home.headers.get('retry-after'),
    home: await home.text(),
    api: (await (await fetch(`${base}/api/v1/groups`)).json()) as unknown,
    sources: await (await fetch(`${base}/data-sources`)).text(),
  };
  await server.ready;
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
  it('answers at once on first start, saying what is still loading, then opens', async () => {
    expect(whileLoading.status).toBe(503);
    expect(whileLoading.retryAfter).toBe('5');
    expect(whileLoading.home).toContain('Flock is getting ready');
    expect(whileLoading.home).toMatch(
      /Flock is still loading\. The published NHS data and the demo group: \d+ of \d+ steps/,
    );
    expect(whileLoading.home).toContain('<meta http-equiv="refresh" content="5">');
    expect(whileLoading.api).toMatchObject({ error: { code: 'loading' } });
    expect(whileLoading.sources).toContain('Loading now');
    expect(whileLoading.sources).toContain('The published NHS data and the demo group:');
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
  });

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

  it('takes a GP from the variation hub through every chart, each labelled and accessible', async () => {
    const page = await browser.newPage();
    await signIn(page, 'gp@demo.flock.test');
    await page.goto(`${base}/groups/09G/overview`);
    await page.click('.app-subnav >> text=Variation');
    expect(await page.locator('h1').textContent()).toBe('NHS Coastal West Sussex CCG: variation');
    await expectAccessible(page);

    await page.click('text=GP referrals per 1,000 registered patients, every group');
    expect(await page.locator('svg.app-funnel').count()).toBe(1);
    expect(await page.locator('.app-funnel__point--highlight').count()).toBe(1);
    expect(await page.content()).toContain('Real data');
    // Tabbing to a point shows its values.
    const first = page.locator('.app-funnel__item').first();
    await first.focus();
    await expect(first.locator('.app-funnel__tip').isVisible()).resolves.toBe(true);
    await expectAccessible(page);

    await page.goto(`${base}/groups/09G/variation`);
    await page.click('text=GP referrals made (all specialties)');
    expect(await page.locator('svg.app-spc').count()).toBe(1);
    expect(await page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(80);
    await page.fill('#rebase', '2016-04');
    await page.click('button >> text=Recalculate');
    expect(new URL(page.url()).searchParams.get('rebase')).toBe('2016-04');
    await expectAccessible(page);

    await page.goto(`${base}/groups/09G/variation/ae`);
    expect(await page.content()).toContain('95%');
    expect(await page.locator('svg.app-spc').count()).toBe(1);
    await expectAccessible(page);

    await page.goto(`${base}/groups/09G/variation/practices`);
    expect(await page.content()).toContain('Synthetic data');
    await page.click('th >> text=Ophthalmology');
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain(
      'Ophthalmology',
    );
    await expectAccessible(page);
    await page.click('th[aria-sort="descending"] >> text=funnel');
    expect(await page.locator('h1').textContent()).toContain('ophthalmology');
    expect(await page.locator('.app-funnel__item').count()).toBeGreaterThanOrEqual(40);
    await expectAccessible(page);
    await page.locator('table tbody tr a').first().click();
    expect(await page.locator('svg.app-spc').count()).toBe(1);
    expect(await page.content()).toContain('Synthetic data');
    await expectAccessible(page);

    await page.goto(`${base}/groups/09G/variation/attention`);
    const items = page.locator('main li a, main td a');
    expect(await items.count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await page.close();
  });

  it('takes a finance officer through the plan, a ledger import, the forecast and month-end close', async () => {
    const page = await browser.newPage();
    await signIn(page, 'finance@demo.flock.test');
    await page.goto(`${base}/groups/09G/finance/allocation`);
    await page.click('main >> text=Plan');
    expect(await page.locator('h1').textContent()).toBe('Financial plan 2022/23');
    expect(await page.content()).toContain('Illustrative figures');
    expect(await page.content()).toContain('Every rule met');
    await expectAccessible(page);
    // Budgets that do not add up are refused with the error summary, and nothing changes.
    const acute = await page.inputValue('#budget-ACU01');
    await page.fill('#budget-ACU01', '1');
    await page.click('button >> text=Save the plan');
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain(
      'must match to the penny',
    );
    await expectAccessible(page);
    await page.goto(`${base}/groups/09G/finance/plan`);
    expect(await page.inputValue('#budget-ACU01')).toBe(acute);

    await page.click('main >> text=Ledger');
    const upload = async (name: string, rows: string[]) => {
      await page.setInputFiles('#file', {
        name,
        mimeType: 'text/csv',
        buffer: Buffer.from(
          ['Entity,Period,Cost Centre,Subjective,Amount', ...rows].join('\n') + '\n',
        ),
      });
      await page.click('button >> text=Import');
    };
    await upload('october-wrong.csv', [
      '09G,2022-10,ACU01,51210,24000000',
      '09G,2022-10,XYZ,51210,10',
    ]);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain(
      'october-wrong.csv, row 3, column "Cost Centre"',
    );
    await expectAccessible(page);
    await upload('october.csv', [
      '09G,2022-10,ACU01,51210,24000000',
      '09G,2022-10,PRE01,53110,10500000.50',
    ]);
    expect(
      await page.locator('.nhsuk-error-summary').count(),
      (await page.locator('main').textContent()) ?? '',
    ).toBe(0);
    expect(await page.locator('.nhsuk-inset-text').first().textContent()).toContain(
      'Imported october.csv',
    );
    await page.selectOption('#closePeriod', '2022-09');
    await page.click('button >> text=Close the month');
    expect(await page.content()).toContain('closed by finance@demo.flock.test');
    await expectAccessible(page);

    await page.click('main >> text=Budget and forecast');
    expect(await page.content()).toContain('7 months of actuals');
    expect(await page.locator('figure svg[aria-labelledby*="budget-chart"]').count()).toBe(1);
    expect(await page.content()).toContain('Why the forecasts differ from budget');
    await expectAccessible(page);
    await page.click('main >> text=QIPP');
    expect(await page.locator('figure svg[aria-labelledby*="qipp-chart"]').count()).toBe(1);
    await expectAccessible(page);
    await page.click('main >> text=Running costs');
    expect(await page.content()).toContain('per head');
    await expectAccessible(page);
    await page.close();

    // A lay member reads the plan but has nothing to edit; a GP member sees running costs only.
    const lay = await browser.newPage();
    await signIn(lay, 'lay@demo.flock.test');
    await lay.goto(`${base}/groups/09G/finance/plan`);
    expect(await lay.locator('h1').textContent()).toBe('Financial plan 2022/23');
    expect(await lay.locator('button >> text=Save the plan').count()).toBe(0);
    await lay.close();
    const gp = await browser.newPage();
    await signIn(gp, 'gp@demo.flock.test');
    expect((await gp.goto(`${base}/groups/09G/finance/budget`))!.status()).toBe(403);
    expect((await gp.goto(`${base}/groups/09G/finance/running-costs`))!.status()).toBe(200);
    await expectAccessible(gp);
    await gp.close();
  });

  it('warns a conflicted GP before the meeting, excludes them from the decision, and publishes the record without their contact details', async () => {
    // Dr Bram Sample (the demo clinical lead) holds shares in a diagnostics provider on today's agenda.
    const gp = await browser.newPage();
    await signIn(gp, 'lead@demo.flock.test');
    await gp.goto(`${base}/groups/09G/governance/declarations`);
    const warning = await gp.locator('.nhsuk-warning-callout').textContent();
    expect(warning).toContain('Community diagnostics: most suitable provider');
    expect(warning).toContain('Sample Diagnostics');
    await expectAccessible(gp);
    await gp.close();

    // The board secretary records the declaration at the item; quorum is recalculated without him.
    const secretary = await browser.newPage();
    await signIn(secretary, 'admin@demo.flock.test');
    await secretary.goto(`${base}/groups/09G/governance/meetings`);
    await Promise.all([
      secretary.waitForURL(/\/governance\/meetings\/\d+$/),
      secretary.click('text=Governing body meeting in public (illustrative, today)'),
    ]);
    expect(await secretary.content()).toContain('Likely conflicts');
    expect(await secretary.content()).toContain('Quorate: 5 may decide');
    await secretary.selectOption('#declItem', {
      label: '1. Community diagnostics: most suitable provider',
    });
    await secretary.selectOption('#declPerson', { label: 'Dr Bram Sample (Clinical director)' });
    await secretary.fill('#declInterest', 'a 6% shareholding in Sample Diagnostics Ltd');
    await secretary.check('input[name=declAction][value="leaves the room"]');
    await secretary.click('button >> text=Record the declaration');
    expect(await secretary.content()).toContain(
      'Quorate: 4 may decide (1 excluded by their declarations)',
    );
    await expectAccessible(secretary);
    // Attendance first: quorum depends on who is in the room.
    for (const present of await secretary.locator('input[type=radio][value=present]').all())
      await present.check();
    await secretary.click('button >> text=Save attendance');
    await secretary.selectOption('#decItem', {
      label: '1. Community diagnostics: most suitable provider',
    });
    await secretary.fill('#decDecision', 'Award to the most suitable provider after assessment');
    await secretary.fill('#decRationale', 'Best against the key criteria (illustrative)');
    await secretary.fill('#decFor', '5');
    await secretary.fill('#decAgainst', '0');
    await secretary.fill('#decAbstain', '0');
    await secretary.click('button >> text=Record the decision');
    expect(await secretary.locator('.nhsuk-error-summary').textContent()).toContain(
      'Only 4 members may vote on this item',
    );
    await secretary.fill('#decFor', '4');
    await secretary.click('button >> text=Record the decision');
    expect(await secretary.content()).toContain('Award to the most suitable provider');
    const meetingUrl = secretary.url();
    await secretary.close();

    // The public record, without signing in.
    const visitor = await browser.newPage();
    await visitor.goto(meetingUrl.replace('/governance/meetings/', '/public/meetings/'));
    const minutes = await visitor.content();
    expect(minutes).toContain(
      'Dr Bram Sample declared a 6% shareholding in Sample Diagnostics Ltd',
    );
    expect(minutes).toContain('Award to the most suitable provider');
    expect(minutes).not.toContain('bram.sample@example.org');
    await expectAccessible(visitor);
    await visitor.goto(`${base}/groups/09G/public/interests`);
    expect(await visitor.content()).toContain('Sample Diagnostics');
    expect(await visitor.content()).not.toContain('@example.org');
    await expectAccessible(visitor);
    await visitor.close();
  });

  it('lets a practice’s representative vote online once, and shows the public who governs and the registers', async () => {
    // The demo GP is the nominated representative of a member practice that has not voted yet.
    const gp = await browser.newPage();
    await signIn(gp, 'gp@demo.flock.test');
    await gp.goto(`${base}/groups/09G/public/governance`);
    await expectAccessible(gp);
    await gp.click('text=Votes and consultations open to your practice');
    expect(await gp.locator('h1').textContent()).toBe('Votes open for your practice');
    await expectAccessible(gp);
    await gp.click('text=Cast your practice’s vote');
    await gp.click('button >> text=Cast the ballot');
    expect(await gp.locator('.nhsuk-error-summary').textContent()).toContain(
      'Choose for, against or abstain',
    );
    await expectAccessible(gp);
    await gp.check('input[name=choice][value=for]');
    await gp.fill('#comment', 'Agreed at the practice meeting (e2e)');
    await gp.click('button >> text=Cast the ballot');
    const voted = await gp.locator('.nhsuk-inset-text').textContent();
    expect(voted).toContain('has voted');
    expect(voted).toContain('for');
    // Once cast, there is no form to vote again.
    expect(await gp.locator('button >> text=Cast the ballot').count()).toBe(0);
    await gp.close();

    // The public: who governs and how to reach the guardian, procurement decisions and breaches,
    // with no one's own contact details.
    const visitor = await browser.newPage();
    for (const [path, heading] of [
      ['/groups/09G/public/governance', 'Governance'],
      ['/groups/09G/public/procurement', 'Procurement decisions'],
      ['/groups/09G/public/breaches', 'Breaches of the conflicts of interest policy'],
      ['/groups/09G/public/votes', 'Member practice votes: results'],
    ] as const) {
      await visitor.goto(`${base}${path}`);
      expect(await visitor.locator('h1').textContent()).toBe(heading);
      const html = await visitor.content();
      expect(html).not.toContain('@example.org');
      expect(html).not.toContain('Agreed at the practice meeting');
      await expectAccessible(visitor);
    }
    await visitor.close();
  });

  it('lets a clinical lead record a learning pair and follow it up, re-showing errors', async () => {
    const page = await browser.newPage();
    await signIn(page, 'lead@demo.flock.test');
    await page.goto(`${base}/groups/09G/variation/pairs`);
    await expectAccessible(page);
    await page.locator('button >> text=Record pairing').first().click();
    const card = page.locator('section.nhsuk-card').first();
    expect(await card.textContent()).toContain('proposed');
    await card.locator('input[name="followUpOn"]').fill('2020-02-30');
    await card.locator('button').click();
    await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
      'real date',
    );
    expect(await page.title()).toMatch(/^Error: /);
    await expectAccessible(page);
    await page.click('.nhsuk-error-summary a');
    expect(await page.locator(':focus').getAttribute('name')).toBe('followUpOn');
    const again = page.locator('section.nhsuk-card').first();
    await again.locator('select[name="status"]').selectOption('met');
    await again.locator('input[name="followUpOn"]').fill('2020-06-30');
    await again.locator('textarea[name="notes"]').fill('Visited and compared pathways.');
    await again.locator('button').click();
    const saved = await page.locator('section.nhsuk-card').first().textContent();
    expect(saved).toContain('status met');
    expect(saved).toContain('Visited and compared pathways.');
    await page.close();
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

  it('takes a medicines lead from the measures dashboard to a measure, a practice and its savings', async () => {
    await server.demoPrescribing;
    const page = await browser.newPage();
    await signIn(page, 'gp@demo.flock.test');
    await page.goto(`${base}/groups/09G/overview`);
    await page.click('.app-subnav >> text=Prescribing');
    expect(await page.locator('h1').textContent()).toBe('Prescribing measures');
    expect(await page.content()).toContain('Synthetic data');
    // Twelve months of 2018-19, the latest shown; every measure has a chart against national deciles.
    expect(await page.locator('#month option').count()).toBe(12);
    expect(await page.locator('#month option[selected]').textContent()).toBe('2019-03');
    expect(await page.locator('section.app-measure svg').count()).toBeGreaterThanOrEqual(15);
    await expectAccessible(page);

    await page.selectOption('#month', '2018-10');
    await page.click('button >> text=Show month');
    expect(new URL(page.url()).searchParams.get('month')).toBe('2018-10');
    await page.locator('section.app-measure h3 a').first().click();
    expect(await page.content()).toContain('Why it matters');
    // The group over England's deciles, then one small chart per practice.
    expect(
      await page
        .locator('svg[aria-labelledby^="measure-chart-"] polyline.app-chart__series--highlight')
        .count(),
    ).toBe(1);
    expect(await page.locator('ul.app-small-multiples svg').count()).toBeGreaterThanOrEqual(20);
    expect(await page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(20);
    await expectAccessible(page);

    await page.locator('table tbody tr a').first().click();
    expect(await page.locator('h1').textContent()).toContain('prescribing');
    expect(await page.content()).toContain('fair share');
    await expectAccessible(page);

    await page.goto(`${base}/groups/09G/prescribing/price-per-unit`);
    const savings = await page.locator('tbody td:last-child').allTextContents();
    const total = await page.locator('tfoot td').textContent();
    const pence = (s: string) => Math.round(Number(s.replace(/[£,]/g, '')) * 100);
    expect(savings.length).toBeGreaterThan(0);
    expect(savings.reduce((sum, s) => sum + pence(s), 0)).toBe(pence(total ?? ''));
    await expectAccessible(page);
    await page.close();
  }, 300_000);

  it('shows a finance officer the allocation against target, re-showing a bad amount with an error summary', async () => {
    await server.demoPrescribing;
    const page = await browser.newPage();
    await signIn(page, 'finance@demo.flock.test');
    await page.goto(`${base}/groups/09G/overview`);
    await page.click('.app-subnav >> text=Finance');
    expect(await page.locator('h1').textContent()).toBe('Allocation and fair shares');
    await page.fill('#perHead', '1135.41');
    await page.fill('#allocation', '-10');
    await page.click('button >> text=Show allocation');
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain(
      'must not be negative',
    );
    await expectAccessible(page);
    await page.fill('#allocation', '700000000');
    await page.click('button >> text=Show allocation');
    expect(await page.content()).toContain('Distance from target');
    expect(await page.locator('table').count()).toBe(2);
    await expectAccessible(page);

    await page.click('main >> text=Business rules');
    for (const [field, value] of [
      ['#allocation', '700000000'],
      ['#surplus', '7000000'],
      ['#contingency', '1000000'],
      ['#headroom', '20000000'],
      ['#runningCosts', '13500000'],
    ] as const)
      await page.fill(field, value);
    await page.click('button >> text=Check the plan');
    expect(await page.locator('td >> text=Breach').count()).toBeGreaterThan(0);
    await expectAccessible(page);

    await page.click('main >> text=Practice budgets');
    expect(await page.locator('h1').textContent()).toBe('Practice prescribing budgets');
    expect(await page.content()).toContain('Synthetic data');
    expect(await page.locator('tbody tr').count()).toBeGreaterThan(20);
    await expectAccessible(page);

    await page.click('main >> text=Financial risk');
    expect(await page.locator('h1').textContent()).toBe('Financial risk');
    expect(await page.locator('svg.app-chart').count()).toBe(1);
    expect(await page.content()).toContain('Illustrative');
    await page.fill('#stopLoss', '50000');
    await page.click('button >> text=Simulate');
    expect(new URL(page.url()).searchParams.get('stopLoss')).toBe('50000');
    await expectAccessible(page);
    await page.close();
  });
});
