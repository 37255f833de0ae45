// Issue 12, item 7: every section of «Управление школой» is reachable and fits on a 360 px phone, a
// Pixel 7 and a 1366×768 school computer — a side menu on the computer, a section list on the phone,
// tables drawn as cards on the phone — and no element of any section sticks out sideways.
import type { Page } from '@playwright/test';

import { expect, expectNoA11yViolations, test } from '../fixtures';
import { AdminPage } from '../pages/admin-page';
import { inviteByApi, joinByApi, signUpByApi } from '../support/api';
import { expectNoHorizontalOverflow } from '../support/overflow';
import { ADMIN, PARENT, SECOND_PARENT, TEACHER } from '../support/setup';
import type { Strings } from '../support/i18n';

const CSRF = { 'x-parta-csrf': '1' };
const STUDENT = { firstName: 'Константин', lastName: 'Александровский-Щербаков', birthDate: '2013-04-09' };

/** Every section in the navigation's order, with the heading its screen opens with. */
const sections = (t: Strings) => [
  { link: t.admin_overview, heading: t.admin_title, name: 'overview' },
  { link: t.admin_info, heading: t.admin_info, name: 'info' },
  { link: t.admin_classes, heading: t.admin_classes, name: 'classes' },
  { link: t.admin_people, heading: t.admin_people, name: 'people' },
  { link: t.invites_title, heading: t.invites_title, name: 'invites' },
  { link: t.requests_title, heading: t.requests_title, name: 'requests' },
  { link: t.admin_stats, heading: t.admin_stats, name: 'stats' },
  { link: t.admin_audit, heading: t.admin_audit, name: 'audit' },
  { link: t.admin_year_end, heading: t.admin_year_end, name: 'year-end' },
];

/** Walks every section from the navigation: each opens, fits, and passes axe. */
async function walkSections(page: Page, t: Strings, label: string): Promise<void> {
  const admin = new AdminPage(page, t);
  const all = sections(t);
  for (const section of all) {
    await admin.open(section.link, section.heading);
    if (await admin.sectionsToggle.isVisible()) {
      // A phone: folded to the section open, named on the button.
      await expect(admin.sectionsToggle).toContainText(section.link);
    } else {
      const current = admin.nav.getByRole('link', { name: new RegExp(`^${section.link}`) });
      await expect(current).toHaveAttribute('aria-current', 'page');
    }
    if (section.name === 'stats') {
      await expect(page.getByRole('region', { name: t.stats_adoption, exact: true }).getByRole('row', { name: /^5А / })).toBeVisible();
    }
    await expectNoHorizontalOverflow(page, `${section.name} at ${label}`);
    await expectNoA11yViolations(page, `${section.name} at ${label}`);
    if (process.env.PARTA_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.PARTA_SCREENSHOTS}/${section.name}-${label}.png`, fullPage: true });
    }
  }
  // A computer shows every section at once, within the first screen; a phone names the one open and
  // unfolds to all of them.
  if (await admin.sectionsToggle.isVisible()) {
    await expect(admin.sectionsToggle).toContainText(t.admin_year_end);
    await admin.sectionsToggle.click();
  }
  for (const section of all) {
    const link = admin.nav.getByRole('link', { name: new RegExp(`^${section.link}`) });
    await expect(link).toBeVisible();
    const box = await link.boundingBox();
    expect(box, section.link).not.toBeNull();
    if (!(await admin.sectionsToggle.isVisible())) expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
  }
}

test('every section of «Управление школой» is reachable and nothing sticks out, on a phone and a computer', async ({
  page,
  t,
  createSchool,
  addClass,
  newPhone,
  openBrowser,
}) => {
  test.slow();
  const school = await createSchool('Средняя общеобразовательная школа № 1 имени Героя Советского Союза');
  const classId = Number(await addClass(school.id, '5А'));
  await addClass(school.id, '10Б');
  await signUpByApi(page, school.admin, ADMIN);
  const invite = (role: string) => inviteByApi(page, school.id, { kind: 'class', class_id: classId }, role);
  for (const [person, role] of [
    [TEACHER, 'teacher'],
    [STUDENT, 'student'],
    [PARENT, 'parent'],
  ] as const) {
    const other = await openBrowser();
    await signUpByApi(other, newPhone(), person);
    await joinByApi(other, await invite(role));
  }
  // A request waiting, so that «Заявки» carries its count.
  const waiting = await page.request.post(`/api/v1/schools/${school.id}/invites`, {
    headers: CSRF,
    data: { target: { kind: 'class', class_id: classId }, role: 'parent', expiry: { kind: 'never' }, requires_approval: true },
  });
  const { token } = (await waiting.json()) as { token: string };
  const asking = await openBrowser();
  await signUpByApi(asking, newPhone(), SECOND_PARENT);
  const asked = await asking.request.post(`/api/v1/join/${token}`, { headers: CSRF, data: { child_name: 'Маша Иванова' } });
  expect(asked.ok(), await asked.text()).toBeTruthy();

  await page.goto(`/schools/${school.id}/admin`);
  const admin = new AdminPage(page, t);
  await expect(admin.heading(t.admin_title)).toBeVisible();
  // «Обзор» on a phone is the way in: the sections are listed, not folded.
  if (await admin.sectionsToggle.isVisible()) await expect(admin.sectionsToggle).toHaveAttribute('aria-expanded', 'true');
  const requests = admin.nav.getByRole('link', { name: new RegExp(`^${t.requests_title}`) });
  await expect(requests).toContainText('1');

  const width = page.viewportSize()!.width;
  await walkSections(page, t, `${width}px`);
  if (width < 1000) {
    // The narrowest phones schools see.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`/schools/${school.id}/admin`);
    await expect(admin.heading(t.admin_title)).toBeVisible();
    await walkSections(page, t, '360px');
  }
});
