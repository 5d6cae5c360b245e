'use server';
// Sign-in with an API token. The token is checked against the API and kept in an httpOnly cookie,
// so scripts in the page (including injected ones) cannot read it; the dashboard's server adds it
// to every API call.
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { ApiError } from '../../lib/api-error.js';
import { executeGraphql } from '../../lib/server/api.js';
import { ROLE_COOKIE, SESSION_MAX_AGE_SECONDS, TOKEN_COOKIE } from '../../lib/server/config.js';
import { graphql } from '../../gql/index.js';

/** State of the sign-in form after a failed attempt. */
export interface SignInState {
  error: string | null;
}

// apiTokens needs an editor token, so its reply shows the role: data for an editor, FORBIDDEN
// for a read-only token, UNAUTHENTICATED for an unknown or revoked one.
const RoleProbe = graphql(`
  query RoleProbe {
    apiTokens {
      id
    }
  }
`);

/** Returns the role of `token`, or throws the API's error. */
async function roleOf(token: string): Promise<'EDITOR' | 'READER'> {
  try {
    await executeGraphql(token, RoleProbe, {});
    return 'EDITOR';
  } catch (error) {
    if (error instanceof ApiError && error.code === 'FORBIDDEN') return 'READER';
    throw error;
  }
}

/** Only paths of this site are followed after sign-in, never another origin. */
function safeNext(value: FormDataEntryValue | null): string {
  const text = typeof value === 'string' ? value : '';
  return text.startsWith('/') && !text.startsWith('//') && !text.startsWith('/\\') ? text : '/';
}

export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const raw = form.get('token');
  const token = (typeof raw === 'string' ? raw : '').trim().replace(/^Bearer\s+/i, '');
  if (token === '') return { error: 'Enter an API token.' };

  let role: 'EDITOR' | 'READER';
  try {
    role = await roleOf(token);
  } catch (error) {
    if (error instanceof ApiError && error.unauthenticated) {
      return {
        error:
          'The API does not accept this token: it is unknown or was revoked. Ask an editor for a valid token.',
      };
    }
    return { error: error instanceof Error ? error.message : String(error) };
  }

  const secure =
    (await headers()).get('x-forwarded-proto') === 'https' || process.env.AKD_WEB_SECURE_COOKIES === '1';
  const jar = await cookies();
  const options = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path: '/',
    maxAge: SESSION_MAX_AGE_SECONDS,
  };
  jar.set(TOKEN_COOKIE, token, options);
  jar.set(ROLE_COOKIE, role, options);
  redirect(safeNext(form.get('next')));
}
