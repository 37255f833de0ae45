import { expect, expectNoA11yViolations, test } from '../fixtures';
import { GENERAL_CHANNEL } from '../support/school';
import { expectComponentStyles } from '../support/styles';

test.describe('routes the app does not have', () => {
  test('an unknown path shows the not-found page, which leads home', async ({ page, t, notFoundPage, signInPage }) => {
    await page.goto('/no-such-page');
    await expect(notFoundPage.heading).toBeVisible();
    await expect(notFoundPage.appBar.root).toBeVisible();
    await expect(page).toHaveTitle(`${t.not_found_title} — ${t.app_name}`);
    await expectNoA11yViolations(page, 'not found');

    // Home without a session is the sign-in.
    await notFoundPage.goHome.click();
    await signInPage.expectPhoneStep();
  });

  test('a cold deep link is answered by the app, not by a server 404', async ({ page, t, notFoundPage }) => {
    const response = await page.goto('/join/abc123');
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    await expect(notFoundPage.appBar.root).toBeVisible();
    // The invite page, which reads the key itself: this one cannot be a key.
    await expect(page.getByRole('heading', { level: 1, name: t.invite_malformed_title, exact: true })).toBeVisible();
  });
});

test.describe('a backend that does not answer', () => {
  /** Port 9 (discard) has no listener here. */
  const DEAD_BACKEND = 'http://127.0.0.1:9';

  // Provoked on purpose: the refused connections, and the CSP refusing a backend it was not told of.
  test.use({ allowedErrors: /ERR_CONNECTION_REFUSED|ERR_BLOCKED_BY_CSP|Content Security Policy/ });

  test('a configured backend that is down shows the unreachable page', async ({ page, t, unreachablePage }) => {
    await page.route('**/config.json', (route) => route.fulfill({ json: { api_base: DEAD_BACKEND } }));
    await page.goto('/signin');
    await expect(unreachablePage.heading).toBeVisible();
    await expect(unreachablePage.text).toBeVisible();
    await expect(unreachablePage.appBar.root).toBeVisible();
    await expect(page).toHaveTitle(`${t.unreachable_title} — ${t.app_name}`);
    await expectNoA11yViolations(page, 'unreachable');

    // The backend's address is read once per page load (src/api/http.rs keeps it in a OnceLock), so
    // "try again" asks the same dead backend even after /config.json changed: still unreachable.
    await page.unroute('**/config.json');
    // The browser refuses that origin (CSP connect-src 'self'): the refusal is the sign the retry ran.
    const retried = page.waitForEvent('console', (message) => message.text().includes(`${DEAD_BACKEND}/api/v1/meta`));
    await unreachablePage.tryAgain.click();
    await retried;
    await expect(unreachablePage.heading).toBeVisible();
    await expect(unreachablePage.tryAgain).toBeVisible();
  });

  test('"try again" recovers once the backend answers', async ({ page, unreachablePage, signInPage }) => {
    await page.route('**/api/v1/meta', (route) => route.abort('connectionrefused'));
    await page.goto('/signin');
    await expect(unreachablePage.heading).toBeVisible();

    await page.unroute('**/api/v1/meta');
    await unreachablePage.tryAgain.click();
    await signInPage.expectPhoneStep();
  });
});

test('a whole sign-in talks to no one but its own server', async ({ page, context, createSchool, signUp, homePage, chatPage }) => {
  const contacted = new Set<string>();
  context.on('request', (request) => contacted.add(request.url()));
  page.on('websocket', (socket) => contacted.add(socket.url()));

  const school = await createSchool('Школа № 12 (без третьих лиц)');
  await signUp(school.admin);
  await homePage.openChat(GENERAL_CHANNEL);
  await chatPage.expectOpen(GENERAL_CHANNEL);

  const network = [...contacted].filter((url) => !url.startsWith('data:') && !url.startsWith('blob:'));
  expect(network.length).toBeGreaterThan(0);
  const elsewhere = network.filter((url) => new URL(url).hostname !== '127.0.0.1');
  expect(elsewhere, 'requests to hosts other than the Parta server').toEqual([]);
});

test.describe('a session that ended', () => {
  // The requests made with the ended session are answered 401 on purpose.
  test.use({ allowedErrors: /status of 401 \(Unauthorized\)/ });

  test('a session that ended elsewhere leads back to sign-in, not to an error', async ({
    context,
    createSchool,
    signUp,
    homePage,
    signInPage,
  }) => {
    const school = await createSchool('Школа № 14 (сессия истекла)');
    await signUp(school.admin);
    // As if the session expired, or the person signed out on another computer.
    await context.clearCookies();
    // The app may find out by itself first (a request of its own answered 401 while the home screen
    // was still loading); otherwise opening a chat finds out. Either way, sign-in is where it ends.
    const chat = homePage.chat(GENERAL_CHANNEL);
    await expect(chat.or(signInPage.phone)).toBeVisible();
    // (The app may also find out between the two lines: then the link is gone and nothing is clicked.)
    if (await chat.isVisible()) await chat.click({ timeout: 5_000 }).catch(() => undefined);
    await signInPage.expectPhoneStep();
  });
});

test('the document carries the security headers', async ({ page }) => {
  const response = await page.goto('/signin');
  expect(response, 'the document response').not.toBeNull();
  const headers = response!.headers();

  const csp = new Map(
    (headers['content-security-policy'] ?? '')
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values.join(' ')]),
  );
  expect(csp.get('object-src'), 'CSP object-src').toBe("'none'");
  expect(csp.get('frame-ancestors'), 'CSP frame-ancestors').toBe("'none'");
  expect(csp.get('base-uri'), 'CSP base-uri').toBe("'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
});

test('every screen gets its components\' styles', async ({
  page,
  createSchool,
  codeFor,
  signInPage,
  profilePage,
  homePage,
  chatPage,
  notFoundPage,
}) => {
  const school = await createSchool('Школа № 3 (оформление)');
  await signInPage.goto();
  await expectComponentStyles(page, 'sign-in: phone step');
  await signInPage.requestCode(school.admin.messy, school.admin);
  await expectComponentStyles(page, 'sign-in: code step');
  await signInPage.submitCode(await codeFor(school.admin));
  await profilePage.expectShown();
  await expectComponentStyles(page, 'profile');
  await profilePage.submit({ firstName: 'Анна', lastName: 'Петрова', birthDate: '1990-09-01' });
  await homePage.expectShown();
  await expect(homePage.chat(GENERAL_CHANNEL)).toBeVisible();
  await expectComponentStyles(page, 'home');
  await homePage.openChat(GENERAL_CHANNEL);
  await chatPage.expectOpen(GENERAL_CHANNEL);
  await expectComponentStyles(page, 'chat');
  await page.goto('/no-such-page');
  await expect(notFoundPage.heading).toBeVisible();
  await expectComponentStyles(page, 'not found');
});
