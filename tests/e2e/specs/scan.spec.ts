// «Вступить по QR-коду» (/scan): the camera (Chromium's fake camera showing a QR code), a photo, and
// the code typed from the printed sheet. Only an invite of this app is followed; any other code is
// shown as text and never opened. Linux Chromium has no BarcodeDetector, so these tests drive the app's
// own decoder, a wasm worker that must not be part of the first load.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Page } from '@playwright/test';

import { expect, expectNoA11yViolations, test } from '../fixtures';
import { ScanPage } from '../pages/scan-page';
import { SignInPage } from '../pages/sign-in-page';
import { decodePng, decodeQr, qrPng, writeQrVideo } from '../support/qr';
import { expectComponentStyles } from '../support/styles';

/** The worker's files: `qr_worker_loader.js`, `qr_worker.js`, `qr_worker_bg.wasm`. */
const WORKER_FILE = /\/qr_worker[^/]*$/;

/** A key shaped like a real invite token (32 base64url characters); no such invite exists. */
function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function joinUrl(key: string): string {
  return `${process.env.PARTA_URL}/join/${key}`;
}

/** Every file of the decoder worker the page asked for, from the moment of the call. */
function watchWorkerFiles(page: Page): string[] {
  const fetched: string[] = [];
  page.context().on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (WORKER_FILE.test(pathname)) fetched.push(pathname);
  });
  return fetched;
}

/** Remembers every camera stream the page is given, so a test can check the camera was stopped. */
async function recordCameraStreams(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const record = window as unknown as { cameraStreams: MediaStream[]; cameraConstraints: unknown[] };
    record.cameraStreams = [];
    record.cameraConstraints = [];
    const devices = navigator.mediaDevices;
    if (!devices) return;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      record.cameraConstraints.push(constraints);
      const stream = await getUserMedia(constraints);
      record.cameraStreams.push(stream);
      return stream;
    };
  });
}

async function liveCameraTracks(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (window as unknown as { cameraStreams: MediaStream[] }).cameraStreams
        .flatMap((stream) => stream.getTracks())
        .filter((track) => track.readyState === 'live').length,
  );
}

test.describe('the scanner screen', () => {
  test('is reachable from sign-in, offers three ways, leads back, and loads no decoder up front', async ({
    page,
    t,
    signInPage,
  }) => {
    const workerFiles = watchWorkerFiles(page);
    const scan = new ScanPage(page, t);
    await signInPage.goto();
    await page.getByRole('link', { name: t.scan_title, exact: true }).click();
    await scan.expectShown();
    await expect(page).toHaveTitle(`${t.scan_title} — ${t.app_name}`);
    await expect(page.getByRole('heading', { level: 2, name: t.scan_camera_heading, exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: t.scan_photo_heading, exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: t.scan_code_heading, exact: true })).toBeVisible();
    await scan.expectPhotoAndCodeOffered();
    // The preview appears only with the camera.
    await expect(scan.preview).toBeHidden();
    await expectNoA11yViolations(page, 'scan');
    await expectComponentStyles(page, 'scan');

    // A cold load of the scanner fetches no decoder either: only scanning does.
    await page.reload();
    await scan.expectShown();
    await page.waitForLoadState('networkidle');
    expect(workerFiles, 'decoder files fetched before anything was scanned').toEqual([]);

    await scan.backToSignIn.click();
    await signInPage.expectPhoneStep();
  });

  test.describe('in English', () => {
    test.use({ lang: 'en' });

    test('is translated and accessible', async ({ page, t }) => {
      const scan = new ScanPage(page, t);
      await scan.goto();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(page).toHaveTitle(`${t.scan_title} — ${t.app_name}`);
      await scan.submitCode('nonsense');
      await expect(scan.codeError).toHaveText(t.scan_code_invalid);
      await expectNoA11yViolations(page, 'scan (en)');
    });
  });
});

