import { expect, expectNoA11yViolations, test } from '../fixtures';
import { ProfilePage } from '../pages/profile-page';
import { SignInPage } from '../pages/sign-in-page';
import { strings } from '../support/i18n';

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
});
