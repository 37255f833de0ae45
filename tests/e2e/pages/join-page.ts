import { expect, type Locator, type Page } from '@playwright/test';

import { fill, type Strings } from '../support/i18n';
import { AppBar } from './app-bar';

/** `/join/:key`: what an invite is for, then signing in, joining, or waiting for approval. */
export class JoinPage {
  readonly appBar: AppBar;
  readonly signInButton: Locator;
  readonly joinButton: Locator;
  readonly requestButton: Locator;
  readonly childName: Locator;
  readonly childNameError: Locator;
  /** The request is waiting for a teacher or an administrator. */
  readonly pendingTitle: Locator;
  /** A parent's link opened by the child it is for. */
  readonly mixUpTitle: Locator;
  readonly mixUpSignOut: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.signInButton = page.getByRole('button', { name: t.join_sign_in, exact: true });
    this.joinButton = page.getByRole('button', { name: t.join_button, exact: true });
    this.requestButton = page.getByRole('button', { name: t.join_request, exact: true });
    this.childName = page.getByLabel(t.join_child_name_label, { exact: true });
    this.childNameError = page.locator('#child_name-error');
    this.pendingTitle = page.getByRole('heading', { level: 2, name: t.join_pending_title, exact: true });
    this.mixUpTitle = page.getByRole('heading', { level: 2, name: t.join_mix_up_title, exact: true });
    this.mixUpSignOut = page.getByRole('button', { name: t.join_mix_up_sign_out, exact: true });
  }

  async goto(urlOrKey: string): Promise<void> {
    await this.page.goto(urlOrKey.includes('/') ? urlOrKey : `/join/${urlOrKey}`);
  }

  /** «Вас приглашают: 5А». */
  heading(place: string): Locator {
    return this.page.getByRole('heading', { level: 1, name: fill(this.t.join_heading, { place }), exact: true });
  }

  /** A line of the invite's card: the school, who invited, the child (data, not translated). */
  says(text: string): Locator {
    return this.page.getByText(text, { exact: true });
  }

  /** A term of the card («Роль», «Ребёнок»…) and what it says. */
  detail(term: string): Locator {
    return this.page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
  }

  /** The card of a working invite, for `place`. */
  async expectInvite(place: string, schoolName: string): Promise<void> {
    await expect(this.page).toHaveURL(/\/join\/[^/]+$/);
    await expect(this.heading(place)).toBeVisible();
    await expect(this.says(schoolName)).toBeVisible();
  }

  /** The page of a key that does not work, e.g. `t.invite_revoked_title`. */
  problem(title: string): Locator {
    return this.page.getByRole('heading', { level: 1, name: title, exact: true });
  }
}
