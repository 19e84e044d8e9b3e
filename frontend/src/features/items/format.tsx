// Small pieces of text every part of the record view writes the same way.

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
// Dates in `data` are calendar days (YYYY-MM-DD) with no zone: shown in UTC so no zone moves them a day.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: 'UTC' });

/** A moment (RFC 3339), in the reader's time zone, with the exact value for machines and tooltips. */
export function DateTime({ value }: { value: string }) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{value}</>;
  return (
    <time dateTime={value} title={date.toISOString()}>
      {dateTimeFormat.format(date)}
    </time>
  );
}

/** A calendar date (YYYY-MM-DD). */
export function CalendarDate({ value }: { value: string }) {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime())) return <>{value}</>;
  return <time dateTime={value}>{dateFormat.format(date)}</time>;
}

/** The start of an id, enough to tell records apart while their names load. */
export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

/** Only web addresses become links: a `javascript:` or `data:` value stays text. */
export function webAddress(value: string): URL | undefined {
  if (/\s/.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function ExternalLink({ href }: { href: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {href}
      <span className="visually-hidden">, opens in a new tab</span>
    </a>
  );
}
