import { expect, expectNoA11yViolations, test } from '../fixtures';
import { ChatPage } from '../pages/chat-page';
import { HomePage } from '../pages/home-page';
import { ProfilePage } from '../pages/profile-page';
import { SignInPage } from '../pages/sign-in-page';
import { renameChatByApi } from '../support/api';
import { fill, strings } from '../support/i18n';
import { parentsChat } from '../support/school';
import { PARENT, nameOf, parentsChatOf } from '../support/setup';

const { ru, en } = strings;

test('switching to English translates the app, survives a reload, and switches back', async ({
  page,
  newPhone,
  codeFor,
}) => {
  const html = page.locator('html');
  const ruSignIn = new SignInPage(page, ru);
  const enSignIn = new SignInPage(page, en);
  const phone = newPhone();

  await test.step('Russian by default', async () => {
    await ruSignIn.goto();
    await expect(html).toHaveAttribute('lang', 'ru');
    await expect(ruSignIn.appBar.languageSwitchTo('en')).toBeVisible();
  });

  await test.step('the switch turns the interface to English', async () => {
    await ruSignIn.appBar.switchLanguage('en');
    await expect(html).toHaveAttribute('lang', 'en');
    await enSignIn.expectPhoneStep();
    await expect(page).toHaveTitle(`${en.sign_in_title} — ${en.app_name}`);
    await expect(enSignIn.getCodeButton).toBeVisible();
    await expect(enSignIn.appBar.languageSwitchTo('ru')).toBeVisible();
  });

  await test.step('the choice survives a reload', async () => {
    await page.reload();
    await expect(html).toHaveAttribute('lang', 'en');
    await enSignIn.expectPhoneStep();
    await expectNoA11yViolations(page, 'sign-in: phone step (en)');
  });

  await test.step('errors and the code step are in English', async () => {
    await enSignIn.submitPhone('12345');
    await expect(enSignIn.phoneError).toHaveText(en.error_invalid_phone);
    await expectNoA11yViolations(page, 'sign-in: invalid phone (en)');
    // A message already on screen follows the language too, and the typed number stays.
    await enSignIn.appBar.switchLanguage('ru');
    await expect(ruSignIn.phoneError).toHaveText(ru.error_invalid_phone);
    await expect(ruSignIn.phone).toHaveValue('12345');
    await ruSignIn.appBar.switchLanguage('en');
    await expect(enSignIn.phoneError).toHaveText(en.error_invalid_phone);
    await enSignIn.requestCode(phone.messy, phone);
    await expectNoA11yViolations(page, 'sign-in: code step (en)');
  });

  await test.step('the profile form is in English', async () => {
    await enSignIn.submitCode(await codeFor(phone));
    const profile = new ProfilePage(page, en);
    await profile.expectShown();
    await expect(profile.saveButton).toBeVisible();
    await expectNoA11yViolations(page, 'profile (en)');
  });

  await test.step('switching back to Russian sticks too', async () => {
    await enSignIn.appBar.switchLanguage('ru');
    await expect(html).toHaveAttribute('lang', 'ru');
    const profile = new ProfilePage(page, ru);
    await expect(profile.heading).toBeVisible();
    await page.reload();
    await expect(html).toHaveAttribute('lang', 'ru');
    await profile.expectShown();
  });
});

test.describe('in English from the start', () => {
  test.use({ lang: 'en' });

  test('the home screen names roles and chat kinds in English', async ({ page, t, createSchool, signUp, homePage }) => {
    const school = await createSchool('Gymnasium No. 1');
    await signUp(school.admin);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(homePage.role(school.name, t.role_admin)).toBeVisible();
    await expect(homePage.chats.getByText(t.chat_kind_channel, { exact: true }).first()).toBeVisible();
    await expectNoA11yViolations(page, 'home (en)');
  });

  test('system lines are in English: in the timeline, live, and in the chat list', async ({ page, t, createSchool, addClass, newPhone, openBrowser }) => {
    const { chatId } = await parentsChatOf({ page, createSchool, addClass, newPhone, openBrowser }, 'Gymnasium No. 2', '4В');
    const home = new HomePage(page, t);
    const chat = new ChatPage(page, t);
    const joined = fill(t.system_member_joined, { name: nameOf(PARENT) });

    await test.step('the parent who joined is announced in English, in the list and in the chat', async () => {
      await home.goto();
      await expect(home.chat(parentsChat('4В'))).toContainText(joined);
      await chat.goto(chatId);
      await chat.expectOpen(parentsChat('4В'));
      await expect(chat.systemLine(joined)).toBeVisible();
      await expect(chat.timeline.getByText(ru.system_member_joined.replace('{name} ', ''))).toHaveCount(0);
      await expectNoA11yViolations(page, 'a chat with system lines (en)');
    });

    await test.step('a rename arrives live, worded in English; switching to Russian words it again', async () => {
      await renameChatByApi(page, chatId, 'Parents of 4V');
      const renamed = fill(t.system_chat_renamed, { title: 'Parents of 4V' });
      await expect(chat.systemLine(renamed)).toBeVisible();
      await chat.appBar.switchLanguage('ru');
      const inRussian = new ChatPage(page, ru);
      await expect(inRussian.systemLine(fill(ru.system_chat_renamed, { title: 'Parents of 4V' }))).toBeVisible();
      await expect(inRussian.systemLine(fill(ru.system_member_joined, { name: nameOf(PARENT) }))).toBeVisible();
    });
  });
});
