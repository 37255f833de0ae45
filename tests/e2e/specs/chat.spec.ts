// Issue 4, «Chats and channels»: a teacher and a parent talk in the parents' chat of a class, live,
// each in a browser of their own; messages sent on a bad connection arrive exactly once, in order;
// a chat of 10,000 messages keeps the page small. People are set up through the API (joining has its
// own tests); everything after that happens on the screens.
import { expect, expectNoA11yViolations, test } from '../fixtures';
import { ChatPage } from '../pages/chat-page';
import { messagesByApi } from '../support/api';
import { fill } from '../support/i18n';
import { parentsChat } from '../support/school';
import { TEACHER, nameOf, parentsChatOf, type Setup } from '../support/setup';

const CLASS = '7Б';
/** Class 7Б's parents' chat: its teacher on `page`, a parent in a second browser. */
async function parentsChatOf7B(fixtures: Setup, schoolName: string) {
  const { chatId, parentPages } = await parentsChatOf(fixtures, schoolName, CLASS);
  return { chatId, parentPage: parentPages[0] };
}

test('a teacher and a parent talk live: send, reply, edit, react, delete, and hostile text stays text', async ({ page, t, createSchool, addClass, newPhone, openBrowser, fillChat }) => {
  const fixtures = { page, createSchool, addClass, newPhone, openBrowser };
  const { chatId, parentPage } = await parentsChatOf7B(fixtures, 'Школа № 12 (чат)');
  const teacher = new ChatPage(page, t);
  const parent = new ChatPage(parentPage, t);
  const desktop = (page.viewportSize()?.width ?? 0) > 900;

  await test.step('both open the parents\' chat; it is empty and the composer is ready', async () => {
    await teacher.goto(chatId);
    await teacher.expectOpen(parentsChat(CLASS));
    await parent.goto(chatId);
    await parent.expectOpen(parentsChat(CLASS));
    await expect(teacher.composer).toBeVisible();
    await expect(teacher.composer).toHaveAttribute('placeholder', t.message_placeholder);
    await expectNoA11yViolations(page, 'a new chat with its composer');
  });

  const notice = 'Добрый вечер! Собрание в четверг в 18:00, каб. 21.\nПовестка: https://school12.ru/plan.';
  await test.step('while the teacher types, the parent sees «… печатает»; sending ends it', async () => {
    await teacher.composer.pressSequentially('Добрый');
    const typing = parentPage.getByText(fill(t.typing_one, { name: nameOf(TEACHER) }), { exact: true });
    await expect(typing).toBeVisible();
    await expect(page.getByText(fill(t.typing_one, { name: nameOf(TEACHER) }), { exact: true }), 'not to oneself').toHaveCount(0);
    await teacher.composer.fill('');
    await teacher.send(notice, desktop ? 'enter' : 'button');
    await expect(typing).toHaveCount(0);
  });

  await test.step('the teacher sends; the parent sees it at once, with a safe link', async () => {
    await expect(teacher.composer).toHaveValue('');
    const mine = teacher.message('Собрание в четверг');
    await expect(mine).toBeVisible();
    await expect(mine.getByLabel(t.message_sent)).toBeVisible();
    const seen = parent.message('Собрание в четверг');
    await expect(seen).toBeVisible();
    await expect(seen).toContainText(nameOf(TEACHER));
    const link = seen.getByRole('link', { name: 'https://school12.ru/plan' });
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(link).toHaveAttribute('target', '_blank');
  });

  await test.step('the parent replies to it, quoted', async () => {
    const menu = await parent.actions(parent.message('Собрание в четверг'));
    await expectNoA11yViolations(parentPage, 'a message\'s actions menu');
    await menu.getByRole('menuitem', { name: t.action_reply, exact: true }).click();
    await expect(parentPage.getByText(fill(t.replying_to, { name: nameOf(TEACHER) }))).toBeVisible();
    await parent.send('Спасибо, буду.');
    const reply = teacher.message('Спасибо, буду.');
    await expect(reply).toBeVisible();
    await expect(reply.locator('.quote')).toContainText('Собрание в четверг');
  });

  await test.step('the teacher edits the message; the parent sees the new text marked as edited', async () => {
    const menu = await teacher.actions(teacher.message('Собрание в четверг'));
    await menu.getByRole('menuitem', { name: t.action_edit, exact: true }).click();
    await expect(teacher.composer).toHaveValue(notice);
    await teacher.composer.fill('Добрый вечер! Собрание в пятницу в 18:00, каб. 21.');
    await page.getByRole('button', { name: t.save_edit, exact: true }).click();
    const edited = parent.message('Собрание в пятницу');
    await expect(edited).toBeVisible();
    await expect(edited.getByText(t.message_edited, { exact: true })).toBeVisible();
    await expect(parent.message('Собрание в четверг')).toHaveCount(0);
  });

  await test.step('the parent reacts; the teacher sees the count live and adds theirs', async () => {
    const menu = await parent.actions(parent.message('Собрание в пятницу'));
    await menu.getByRole('menuitem', { name: fill(t.react_with, { emoji: '👍' }) }).click();
    await expect(parent.reaction(parent.message('Собрание в пятницу'), '👍', 1)).toHaveAttribute('aria-pressed', 'true');
    const chip = teacher.reaction(teacher.message('Собрание в пятницу'), '👍', 1);
    await expect(chip).toHaveAttribute('aria-pressed', 'false');
    await chip.click();
    await expect(parent.reaction(parent.message('Собрание в пятницу'), '👍', 2)).toBeVisible();
  });

  await test.step('hostile text is shown as the parent typed it, never as markup', async () => {
    const hostile = '<img src=x onerror="document.title=\'pwned\'"><b>жирный</b> <script>alert(1)</script>';
    await parent.send(hostile);
    await expect(teacher.message('жирный').locator('.text')).toHaveText(hostile);
    await expect(teacher.timeline.locator('.text').locator('img, b, script')).toHaveCount(0);
    await expect(page).not.toHaveTitle('pwned');
  });

  await test.step('the parent deletes their reply; both see the placeholder', async () => {
    page.on('dialog', (dialog) => dialog.accept());
    parentPage.on('dialog', (dialog) => dialog.accept());
    const menu = await parent.actions(parent.message('Спасибо, буду.'));
    await menu.getByRole('menuitem', { name: t.action_delete, exact: true }).click();
    await expect(teacher.message('Спасибо, буду.')).toHaveCount(0);
    await expect(teacher.rows.getByText(t.message_deleted, { exact: true })).toBeVisible();
    await expectNoA11yViolations(page, 'a chat with replies, reactions, an edit and a deletion');
  });
});

