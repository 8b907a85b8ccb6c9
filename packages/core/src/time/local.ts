import { Temporal } from 'temporal-polyfill';

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/**
 * A local wall-clock date-time (YYYY-MM-DDTHH:mm[:ss[.sss]], no offset) in the
 * IANA `zone` as an instant. A time in a DST gap moves forward by the gap's
 * length (02:30 on a spring-forward night in New York is 03:30 EDT); a
 * repeated time takes its first occurrence. That is Temporal's 'compatible'
 * disambiguation. Throws RangeError on a malformed time or an unknown zone.
 */
export function localToInstant(local: string, zone: string): Date {
  if (!LOCAL.test(local)) {
    throw new RangeError(`"${local}" is not a local date-time YYYY-MM-DDTHH:mm[:ss] without offset`);
  }
  const zdt = Temporal.PlainDateTime.from(local, { overflow: 'reject' }).toZonedDateTime(zone, {
    disambiguation: 'compatible',
  });
  return new Date(zdt.epochMilliseconds);
}
