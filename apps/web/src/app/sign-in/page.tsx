import type { Metadata } from 'next';
import { SignInForm } from './sign-in-form.js';

export const metadata: Metadata = { title: 'Sign in' };

const REASONS: Record<string, string> = {
  expired:
    'Your session ended because the API no longer accepts the token (it was revoked or expired). Sign in again.',
  'signed-out': 'You are signed out.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const reason = typeof params.reason === 'string' ? REASONS[params.reason] : undefined;
  const next = typeof params.next === 'string' ? params.next : '/';
  return (
    <section className="sign-in">
      <h1>Sign in to AKD Studio</h1>
      {reason && (
        <p role="status" className={params.reason === 'expired' ? 'notice warning' : 'notice'}>
          {reason}
        </p>
      )}
      <SignInForm next={next} />
    </section>
  );
}
