import type { FieldError } from '@drumbeat/core';
import { Layout } from './layout.js';

const HEADINGS: Record<number, string> = {
  400: 'This page cannot be shown for that address',
  403: 'Not allowed',
  404: 'Not found',
  413: 'Too much data',
  422: 'Refused',
  429: 'Too many requests',
  500: 'Something went wrong',
};

/** A plain error page: what went wrong, each bad field, and a way back. */
export function ErrorPage(props: {
  status: number;
  detail: string;
  errors?: FieldError[] | undefined;
  signedIn: boolean;
}) {
  const heading = HEADINGS[props.status] ?? 'Error';
  return (
    <Layout title={heading} signedIn={props.signedIn}>
      <h1>{heading}</h1>
      <p class="error" role="alert">
        {props.detail}
      </p>
      {props.errors?.length ? (
        <ul>
          {props.errors.map((e) => (
            <li>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/app">Back to your accounts</a>
      </p>
    </Layout>
  );
}