test('the chat\'s header is a line of title and a smaller line of details, whatever the school\'s name', async ({ page, t, createSchool, addClass, newPhone, openBrowser }) => {
  const fixtures = { page, createSchool, addClass, newPhone, openBrowser };
  const school = 'Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 17 с углублённым изучением отдельных предметов»';
  const { chatId } = await parentsChatOf7B(fixtures, school);
  const teacher = new ChatPage(page, t);
  const desktop = (page.viewportSize()?.width ?? 0) > 900;
  await teacher.goto(chatId);
  await teacher.expectOpen(parentsChat(CLASS));
  const header = teacher.header(parentsChat(CLASS));
  // All of it is there, for screen readers and wide screens; a phone cuts the line with «…».
  await expect(header).toContainText(`${t.chat_kind_parents} · `);
  await expect(header).toContainText(` · ${school}`);
  const box = await header.boundingBox();
  expect(box?.height, 'the header\'s height in px').toBeLessThanOrEqual(64);
  const title = await teacher.heading(parentsChat(CLASS)).boundingBox();
  expect(title?.height, 'the title on one line').toBeLessThanOrEqual(30);
  if (!desktop) await expect(teacher.backLink).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('chat-header.png') });
  await expectNoA11yViolations(page, 'a chat of a school with a long name');
});

