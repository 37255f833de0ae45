import { defaultProfile, expect, expectNoA11yViolations, test } from '../fixtures';
import { fill } from '../support/i18n';

test.describe('sign-in: the phone step', () => {
  for (const typed of ['12345', '+1 202 555 0100']) {
    test(`refuses "${typed}" without asking the server, and keeps what was typed`, async ({ page, t, signInPage }) => {
      const codeRequests: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/api/v1/auth/code')) codeRequests.push(request.url());
      });
      await signInPage.goto();
      await signInPage.submitPhone(typed);

      await expect(signInPage.phoneError).toHaveText(t.error_invalid_phone);
      await expect(signInPage.phone).toHaveAttribute('aria-invalid', 'true');
      await expect(signInPage.phone).toHaveValue(typed);
      await expect(signInPage.phone).toBeFocused();
      await expect(signInPage.codeHeading).toHaveCount(0);
      expect(codeRequests, 'a malformed number is refused in the browser').toEqual([]);
      await expectNoA11yViolations(page, 'sign-in: invalid phone');
    });
  }

  test('asks for a number when none was typed', async ({ page, t, signInPage }) => {
    await signInPage.goto();
    await signInPage.submitPhone('');

    await expect(signInPage.phoneError).toHaveText(t.phone_required);
    await expect(signInPage.phone).toHaveAttribute('aria-invalid', 'true');
    await expect(signInPage.phone).toBeFocused();
    await expectNoA11yViolations(page, 'sign-in: empty phone');
  });
});

test.describe('sign-in: the code step', () => {
  test('a wrong code is refused and stays in the field; the right one then signs in', async ({
    page,
    t,
    newPhone,
    codeFor,
    signInPage,
    profilePage,
  }) => {
    const phone = newPhone();
    await signInPage.goto();
    await signInPage.requestCode(phone.e164, phone);
    const code = await codeFor(phone);
    const wrong = code.slice(0, -1) + String((Number(code.slice(-1)) + 1) % 10);

    await signInPage.submitCode(wrong);
    await expect(signInPage.codeError).toHaveText(t.error_code_invalid);
    await expect(signInPage.code).toHaveAttribute('aria-invalid', 'true');
    await expect(signInPage.code).toHaveValue(wrong);
    // Selected, so typing the code again replaces it.
    await expect(signInPage.code).toBeFocused();
    expect(await signInPage.code.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd])).toEqual([
      0,
      wrong.length,
    ]);
    await expectNoA11yViolations(page, 'sign-in: wrong code');

    await signInPage.submitCode(code);
    await profilePage.expectShown();
  });

  test('a code of the wrong length is refused before it is sent', async ({ page, t, newPhone, signInPage }) => {
    const phone = newPhone();
    await signInPage.goto();
    await signInPage.requestCode(phone.e164, phone);

    await signInPage.submitCode('1234');
    await expect(signInPage.codeError).toHaveText(fill(t.code_format, { n: '6' }));
    await expect(signInPage.code).toHaveValue('1234');
    await expect(signInPage.code).toBeFocused();
  });
});

test('the profile form names each wrong field and keeps what was typed', async ({
  page,
  t,
  newPhone,
  codeFor,
  signInPage,
  profilePage,
  homePage,
}) => {
  const phone = newPhone();
  await signInPage.goto();
  await signInPage.requestCode(phone.e164, phone);
  await signInPage.submitCode(await codeFor(phone));
  await profilePage.expectShown();

  const future = `${new Date().getFullYear() + 1}-01-01`;
  await profilePage.submit({ firstName: '<script>', lastName: defaultProfile.lastName, birthDate: future });

  await expect(profilePage.firstNameError).toHaveText(t.field_invalid_characters);
  await expect(profilePage.birthDateError).toHaveText(t.field_date_in_future);
  await expect(profilePage.lastNameError).toBeEmpty();
  await expect(profilePage.firstName).toHaveAttribute('aria-invalid', 'true');
  await expect(profilePage.birthDate).toHaveAttribute('aria-invalid', 'true');
  await expect(profilePage.lastName).not.toHaveAttribute('aria-invalid', 'true');
  await expect(profilePage.firstName).toBeFocused();
  await expect(profilePage.firstName).toHaveValue('<script>');
  await expect(profilePage.lastName).toHaveValue(defaultProfile.lastName);
  await expect(profilePage.birthDate).toHaveValue(future);
  await expect(page).toHaveURL(/\/welcome$/);
  await expectNoA11yViolations(page, 'profile: wrong fields');

  await profilePage.submit(defaultProfile);
  await homePage.expectShown();
});
