// Polls and «Ознакомлен» in a class's parents' chat: the teacher asks, two parents answer in their own
// browsers, and everyone sees the results live; the teacher sees who has not read the announcement yet.
import { expect, expectNoA11yViolations, test } from '../fixtures';
import { ChatPage } from '../pages/chat-page';
import { fill } from '../support/i18n';
import { parentsChat } from '../support/school';
import { PARENT, SECOND_PARENT, parentsChatOf } from '../support/setup';

const CLASS = '7Б';

test('a teacher asks a poll and an announcement with «Ознакомлен»; parents answer live; the teacher sees who has not read it', async ({ page, t, createSchool, addClass, newPhone, openBrowser }) => {
  const { chatId, parentPages } = await parentsChatOf(
    { page, createSchool, addClass, newPhone, openBrowser },
    'Школа № 23 (опросы)',
    CLASS,
    [PARENT, SECOND_PARENT],
  );
  const [firstPage, secondPage] = parentPages;
  const teacherChat = new ChatPage(page, t);
  const firstChat = new ChatPage(firstPage, t);
  const secondChat = new ChatPage(secondPage, t);
  for (const chat of [teacherChat, firstChat, secondChat]) {
    await chat.goto(chatId);
    await chat.expectOpen(parentsChat(CLASS));
  }
  const question = 'Когда вам удобно родительское собрание?';
  const voters = (n: number) => fill(n === 1 ? t.poll_voters.split('|')[0] : t.poll_voters.split('|')[1], { n: String(n) });

  await test.step('the poll form asks for a question and keeps the answers typed', async () => {
    await (await teacherChat.tool(t.poll_open_form_label)).click();
    await page.getByLabel(fill(t.poll_option_label, { n: '1' }), { exact: true }).fill('Вторник, 18:00');
    await page.getByRole('button', { name: t.poll_send, exact: true }).click();
    await expect(page.getByText(t.poll_question_required, { exact: true })).toBeVisible();
    await expect(page.getByLabel(fill(t.poll_option_label, { n: '1' }), { exact: true })).toHaveValue('Вторник, 18:00');
    await expectNoA11yViolations(page, 'the poll form with a missing question');
  });

  await test.step('the teacher asks; both parents see the poll at once', async () => {
    await page.getByLabel(t.poll_question, { exact: true }).fill(question);
    await page.getByLabel(fill(t.poll_option_label, { n: '2' }), { exact: true }).fill('Четверг, 18:00');
    await page.getByRole('button', { name: t.poll_option_add, exact: true }).click();
    await expect(page.getByLabel(fill(t.poll_option_label, { n: '3' }), { exact: true })).toBeFocused();
    await page.keyboard.type('Пятница, 17:00');
    await page.getByRole('button', { name: t.poll_send, exact: true }).click();
    await expect(teacherChat.poll(question)).toBeVisible();
    await expect(firstChat.poll(question)).toBeVisible();
    await expect(secondChat.poll(question)).toBeVisible();
  });

  await test.step('votes and changed votes show live as shares', async () => {
    await firstChat.pollOption(question, 'Четверг').check();
    await expect(teacherChat.poll(question).getByText(voters(1), { exact: true })).toBeVisible();
    await secondChat.pollOption(question, 'Вторник').check();
    await expect(teacherChat.poll(question).getByText(voters(2), { exact: true })).toBeVisible();
    await expect(teacherChat.pollOption(question, 'Четверг')).toHaveAccessibleName(/50 %/);
    await firstChat.pollOption(question, 'Вторник').check();
    await expect(teacherChat.pollOption(question, 'Вторник')).toHaveAccessibleName(/100 %/);
    await expect(firstChat.pollOption(question, 'Вторник')).toBeChecked();
    await expectNoA11yViolations(firstPage, 'a poll after voting');
  });

  await test.step('the teacher closes it; nobody can vote any more', async () => {
    await teacherChat.poll(question).getByRole('button', { name: t.poll_close, exact: true }).click();
    await expect(secondChat.poll(question).getByText(t.poll_closed)).toBeVisible();
    await expect(secondChat.pollOption(question, 'Пятница')).toBeDisabled();
  });

  const notice = 'Завтра экскурсия в музей. Сбор в 8:30 у школы.';
  await test.step('an announcement asks for «Ознакомлен»; one parent confirms', async () => {
    await (await teacherChat.tool(t.ack_ask)).click();
    // The composer says the next message will ask (on a phone the pressed tool has folded away).
    await expect(page.getByText(t.ack_ask_hint, { exact: true })).toBeVisible();
    await teacherChat.send(notice);
    await expect(firstChat.message(notice)).toBeVisible();
    await firstChat.message(notice).getByRole('button', { name: t.ack_button, exact: true }).click();
    await expect(firstChat.message(notice).getByText(`✓ ${t.ack_done}`, { exact: true })).toBeVisible();
    await expect(secondChat.message(notice).getByRole('button', { name: t.ack_button, exact: true })).toBeVisible();
  });

  await test.step('the teacher sees who has read it and who has not', async () => {
    const count = teacherChat.message(notice).getByRole('button', { name: fill(t.ack_count, { n: '1', of: '2' }), exact: true });
    await expect(count).toBeVisible();
    await count.click();
    const list = teacherChat.message(notice).getByRole('region', { name: t.ack_list_label, exact: true });
    await expect(list.getByRole('listitem').filter({ hasText: 'Олег Смирнов' })).toBeVisible();
    await expect(list.getByText(fill(t.ack_pending, { n: '1' }), { exact: true })).toBeVisible();
    await expect(list.getByRole('listitem').filter({ hasText: 'Вера Иванова' })).toBeVisible();
    await expectNoA11yViolations(page, 'an announcement with its «Ознакомлен» list');
  });

  await test.step('the teacher pins the announcement; the parents see it above the chat at once', async () => {
    const menu = await teacherChat.actions(teacherChat.message(notice));
    await menu.getByRole('menuitem', { name: t.action_pin, exact: true }).click();
    const pinned = secondPage.getByRole('button', { name: fill(t.pinned_show, { text: notice }), exact: true });
    await expect(pinned).toBeVisible();
    await expectNoA11yViolations(secondPage, 'a chat with a pinned message');
    await pinned.click();
    await expect(secondChat.message(notice)).toBeInViewport();
    const parentMenu = await secondChat.actions(secondChat.message(notice));
    await expect(parentMenu.getByRole('menuitem', { name: t.action_pin, exact: true }), 'parents do not pin').toHaveCount(0);
    await secondPage.keyboard.press('Escape');
    await page.getByRole('button', { name: t.unpin, exact: true }).click();
    await expect(pinned).toHaveCount(0);
  });

  await test.step('a parent finds the announcement by searching and lands on it', async () => {
    await secondPage.goto('/');
    await secondPage.getByRole('link', { name: `🔍 ${t.search_title}`, exact: true }).click();
    await expect(secondPage.getByRole('heading', { level: 1, name: t.search_title, exact: true })).toBeVisible();
    const words = secondPage.getByLabel(t.search_label, { exact: true });
    await words.fill('я');
    await secondPage.getByRole('button', { name: t.search_button, exact: true }).click();
    await expect(secondPage.getByText(fill(t.search_too_short, { n: '2' }), { exact: true })).toBeVisible();
    await expect(words).toHaveValue('я');
    await words.fill('МУЗЕЙ сбор');
    await secondPage.getByRole('button', { name: t.search_button, exact: true }).click();
    await expect(secondPage.getByText(fill(t.search_found, { n: '1', words: 'МУЗЕЙ сбор' }), { exact: true })).toBeVisible();
    await expectNoA11yViolations(secondPage, 'search results');
    const results = secondPage.getByRole('region', { name: t.search_title, exact: true });
    await results.getByRole('link', { name: /Завтра экскурсия в музей/ }).click();
    await expect(secondPage).toHaveURL(/\/chats\/\d+\?message=\d+$/);
    await expect(secondChat.message(notice)).toBeInViewport();
  });
});