test.describe('on a bad connection', () => {
  // The requests the test cuts off fail on purpose; the app turns them into "not sent" and retries.
  test.use({ allowedErrors: /net::ERR_(INTERNET_DISCONNECTED|CONNECTION_RESET)/ });

  test('messages written offline arrive exactly once, in order, also after a reload while offline', async ({ page, t, createSchool, addClass, newPhone, openBrowser, fillChat }) => {
    const fixtures = { page, createSchool, addClass, newPhone, openBrowser };
    const { chatId, parentPage } = await parentsChatOf7B(fixtures, 'Школа № 14 (связь)');
    const teacher = new ChatPage(page, t);
    const parent = new ChatPage(parentPage, t);
    await teacher.goto(chatId);
    await teacher.expectOpen(parentsChat(CLASS));
    await parent.goto(chatId);
    await parent.expectOpen(parentsChat(CLASS));

    const desktop = (parentPage.viewportSize()?.width ?? 0) > 900;
    const waiting = parent.timeline.locator('li[data-client-id]');
    /** Each message waits for the connection (🕓), none is said to have failed. */
    const allWaiting = async () => {
      await expect(waiting).toHaveText([/Первое/, /Второе/, /Третье/]);
      for (const row of await waiting.all()) await expect(row.getByText(`🕓 ${t.message_waiting}`, { exact: true })).toBeVisible();
      await expect(parent.timeline.getByText(t.message_not_sent)).toHaveCount(0);
      await expect(parent.timeline.getByRole('alert')).toHaveCount(0);
    };

    await test.step('offline, three messages wait in the outbox, each shown as waiting, none as failed', async () => {
      // The service worker (public/sw.js) is what lets the page be reloaded without a network.
      await parentPage.evaluate(async () => { await navigator.serviceWorker.ready; });
      await parentPage.context().setOffline(true);
      for (const text of ['Первое без сети', 'Второе без сети', 'Третье без сети']) await parent.send(text);
      await allWaiting();
      await expectNoA11yViolations(parentPage, 'messages waiting for the connection');
    });

    await test.step('reloaded while still offline: the chat keeps its header, one banner, the messages still waiting', async () => {
      await parentPage.reload();
      await expect(parentPage.getByText(t.connection_lost, { exact: true })).toHaveCount(1);
      await expect(parent.heading(parentsChat(CLASS))).toBeVisible();
      if (desktop) await expect(parentPage.getByRole('link', { name: new RegExp(parentsChat(CLASS)) })).toBeVisible();
      else await expect(parent.backLink).toBeVisible();
      await expect(parentPage.getByText(t.chat_offline_note, { exact: true })).toBeVisible();
      await expect(parentPage.getByText(t.error_network)).toHaveCount(0);
      // (The app bar keeps an empty alert of its own, for a failed sign-out.)
      await expect(parentPage.getByRole('main').getByRole('alert')).toHaveCount(0);
      await allWaiting();
      expect(await parentPage.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      await parentPage.screenshot({ path: test.info().outputPath('offline-reload.png') });
      await expectNoA11yViolations(parentPage, 'the app started offline, with messages waiting');
    });

    await test.step('back online, each arrives once and in order, for both', async () => {
      await parentPage.context().setOffline(false);
      for (const chat of [parent, teacher]) {
        await expect(chat.message('Третье без сети')).toBeVisible({ timeout: 20_000 });
        await expect(chat.rows.filter({ hasText: 'без сети' })).toHaveText([/Первое/, /Второе/, /Третье/]);
      }
      await expect(parent.timeline.locator('li[data-client-id]')).toHaveCount(0);
      const sent = (await messagesByApi(parentPage, chatId)).filter((m) => m.text.endsWith('без сети'));
      expect(sent.map((m) => m.text)).toEqual(['Первое без сети', 'Второе без сети', 'Третье без сети']);
    });

    await test.step('a message whose answer is lost is sent again and still arrives once', async () => {
      let lost = 0;
      await parentPage.route('**/api/v1/chats/*/messages', async (route) => {
        if (route.request().method() !== 'POST' || lost > 0) return route.fallback();
        lost += 1;
        await route.fetch(); // the server gets it and answers; the answer never reaches the app
        await route.abort('connectionreset');
      });
      await parent.send('Ответ потерялся');
      await expect(teacher.message('Ответ потерялся')).toBeVisible();
      await expect(parent.message('Ответ потерялся')).toBeVisible({ timeout: 20_000 });
      await parentPage.unroute('**/api/v1/chats/*/messages');
      expect(lost).toBe(1);
    });

    await test.step('a message that could not go out is still there after a reload, and goes out once', async () => {
      await parentPage.route('**/api/v1/chats/*/messages', (route) =>
        route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback(),
      );
      await parent.send('Пережило перезагрузку');
      await expect(parent.pending('Пережило перезагрузку').getByText(`🕓 ${t.message_waiting}`)).toBeVisible();
      await parentPage.reload();
      await parent.expectOpen(parentsChat(CLASS));
      await expect(parent.pending('Пережило перезагрузку')).toBeVisible();
      await parentPage.unroute('**/api/v1/chats/*/messages');
      await expect(parent.message('Пережило перезагрузку')).toBeVisible({ timeout: 20_000 });
      await expect(teacher.message('Пережило перезагрузку')).toBeVisible();
    });

    await test.step('only a message the server refused is shown as not sent, with why, to retry', async () => {
      await parentPage.route('**/api/v1/chats/*/messages', (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({ status: 403, json: { code: 'cannot_post', message: 'refused in the test' } })
          : route.fallback(),
      );
      await parent.send('Отказано');
      const refused = parent.pending('Отказано');
      await expect(refused.getByRole('alert')).toContainText(t.message_not_sent);
      await expect(refused.getByRole('alert')).toContainText(t.error_cannot_post);
      await expectNoA11yViolations(parentPage, 'a message the server refused');
      await parentPage.unroute('**/api/v1/chats/*/messages');
      await refused.getByRole('button', { name: t.action_retry, exact: true }).click();
      await expect(parent.message('Отказано')).toBeVisible();
    });

    const onServer = (await messagesByApi(page, chatId)).filter((m) => m.kind === 'text').map((m) => m.text);
    expect(onServer).toEqual(['Первое без сети', 'Второе без сети', 'Третье без сети', 'Ответ потерялся', 'Пережило перезагрузку', 'Отказано']);
  });
});

test('a chat of 10,000 messages opens at the first unread and keeps at most ~150 rows', async ({ page, t, createSchool, addClass, newPhone, openBrowser, fillChat }) => {
  const fixtures = { page, createSchool, addClass, newPhone, openBrowser };
  const { chatId } = await parentsChatOf7B(fixtures, 'Школа № 16 (история)');
  await fillChat(chatId, 10_000);
  const teacher = new ChatPage(page, t);
  await teacher.goto(chatId);
  await teacher.expectOpen(parentsChat(CLASS));
  const rowCount = () => teacher.rows.count();

  await test.step('it opens at the «new messages» line, with a jump button', async () => {
    await expect(teacher.unreadLine).toBeVisible();
    await expect(teacher.jumpToEnd).toBeVisible();
    expect(await rowCount()).toBeLessThanOrEqual(150);
    await expectNoA11yViolations(page, 'a long chat opened at its first unread message');
  });

  await test.step('the jump button goes to the end', async () => {
    await teacher.jumpToEnd.click();
    await expect(teacher.jumpToEnd).toBeHidden();
    expect(await rowCount()).toBeLessThanOrEqual(150);
  });

  await test.step('scrolling up loads older pages, and the rows stay at most ~150', async () => {
    const oldestShown = async () => Number(await teacher.rows.first().getAttribute('data-id'));
    const atOpen = await oldestShown();
    // Each scroll to the top moves the window up or loads a page; 300 messages back means several.
    await expect
      .poll(async () => {
        await teacher.timeline.evaluate((timeline) => timeline.scrollTo({ top: 0 }));
        return atOpen - (await oldestShown());
      }, { timeout: 20_000 })
      .toBeGreaterThan(300);
    expect(await rowCount()).toBeLessThanOrEqual(150);
    // What was at the top stays in view after older rows come in above it (no jump to the start): the
    // last scroll to the top may still be loading, so wait for its rows to be anchored.
    await expect.poll(() => teacher.timeline.evaluate((timeline) => timeline.scrollTop)).toBeGreaterThan(0);
  });
});
