import { expect, type Locator, type Page } from '@playwright/test';

import { fill, type Strings } from '../support/i18n';
import type { Phone } from '../support/phones';
import { AppBar } from './app-bar';

/** `/signin`: the phone step (or, for a young student, the parent's e-mail step), then the code step. */
export class SignInPage {
  readonly appBar: AppBar;
  readonly heading: Locator;
  readonly phone: Locator;
  readonly phoneError: Locator;
  readonly getCodeButton: Locator;
  readonly codeHeading: Locator;
  readonly code: Locator;
  readonly codeError: Locator;
  readonly signInButton: Locator;
  /** «Нет телефона? Для младших школьников — по e-mail родителя». */
  readonly byEmailButton: Locator;
  readonly emailHeading: Locator;
  readonly email: Locator;
  readonly emailError: Locator;
  /** «Кто входит?»: siblings under one address. */
  readonly whoHeading: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.heading = page.getByRole('heading', { level: 1, name: t.sign_in_title, exact: true });
    this.phone = page.getByLabel(t.phone_label, { exact: true });
    this.phoneError = page.locator('#phone-error');
    this.getCodeButton = page.getByRole('button', { name: t.get_code, exact: true });
    this.codeHeading = page.getByRole('heading', { level: 1, name: t.code_title, exact: true });
    this.code = page.getByLabel(t.code_label, { exact: true });
    this.codeError = page.locator('#code-error');
    this.signInButton = page.getByRole('button', { name: t.sign_in, exact: true });
    this.byEmailButton = page.getByRole('button', { name: t.sign_in_by_email, exact: true });
    this.emailHeading = page.getByRole('heading', { level: 1, name: t.sign_in_by_email_title, exact: true });
    this.email = page.getByLabel(t.parent_email_label, { exact: true });
    this.emailError = page.locator('#email-error');
    this.whoHeading = page.getByRole('heading', { level: 1, name: t.who_signs_in, exact: true });
  }

  /** Switches the first step to the parent's e-mail. */
  async chooseEmail(): Promise<void> {
    await this.byEmailButton.click();
    await expect(this.emailHeading).toBeVisible();
    await expect(this.email).toBeVisible();
  }

  /** Asks for a code by e-mail and waits for the code step, which names the address. */
  async requestEmailCode(email: string): Promise<void> {
    await this.email.fill(email);
    await this.getCodeButton.click();
    await expect(this.codeHeading).toBeVisible();
    await expect(this.page.getByText(fill(this.t.code_sent_to_email, { email }), { exact: true })).toBeVisible();
  }

  async goto(): Promise<void> {
    await this.page.goto('/signin');
    await this.expectPhoneStep();
  }

  async expectPhoneStep(): Promise<void> {
    await expect(this.page).toHaveURL(/\/signin$/);
    await expect(this.heading).toBeVisible();
    await expect(this.phone).toBeVisible();
  }

  /** Types a number and asks for a code, without waiting for the outcome. */
  async submitPhone(typed: string): Promise<void> {
    await this.phone.fill(typed);
    await this.getCodeButton.click();
  }

  /** Asks for a code and waits for the code step, which names the number the code went to. */
  async requestCode(typed: string, phone: Phone): Promise<void> {
    await this.submitPhone(typed);
    await expect(this.codeHeading).toBeVisible();
    // The app keeps the number on one line with no-break spaces and hyphens.
    const unbroken = phone.display.replaceAll(' ', '\u00a0').replaceAll('-', '\u2011');
    await expect(this.page.getByText(fill(this.t.code_sent_to, { phone: unbroken }), { exact: true })).toBeVisible();
    await expect(this.code).toBeVisible();
  }

  async submitCode(code: string): Promise<void> {
    await this.code.fill(code);
    await this.signInButton.click();
  }
}
