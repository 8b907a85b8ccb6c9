import { Layout } from './layout.js';

/** The sign-in form: one API key field; the key is kept in an http-only cookie, never shown again. */
export function SignInPage(props: { next: string; error?: string | undefined }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in to drumbeat</h1>
      <div class="panel">
        {props.error ? (
          <p class="error" role="alert" id="sign-in-error">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/app/sign-in">
          <input type="hidden" name="next" value={props.next} />
          <label for="key">API key</label>
          <input
            id="key"
            name="key"
            type="password"
            required
            autocomplete="off"
            spellcheck={false}
            aria-describedby={props.error ? 'key-help sign-in-error' : 'key-help'}
          />
          <p id="key-help" class="muted">
            A key of your workspace, <code>dbk.…</code> (any role can look). It is kept in a secure, http-only cookie
            for 12 hours.
          </p>
          <button class="primary" type="submit">
            Sign in
          </button>
        </form>
      </div>
    </Layout>
  );
}
