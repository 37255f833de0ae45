// The tests' vocabulary: a fresh school per test, unique phone numbers, sign-in codes from the dev
// outbox, page objects in the test's language, and a guard that fails a test on any console error,
// uncaught exception or failed request.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

import { ChatPage } from './pages/chat-page';
import { HomePage } from './pages/home-page';
import { ProfilePage, type Profile } from './pages/profile-page';
import { SignInPage } from './pages/sign-in-page';
import { NotFoundPage, UnreachablePage } from './pages/status-pages';
import { strings, type Lang, type Strings } from './support/i18n';
import { uniquePhone, type Phone } from './support/phones';

export { expect } from '@playwright/test';
export { expectNoA11yViolations } from './support/a11y';
export type { Phone } from './support/phones';
export type { Profile } from './pages/profile-page';

const run = promisify(execFile);

export type School = {
  id: string;
  name: string;
  /** Its administrator: has an account, but no profile yet. */
  admin: Phone;
};

type Options = {
  /** The language the test starts in (the app's default is Russian). */
  lang: Lang;
  /**
   * Console errors and failed requests this test provokes on purpose (an unreachable backend),
   * matched against the message, or against "<error> <url>" for a failed request. One pattern (an
   * array would be read by `test.use` as a fixture definition).
   */
  allowedErrors: RegExp | null;
};

type Fixtures = {
  t: Strings;
  /** A phone number no other test of the run uses. */
  newPhone: () => Phone;
  /** Registers a school through the server's CLI, with a new administrator. */
  createSchool: (name: string) => Promise<School>;
  /**
   * Adds a class to a school through the server's CLI (`add-class`), with its class chat (titled like
   * the class) and its parents' chat («Родители <name>»); returns the class id.
   */
  addClass: (schoolId: string, name: string) => Promise<string>;
  /**
   * Another person's browser: a new context with this project's device and options (a phone stays a
   * phone), the test's language, and the same guard as `page` — its console errors and failed
   * requests fail the test too. Closed at the end of the test.
   */
  /** Adds `count` messages of its members to a chat (`parta-server fill-chat`). */
  fillChat: (chatId: number, count: number) => Promise<void>;
  openBrowser: () => Promise<Page>;
  /** The last sign-in code sent to a number (the server's dev outbox). */
  codeFor: (phone: Phone) => Promise<string>;
  /** From `/signin` to home for a new person: code, then profile. */
  signUp: (phone: Phone, profile?: Profile) => Promise<void>;
  signInPage: SignInPage;
  profilePage: ProfilePage;
  homePage: HomePage;
  chatPage: ChatPage;
  notFoundPage: NotFoundPage;
  unreachablePage: UnreachablePage;
};

export const defaultProfile: Profile = { firstName: 'Ольга', lastName: 'Миронова', birthDate: '1985-03-14' };

/** Where the app keeps the chosen language (src/i18n.rs). */
const LANG_STORAGE_KEY = 'parta.lang';

/**
 * Chromium's own line for an HTTP error answer. The API's refusals a test provokes (422, 404, 409, …) are
 * the contract, judged by their status below; a 401 is not among them: the app asks who is signed in
 * with `GET /auth/session`, which answers a signed-out start with 200, so a 401 means a request went out
 * without a live session. A test that ends a session on purpose allows it (`allowedErrors`).
 */
const NETWORK_LOG = /^Failed to load resource: the server responded with a status of (?!401\b)\d+/;

