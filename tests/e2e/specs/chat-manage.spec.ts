// Starting chats: a parent writes privately to their child's teacher (safe mode decides who may be
// written to), and a teacher makes a group of their class, adds a parent, renames it and turns it into
// an announcement chat, all seen live on the other side. People are set up through the API.
import { expect, expectNoA11yViolations, test } from '../fixtures';
import { ChatInfoPage, NewChatPage } from '../pages/chat-info-page';
import { ChatPage } from '../pages/chat-page';
import { HomePage } from '../pages/home-page';
import { inviteByApi, joinByApi, signUpByApi } from '../support/api';
import { PARENT, SECOND_PARENT, TEACHER, nameOf, parentsChatOf, type Setup } from '../support/setup';

const teacher = TEACHER;
const parent = PARENT;
const otherParent = SECOND_PARENT;

/** A school with 7Б (its teacher on `page`, a parent in a second browser) and 8А (another parent). */
async function schoolOf7B(fixtures: Setup, schoolName: string) {
  const { school, admin, parentPages } = await parentsChatOf(fixtures, schoolName, '7Б');
  const class8a = { kind: 'class' as const, class_id: Number(await fixtures.addClass(school.id, '8А')) };
  const otherPage = await fixtures.openBrowser();
  await signUpByApi(otherPage, fixtures.newPhone(), otherParent);
  await joinByApi(otherPage, await inviteByApi(admin, school.id, class8a, 'parent'));
  return { school, parentPage: parentPages[0] };
}

test('a parent writes privately to the class teacher; parents of another class are not offered', async ({ page, t, createSchool, addClass, newPhone, openBrowser }) => {
  const { school, parentPage } = await schoolOf7B({ page, createSchool, addClass, newPhone, openBrowser }, 'Школа № 21 (личные)');
  const parentHome = new HomePage(parentPage, t);
  const newChat = new NewChatPage(parentPage, t);
  const parentChat = new ChatPage(parentPage, t);
  const teacherHome = new HomePage(page, t);
  const teacherChat = new ChatPage(page, t);
  const text = 'Здравствуйте! Можно забрать Машу сегодня в 12:00?';
  let chatUrl = '';

  await test.step('the parent is offered the teacher of 7Б and no one of 8А', async () => {
    await parentHome.goto();
    await parentHome.school(school.name).getByRole('link', { name: t.new_chat_link, exact: true }).click();
    await newChat.expectShown();
    await expect(newChat.person(nameOf(teacher))).toBeVisible();
    await expect(newChat.person(nameOf(otherParent))).toHaveCount(0);
    await expect(newChat.createButton, 'only staff make groups').toHaveCount(0);
    await expectNoA11yViolations(parentPage, 'new chat: whom a parent may write to');
  });

  await test.step('the search narrows the list by name or class', async () => {
    await newChat.search.fill('иван');
    await expect(newChat.noMatch).toBeVisible();
    await newChat.search.fill('ПЕТР 7б');
    await expect(newChat.people).toHaveCount(1);
    await newChat.person(nameOf(teacher)).click();
    await parentChat.expectOpen(nameOf(teacher));
    chatUrl = parentPage.url();
    await parentChat.send(text);
    await expect(parentChat.message(text)).toBeVisible();
  });

  await test.step('the teacher finds the chat under the parent\'s name, with the message', async () => {
    await teacherHome.goto();
    await expect(teacherHome.chat(nameOf(parent))).toBeVisible();
    await teacherHome.openChat(nameOf(parent));
    await teacherChat.expectOpen(nameOf(parent));
    await expect(teacherChat.message(text)).toBeVisible();
    await expectNoA11yViolations(page, 'a direct chat');
  });

  await test.step('writing to the teacher again opens the same chat', async () => {
    await parentHome.goto();
    await parentHome.school(school.name).getByRole('link', { name: t.new_chat_link, exact: true }).click();
    await newChat.person(nameOf(teacher)).click();
    await expect(parentPage).toHaveURL(chatUrl);
    await expect(parentChat.message(text)).toBeVisible();
  });

  await test.step('with the tab in the background, the answer comes as a notification the parent allowed', async () => {
    // The browser's own Notification and page visibility, stood in for: headless Chromium shows no
    // notifications and never hides a tab. What is checked is that Parta asks only when told to, and
    // notifies only a hidden tab, with the chat and the message.
    await parentPage.addInitScript(() => {
      const w = window as unknown as { shown: { title: string; body: string }[]; hidden: boolean; Notification: unknown };
      w.shown = [];
      w.hidden = false;
      w.Notification = class {
        static permission = 'default';
        static async requestPermission() {
          (this as unknown as { permission: string }).permission = 'granted';
          return 'granted';
        }
        onclick: unknown = null;
        constructor(title: string, options: { body: string }) {
          w.shown.push({ title, body: options.body });
        }
      };
      Object.defineProperty(document, 'hidden', { get: () => w.hidden });
    });
    await parentHome.goto();
    await parentHome.enableNotifications.click();
    await expect(parentHome.enableNotifications).toHaveCount(0);
    await parentPage.evaluate(() => { (window as unknown as { hidden: boolean }).hidden = true; });
    await teacherChat.send('Да, конечно, до встречи в 12:00.');
    await expect
      .poll(() => parentPage.evaluate(() => (window as unknown as { shown: unknown[] }).shown))
      .toEqual([{ title: nameOf(teacher), body: `${nameOf(teacher)}: Да, конечно, до встречи в 12:00.` }]);
  });
});

