// Ends the session: clears the cookies and opens the sign-in page, with the reason when the API
// rejected the token.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { ROLE_COOKIE, TOKEN_COOKIE } from '../../lib/server/config.js';

export const dynamic = 'force-dynamic';

async function signOut(request: Request): Promise<Response> {
  // Next.js prefetches links in view with GET requests marked by these headers; they must not end the session.
  if (request.headers.has('next-router-prefetch') || request.headers.has('rsc')) {
    return new Response(null, { status: 204 });
  }
  const jar = await cookies();
  jar.delete(TOKEN_COOKIE);
  jar.delete(ROLE_COOKIE);
  const reason = new URL(request.url).searchParams.get('reason');
  redirect(reason === 'expired' ? '/sign-in?reason=expired' : '/sign-in?reason=signed-out');
}

export const GET = signOut;
export const POST = signOut;
