// One line per project at the end of the run, after the list reporter's details:
//   e2e phone: 12 passed, 0 failed, 0 skipped
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
    if (this.byProject.size === 0) return;
    for (const [project, t] of this.byProject) {
      console.log(`e2e ${project}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
    }
    console.log(`e2e result: ${result.status}`);
  }

  printsToStdio(): boolean {
    return true;
  }
}

export default SummaryReporter;
