// @-mentions: in the parents' chat of a class the teacher types «@» and the start of a parent's name,
// picks the parent from the list the composer offers (keys on a computer, a tap on a phone), and
// sends. That parent's chat list marks the chat with «@», and in the chat the name is highlighted and
// the message marked as mentioning them; the other parent sees the name highlighted only.
import { expect, expectNoA11yViolations, test } from '../fixtures';
import { ChatPage } from '../pages/chat-page';
import { HomePage } from '../pages/home-page';
import { parentsChat } from '../support/school';
import { PARENT, SECOND_PARENT, nameOf, parentsChatOf } from '../support/setup';

const CLASS = '7Б';

test('the teacher mentions a parent, who sees the «@» in the chat list and the highlighted name', async ({ page, t, createSchool, addClass, newPhone, openBrowser }) => {
  const fixtures = { page, createSchool, addClass, newPhone, openBrowser };
  const { chatId, parentPages } = await parentsChatOf(fixtures, 'Школа № 31 (упоминания)', CLASS, [PARENT, SECOND_PARENT]);
  const [parentPage, otherPage] = parentPages;
  const desktop = (page.viewportSize()?.width ?? 0) > 900;
  const teacher = new ChatPage(page, t);
  await teacher.goto(chatId);
  await teacher.expectOpen(parentsChat(CLASS));
  const offered = page.getByRole('listbox', { name: t.mention_list_label, exact: true });

  await test.step('«@» and the start of a name offers the members who match; Escape closes the list', async () => {
    await teacher.composer.pressSequentially('@Ив');
    await expect(offered.getByRole('option')).toHaveText([nameOf(SECOND_PARENT)]);
    await expect(teacher.composer).toHaveAttribute('aria-controls', 'composer-mentions');
    await expectNoA11yViolations(page, 'the composer offering members to mention');
    await teacher.composer.press('Escape');
    await expect(offered).toHaveCount(0);
    await teacher.composer.fill('');
  });

  await test.step('the teacher picks the parent and sends', async () => {
    await teacher.composer.pressSequentially('Добрый день, @Смир');
    const option = offered.getByRole('option', { name: nameOf(PARENT), exact: true });
    await expect(option).toHaveAttribute('aria-selected', 'true');
    if (desktop) await teacher.composer.press('Enter');
    else await option.tap();
    await expect(offered).toHaveCount(0);
    await expect(teacher.composer).toHaveValue(`Добрый день, @${nameOf(PARENT)} `);
    await teacher.composer.pressSequentially('<b>принесите</b> справку');
    await teacher.sendButton.click();
    await expect(teacher.message('принесите')).toBeVisible();
  });

  await test.step('the parent\'s chat list marks the chat with «@»', async () => {
    const home = new HomePage(parentPage, t);
    await home.goto();
    const row = home.chat(parentsChat(CLASS));
    await expect(row.getByLabel(t.unread_mention_label, { exact: true })).toHaveText('@');
    await expectNoA11yViolations(parentPage, 'the chat list with an unread mention');
    const other = new HomePage(otherPage, t);
    await other.goto();
    await expect(other.chat(parentsChat(CLASS))).toBeVisible();
    await expect(other.chat(parentsChat(CLASS)).getByLabel(t.unread_mention_label, { exact: true })).toHaveCount(0);
  });

  await test.step('in the chat the name is highlighted and the message is marked for the parent, the text kept as text', async () => {
    const parent = new ChatPage(parentPage, t);
    await parent.goto(chatId);
    await parent.expectOpen(parentsChat(CLASS));
    const message = parent.message('принесите');
    await expect(message.locator('mark.mention.me')).toHaveText(`@${nameOf(PARENT)}`);
    await expect(message.getByText(t.mentioned_you, { exact: true })).toBeVisible();
    await expect(message.locator('.text')).toHaveText(`Добрый день, @${nameOf(PARENT)} <b>принесите</b> справку`);
    await expect(message.locator('.text b')).toHaveCount(0);
    await expectNoA11yViolations(parentPage, 'a message mentioning the parent');

    const other = new ChatPage(otherPage, t);
    await other.goto(chatId);
    const seen = other.message('принесите');
    await expect(seen.locator('mark.mention')).toHaveText(`@${nameOf(PARENT)}`);
    await expect(seen.locator('mark.mention.me')).toHaveCount(0);
    await expect(seen.getByText(t.mentioned_you, { exact: true })).toHaveCount(0);
  });

  await test.step('an edit that keeps the name keeps the mention; an edit that drops the name drops it', async () => {
    const parent = new ChatPage(parentPage, t);
    const edit = async (from: string, to: string) => {
      const menu = await teacher.actions(teacher.message(from));
      await menu.getByRole('menuitem', { name: t.action_edit, exact: true }).click();
      await teacher.composer.fill(to);
      await page.getByRole('button', { name: t.save_edit, exact: true }).click();
    };
    await edit('принесите', `Добрый день, @${nameOf(PARENT)} принесите справку до пятницы`);
    const message = parent.message('до пятницы');
    await expect(message.locator('mark.mention.me')).toHaveText(`@${nameOf(PARENT)}`);
    await expect(message.getByText(t.mentioned_you, { exact: true })).toBeVisible();
    await edit('до пятницы', 'Добрый день! Справку принесите до пятницы');
    await expect(message.getByText(t.message_edited, { exact: true })).toBeVisible();
    await expect(message).toContainText('Добрый день! Справку');
    await expect(message.locator('mark.mention')).toHaveCount(0);
    await expect(message.getByText(t.mentioned_you, { exact: true })).toHaveCount(0);
  });

  await test.step('a name picked in a draft is still a mention after editing another message meanwhile', async () => {
    await teacher.composer.pressSequentially('Напоминаю, @Смир');
    const option = offered.getByRole('option', { name: nameOf(PARENT), exact: true });
    await expect(option).toBeVisible();
    if (desktop) await teacher.composer.press('Enter');
    else await option.tap();
    const draft = `Напоминаю, @${nameOf(PARENT)} `;
    await expect(teacher.composer).toHaveValue(draft);
    const menu = await teacher.actions(teacher.message('до пятницы'));
    await menu.getByRole('menuitem', { name: t.action_edit, exact: true }).click();
    await expect(teacher.composer).toHaveValue('Добрый день! Справку принесите до пятницы');
    await teacher.composer.press('Escape');
    await expect(teacher.composer).toHaveValue(draft);
    await teacher.sendButton.click();
    const reminder = new ChatPage(parentPage, t).message('Напоминаю');
    await expect(reminder.locator('mark.mention.me')).toHaveText(`@${nameOf(PARENT)}`);
  });
});
