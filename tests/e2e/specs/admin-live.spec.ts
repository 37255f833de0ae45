// Issue 12, items 5, 6 and 10: the administrator opens a class's chats from its card and joins one in
// a tap; the counts on the admin screens follow approvals and declines live, without a reload; «Куда»
// lists each place once, grouped.
import type { Page } from '@playwright/test';

import { expect, expectNoA11yViolations, test } from '../fixtures';
import { AdminPage } from '../pages/admin-page';
import { NewInvitePage } from '../pages/invites-page';
import { signUpByApi } from '../support/api';
import { ADMIN, PARENT, SECOND_PARENT } from '../support/setup';

const CSRF = { 'x-parta-csrf': '1' };

/** A link to the class for parents that the class's staff approve; returns its token. */
async function approvalLink(page: Page, schoolId: string, classId: number): Promise<string> {
  const made = await page.request.post(`/api/v1/schools/${schoolId}/invites`, {
    headers: CSRF,
    data: { target: { kind: 'class', class_id: classId }, role: 'parent', expiry: { kind: 'never' }, requires_approval: true },
  });
  expect(made.ok(), await made.text()).toBeTruthy();
  return ((await made.json()) as { token: string }).token;
}

/** Someone new asks to join through `token`, in a browser of their own. */
async function ask(asking: Page, token: string): Promise<void> {
  const asked = await asking.request.post(`/api/v1/join/${token}`, { headers: CSRF, data: { child_name: 'Маша Иванова' } });
  expect(asked.ok(), await asked.text()).toBeTruthy();
}

/** The ids of the join requests waiting in the school. */
async function waitingIds(page: Page, schoolId: string): Promise<number[]> {
  const list = await page.request.get(`/api/v1/schools/${schoolId}/join-requests`);
  return ((await list.json()) as { id: number }[]).map((r) => r.id);
}

test('the counts on the admin screens follow approvals and declines live', async ({ page, t, createSchool, addClass, newPhone, openBrowser }) => {
  const school = await createSchool('Школа № 14');
  const classId = Number(await addClass(school.id, '5А'));
  await signUpByApi(page, school.admin, ADMIN);
  const token = await approvalLink(page, school.id, classId);
  for (const person of [PARENT, SECOND_PARENT]) {
    const asking = await openBrowser();
    await signUpByApi(asking, newPhone(), person);
    await ask(asking, token);
  }

  await page.goto(`/schools/${school.id}/admin/stats`);
  const admin = new AdminPage(page, t);
  await expect(admin.heading(t.admin_stats)).toBeVisible();
  const requests = admin.nav.getByRole('link', { name: new RegExp(`^${t.requests_title}`) });
  const fiveA = page.getByRole('region', { name: t.stats_adoption, exact: true }).getByRole('row', { name: /^5А / });
  if (await admin.sectionsToggle.isVisible()) await admin.sectionsToggle.click();
  await expect(requests).toContainText('2');
  await expect(fiveA.getByRole('cell').nth(2)).toHaveText(/0/);

  // Approved elsewhere (the same administrator on another device): this screen follows.
  const [first, second] = await waitingIds(page, school.id);
  const approved = await page.request.post(`/api/v1/join-requests/${first}/approve`, { headers: CSRF, data: {} });
  expect(approved.ok(), await approved.text()).toBeTruthy();
  await expect(requests).toContainText('1');
  await expect(fiveA.getByRole('cell').nth(2)).toHaveText(/1/);
  await expectNoA11yViolations(page, 'statistics after an approval');

  // Declined on «Заявки» itself: the count goes away, no reload.
  await (await admin.link(t.requests_title)).click();
  await expect(admin.heading(t.requests_title)).toBeVisible();
  await page.locator(`li[data-request="${second}"]`).getByRole('button', { name: t.reject, exact: true }).click();
  await expect(page.locator(`li[data-request="${second}"]`)).toHaveCount(0);
  if (await admin.sectionsToggle.isVisible()) {
    await expect(admin.sectionsToggle).not.toContainText(/\d/);
  } else {
    await expect(requests).not.toContainText(/\d/);
  }
});

test('the administrator opens a new class\'s parents\' chat from its card, reads it and joins it in one tap', async ({
  page,
  t,
  createSchool,
}) => {
  const school = await createSchool('Школа № 15');
  await signUpByApi(page, school.admin, ADMIN);
  await page.goto(`/schools/${school.id}/admin/classes`);
  const admin = new AdminPage(page, t);
  await expect(admin.heading(t.admin_classes)).toBeVisible();
  await admin.field(t.class_name).fill('7Б');
  await admin.button(t.class_create).click();
  const card = admin.classCard('7Б');
  await expect(card).toBeVisible();
  await card.getByRole('link', { name: 'Родители 7Б', exact: true }).click();

  await expect(page.getByRole('heading', { name: 'Родители 7Б' })).toBeVisible();
  const bar = page.getByRole('region', { name: t.chat_not_member, exact: true });
  await expect(bar).toBeVisible();
  await expect(page.getByText(t.chat_unavailable_title)).toHaveCount(0);
  await expectNoA11yViolations(page, 'a class chat read by an administrator who is not in it');
  await bar.getByRole('button', { name: t.chat_join, exact: true }).click();
  await expect(bar).toHaveCount(0);
  await expect(page.getByRole('textbox').first()).toBeVisible();

  // The join is in the audit log.
  await page.goto(`/schools/${school.id}/admin/audit`);
  await expect(admin.heading(t.admin_audit)).toBeVisible();
  await expect(page.getByRole('main').getByRole('listitem').filter({ hasText: t.audit_chat_joined })).toHaveCount(1);
});

test('«Куда» lists each place once, grouped', async ({ page, t, createSchool, addClass }) => {
  const school = await createSchool('Школа № 16');
  await addClass(school.id, '5А');
  await addClass(school.id, '6В');
  await signUpByApi(page, school.admin, ADMIN);
  await page.goto(`/schools/${school.id}/invites/new`);
  const form = new NewInvitePage(page, t);
  await expect(form.heading).toBeVisible();
  const options = await form.target.locator('option').allTextContents();
  for (const name of ['5А', '6В']) expect(options.filter((o) => o.trim() === name), options.join(' | ')).toHaveLength(1);
  await expect(form.target.locator('optgroup')).not.toHaveCount(0);
  await expectNoA11yViolations(page, 'new invite');
});
