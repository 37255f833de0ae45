// Issue 5, «Administrator screens»: the first-day checklist from scratch, the school's information,
// classes by nomenclature, appointing a second administrator, moving a student and changing a role,
// statistics and their CSV, the audit log and the year-end transfer. axe on every screen visited.
import type { Page } from '@playwright/test';

import { expect, expectNoA11yViolations, test } from '../fixtures';
import { AdminPage } from '../pages/admin-page';
import { ChatPage } from '../pages/chat-page';
import { InvitePage, InvitesPage, NewInvitePage } from '../pages/invites-page';
import { chatIdByApi, inviteByApi, joinByApi, signUpByApi } from '../support/api';
import { fill } from '../support/i18n';
import { GENERAL_CHANNEL, STAFF_CHANNEL, STAFF_ROOM } from '../support/school';
import { ADMIN, PARENT, TEACHER, nameOf } from '../support/setup';

const CSRF = { 'x-parta-csrf': '1' };
/** A 16×16 blue PNG: the school's logo. */
const LOGO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGOQj99PEmIY1TCqYfhqAADnbD0Q6eftKwAAAABJRU5ErkJggg==',
  'base64',
);
const STUDENT = { firstName: 'Дарья', lastName: 'Орлова', birthDate: '2013-04-09' };
const SECOND_TEACHER = { firstName: 'Олег', lastName: 'Васильев', birthDate: '1979-11-02' };
/** Joined as a student by mistake: really a parent. */
const MISTAKEN = { firstName: 'Павел', lastName: 'Зайцев', birthDate: '1982-01-15' };

async function post(page: Page, path: string, data: unknown = {}) {
  const response = await page.request.post(`/api/v1${path}`, { headers: CSRF, data });
  expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBeTruthy();
  return response;
}

/** From home: the school's «Управление школой» link. */
async function openAdmin(page: Page, admin: AdminPage, t: { admin_link: string; admin_title: string }) {
  await page.goto('/');
  await page.getByRole('link', { name: t.admin_link, exact: true }).click();
  await expect(admin.heading(t.admin_title)).toBeVisible();
}