test('a poll closes for everyone looking at it when its deadline passes', async ({ page, t, createSchool, addClass, newPhone, openBrowser }) => {
  const { chatId, parentPages } = await parentsChatOf({ page, createSchool, addClass, newPhone, openBrowser }, 'Школа № 32 (срок опроса)', CLASS);
  const teacherChat = new ChatPage(page, t);
  const parentChat = new ChatPage(parentPages[0], t);
  for (const chat of [teacherChat, parentChat]) {
    await chat.goto(chatId);
    await chat.expectOpen(parentsChat(CLASS));
  }
  const question = 'Кто поедет на экскурсию?';
  // Asked through the API with a deadline a few seconds away; the server closes it by itself.
  const closesAt = new Date(Date.now() + 4_000).toISOString();
  const asked = await page.request.post(`/api/v1/chats/${chatId}/polls`, {
    headers: { 'x-parta-csrf': '1' },
    data: { client_id: `deadline-${Date.now()}`, question, options: ['Поедем', 'Не поедем'], closes_at: closesAt },
  });
  expect(asked.status()).toBe(201);
  await expect(parentChat.pollOption(question, 'Поедем')).toBeEnabled();

  // Nobody reloads: the closing arrives live (the server looks every 5 s).
  await expect(parentChat.poll(question).getByText(t.poll_closed)).toBeVisible({ timeout: 15_000 });
  await expect(parentChat.pollOption(question, 'Поедем')).toBeDisabled();
  await expect(teacherChat.poll(question).getByText(t.poll_closed)).toBeVisible();
  await expectNoA11yViolations(parentPages[0], 'a poll closed by its deadline');
});
