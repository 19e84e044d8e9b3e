// How files are written for people: sizes in KB/MB/GB, checksums shortened.
const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;
const exact = new Intl.NumberFormat('en');

/** "1.5 MB", "120 KB", "12 bytes": powers of 1,024, one decimal below 10. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  // Round first, so 1,023.97 KB reads "1.0 MB" rather than "1024 KB".
  while (unit < UNITS.length - 1 && Number(value.toFixed(value < 10 ? 1 : 0)) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** The exact size, for a tooltip: "1,572,864 bytes". */
export function exactBytes(bytes: number): string {
  return bytes === 1 ? '1 byte' : `${exact.format(bytes)} bytes`;
}

/** Enough of a SHA-256 to compare by eye; the full value goes in a title and the copy button. */
export function shortChecksum(sha256: string): string {
  return sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256;
}