test('the administrator\'s first day: information, classes, staff link, verification, a second administrator, the channels', async ({
  page,
  t,
  createSchool,
  newPhone,
  openBrowser,
}) => {
  // A whole first day in one journey: longer than the default minute on a busy machine.
  test.slow();
  const school = await createSchool('Школа № 12');
  await signUpByApi(page, school.admin, ADMIN);
  const admin = new AdminPage(page, t);

  await openAdmin(page, admin, t);
  // Only «Учительская» exists on day one.
  await admin.expectProgress(1);
  await expectNoA11yViolations(page, 'admin overview');

  await test.step('information: wrong values are explained and kept, then saved', async () => {
    await admin.checklist.getByRole('link', { name: t.checklist_info, exact: true }).click();
    await expect(admin.heading(t.admin_info)).toBeVisible();
    await admin.field(t.school_address).fill('г. Тверь, ул. Школьная, 12');
    await admin.field(t.school_email).fill('school12-at-mail');
    await admin.field(t.school_journal).fill('javascript:alert(1)');
    await admin.button(t.save).click();
    await expect(page.getByText(t.school_email_invalid, { exact: true })).toBeVisible();
    await expect(page.getByText(t.school_url_invalid, { exact: true })).toBeVisible();
    await expect(admin.field(t.school_address)).toHaveValue('г. Тверь, ул. Школьная, 12');
    await expectNoA11yViolations(page, 'information with errors');
    await admin.field(t.school_email).fill('school12@example.ru');
    await admin.field(t.school_journal).fill('dnevnik.example.ru');
    await admin.button(t.save).click();
    await expect(page.getByText(t.school_saved, { exact: true })).toBeVisible();
    // The server kept a proper link.
    await expect(admin.field(t.school_journal)).toHaveValue('https://dnevnik.example.ru');
  });

  await test.step('the logo: a text file is refused by name, an image becomes the logo', async () => {
    const logoFile = page.locator('#logo-file');
    // Typed but not saved yet: a logo changed meanwhile must not throw it away.
    await admin.field(t.school_short_name).fill('Школа № 12 (черновик)');
    await logoFile.setInputFiles({ name: 'устав.txt', mimeType: 'text/plain', buffer: Buffer.from('Устав школы') });
    await expect(page.getByText(fill(t.logo_not_image, { name: 'устав.txt' }), { exact: true })).toBeVisible();
    await logoFile.setInputFiles({ name: 'герб.png', mimeType: 'image/png', buffer: LOGO_PNG });
    await expect(page.getByText(t.logo_saved, { exact: true })).toBeVisible();
    const logo = page.getByRole('img', { name: t.logo_alt, exact: true });
    await expect(logo).toBeVisible();
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);
    await expect(page.getByText(t.logo_replace, { exact: true })).toBeVisible();
    await expect(admin.field(t.school_short_name)).toHaveValue('Школа № 12 (черновик)');
    await expectNoA11yViolations(page, 'information with a logo');
  });

  await test.step('classes: two grades × two letters in one step', async () => {
    await admin.open(t.admin_classes);
    const grades = page.getByRole('group', { name: t.bulk_grades, exact: true });
    for (let grade = 1; grade <= 11; grade++) {
      if (grade !== 5 && grade !== 6) await grades.getByLabel(String(grade), { exact: true }).uncheck();
    }
    await admin.field(t.bulk_letters).fill('а, б');
    await expect(page.getByText(fill(t.bulk_preview.split('|')[1], { n: '4' }), { exact: true })).toBeVisible();
    await admin.button(t.bulk_create).click();
    await expect(page.getByText(fill(t.classes_created.split('|')[1], { n: '4' }), { exact: true })).toBeVisible();
    for (const name of ['5А', '5Б', '6А', '6Б']) await expect(admin.classCard(name)).toBeVisible();
    // A class of the same name again is refused, with the name kept.
    await admin.field(t.class_name).fill('5а');
    await admin.button(t.class_create).click();
    await expect(page.getByText(t.class_name_taken, { exact: true })).toBeVisible();
    await expect(admin.field(t.class_name)).toHaveValue('5а');
    await expectNoA11yViolations(page, 'classes');
  });

  let token = '';
  await test.step('a staff link from «Приглашения», which the admin navigation leads to', async () => {
    await (await admin.link(t.invites_title)).click();
    const invites = new InvitesPage(page, t);
    await invites.expectShown();
    await invites.createLink.click();
    const form = new NewInvitePage(page, t);
    await form.expectShown();
    await form.create({ target: STAFF_ROOM, role: t.role_teacher });
    const invite = new InvitePage(page, t);
    await invite.expectShown(STAFF_ROOM, t.role_teacher);
    token = (await invite.url()).split('/join/')[1];
    await openAdmin(page, admin, t);
  });
  // The teachers joining through it and asking for the «учитель» status: issue 3's screens (join.spec.ts),
  // done through the API here.
  const teacherPage = await openBrowser();
  await signUpByApi(teacherPage, newPhone(), TEACHER);
  await joinByApi(teacherPage, token);
  await post(teacherPage, `/schools/${school.id}/teacher-verification`);
  const secondTeacherPage = await openBrowser();
  await signUpByApi(secondTeacherPage, newPhone(), SECOND_TEACHER);
  await joinByApi(secondTeacherPage, token);
  await post(secondTeacherPage, `/schools/${school.id}/teacher-verification`);

  await test.step('the teacher waits for verification in «Люди», then is confirmed', async () => {
    await admin.open(t.admin_people);
    await page.getByLabel(t.people_status, { exact: true }).selectOption('unverified');
    await expect(admin.person(nameOf(TEACHER))).toBeVisible();
    await expectNoA11yViolations(page, 'people');
    // Both teachers at once, from «Заявки».
    await (await admin.link(t.requests_title)).click();
    const verifications = page.getByRole('region', { name: t.verifications_title, exact: true });
    await expect(verifications.getByText(nameOf(SECOND_TEACHER), { exact: true })).toBeVisible();
    await verifications.getByRole('button', { name: t.verification_confirm_all, exact: true }).click();
    await expect(verifications.getByText(t.verifications_empty_title, { exact: true })).toBeVisible();
    await expectNoA11yViolations(page, 'requests, every teacher confirmed');
    await openAdmin(page, admin, t);
    await admin.open(t.admin_people);
  });

  await test.step('appoint the teacher as a second administrator from their card', async () => {
    await page.getByLabel(t.people_status, { exact: true }).selectOption('');
    await admin.person(nameOf(TEACHER)).click();
    await expect(page.getByRole('heading', { level: 1, name: nameOf(TEACHER) })).toBeVisible();
    await admin.button(t.person_admin_appoint).click();
    await expect(admin.button(t.person_admin_remove)).toBeVisible();
    await expect(page.getByText(t.audit_admin_appointed, { exact: false })).toBeVisible();
    await expectNoA11yViolations(page, 'person card');
    // Their whole story in the log, from the card.
    await page.getByRole('link', { name: t.person_audit_about, exact: true }).click();
    await expect(admin.heading(t.admin_audit)).toBeVisible();
    await expect(page.getByText(fill(t.audit_about_person, { name: nameOf(TEACHER) }), { exact: true })).toBeVisible();
    const entries = page.getByRole('main').getByRole('listitem');
    await expect(entries.filter({ hasText: `${t.audit_admin_appointed}: ${nameOf(TEACHER)}` })).toBeVisible();
    await expect(entries.filter({ hasText: t.audit_class_created })).toHaveCount(0);
    await expectNoA11yViolations(page, 'audit log about one person');
  });

  await test.step('the first posts in «Общий канал» and «Сотрудники»', async () => {
    const chat = new ChatPage(page, t);
    for (const channel of [GENERAL_CHANNEL, STAFF_CHANNEL]) {
      await chat.goto(await chatIdByApi(page, channel));
      await chat.expectOpen(channel);
      await chat.send('Добро пожаловать в Парту!');
      await expect(page.getByText('Добро пожаловать в Парту!', { exact: true })).toBeVisible();
    }
  });

  await test.step('every step done: the checklist goes away', async () => {
    await page.goto('/');
    // The school card carries the logo.
    const cardLogo = page.locator('img[src*="/logo?v="]');
    await expect(cardLogo).toBeVisible();
    await expect.poll(() => cardLogo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);
    await page.getByRole('link', { name: t.admin_link, exact: true }).click();
    await expect(admin.checklistDone).toBeVisible();
    await expect(admin.checklist).toHaveCount(0);
  });

  await test.step('the audit log tells who did what', async () => {
    await admin.open(t.admin_audit);
    const entry = (text: string) => page.getByRole('listitem').filter({ hasText: text });
    await expect(entry(`${t.audit_admin_appointed}: ${nameOf(TEACHER)}`)).toBeVisible();
    await expect(entry(t.audit_class_created)).toHaveCount(4);
    await expect(entry(t.audit_school_logo_changed)).toBeVisible();
    await page.getByLabel(t.audit_filter, { exact: true }).selectOption('school_info_updated');
    await expect(entry(t.audit_class_created)).toHaveCount(0);
    await expect(entry(t.audit_school_info_updated)).toBeVisible();
    await expectNoA11yViolations(page, 'audit log');
    // Who did it: the second administrator has done nothing yet.
    await page.getByLabel(t.audit_filter, { exact: true }).selectOption('');
    await page.getByLabel(t.audit_actor_filter, { exact: true }).selectOption({ label: nameOf(TEACHER) });
    await expect(page.getByText(t.audit_empty_title, { exact: true })).toBeVisible();
    await page.getByLabel(t.audit_actor_filter, { exact: true }).selectOption({ label: nameOf(ADMIN) });
    await expect(entry(t.audit_class_created)).toHaveCount(4);
  });
});

