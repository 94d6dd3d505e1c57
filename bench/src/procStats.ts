import { readFileSync, writeFileSync } from 'node:fs';

export interface RssSample {
  /** Highest resident set since start or the last reset (VmHWM), in MB. */
  peakMb: number;
  /** Resident set now (VmRSS), in MB. */
  currentMb: number;
}

const MB = 1024;

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(match[1]);
}

export function sampleRss(pid: number): RssSample {
  return { peakMb: statusKb(pid, 'VmHWM') / MB, currentMb: statusKb(pid, 'VmRSS') / MB };
}

/**
 * Resets the peak (VmHWM) to the current RSS, so each scenario reports its own peak rather than the
 * process's lifetime one. Linux >= 4.0; returns false where that is not allowed.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system) the process has used so far, in ms (from /proc/<pid>/stat, 100 Hz ticks). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ") "; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
