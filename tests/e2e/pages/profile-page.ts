import { expect, type Locator, type Page } from '@playwright/test';

import type { Strings } from '../support/i18n';
import { AppBar } from './app-bar';

export type Profile = { firstName: string; lastName: string; birthDate: string };

/** `/welcome`: the first-time educational profile. */
export class ProfilePage {
  readonly appBar: AppBar;
  readonly heading: Locator;
  readonly firstName: Locator;
  readonly lastName: Locator;
  readonly birthDate: Locator;
  readonly firstNameError: Locator;
  readonly lastNameError: Locator;
  readonly birthDateError: Locator;
  readonly saveButton: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.heading = page.getByRole('heading', { level: 1, name: t.profile_title, exact: true });
    this.firstName = page.getByLabel(t.first_name_label, { exact: true });
    this.lastName = page.getByLabel(t.last_name_label, { exact: true });
    this.birthDate = page.getByLabel(t.birth_date_label, { exact: true });
    this.firstNameError = page.locator('#first_name-error');
    this.lastNameError = page.locator('#last_name-error');
    this.birthDateError = page.locator('#birth_date-error');
    this.saveButton = page.getByRole('button', { name: t.save_profile, exact: true });
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/welcome$/);
    await expect(this.heading).toBeVisible();
    await expect(this.firstName).toBeVisible();
  }

  /** Fills the form (a birth date as `YYYY-MM-DD`, what `<input type=date>` holds) and submits it. */
  async submit(profile: Profile): Promise<void> {
    await this.firstName.fill(profile.firstName);
    await this.lastName.fill(profile.lastName);
    await this.birthDate.fill(profile.birthDate);
    await this.saveButton.click();
  }
}