test('moving a student, changing a role, the statistics and their CSV, and the year-end transfer', async ({
  page,
  t,
  createSchool,
  addClass,
  newPhone,
  openBrowser,
}) => {
  test.slow();
  const school = await createSchool('Лицей № 3');
  const from = Number(await addClass(school.id, '5А'));
  await addClass(school.id, '5Б');
  await addClass(school.id, '11А');
  await signUpByApi(page, school.admin, ADMIN);
  const admin = new AdminPage(page, t);
  const invite = (role: string) => inviteByApi(page, school.id, { kind: 'class', class_id: from }, role);

  const studentPage = await openBrowser();
  await signUpByApi(studentPage, newPhone(), STUDENT);
  await joinByApi(studentPage, await invite('student'));
  const mistakenPage = await openBrowser();
  await signUpByApi(mistakenPage, newPhone(), MISTAKEN);
  await joinByApi(mistakenPage, await invite('student'));
  const parentPage = await openBrowser();
  await signUpByApi(parentPage, newPhone(), PARENT);
  await joinByApi(parentPage, await invite('parent'));

  await openAdmin(page, admin, t);
  await admin.open(t.admin_people);

  await test.step('move the student from 5А to 5Б: history kept, chats follow', async () => {
    await admin.person(nameOf(STUDENT)).click();
    await page.getByLabel(t.person_class, { exact: true }).selectOption({ label: '5Б' });
    await admin.button(t.save).click();
    await expect(page.getByText(`${t.audit_student_moved}: ${nameOf(STUDENT)} (5А → 5Б)`)).toBeVisible();
    await expect.poll(async () => chatIdByApi(studentPage, '5Б').then(() => true, () => false)).toBe(true);
    await expect(chatIdByApi(studentPage, '5А')).rejects.toThrow();
  });

  await test.step('a class\'s members by role, and a link for a student\'s parent from the list', async () => {
    await admin.open(t.admin_classes);
    const card = admin.classCard('5Б');
    await card.getByRole('button', { name: fill(t.class_members_show, { class: '5Б' }), exact: true }).click();
    await expect(card.getByRole('heading', { level: 4, name: `${t.roles_student} · 1`, exact: true })).toBeVisible();
    await expect(card.getByRole('link', { name: nameOf(STUDENT), exact: true })).toBeVisible();
    await expect(card.getByRole('heading', { level: 4, name: `${t.roles_parent} · 0`, exact: true })).toBeVisible();
    await expectNoA11yViolations(page, 'classes with a class\'s members');
    await card.getByRole('button', { name: fill(t.parent_link_for, { name: nameOf(STUDENT) }), exact: true }).click();
    const invite = new InvitePage(page, t);
    await invite.expectShown('5Б', t.role_parent);
    await expectNoA11yViolations(page, 'a link for a student\'s parent');
    await openAdmin(page, admin, t);
    await admin.open(t.admin_people);
  });

  await test.step('a "student" who is really a parent becomes one in place', async () => {
    await admin.open(t.admin_people);
    await admin.person(nameOf(MISTAKEN)).click();
    await page.getByLabel(t.person_role, { exact: true }).selectOption('parent');
    await admin.button(t.save).click();
    await expect(page.getByText(`${t.audit_role_changed}: ${nameOf(MISTAKEN)}`, { exact: false })).toBeVisible();
    await expect.poll(async () => chatIdByApi(mistakenPage, 'Родители 5А').then(() => true, () => false)).toBe(true);
  });

  await test.step('statistics count the people the test made, and the CSV holds them', async () => {
    await admin.open(t.admin_stats);
    const adoption = page.getByRole('region', { name: t.stats_adoption, exact: true });
    const row = (name: string) => adoption.getByRole('row', { name: new RegExp(`^${name} `) });
    await expect(row('5А').getByRole('cell').nth(1)).toHaveText('0');
    await expect(row('5А').getByRole('cell').nth(2)).toHaveText('2');
    await expect(row('5Б').getByRole('cell').nth(1)).toHaveText('1');
    await expectNoA11yViolations(page, 'statistics');
    const link = page.getByRole('link', { name: t.stats_export, exact: true });
    await expect(link).toHaveAttribute('download', 'parta-statistics.csv');
    const href = (await link.getAttribute('href')) ?? '';
    const csv = decodeURIComponent(href.slice(href.indexOf(',') + 1));
    expect(csv).toContain(`${t.stats_class};${t.stats_size};${t.stats_students};${t.stats_parents}`);
    expect(csv).toContain('5А;;0;2');
    expect(csv).toContain('5Б;;1;0');
    expect(csv).toContain(`${t.roles_student};1`);
  });

  await test.step('the year-end transfer: preview, then every class a grade up and 11А graduates', async () => {
    await admin.open(t.admin_year_end);
    const preview = page.getByRole('table');
    await expect(preview.getByRole('row', { name: '5А 6А' })).toBeVisible();
    await expect(preview.getByRole('row', { name: `11А ${t.year_end_graduates}` })).toBeVisible();
    await expectNoA11yViolations(page, 'year-end preview');
    admin.confirmNext();
    await admin.button(t.year_end_apply).click();
    await expect(page.getByText(t.year_end_done, { exact: true })).toBeVisible();
    await admin.open(t.admin_classes);
    await expect(admin.classCard('6А')).toBeVisible();
    await expect(admin.classCard('6Б')).toBeVisible();
    await expect(page.getByRole('region', { name: t.class_archive, exact: true })).toContainText('11А');
    // The student's class chat followed its class.
    await expect.poll(async () => chatIdByApi(studentPage, '6Б').then(() => true, () => false)).toBe(true);
  });
});