function guard(page: Page, allowedErrors: RegExp | null): string[] {
  const problems: string[] = [];
  const allowed = (text: string) => allowedErrors?.test(text) ?? false;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // API error answers are the contract (the app turns them into messages); the response listener
    // below judges every answer by its status instead, so a missing file still fails the test.
    if (NETWORK_LOG.test(text) || allowed(text)) return;
    const { url, lineNumber } = message.location();
    problems.push(`console error: ${text}${url ? ` (${url}:${lineNumber})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.stack ?? error.message}`));
  page.on('response', (response) => {
    const status = response.status();
    const { pathname } = new URL(response.url());
    const line = `HTTP ${status} for ${response.request().method()} ${response.url()}`;
    if ((status >= 500 || (status >= 400 && !pathname.startsWith('/api/'))) && !allowed(line)) {
      problems.push(line);
    }
  });
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText ?? 'unknown error';
    // The app aborts the requests of a screen it leaves, and a navigation aborts what was in flight.
    if (error === 'net::ERR_ABORTED') return;
    const line = `${error} ${request.url()}`;
    if (!allowed(line)) problems.push(`request failed: ${request.method()} ${request.url()}: ${error}`);
  });
  return problems;
}

/** As if the person had chosen the language before; a later switch in the test still sticks. */
async function chooseLanguage(page: Page, lang: Lang): Promise<void> {
  await page.addInitScript(([key, code]) => {
    try {
      if (!localStorage.getItem(key)) localStorage.setItem(key, code);
    } catch {
      // Not every document may use storage (about:blank).
    }
  }, [LANG_STORAGE_KEY, lang] as const);
}

/** The server binary and data directory global-setup.ts started the run's server with. */
function serverCli(): string {
  const bin = process.env.PARTA_SERVER_BIN;
  if (!bin) throw new Error('PARTA_SERVER_BIN is unset: was global-setup.ts run?');
  return bin;
}

function dataDir(): string {
  const dir = process.env.PARTA_DATA_DIR;
  if (!dir) throw new Error('PARTA_DATA_DIR is unset: was global-setup.ts run?');
  return dir;
}

export const test = base.extend<Fixtures & Options>({
  lang: ['ru', { option: true }],
  allowedErrors: [null, { option: true }],

  page: async ({ page, allowedErrors, lang }, use) => {
    const problems = guard(page, allowedErrors);
    if (lang !== 'ru') await chooseLanguage(page, lang);
    await use(page);
    expect(problems, 'console errors, uncaught exceptions or failed requests during the test').toEqual([]);
  },

  t: async ({ lang }, use) => {
    await use(strings[lang]);
  },

  newPhone: async ({}, use, testInfo) => {
    await use(() => uniquePhone(testInfo));
  },

  createSchool: async ({ newPhone }, use) => {
    const bin = process.env.PARTA_SERVER_BIN;
    const dataDir = process.env.PARTA_DATA_DIR;
    if (!bin || !dataDir) throw new Error('PARTA_SERVER_BIN / PARTA_DATA_DIR are unset: was global-setup.ts run?');
    await use(async (name) => {
      const admin = newPhone();
      const { stdout } = await run(bin, ['create-school', '--name', name, '--admin-phone', admin.e164, '--data-dir', dataDir]).catch(
        (error: { stderr?: string; message: string }) => {
          throw new Error(`parta-server create-school failed: ${error.stderr || error.message}`);
        },
      );
      return { id: stdout.trim(), name, admin };
    });
  },

  addClass: async ({}, use) => {
    await use(async (schoolId, name) => {
      const { stdout } = await run(serverCli(), ['add-class', '--school-id', schoolId, '--name', name, '--data-dir', dataDir()]).catch(
        (error: { stderr?: string; message: string }) => {
          throw new Error(`parta-server add-class failed: ${error.stderr || error.message}`);
        },
      );
      return stdout.trim();
    });
  },

  fillChat: async ({}, use) => {
    await use(async (chatId, count) => {
      await run(serverCli(), ['fill-chat', '--chat-id', String(chatId), '--count', String(count), '--data-dir', dataDir()]).catch(
        (error: { stderr?: string; message: string }) => {
          throw new Error(`parta-server fill-chat failed: ${error.stderr || error.message}`);
        },
      );
    });
  },

  openBrowser: async ({ browser, allowedErrors, lang }, use) => {
    const opened: { context: BrowserContext; problems: string[] }[] = [];
    await use(async () => {
      // Inside a test, `browser.newContext()` starts from the same options as the `page` fixture's
      // context (the project's device, locale, time zone, baseURL); they are not repeated here.
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems = guard(page, allowedErrors);
      if (lang !== 'ru') await chooseLanguage(page, lang);
      opened.push({ context, problems });
      return page;
    });
    for (const { context } of opened) await context.close();
    expect(
      opened.flatMap(({ problems }) => problems),
      'console errors, uncaught exceptions or failed requests in another browser of the test',
    ).toEqual([]);
  },

  codeFor: async ({ request }, use) => {
    await use(async (phone) => {
      const response = await request.get('/api/v1/dev/outbox', { params: { phone: phone.e164 } });
      if (!response.ok()) {
        throw new Error(`no code in the dev outbox for ${phone.e164}: HTTP ${response.status()} ${await response.text()}`);
      }
      const body = (await response.json()) as { phone: string; code: string };
      return body.code;
    });
  },

  signUp: async ({ signInPage, profilePage, homePage, codeFor }, use) => {
    await use(async (phone, profile = defaultProfile) => {
      await signInPage.goto();
      await signInPage.requestCode(phone.messy, phone);
      await signInPage.submitCode(await codeFor(phone));
      await profilePage.expectShown();
      await profilePage.submit(profile);
      await homePage.expectShown();
    });
  },

  signInPage: async ({ page, t }, use) => use(new SignInPage(page, t)),
  profilePage: async ({ page, t }, use) => use(new ProfilePage(page, t)),
  homePage: async ({ page, t }, use) => use(new HomePage(page, t)),
  chatPage: async ({ page, t }, use) => use(new ChatPage(page, t)),
  notFoundPage: async ({ page, t }, use) => use(new NotFoundPage(page, t)),
  unreachablePage: async ({ page, t }, use) => use(new UnreachablePage(page, t)),
});
