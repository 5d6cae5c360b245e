import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Nav } from '../components/nav.js';
import { readSession } from '../lib/server/api.js';
import './globals.css';

export const metadata: Metadata = {
  title: { template: '%s · AKD Studio', default: 'AKD Studio' },
  description:
    'Architecture-aware knowledge distillation: search the student that learns best from a teacher.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await readSession();
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="topbar">
          <a href="/" className="brand">
            AKD Studio
          </a>
          {session && <Nav />}
          {session && (
            <div className="session">
              <span className="role" title="Role of the API token">
                {session.role === 'EDITOR' ? 'Editor' : 'Read-only'}
              </span>
              <form action="/sign-out" method="post">
                <button type="submit" className="link-button">
                  Sign out
                </button>
              </form>
            </div>
          )}
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