test('a teacher makes a group of 7Б, adds a parent, renames it and makes it announcements only; the parent leaves', async ({ page, t, createSchool, addClass, newPhone, openBrowser }) => {
  const { school, parentPage } = await schoolOf7B({ page, createSchool, addClass, newPhone, openBrowser }, 'Школа № 22 (группы)');
  const teacherHome = new HomePage(page, t);
  const newChat = new NewChatPage(page, t);
  const info = new ChatInfoPage(page, t);
  const parentHome = new HomePage(parentPage, t);
  const parentChat = new ChatPage(parentPage, t);
  const parentInfo = new ChatInfoPage(parentPage, t);
  const title = 'Олимпиада по математике';
  const renamed = 'Олимпиада, 7Б';

  await test.step('a group needs a name; the form says so and keeps the rest', async () => {
    await teacherHome.goto();
    await teacherHome.school(school.name).getByRole('link', { name: t.new_chat_link, exact: true }).click();
    await newChat.expectShown();
    await newChat.choice(t.chat_kind_subject).check();
    await newChat.createButton.click();
    await expect(newChat.groupTitleError).toBeVisible();
    await expect(newChat.groupTitle).toBeFocused();
    await expect(newChat.choice(t.chat_kind_subject)).toBeChecked();
    await expectNoA11yViolations(page, 'new chat: a group without a name');
  });

  await test.step('the teacher makes it and adds the parent', async () => {
    await newChat.groupTitle.fill(title);
    await newChat.createButton.click();
    await info.expectShown(title);
    await expect(info.member(nameOf(teacher))).toContainText(t.member_manager);
    await expect(info.candidate(nameOf(otherParent)), 'a parent of 8А is not of this class').toHaveCount(0);
    await info.candidate(nameOf(parent)).check();
    await info.addButton(1).click();
    await expect(info.added(1)).toBeVisible();
    await expect(info.member(nameOf(parent))).toBeVisible();
    await expectNoA11yViolations(page, 'chat info: a manager\'s view');
  });

  await test.step('the parent finds the group in their list without reloading, and writes', async () => {
    await parentHome.goto();
    await expect(parentHome.chat(title)).toBeVisible();
    await parentHome.openChat(title);
    await parentChat.expectOpen(title);
    await parentChat.send('Мы участвуем!');
    await expect(parentChat.message('Мы участвуем!')).toBeVisible();
  });

  await test.step('renamed and made announcements only, the parent\'s chat changes live', async () => {
    await info.title.fill(renamed);
    await info.choice(t.posting_managers).check();
    await info.saveButton.click();
    await expect(info.saved).toBeVisible();
    await expect(parentChat.heading(renamed)).toBeVisible();
    await expect(parentChat.composer).toHaveCount(0);
    await expect(parentChat.announcementsNote).toBeVisible();
    await expectNoA11yViolations(parentPage, 'an announcement chat for a member');
  });

  await test.step('the parent sees who can read the chat, and leaves it', async () => {
    await parentChat.infoLink.click();
    await parentInfo.expectShown(renamed);
    await expect(parentInfo.member(nameOf(teacher))).toContainText(t.member_manager);
    await expect(parentInfo.saveButton, 'members do not manage').toHaveCount(0);
    await expectNoA11yViolations(parentPage, 'chat info: a member\'s view');
    parentPage.once('dialog', (dialog) => dialog.accept());
    await parentInfo.leaveButton.click();
    await parentHome.expectShown();
    await expect(parentHome.chat(renamed)).toHaveCount(0);
    await expect(info.member(nameOf(parent))).toHaveCount(0);
  });
});
