/**
 * Calendar arithmetic and a strict, allocation-free ISO-8601 timestamp parser.
 *
 * Why not `Date.parse`: it reads `2024-01-31T00:00:00` (no zone) as *local* time, accepts
 * many non-ISO forms, and is slow enough to matter on a million rows. Here a timestamp
 * without a zone is UTC, and the caller is told (via `IsoParse.hasZone`) so it can warn.
 *
 * Calendar conversions follow H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"
 * (days_from_civil / civil_from_days), proleptic Gregorian, exact for every year.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
export const MS_PER_WEEK = 7 * MS_PER_DAY;

/** Days since 1970-01-01 of the proleptic Gregorian date y-m-d (m 1..12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Month index (year × 12 + month − 1) of the UTC calendar month containing epoch ms `t`. */
export function monthIndexOf(t: number): number {
  const z = Math.floor(t / MS_PER_DAY) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 12 + (m - 1);
}

/** Epoch ms of 00:00 UTC on the first day of the month with the given month index. */
export function monthStart(monthIndex: number): number {
  const y = Math.floor(monthIndex / 12);
  return daysFromCivil(y, monthIndex - y * 12 + 1, 1) * MS_PER_DAY;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** ISO-8601 text for messages; falls back to the number when it is outside Date's range. */
export function formatIso(t: number): string {
  if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) return String(t);
  return new Date(t).toISOString();
}

/** Reusable output slot for `parseIso` (no allocation per call). */
export interface IsoParse {
  ms: number;
  hasTime: boolean;
  hasZone: boolean;
}

export function newIsoParse(): IsoParse {
  return { ms: NaN, hasTime: false, hasZone: false };
}

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** True when s[start, end) (blanks trimmed) starts like an ISO date `YYYY-MM-DD`, the cheap test used to pick a parser. */
export function looksLikeIsoDate(s: string, start = 0, end = s.length): boolean {
  while (start < end && s.charCodeAt(start) <= 32) start++;
  return end - start >= 10 && s.charCodeAt(start + 4) === 45 && d2(s, start) >= 0 && d2(s, start + 2) >= 0;
}

/** `parseIsoAt` over a whole string. */
export function parseIso(input: string, out: IsoParse): boolean {
  return parseIsoAt(input, 0, input.length, out);
}

/**
 * Parses s[start, end) as `YYYY-MM-DD[(T|t| )HH:MM[:SS[(.|,)f{1,9}]]][Z|z|±HH[:MM]|±HHMM]`
 * (surrounding blanks allowed). Returns false for anything else, including impossible
 * dates (Feb 30), hour 24 and leap seconds. No zone means UTC; `out.hasZone` says which
 * case applied.
 */
export function parseIsoAt(s: string, start: number, end: number, out: IsoParse): boolean {
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  const b = start;
  const n = end;
  if (n - b < 10 || s.charCodeAt(b + 4) !== 45 || s.charCodeAt(b + 7) !== 45) return false;
  const yHi = d2(s, b);
  const yLo = d2(s, b + 2);
  const mo = d2(s, b + 5);
  const da = d2(s, b + 8);
  if (yHi < 0 || yLo < 0 || mo < 1 || mo > 12 || da < 1) return false;
  const y = yHi * 100 + yLo;
  if (da > daysInMonth(y, mo)) return false;
  let i = b + 10;
  let hh = 0;
  let mm = 0;
  let ss = 0;
  let fracMs = 0;
  let offsetMin = 0;
  let hasTime = false;
  let hasZone = false;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if (sep === 84 || sep === 116 || sep === 32) {
      // T, t or space, then HH:MM
      hh = d2(s, i + 1);
      mm = d2(s, i + 4);
      if (hh < 0 || hh > 23 || s.charCodeAt(i + 3) !== 58 || mm < 0 || mm > 59) return false;
      i += 6;
      hasTime = true;
      if (i < n && s.charCodeAt(i) === 58) {
        ss = d2(s, i + 1);
        if (ss < 0 || ss > 59) return false;
        i += 3;
        const dot = s.charCodeAt(i);
        if (i < n && (dot === 46 || dot === 44)) {
          i++;
          let value = 0;
          let scale = 1;
          const start = i;
          while (i < n) {
            const c = s.charCodeAt(i) - 48;
            if (c < 0 || c > 9) break;
            value = value * 10 + c;
            scale *= 10;
            i++;
          }
          if (i === start || i - start > 9) return false;
          fracMs = (value * 1000) / scale;
        }
      }
    }
    if (i < n) {
      const z = s.charCodeAt(i);
      if (z === 90 || z === 122) {
        hasZone = true;
        i++;
      } else if (z === 43 || z === 45) {
        const sign = z === 43 ? 1 : -1;
        const oh = d2(s, i + 1);
        if (oh < 0 || oh > 23) return false;
        i += 3;
        let om = 0;
        if (i < n && s.charCodeAt(i) === 58) {
          om = d2(s, i + 1);
          i += 3;
        } else if (i < n) {
          om = d2(s, i);
          i += 2;
        }
        if (om < 0 || om > 59) return false;
        offsetMin = sign * (oh * 60 + om);
        hasZone = true;
      }
    }
    if (i !== n) return false;
  }
  out.ms = (daysFromCivil(y, mo, da) * 86400 + hh * 3600 + mm * 60 + ss) * 1000 + fracMs - offsetMin * MS_PER_MINUTE;
  out.hasTime = hasTime;
  out.hasZone = hasZone;
  return true;
}
