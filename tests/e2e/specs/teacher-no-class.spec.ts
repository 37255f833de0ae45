// Issue 12, item 11: a new teacher with no class hears who gives them one and asks with a button; the
// administrator sees the request in «Заявки» and gives a class; the teacher's screen follows live;
// then, as the class's teacher, she invites every student's parents in one step from the class.
import { expect, expectNoA11yViolations, test } from '../fixtures';
import { AdminPage } from '../pages/admin-page';
import { InvitePage, NewInvitePage } from '../pages/invites-page';
import { chatIdByApi, inviteByApi, joinByApi, signUpByApi } from '../support/api';
import { fill } from '../support/i18n';
import { ADMIN, TEACHER, nameOf } from '../support/setup';

const STUDENTS = [
  { firstName: 'Дарья', lastName: 'Орлова', birthDate: '2013-04-09' },
  { firstName: 'Кирилл', lastName: 'Белов', birthDate: '2013-08-21' },
];

test('a teacher with no class asks for one, is given 5А live, and invites the whole class\'s parents', async ({
  page,
  t,
  createSchool,
  addClass,
  newPhone,
  openBrowser,
}) => {
  test.slow();
  const school = await createSchool('Школа № 21');
  const classId = Number(await addClass(school.id, '5А'));
  await signUpByApi(page, school.admin, ADMIN);
  for (const student of STUDENTS) {
    const studentPage = await openBrowser();
    await signUpByApi(studentPage, newPhone(), student);
    await joinByApi(studentPage, await inviteByApi(page, school.id, { kind: 'class', class_id: classId }, 'student'));
  }
  const teacher = await openBrowser();
  await signUpByApi(teacher, newPhone(), TEACHER);
  await joinByApi(teacher, await inviteByApi(page, school.id, { kind: 'school' }, 'teacher'));

  await test.step('no class yet: who gives one, a button to ask, and what to do meanwhile', async () => {
    await teacher.goto(`/schools/${school.id}/invites/new`);
    const noClass = teacher.getByRole('region', { name: t.class_request_title, exact: true });
    await expect(noClass).toBeVisible();
    await expect(noClass.getByText(t.class_request_text, { exact: true })).toBeVisible();
    await expect(noClass.getByRole('link', { name: t.class_request_chats, exact: true })).toBeVisible();
    await expect(noClass.getByRole('link', { name: t.class_request_direct, exact: true })).toBeVisible();
    await expectNoA11yViolations(teacher, 'a teacher with no class');
    await noClass.getByRole('button', { name: t.class_request_button, exact: true }).click();
    await expect(noClass.getByText(t.class_request_pending, { exact: true })).toBeVisible();
    await expect(noClass.getByRole('button', { name: t.class_request_button, exact: true })).toHaveCount(0);
  });

  await test.step('the administrator sees it in «Заявки» and gives her 5А', async () => {
    await page.goto(`/schools/${school.id}/requests`);
    const admin = new AdminPage(page, t);
    await expect(admin.heading(t.requests_title)).toBeVisible();
    const section = page.getByRole('region', { name: t.class_requests_title, exact: true });
    await expect(section.getByText(nameOf(TEACHER), { exact: true })).toBeVisible();
    await expectNoA11yViolations(page, 'a request for a class');
    await section.getByLabel(fill(t.class_request_choose, { name: nameOf(TEACHER) }), { exact: true }).selectOption({ label: '5А' });
    await section.getByRole('button', { name: t.class_request_assign, exact: true }).click();
    await expect(section.getByText(t.class_requests_empty_title, { exact: true })).toBeVisible();
  });

  await test.step('her screen follows without a reload: she can invite to 5А now', async () => {
    const form = new NewInvitePage(teacher, t);
    await expect(form.target).toBeVisible();
    await expect(form.target.locator('option', { hasText: '5А' })).toHaveCount(1);
  });

  await test.step('from the class, one step: a link for every student\'s parents', async () => {
    const chatId = await chatIdByApi(teacher, '5А');
    await teacher.goto(`/chats/${chatId}/info`);
    await teacher.getByRole('button', { name: t.class_parents_invite, exact: true }).click();
    await expect(teacher.getByText(fill(t.class_parents_made, { n: '2' }), { exact: true })).toBeVisible();
    for (const student of STUDENTS) {
      await expect(teacher.getByRole('link', { name: fill(t.class_parents_open, { name: nameOf(student) }), exact: true })).toBeVisible();
    }
    await expectNoA11yViolations(teacher, 'the class\'s parent links');
    await teacher.getByRole('link', { name: fill(t.class_parents_open, { name: nameOf(STUDENTS[0]) }), exact: true }).click();
    await new InvitePage(teacher, t).expectShown('5А', t.role_parent);
  });
});
