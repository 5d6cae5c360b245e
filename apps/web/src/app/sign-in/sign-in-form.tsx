'use client';
import { useActionState } from 'react';
import { signIn, type SignInState } from './actions.js';

/** The token field of the sign-in page; the server action checks the token and sets the cookie. */
export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signIn, { error: null });
  return (
    <form
      action={action}
      className="form narrow"
      aria-describedby={state.error ? 'sign-in-error' : undefined}
    >
      <input type="hidden" name="next" value={next} />
      <div className="field">
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          required
          aria-invalid={state.error ? true : undefined}
          aria-describedby="token-help"
        />
        <p id="token-help" className="help">
          An editor or read-only token, as printed by the API on its first start or created with
          createApiToken.
        </p>
      </div>
      {state.error && (
        <p id="sign-in-error" role="alert" className="error">
          {state.error}
        </p>
      )}
      <button type="submit" className="primary" disabled={pending}>
        {pending ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}
