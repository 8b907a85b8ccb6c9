import type { MailMessage } from '@drumbeat/core';

/** The sender the mailer tests send as. */
export const FROM = 'Drumbeat <alerts@drumbeat.example>';

/** A cadence alert to two recipients, text and HTML, with its X-Drumbeat-Alert header and `headers`. */
export const alertMail = (headers: Record<string, string> = {}): MailMessage => ({
  to: ['owner@brand.example', 'agency@studio.example'],
  subject: 'Cadence lapsed on @brand — 3 days without a post',
  text: 'Nothing was published on @brand since Monday.',
  html: '<p>Nothing was published on <b>@brand</b> since Monday.</p>',
  headers: { 'X-Drumbeat-Alert': 'alr_123', ...headers },
});