test('a class\'s teacher makes a link for a student\'s parent from the class chat\'s members', async ({
  page,
  t,
  createSchool,
  addClass,
  newPhone,
  openBrowser,
}) => {
  const school = await createSchool('Гимназия № 9');
  const classId = Number(await addClass(school.id, '3В'));
  await signUpByApi(page, school.admin, ADMIN);
  const invite = (role: string) => inviteByApi(page, school.id, { kind: 'class', class_id: classId }, role);
  const teacherPage = await openBrowser();
  await signUpByApi(teacherPage, newPhone(), TEACHER);
  await joinByApi(teacherPage, await invite('teacher'));
  const studentPage = await openBrowser();
  await signUpByApi(studentPage, newPhone(), STUDENT);
  await joinByApi(studentPage, await invite('student'));

  const chatId = await chatIdByApi(teacherPage, '3В');
  await teacherPage.goto(`/chats/${chatId}/info`);
  await expect(teacherPage.getByText(t.members_readers_note, { exact: true })).toBeVisible();
  const forStudent = teacherPage.getByRole('button', { name: fill(t.parent_link_for, { name: nameOf(STUDENT) }), exact: true });
  // Only students get one: not the teacher herself.
  await expect(teacherPage.getByRole('button', { name: fill(t.parent_link_for, { name: nameOf(TEACHER) }), exact: true })).toHaveCount(0);
  await expectNoA11yViolations(teacherPage, 'class chat members, for its teacher');
  await forStudent.click();
  const invitePage = new InvitePage(teacherPage, t);
  await invitePage.expectShown('3В', t.role_parent);
  const token = (await invitePage.url()).split('/join/')[1];

  // The parent joining through it becomes that student's parent.
  const parentPage = await openBrowser();
  await signUpByApi(parentPage, newPhone(), PARENT);
  await joinByApi(parentPage, token);
  const card = await (await page.request.get(`/api/v1/schools/${school.id}/roster?role=parent`)).json();
  expect((card as { name: string }[]).map((p) => p.name)).toContain(nameOf(PARENT));
  const chats = await chatIdByApi(parentPage, 'Родители 3В');
  expect(chats).toBeGreaterThan(0);

  // A student sees the note but makes no links for others.
  await studentPage.goto(`/chats/${chatId}/info`);
  await expect(studentPage.getByText(t.members_readers_note, { exact: true })).toBeVisible();
  await expect(studentPage.getByRole('button', { name: t.parent_link_button })).toHaveCount(0);
});
