import type { TestInfo } from '@playwright/test';

/** A Russian mobile number in the forms the tests need. */
export type Phone = {
  /** `+79123456789`: what the server stores and the dev outbox is asked with. */
  e164: string;
  /** `+7 912 345-67-89`: how the app shows it (`contract::phone::display`). */
  display: string;
  /** `8 (912) 345-67-89`: how many people type it. */
  messy: string;
};

let issued = 0;

/**
 * A number no other test of this run uses: tests run in parallel in two projects and share one
 * server, and a number's codes, resend timer and account belong to it. The digits are
 * 9 · project · worker (2) · counter (6); a worker index is never reused within a run.
 */
export function uniquePhone(testInfo: TestInfo): Phone {
  issued += 1;
  const project = testInfo.config.projects.findIndex((p) => p.name === testInfo.project.name) + 1;
  const worker = String(testInfo.workerIndex % 100).padStart(2, '0');
  const serial = String(issued % 1_000_000).padStart(6, '0');
  const n = `9${project % 10}${worker}${serial}`;
  return {
    e164: `+7${n}`,
    display: `+7 ${n.slice(0, 3)} ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`,
    messy: `8 (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`,
  };
}
