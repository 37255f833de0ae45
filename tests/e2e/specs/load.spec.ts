// Issue 13: how the app arrives. The first screen is drawn from index.html before the wasm is there and
// the app takes it over with nothing moving; a signed-out start asks who is signed in without an error
// answer; screens after sign-in are chunks of the wasm, fetched when opened or, once signed in, when the
// browser is idle (the staff's only for staff).
import type { Page, Request, Route } from '@playwright/test';

import { defaultProfile, expect, expectNoA11yViolations, test } from '../fixtures';
import { inviteByApi, signUpByApi } from '../support/api';

/** The app's main module (`parta-<hash>_bg.wasm`); chunks are `<name>-<hash>.wasm`. */
const MAIN_WASM = /\/parta-[0-9a-f]+_bg\.wasm$/;

/** The names of the chunks a page fetched (`chat`, `staff`, `chat+staff`, …), in order. */
function chunksFetched(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request: Request) => {
    const match = /\/([a-z_+]+)-[0-9a-f]{16}\.wasm$/.exec(new URL(request.url()).pathname);
    if (match && match[1] !== 'qr_worker') names.push(match[1]);
  });
  return names;
}

/** Holds back the main wasm until `release()`: what the page shows meanwhile comes from index.html. */
async function holdTheWasm(page: Page): Promise<{ release: () => void }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(MAIN_WASM, async (route: Route) => {
    await released;
    await route.continue();
  });
  return { release };
}

/** Starts collecting the page's largest-contentful-paint and layout-shift entries. */
async function observePaints(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { lcp: number[]; cls: number };
    w.lcp = [];
    w.cls = 0;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.lcp.push(e.startTime))).observe({
      type: 'largest-contentful-paint',
      buffered: true,
    });
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => {
        const shift = e as unknown as { value: number; hadRecentInput: boolean };
        if (!shift.hadRecentInput) w.cls += shift.value;
      }),
    ).observe({ type: 'layout-shift', buffered: true });
  });
}

