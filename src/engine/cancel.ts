/**
 * A task given up before it started: its caller's signal aborted while it was still queued
 * (in a worker pool, or behind the inline evaluator's yield). It never ran, so nothing of it
 * is stored; an optimisation trial it belonged to goes back to WAITING (run first when the study
 * resumes), a batch item is cancelled.
 */
export class TaskCancelled extends Error {
  constructor(message = 'cancelled before it started') {
    super(message);
    this.name = 'TaskCancelled';
  }
}
