/**
 * The checklist the offline page shows while it builds a request: each step is
 * waiting, running, passed, failed (with its error code and message), skipped or not
 * run. Status is spelled out in text, never told by colour alone.
 *
 * @module
 */
import { describeError } from './dom.js';

export type StepStatus = 'waiting' | 'running' | 'passed' | 'failed' | 'skipped' | 'not-run';

const STATUS_TEXT: Record<StepStatus, string> = {
  waiting: 'Waiting',
  running: 'Running…',
  passed: '✓ Passed',
  failed: '✗ Failed',
  skipped: '⚠ Skipped',
  'not-run': '– Not run',
};

interface Step {
  readonly id: string;
  readonly li: HTMLLIElement;
  readonly status: HTMLSpanElement;
  readonly detail: HTMLSpanElement;
  state: StepStatus;
}

export class Checklist {
  private readonly steps: Step[] = [];

  constructor(private readonly list: HTMLOListElement) {
    list.replaceChildren();
  }

  /** Appends a waiting step; its element id is `step-<id>`. */
  add(id: string, title: string): void {
    const li = document.createElement('li');
    li.id = `step-${id}`;
    const status = document.createElement('span');
    status.className = 'status';
    const text = document.createElement('span');
    text.className = 'title';
    text.textContent = title;
    const detail = document.createElement('span');
    detail.className = 'detail';
    li.append(status, ' ', text, detail);
    this.list.append(li);
    const step: Step = { id, li, status, detail, state: 'waiting' };
    this.steps.push(step);
    this.render(step);
  }

  set(id: string, state: StepStatus, detail?: string): void {
    const step = this.steps.find((s) => s.id === id);
    if (!step) throw new Error(`page: no step ${id}`);
    step.state = state;
    if (detail !== undefined) step.detail.textContent = detail;
    this.render(step);
  }

  /** The first step not yet passed or skipped: the one running, or next to run. */
  current(): string | undefined {
    return this.steps.find((s) => s.state !== 'passed' && s.state !== 'skipped')?.id;
  }

  /** Marks the current step failed with the error's code and message, and the rest not run. */
  fail(e: unknown): { code: string; message: string } {
    const err = describeError(e);
    const id = this.current();
    let after = false;
    for (const s of this.steps) {
      if (s.id === id) {
        this.set(s.id, 'failed', `${err.code}: ${err.message}`);
        after = true;
      } else if (after) {
        this.set(s.id, 'not-run', '');
      }
    }
    return err;
  }

  private render(step: Step): void {
    step.li.className = step.state;
    step.li.dataset.status = step.state;
    step.status.textContent = STATUS_TEXT[step.state];
  }
}
