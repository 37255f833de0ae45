// One line per project at the end of the run, after the list reporter's details, then the total:
//   phone: 17 passed, 0 failed, 0 skipped
//   e2e: 34 passed, 0 failed, 0 skipped
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

type Tally = { passed: number; failed: number; skipped: number };

class SummaryReporter implements Reporter {
  private readonly byProject = new Map<string, Tally>();

  onTestEnd(test: TestCase, result: TestResult): void {
    // Only the final attempt of a test counts (retries are off, but stay correct if they are not).
    if (result.retry < test.retries && result.status !== 'passed' && result.status !== 'skipped') return;
    const project = test.parent.project()?.name ?? 'default';
    const tally = this.byProject.get(project) ?? { passed: 0, failed: 0, skipped: 0 };
    if (result.status === 'passed') tally.passed += 1;
    else if (result.status === 'skipped') tally.skipped += 1;
    else tally.failed += 1;
    this.byProject.set(project, tally);
  }

  onEnd(result: FullResult): void {
    const total: Tally = { passed: 0, failed: 0, skipped: 0 };
    for (const [project, t] of this.byProject) {
      console.log(`${project}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
      total.passed += t.passed;
      total.failed += t.failed;
      total.skipped += t.skipped;
    }
    // The last line, in the plain form CI reads: 'e2e: N passed, N failed, N skipped'. A run that
    // ended before any test (a broken setup) counts as a failure here, as it does in the exit code.
    if (result.status !== 'passed' && total.failed === 0) total.failed = 1;
    console.log(`e2e: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  }

  printsToStdio(): boolean {
    return true;
  }
}

export default SummaryReporter;
