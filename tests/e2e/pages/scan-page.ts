import { expect, type Locator, type Page } from '@playwright/test';

import type { Strings } from '../support/i18n';
import { AppBar } from './app-bar';

/** `/scan`, «Вступить по QR-коду»: the camera, a photo, or the code from the printed sheet. */
export class ScanPage {
  readonly appBar: AppBar;
  readonly heading: Locator;
  readonly startCamera: Locator;
  readonly stopCamera: Locator;
  readonly preview: Locator;
  readonly cameraOn: Locator;
  readonly choosePhotoButton: Locator;
  readonly photoInput: Locator;
  readonly code: Locator;
  readonly codeError: Locator;
  readonly continueButton: Locator;
  readonly notAnInvite: Locator;
  readonly backToSignIn: Locator;

  constructor(readonly page: Page, readonly t: Strings) {
    this.appBar = new AppBar(page, t);
    this.heading = page.getByRole('heading', { level: 1, name: t.scan_title, exact: true });
    this.startCamera = page.getByRole('button', { name: t.scan_camera_start, exact: true });
    this.stopCamera = page.getByRole('button', { name: t.scan_camera_stop, exact: true });
    this.preview = page.getByLabel(t.scan_camera_preview, { exact: true });
    this.cameraOn = page.getByText(t.scan_camera_on, { exact: true });
    this.choosePhotoButton = page.getByRole('button', { name: t.scan_photo_choose, exact: true });
    this.photoInput = page.locator('input[type=file]');
    this.code = page.getByLabel(t.scan_code_label, { exact: true });
    this.codeError = page.locator('#invite-code-error');
    this.continueButton = page.getByRole('button', { name: t.scan_code_submit, exact: true });
    this.notAnInvite = page.getByText(t.scan_not_invite, { exact: true });
    this.backToSignIn = page.getByRole('link', { name: t.scan_back_to_sign_in, exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto('/scan');
    await this.expectShown();
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/\/scan$/);
    await expect(this.heading).toBeVisible();
    await expect(this.startCamera.or(this.stopCamera)).toBeVisible();
  }

  /** The other two ways, offered whatever the camera does. */
  async expectPhotoAndCodeOffered(): Promise<void> {
    await expect(this.choosePhotoButton).toBeEnabled();
    await expect(this.code).toBeEditable();
    await expect(this.continueButton).toBeEnabled();
  }

  async choosePhoto(png: Buffer, name = 'qr.png'): Promise<void> {
    await this.photoInput.setInputFiles({ name, mimeType: 'image/png', buffer: png });
  }

  async submitCode(typed: string): Promise<void> {
    await this.code.fill(typed);
    await this.continueButton.click();
  }
}
