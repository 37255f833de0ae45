import { expect, type Locator, type Page } from '@playwright/test';

import { fill, type Strings } from '../support/i18n';

/** `/confirm-child/:token`: the parent confirms (or not) a young student from the e-mail's link. */
export class ConfirmChildPage {
  readonly heading: Locator;
  readonly confirmButton: Locator;
  readonly declineButton: Locator;
  readonly confirmed: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.heading = page.getByRole('heading', { level: 1, name: t.confirm_child_title, exact: true });
    this.confirmButton = page.getByRole('button', { name: t.confirm_child_yes, exact: true });
    this.declineButton = page.getByRole('button', { name: t.confirm_child_no, exact: true });
    this.confirmed = page.getByText(t.confirm_child_confirmed, { exact: true });
  }

  /** A term of the card («Имя и фамилия», «Школа и класс»…) and what it says. */
  detail(term: string): Locator {
    return this.page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/confirm-child\/[A-Za-z0-9_-]+$/);
    await expect(this.heading).toBeVisible();
    await expect(this.confirmButton).toBeVisible();
  }
}

/** The banner a young student sees until a parent confirms them. */
export class ChildBanner {
  readonly region: Locator;
  readonly resendButton: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.region = page.getByRole('region', { name: t.confirm_child_title, exact: true });
    this.resendButton = this.region.getByRole('button', { name: t.child_banner_resend, exact: true });
  }

  /** The banner's sentence for the masked address, e.g. `p•••@mail.ru`. */
  says(masked: string): Locator {
    return this.region.getByText(fill(this.t.child_banner, { email: masked }), { exact: true });
  }

  /** The banner's sentence once the parent answered «this is not my child». */
  saysDeclined(masked: string): Locator {
    return this.region.getByText(fill(this.t.child_banner_declined, { email: masked }), { exact: true });
  }
}