test.describe('typing the code from the sheet', () => {
  test('a wrong code keeps the text and says what is wrong; a right one opens the invite', async ({ page, t }) => {
    const scan = new ScanPage(page, t);
    await scan.goto();

    await scan.continueButton.click();
    await expect(scan.codeError).toHaveText(t.scan_code_required);
    await expect(scan.code).toBeFocused();

    await scan.submitCode('K7QM-4XP0');
    await expect(scan.codeError).toHaveText(t.scan_code_invalid);
    await expect(scan.code).toHaveValue('K7QM-4XP0');
    await expect(scan.code).toHaveAttribute('aria-invalid', 'true');
    await expect(page).toHaveURL(/\/scan$/);
    await expectNoA11yViolations(page, 'scan: wrong code');

    // Any case, a space or a dash: the key is normalised.
    await scan.submitCode(' k7qm 4xpd ');
    await expect(page).toHaveURL(joinUrl('K7QM4XPD'));
    await expect(scan.heading).toBeHidden();
  });
});

test.describe('a photo of a QR code', () => {
  test('of an invite opens it, fetching the decoder only then', async ({ page, t }) => {
    const workerFiles = watchWorkerFiles(page);
    const scan = new ScanPage(page, t);
    await scan.goto();
    expect(await page.evaluate(() => 'BarcodeDetector' in window), 'Linux Chromium reads with our worker').toBe(false);
    expect(workerFiles).toEqual([]);

    const key = newToken();
    await scan.choosePhoto(await qrPng(joinUrl(key)));
    await expect(page).toHaveURL(joinUrl(key));
    await expect(scan.heading).toBeHidden();
    expect(workerFiles).toEqual(expect.arrayContaining(['/qr_worker_loader.js', '/qr_worker_bg.wasm']));
  });

  test('of anything else is shown as text, not opened; the next code is still read', async ({ page, context, t }) => {
    const elsewhere: string[] = [];
    context.on('request', (request) => {
      if (new URL(request.url()).hostname !== '127.0.0.1') elsewhere.push(request.url());
    });
    const scan = new ScanPage(page, t);
    await scan.goto();

    // An invite's shape on another site: exactly what a forged sheet would carry.
    const foreign = `https://example.org/join/${newToken()}`;
    await scan.choosePhoto(await qrPng(foreign));
    await expect(scan.notAnInvite).toBeVisible();
    await expect(page.getByText(foreign, { exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: foreign })).toHaveCount(0);
    await expect(page).toHaveURL(/\/scan$/);
    await expectNoA11yViolations(page, 'scan: not an invite');

    await scan.choosePhoto(await qrPng('Привет из 5А'), 'hello.png');
    await expect(page.getByText('Привет из 5А', { exact: true })).toBeVisible();
    await expect(page.getByText(foreign, { exact: true })).toBeHidden();

    const photo = Buffer.from('not a picture');
    await scan.photoInput.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: photo });
    await expect(page.getByText(t.scan_photo_not_image, { exact: true })).toBeVisible();

    const key = newToken();
    await scan.choosePhoto(await qrPng(joinUrl(key)));
    await expect(page).toHaveURL(joinUrl(key));
    expect(elsewhere, 'requests to hosts other than the Parta server').toEqual([]);
  });
});

