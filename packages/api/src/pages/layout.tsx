import type { Child } from 'hono/jsx';
import { APP_CSS } from './styles.js';

/** The head every page shares (app and action-link pages): phone viewport, no referrer, the favicon, the page's CSS. */
export function PageHead(props: { title: string; css: string; noindex?: boolean }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      {props.noindex ? <meta name="robots" content="noindex" /> : null}
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <title>{`${props.title} · drumbeat`}</title>
      <style>{props.css}</style>
    </head>
  );
}

/** The frame of every /app page: a skip link, the top bar (with sign-out when signed in) and the main landmark. */
export function Layout(props: { title: string; signedIn?: boolean; children?: Child }) {
  return (
    <html lang="en">
      <PageHead title={props.title} css={APP_CSS} />
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/app">
            drumbeat
          </a>
          {props.signedIn ? (
            <>
              <a href="/app">Accounts</a>
              <a href="/docs">API reference</a>
              <form method="post" action="/app/sign-out">
                <button type="submit">Sign out</button>
              </form>
            </>
          ) : (
            <a href="/docs">API reference</a>
          )}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}
