/**
 * Who owns a queued/running run, in a form a reused PID does not share. A run records its
 * owner as `host:pid` (migration 006) plus a start token (migration 009): on Linux the
 * kernel's boot id and the process's start time in clock ticks (/proc/<pid>/stat, field 22),
 * which another process can read back for any PID; elsewhere a random id of this process,
 * which at least tells this process from an earlier one that had its PID.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const BOOT_ID = readText('/proc/sys/kernel/random/boot_id')?.trim() ?? null;

/** The start token of a live process (Linux), or null when it cannot be read (gone, or no /proc). */
export function startTokenOf(pid: number): string | null {
  if (BOOT_ID === null || !Number.isInteger(pid) || pid <= 0) return null;
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // the command name (field 2) is in parentheses and may hold spaces and ')': split after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[22 - 3];
  return start && /^\d+$/.test(start) ? `${BOOT_ID}:${start}` : null;
}

/** Whether other processes' start tokens can be read here (Linux /proc). */
export const CAN_READ_START = startTokenOf(process.pid) !== null;

/** `host:pid` of this process. */
export const PROCESS_OWNER = `${hostname()}:${process.pid}`;

/** This process's start token (a random id where /proc is not available). */
export const PROCESS_START = startTokenOf(process.pid) ?? `r:${randomBytes(8).toString('hex')}`;

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process recorded as `owner` (`host:pid`) with start token `start` may still be
 * running: another host's processes are not ours to judge (true); this PID is alive only
 * with this process's token; another PID is alive if it exists and, where tokens can be
 * read, has the recorded one. Rows from before migration 009 (no token) fall back to the PID.
 */
export function ownerAlive(owner: string | null, start: string | null): boolean {
  if (owner === null) return false;
  const i = owner.lastIndexOf(':');
  const host = owner.slice(0, i);
  const pid = Number(owner.slice(i + 1));
  if (host !== hostname()) return true;
  // one live process has this PID, and it is this one: the owner is this process or gone
  if (pid === process.pid) return start === null ? false : start === PROCESS_START;
  if (!pidExists(pid)) return false;
  if (start === null || !CAN_READ_START || start.startsWith('r:')) return true;
  return startTokenOf(pid) === start;
}

/**
 * A study trial's owner: `host:pid#start`, so a trial left RUNNING by a dead process is
 * requeued even when a live process has since taken its PID (the start token tells them apart).
 */
export const PROCESS_TRIAL_OWNER = `${PROCESS_OWNER}#${PROCESS_START}`;

/** Whether a trial's owner (PROCESS_TRIAL_OWNER, or a bare `host:pid` written before it) may still run. */
export function trialOwnerAlive(owner: string | null): boolean {
  if (owner === null) return false;
  const k = owner.indexOf('#');
  return k < 0 ? ownerAlive(owner, null) : ownerAlive(owner.slice(0, k), owner.slice(k + 1));
}