test.describe('the camera', () => {
  /** The invite the fake camera shows: one per worker, since the browser is launched with the file. */
  type FakeCamera = { key: string; video: string };

  const cameraTest = test.extend<object, { fakeCamera: FakeCamera }>({
    fakeCamera: [
      async ({}, use) => {
        const key = newToken();
        const video = path.join(os.tmpdir(), `parta-e2e-camera-${process.pid}-${key.slice(0, 8)}.y4m`);
        writeQrVideo(joinUrl(key), video);
        await use({ key, video });
        fs.rmSync(video, { force: true });
      },
      { scope: 'worker' },
    ],
    launchOptions: [
      async ({ launchOptions, fakeCamera }, use) => {
        await use({
          ...launchOptions,
          args: [
            ...(launchOptions.args ?? []),
            '--use-fake-device-for-media-stream',
            '--use-fake-ui-for-media-stream',
            `--use-file-for-fake-video-capture=${fakeCamera.video}`,
          ],
        });
      },
      { scope: 'worker' },
    ],
  });
  cameraTest.use({ permissions: ['camera'] });

  cameraTest('reads an invite off the back camera, opens it and stops the camera', async ({ page, t, fakeCamera }) => {
    await recordCameraStreams(page);
    const workerFiles = watchWorkerFiles(page);
    const scan = new ScanPage(page, t);
    await scan.goto();
    expect(workerFiles).toEqual([]);

    await scan.startCamera.click();
    await expect(page).toHaveURL(joinUrl(fakeCamera.key));
    await expect(scan.heading).toBeHidden();
    expect(workerFiles).toEqual(expect.arrayContaining(['/qr_worker_loader.js', '/qr_worker_bg.wasm']));
    const constraints = await page.evaluate(() => (window as unknown as { cameraConstraints: unknown[] }).cameraConstraints);
    expect(constraints).toEqual([{ video: { facingMode: 'environment' }, audio: false }]);
    await expect.poll(() => liveCameraTracks(page), { message: 'camera tracks still live' }).toBe(0);
  });

  cameraTest('stops when turned off and when the person leaves the page', async ({ page, t, signInPage }) => {
    await recordCameraStreams(page);
    // Holds the decoder back, so that the code in view is not read and the camera stays on.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/qr_worker_bg.wasm', async (route) => {
      await held;
      await route.continue().catch(() => {});
    });
    const scan = new ScanPage(page, t);
    await scan.goto();

    await scan.startCamera.click();
    await expect(scan.cameraOn).toBeVisible();
    await expect(scan.preview).toBeVisible();
    await expect(scan.stopCamera).toBeFocused();
    await expectNoA11yViolations(page, 'scan: camera on');
    expect(await liveCameraTracks(page)).toBe(1);
    await scan.stopCamera.click();
    await expect(scan.startCamera).toBeVisible();
    await expect(scan.preview).toBeHidden();
    expect(await liveCameraTracks(page)).toBe(0);

    await scan.startCamera.click();
    await expect(scan.cameraOn).toBeVisible();
    expect(await liveCameraTracks(page)).toBe(1);
    await scan.backToSignIn.click();
    await signInPage.expectPhoneStep();
    expect(await liveCameraTracks(page)).toBe(0);
    release();
  });
});

test.describe('a camera the person does not allow', () => {
  const deniedTest = test.extend<object, object>({
    launchOptions: [
      async ({ launchOptions }, use) => {
        await use({ ...launchOptions, args: [...(launchOptions.args ?? []), '--use-fake-device-for-media-stream'] });
      },
      { scope: 'worker' },
    ],
  });

  deniedTest('says so and offers the photo and the typed code', async ({ page, t }) => {
    const scan = new ScanPage(page, t);
    await scan.goto();
    await scan.startCamera.click();
    await expect(page.getByRole('alert').filter({ hasText: t.scan_camera_denied })).toBeVisible();
    await expect(scan.preview).toBeHidden();
    await scan.expectPhotoAndCodeOffered();
    await expectNoA11yViolations(page, 'scan: camera denied');

    await scan.submitCode('K7QM-4XPD');
    await expect(page).toHaveURL(joinUrl('K7QM4XPD'));
  });
});

test('decodeQr reads the QR code an element shows', async ({ page }) => {
  const text = `${process.env.PARTA_URL}/join/${newToken()}`;
  const png = await qrPng(text);
  expect(decodePng(png)).toBe(text);
  // As small on screen as a code on a teacher's invite page may be.
  await page.setContent(
    `<main><img alt="QR" width="180" height="${180}" src="data:image/png;base64,${png.toString('base64')}"></main>`,
  );
  expect(await decodeQr(page.getByRole('img', { name: 'QR' }))).toBe(text);
});
