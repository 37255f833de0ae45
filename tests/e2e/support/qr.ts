// QR codes for the tests, made and read in Node: pictures and a fake camera's video to show the
// scanner, and a reader for the codes the app draws (an invite's QR code on a teacher's screen).
import fs from 'node:fs';

import type { Locator } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

/** A PNG of `text` as a QR code: 8 pixels a module and the standard 4-module quiet zone. */
export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 8 });
}

/** The text of the QR code in a PNG, or `null` when none is found. */
export function decodePng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return jsQR(pixels, image.width, image.height)?.data ?? null;
}

/** Reads the QR code an element shows (from a screenshot of it); fails when there is none. */
export async function decodeQr(locator: Locator): Promise<string> {
  const text = decodePng(await locator.screenshot());
  if (text === null) throw new Error(`no readable QR code in ${locator}`);
  return text;
}

const VIDEO_WIDTH = 640;
const VIDEO_HEIGHT = 480;

/**
 * Writes a video of `text` as a QR code, dark on white in the middle of the frame, for Chromium's fake
 * camera (`--use-file-for-fake-video-capture`). Y4M is raw frames: a header line, then per frame
 * `FRAME\n` and its Y, U and V planes (4:2:0: U and V at half the width and height). Chromium plays
 * the file in a loop, so two identical frames are enough.
 */
export function writeQrVideo(text: string, file: string): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const side = modules.size + 8;
  const scale = Math.floor((Math.min(VIDEO_WIDTH, VIDEO_HEIGHT) * 0.85) / side);
  const left = Math.floor((VIDEO_WIDTH - side * scale) / 2);
  const top = Math.floor((VIDEO_HEIGHT - side * scale) / 2);
  const luma = Buffer.alloc(VIDEO_WIDTH * VIDEO_HEIGHT, 235);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const y = top + (row + 4) * scale + dy;
        const x = left + (col + 4) * scale;
        luma.fill(16, y * VIDEO_WIDTH + x, y * VIDEO_WIDTH + x + scale);
      }
    }
  }
  const chroma = Buffer.alloc((VIDEO_WIDTH / 2) * (VIDEO_HEIGHT / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${VIDEO_WIDTH} H${VIDEO_HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  fs.writeFileSync(file, Buffer.concat([header, frame, frame]));
}
