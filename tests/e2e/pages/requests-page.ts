import { expect, type Locator, type Page } from '@playwright/test';

import type { Strings } from '../support/i18n';
import { AppBar } from './app-bar';

/** `/schools/:id/requests`: join requests to decide, and (administrators) teachers to verify. */
export class RequestsPage {
  readonly appBar: AppBar;
  readonly heading: Locator;
  readonly joinRequests: Locator;
  readonly noJoinRequests: Locator;
  readonly approveAllButton: Locator;
  readonly verifications: Locator;
  readonly noVerifications: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.heading = page.getByRole('heading', { level: 1, name: t.requests_title, exact: true });
    this.joinRequests = page.getByRole('region', { name: t.join_requests_title, exact: true });
    this.noJoinRequests = this.joinRequests.getByText(t.join_requests_empty_title, { exact: true });
    this.approveAllButton = this.joinRequests.getByRole('button', { name: t.approve_all, exact: true });
    this.verifications = page.getByRole('region', { name: t.verifications_title, exact: true });
    this.noVerifications = this.verifications.getByText(t.verifications_empty_title, { exact: true });
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/schools\/\d+\/requests$/);
    await expect(this.heading).toBeVisible();
    await expect(this.joinRequests).toBeVisible();
  }

  /** A person's join request, by their name. */
  request(personName: string): Locator {
    return this.joinRequests.getByRole('listitem').filter({ hasText: personName });
  }

  async approve(personName: string): Promise<void> {
    await this.request(personName).getByRole('button', { name: this.t.approve, exact: true }).click();
  }

  async reject(personName: string): Promise<void> {
    await this.request(personName).getByRole('button', { name: this.t.reject, exact: true }).click();
  }

  /** A teacher waiting for their «учитель» status, by their name. */
  verification(teacherName: string): Locator {
    return this.verifications.getByRole('listitem').filter({ hasText: teacherName });
  }

  async confirm(teacherName: string): Promise<void> {
    await this.verification(teacherName).getByRole('button', { name: this.t.verification_confirm, exact: true }).click();
  }
}