test.describe('the first screen', () => {
  test('sign-in is drawn from index.html, and the app takes it over without a shift', async ({ page, t, signInPage }) => {
    await observePaints(page);
    const wasm = await holdTheWasm(page);
    await page.goto('/signin');

    // Before any wasm: the heading, the lead and the frame of the form, from the HTML alone.
    const heading = page.getByRole('heading', { level: 1, name: t.sign_in_title, exact: true });
    const lead = page.getByText(t.sign_in_lead, { exact: true });
    await expect(heading).toBeVisible();
    await expect(lead).toBeVisible();
    await expect(page.getByText(t.get_code, { exact: true })).toBeVisible();
    await expect(page.locator('#boot')).toHaveCount(1);
    const before = { heading: await heading.boundingBox(), lead: await lead.boundingBox() };
    const largestBefore = await page.evaluate(() => (window as unknown as { lcp: number[] }).lcp.at(-1) ?? -1);
    expect(largestBefore, 'the largest paint happened before the wasm arrived').toBeGreaterThan(0);

    wasm.release();
    // The app's own form (a real field), in the same place.
    await signInPage.expectPhoneStep();
    await expect(page.locator('#boot')).toHaveCount(0);
    const after = { heading: await heading.boundingBox(), lead: await lead.boundingBox() };
    for (const box of ['heading', 'lead'] as const) {
      for (const side of ['x', 'y', 'width', 'height'] as const) {
        expect(Math.abs(after[box]![side] - before[box]![side]), `${box} ${side}`).toBeLessThanOrEqual(1);
      }
    }
    const { lcp, cls } = await page.evaluate(() => {
      const w = window as unknown as { lcp: number[]; cls: number };
      return { lcp: w.lcp, cls: w.cls };
    });
    expect(lcp.at(-1), 'no later paint was larger than the first screen').toBe(largestBefore);
    expect(cls).toBeLessThanOrEqual(0.02);
    await expectNoA11yViolations(page, 'sign-in after the first screen');
  });

  test('an invite link shows its landing page from index.html, then the invite', async ({ page, t, createSchool, openBrowser }) => {
    const school = await createSchool('Школа первого экрана');
    const admin = await openBrowser();
    await signUpByApi(admin, school.admin, defaultProfile);
    const token = await inviteByApi(admin, school.id, { kind: 'school' }, 'teacher');

    const wasm = await holdTheWasm(page);
    await page.goto(`/join/${token}`);
    await expect(page.getByRole('heading', { level: 1, name: t.join_title, exact: true })).toBeVisible();
    await expect(page.getByText(t.join_sign_in_lead, { exact: true })).toBeVisible();

    wasm.release();
    await expect(page.getByText(school.name, { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: t.join_sign_in, exact: true })).toBeVisible();
    await expect(page.locator('#boot')).toHaveCount(0);
    await expectNoA11yViolations(page, 'invite landing page');
  });

  test.describe('in English', () => {
    test.use({ lang: 'en' });

    test('the first screen speaks the chosen language', async ({ page, t, signInPage }) => {
      const wasm = await holdTheWasm(page);
      await page.goto('/signin');
      await expect(page.getByRole('heading', { level: 1, name: t.sign_in_title, exact: true })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      wasm.release();
      await signInPage.expectPhoneStep();
    });
  });

  test('the components stylesheet does not block the first paint', async ({ page }) => {
    await page.goto('/signin');
    // Trunk's stylesheets are inlined; the components' one applies once loaded, not before the paint.
    const blocking = await page.evaluate(() =>
      [...document.querySelectorAll('link[rel="stylesheet"]')].filter((l) => !l.hasAttribute('id')).length,
    );
    expect(blocking).toBe(0);
    await expect(page.locator('#app-css')).toHaveAttribute('media', 'all');
  });
});

test.describe('signed out', () => {
  test('the start asks who is signed in and gets a 200, not an error', async ({ page, signInPage }) => {
    const session = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/session' && r.request().method() === 'GET');
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.goto('/');
    const answer = await session;
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toMatchObject({ signed_in: false });
    await signInPage.expectPhoneStep();
    expect(asked, 'no request that would answer 401').not.toContain('/api/v1/me');
  });
});

test.describe('chunks', () => {
  test('signed out, only the first load is fetched; the scanner is a chunk fetched when opened', async ({ page, t }) => {
    const chunks = chunksFetched(page);
    await page.goto('/signin');
    await expect(page.getByRole('heading', { level: 1, name: t.sign_in_title, exact: true })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(chunks).toEqual([]);

    await page.getByRole('link', { name: t.scan_title, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: t.scan_title, exact: true })).toBeVisible();
    expect(chunks).toContain('scan');
    // Code the staff's screens share with others (`chat+staff`, …) may come with those; theirs alone not.
    expect(chunks).not.toContain('staff');
  });

  test("after sign-in the chat chunks are fetched while idle; a parent's phone never fetches the staff's", async ({ page, t, newPhone }) => {
    const chunks = chunksFetched(page);
    await signUpByApi(page, newPhone(), defaultProfile);
    await page.goto('/');
    // The likeliest first (src/chunks.rs `prefetch`): the layout, the chats, then the scanner.
    await expect.poll(() => chunks).toEqual(expect.arrayContaining(['signed_in', 'chat', 'scan']));
    await page.waitForLoadState('networkidle');
    // Code the staff's screens share with others (`chat+staff`, …) may come with those; theirs alone not.
    expect(chunks).not.toContain('staff');

    // Opening a screen of the chat chunk waits on no fetch: it is there already.
    const before = [...chunks];
    await page.getByRole('link', { name: `📁 ${t.my_files_title}`, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: t.my_files_title, exact: true })).toBeVisible();
    expect(chunks).toEqual(before);
    await expectNoA11yViolations(page, 'my files, from a prefetched chunk');
  });

  test("an administrator's browser fetches the staff's chunk while idle, before it is opened", async ({ page, createSchool }) => {
    const school = await createSchool('Школа кусков');
    const chunks = chunksFetched(page);
    await signUpByApi(page, school.admin, defaultProfile);
    await page.goto('/');
    await expect.poll(() => chunks).toContain('staff');
  });

  test.describe('without the network', () => {
    // The staff's chunk is refused on purpose (the chunks' loader says so in the console too); no
    // service worker, which would otherwise serve it.
    test.use({ allowedErrors: /net::ERR_INTERNET_DISCONNECTED|Failed to fetch/, serviceWorkers: 'block' });

    test('a screen whose chunk cannot come says so, and opens once it can', async ({ page, t, createSchool }) => {
      const school = await createSchool('Школа № 13 (куски без сети)');
      await signUpByApi(page, school.admin, defaultProfile);
      const staffChunk = /\/staff-[0-9a-f]{16}\.wasm$/;
      await page.route(staffChunk, (route) => route.abort('internetdisconnected'));
      await page.goto(`/schools/${school.id}/requests`);
      await expect(page.getByRole('heading', { level: 1, name: t.chunk_failed_title, exact: true })).toBeVisible();
      await expectNoA11yViolations(page, 'a screen whose chunk did not come');

      await page.unroute(staffChunk);
      await page.getByRole('button', { name: t.action_retry, exact: true }).click();
      await expect(page.getByRole('heading', { level: 1, name: t.requests_title, exact: true })).toBeVisible();
    });
  });
});
