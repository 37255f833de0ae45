import { expect, type Locator, type Page } from '@playwright/test';

import { escapeRegExp, fill, type Strings } from '../support/i18n';
import { AppBar } from './app-bar';

/** `/`: the person's schools with their roles, and their chats. */
export class HomePage {
  readonly appBar: AppBar;
  readonly schools: Locator;
  readonly chats: Locator;
  /** The right pane's hint on a desktop; hidden on a phone, where the list is the whole screen. */
  readonly pickChat: Locator;
  readonly enableNotifications: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.schools = page.getByRole('region', { name: t.my_schools, exact: true });
    this.chats = page.getByRole('navigation', { name: t.chats_title, exact: true });
    this.pickChat = page.getByText(t.pick_chat_title, { exact: true });
    this.enableNotifications = page.getByRole('button', { name: `🔔 ${t.notifications_enable}`, exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
    await this.expectShown();
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/$/);
    await expect(this.schools).toBeVisible();
    await expect(this.chats).toBeVisible();
  }

  /** A school's entry in «My schools» (schools are data: their names are not translated). */
  school(name: string): Locator {
    return this.schools.getByRole('listitem').filter({ hasText: name });
  }

  /** A school's role badge, e.g. `t.role_admin`. */
  role(schoolName: string, role: string): Locator {
    return this.school(schoolName).getByText(role, { exact: true });
  }

  /** «Приглашения» of a school, for its administrators and teachers. */
  invitesLink(schoolName: string): Locator {
    return this.school(schoolName).getByRole('link', { name: this.t.invites_title, exact: true });
  }

  /** «Заявки» of a school, whatever the count of waiting decisions beside it. */
  requestsLink(schoolName: string): Locator {
    return this.school(schoolName).getByRole('link', { name: new RegExp(`^${escapeRegExp(this.t.requests_title)}`) });
  }

  /** The count beside «Заявки»: how many decisions wait for this person. */
  waitingCount(schoolName: string, n: number): Locator {
    return this.requestsLink(schoolName).getByLabel(fill(this.t.requests_waiting, { n: String(n) }), { exact: true });
  }

  /** A teacher's «учитель» status line in a school, e.g. `t.teacher_status_pending`. */
  teacherStatus(schoolName: string, status: string): Locator {
    // The confirmed status is followed by the badge in the same line, hence no exact match.
    return this.school(schoolName).getByText(status);
  }

  /** The «учитель» badge, told by its explanation. */
  teacherBadge(within: Locator): Locator {
    return within.getByTitle(this.t.teacher_badge_hint, { exact: true });
  }

  requestVerificationButton(schoolName: string): Locator {
    return this.school(schoolName).getByRole('button', { name: this.t.teacher_status_request, exact: true });
  }

  /** A student's one-use link for their parent. */
  parentInviteButton(schoolName: string): Locator {
    return this.school(schoolName).getByRole('button', { name: this.t.parent_invite_button, exact: true });
  }

  /** A chat's row in the list, found by its exact title. */
  chat(title: string): Locator {
    return this.chats.getByRole('link').filter({ has: this.page.getByText(title, { exact: true }) });
  }

  async openChat(title: string): Promise<void> {
    await this.chat(title).click();
  }
}
