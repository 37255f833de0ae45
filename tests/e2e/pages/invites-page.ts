import { expect, type Locator, type Page } from '@playwright/test';

import { escapeRegExp, fill, type Strings } from '../support/i18n';
import { AppBar } from './app-bar';

/** `/schools/:id/invites`: a school's invite links, their states, and revoking. */
export class InvitesPage {
  readonly appBar: AppBar;
  readonly heading: Locator;
  readonly createLink: Locator;
  readonly revokeUnusedButton: Locator;
  /** «Отозвано приглашений: N» after revoking the unused ones. */
  readonly status: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.heading = page.getByRole('heading', { level: 1, name: t.invites_title, exact: true });
    this.createLink = page.getByRole('link', { name: t.invite_create, exact: true });
    this.revokeUnusedButton = page.getByRole('button', { name: t.invites_revoke_unused, exact: true });
    // The screen's own status line (the app bar has the connection's).
    this.status = page.getByRole('region', { name: t.invites_title, exact: true }).getByRole('status');
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/schools\/\d+\/invites$/);
    await expect(this.heading).toBeVisible();
    await expect(this.createLink).toBeVisible();
  }

  /** One invite's row, by its id (the number at the end of its page's address). */
  row(inviteId: string): Locator {
    return this.page.locator(`li[data-invite="${inviteId}"]`);
  }

  /** The state a row shows, e.g. `t.invite_state_revoked`. */
  rowState(inviteId: string, state: string): Locator {
    return this.row(inviteId).getByText(state, { exact: true });
  }

  /** Revokes every unused invite, saying yes to the browser's question. */
  async revokeUnused(): Promise<void> {
    this.page.once('dialog', (dialog) => void dialog.accept());
    await this.revokeUnusedButton.click();
  }
}

export type NewInvite = {
  /** «Учительская», a class or a chat, as the list names it (the first place of that name). */
  target: string;
  /** `t.role_teacher`, `t.role_student` or `t.role_parent`. */
  role: string;
  label?: string;
  maxUses?: number;
  approval?: boolean;
  /** By default the form's own choice (the end of the half-year). */
  neverExpires?: boolean;
};

/** `/schools/:id/invites/new`: where to, which role, and the options. */
export class NewInvitePage {
  readonly appBar: AppBar;
  readonly heading: Locator;
  readonly target: Locator;
  readonly role: Locator;
  readonly label: Locator;
  readonly expiry: Locator;
  readonly maxUses: Locator;
  readonly approval: Locator;
  readonly createButton: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.heading = page.getByRole('heading', { level: 1, name: t.invite_new_title, exact: true });
    this.target = page.getByRole('combobox', { name: t.invite_target, exact: true });
    this.role = page.getByRole('combobox', { name: t.invite_role, exact: true });
    this.label = page.getByLabel(t.invite_label, { exact: true });
    this.expiry = page.getByRole('group', { name: t.invite_expiry, exact: true });
    this.maxUses = page.getByLabel(t.invite_max_uses, { exact: true });
    this.approval = page.getByRole('checkbox', { name: t.invite_requires_approval, exact: true });
    this.createButton = page.getByRole('button', { name: t.invite_create, exact: true });
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/schools\/\d+\/invites\/new$/);
    await expect(this.heading).toBeVisible();
    await expect(this.target).toBeVisible();
  }

  /** Chooses a place by its name; each place is in the list once. */
  async chooseTarget(name: string): Promise<void> {
    const option = this.target.locator('option').filter({ hasText: new RegExp(`^${escapeRegExp(name)}$`) });
    await expect(option, `one place named «${name}» in the list`).toHaveCount(1);
    const value = await option.getAttribute('value');
    expect(value, `a place named «${name}» in the list`).not.toBeNull();
    await this.target.selectOption(value!);
  }

  async fillIn(invite: NewInvite): Promise<void> {
    await this.chooseTarget(invite.target);
    await this.role.selectOption({ label: invite.role });
    if (invite.label !== undefined) await this.label.fill(invite.label);
    if (invite.neverExpires) await this.expiry.getByRole('radio', { name: this.t.invite_expiry_never, exact: true }).check();
    if (invite.maxUses !== undefined) await this.maxUses.fill(String(invite.maxUses));
    if (invite.approval) await this.approval.check();
  }

  /** Fills the form in and creates the invite; its page opens. */
  async create(invite: NewInvite): Promise<void> {
    await this.fillIn(invite);
    await this.createButton.click();
  }
}

/** `/invites/:id`: one invite's link, QR code and short code, shown to the device that made it. */
export class InvitePage {
  readonly appBar: AppBar;
  readonly link: Locator;
  readonly copyButton: Locator;
  readonly printButton: Locator;
  readonly revokeButton: Locator;
  /** The short code as printed, `XXXX-XXXX`; its `data-code` holds it without the dash. */
  readonly code: Locator;
  readonly notActive: Locator;
  readonly backLink: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.link = page.getByLabel(t.invite_link, { exact: true });
    this.copyButton = page.getByRole('button', { name: t.invite_copy, exact: true });
    this.printButton = page.getByRole('button', { name: t.invite_print, exact: true });
    this.revokeButton = page.getByRole('button', { name: t.invite_revoke, exact: true });
    this.code = page.locator('[data-code]');
    this.notActive = page.getByText(t.invite_not_active, { exact: true });
    this.backLink = page.getByRole('link', { name: t.invites_back, exact: true });
  }

  /** «5А · Родитель»: the page's heading, and what the QR code is named after. */
  title(place: string, role: string): string {
    return fill(this.t.invite_row_title, { place, role });
  }

  heading(place: string, role: string): Locator {
    return this.page.getByRole('heading', { level: 1, name: this.title(place, role), exact: true });
  }

  qrCode(place: string, role: string): Locator {
    return this.page.getByRole('img', { name: fill(this.t.invite_qr_label, { place: this.title(place, role) }), exact: true });
  }

  /** The invite is shown with its link; returns the invite's id (from the address). */
  async expectShown(place: string, role: string): Promise<string> {
    await expect(this.page).toHaveURL(/\/invites\/\d+$/);
    await expect(this.heading(place, role)).toBeVisible();
    await expect(this.qrCode(place, role)).toBeVisible();
    await expect(this.link).toHaveValue(/\/join\/[A-Za-z0-9_-]{32}$/);
    return new URL(this.page.url()).pathname.split('/').pop()!;
  }

  /** The full link, `<origin>/join/<token>`, as a person would copy it. */
  async url(): Promise<string> {
    return this.link.inputValue();
  }

  /** The short code as shown, `XXXX-XXXX`. */
  async shortCode(): Promise<string> {
    return (await this.code.innerText()).trim();
  }

  /** Revokes the invite, saying yes to the browser's question. */
  async revoke(): Promise<void> {
    this.page.once('dialog', (dialog) => void dialog.accept());
    await this.revokeButton.click();
  }
}
