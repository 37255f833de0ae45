// Files in a class's parents' chat: the teacher attaches a timetable and a photo (a program is refused
// before anything is sent), the parent downloads the file under its name and sees the picture; a
// leaflet kept in «Мои файлы» is sent later from there.
import type { Page } from '@playwright/test';

import { expect, expectNoA11yViolations, test } from '../fixtures';
import { ChatPage } from '../pages/chat-page';
import { HomePage } from '../pages/home-page';
import { fill } from '../support/i18n';
import { parentsChat } from '../support/school';
import { parentsChatOf } from '../support/setup';

const CLASS = '7Б';

/** A 4×3 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEElEQVR4nGM4EaABRww4OQAsNg8BoqhHXQAAAABJRU5ErkJggg==', 'base64');
const pdf = (title: string) => Buffer.from(`%PDF-1.4\n% ${title}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`);

/** A JPEG as a phone's camera writes it: an Exif block with the place it was taken, after SOI. */
async function phonePhoto(page: Page): Promise<Buffer> {
  const jpeg = Buffer.from(
    await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 48;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#c83';
      context.fillRect(0, 0, 64, 48);
      const blob: Blob = await new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.9));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    }),
  );
  const exif = Buffer.concat([Buffer.from('Exif\0\0MM\0*\0\0\0\x08', 'latin1'), Buffer.from(' GPSLatitude 55.7558 GPSLongitude 37.6173 ')]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff]), exif]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

test('a teacher sends a timetable and a photo; the parent downloads and sees them; «Мои файлы» keeps a leaflet for later', async ({ page, t, createSchool, addClass, newPhone, openBrowser }) => {
  const fixtures = { page, createSchool, addClass, newPhone, openBrowser };
  const { chatId, parentPages } = await parentsChatOf(fixtures, 'Школа № 24 (файлы)', CLASS);
  const parentPage = parentPages[0];
  const teacherChat = new ChatPage(page, t);
  const parentChat = new ChatPage(parentPage, t);
  await teacherChat.goto(chatId);
  await teacherChat.expectOpen(parentsChat(CLASS));
  await parentChat.goto(chatId);
  await parentChat.expectOpen(parentsChat(CLASS));
  const chips = page.getByRole('list', { name: t.attachments_label, exact: true });

  await test.step('a program is refused before anything is sent', async () => {
    await page.setInputFiles('#composer-files', { name: 'игра.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
    await expect(page.getByRole('alert').filter({ hasText: fill(t.file_type_refused, { name: 'игра.exe' }) })).toBeVisible();
    await expect(chips).toHaveCount(0);
  });

  await test.step('the teacher attaches a timetable and a photo and sends them with a line of text', async () => {
    await page.setInputFiles('#composer-files', [
      { name: 'Расписание.pdf', mimeType: 'application/pdf', buffer: pdf('Расписание') },
      { name: 'класс.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await expect(chips.getByRole('listitem')).toHaveCount(2);
    await expect(chips.getByRole('progressbar')).toHaveCount(0);
    await expect(page.getByRole('alert').filter({ hasText: fill(t.file_type_refused, { name: 'игра.exe' }) })).toHaveCount(0);
    await expectNoA11yViolations(page, 'the composer with two attachments');
    await teacherChat.send('Расписание на неделю и фото класса');
    await expect(chips).toHaveCount(0);
    await expect(teacherChat.message('Расписание на неделю')).toBeVisible();
  });

  await test.step('the parent downloads the timetable under its name and sees the photo', async () => {
    const message = parentChat.message('Расписание на неделю');
    await expect(message).toBeVisible();
    const picture = message.getByRole('img', { name: 'класс.png', exact: true });
    await expect(picture).toBeVisible();
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const downloading = parentPage.waitForEvent('download');
    await message.getByRole('link', { name: /Расписание\.pdf/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('Расписание.pdf');
    await expectNoA11yViolations(parentPage, 'a message with a file and a picture');
  });

  await test.step('a phone photo is sent without its GPS position', async () => {
    const photo = await phonePhoto(page);
    await page.setInputFiles('#composer-files', { name: 'экскурсия.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect(chips.getByRole('listitem')).toHaveCount(1);
    await expect(chips.getByRole('progressbar')).toHaveCount(0);
    await teacherChat.send('Фото с экскурсии');
    const link = parentChat.message('Фото с экскурсии').getByRole('link', { name: fill(t.open_picture, { name: 'экскурсия.jpg' }) });
    await expect(link).toBeVisible();
    const sent = await (await parentPage.request.get((await link.getAttribute('href'))!)).body();
    expect([...sent.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect(sent.includes('GPSLatitude'), 'the photo as stored still names where it was taken').toBe(false);
  });

  await test.step('«Мои файлы» keeps a leaflet; the teacher sends it from there', async () => {
    const home = new HomePage(page, t);
    await home.goto();
    await page.getByRole('link', { name: `📁 ${t.my_files_title}`, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: t.my_files_title, exact: true })).toBeVisible();
    await expect(page.getByText(t.my_files_empty_title, { exact: true })).toBeVisible();
    await expectNoA11yViolations(page, 'my files, empty');
    await page.setInputFiles('#my-files-input', { name: 'Памятка.pdf', mimeType: 'application/pdf', buffer: pdf('Памятка') });
    await expect(page.getByRole('link', { name: 'Памятка.pdf', exact: true })).toBeVisible();
    await expectNoA11yViolations(page, 'my files with a leaflet');
    // A photo kept there loses its GPS position as one sent in a chat does.
    await page.setInputFiles('#my-files-input', { name: 'поход.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto(page) });
    const kept = page.getByRole('link', { name: 'поход.jpg', exact: true });
    await expect(kept).toBeVisible();
    const stored = await (await page.request.get((await kept.getAttribute('href'))!)).body();
    expect([...stored.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect(stored.includes('GPSLatitude'), 'the kept photo still names where it was taken').toBe(false);

    await teacherChat.goto(chatId);
    await (await teacherChat.tool(t.attach_from_my_files)).click();
    await page.getByRole('region', { name: t.my_files_pick_title, exact: true }).getByRole('button', { name: /Памятка\.pdf/ }).click();
    await expect(chips.getByRole('listitem')).toHaveCount(1);
    await teacherChat.send('Памятка к экскурсии');
    await expect(parentChat.message('Памятка к экскурсии').getByRole('link', { name: /Памятка\.pdf/ })).toBeVisible();
  });
});
