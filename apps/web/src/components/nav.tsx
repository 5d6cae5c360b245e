'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/experiments', label: 'Experiments' },
  { href: '/teachers', label: 'Teachers' },
  { href: '/leaderboards', label: 'Leaderboards' },
  { href: '/studies', label: 'Studies' },
  { href: '/models', label: 'Models' },
  { href: '/latency', label: 'Latency' },
  { href: '/workers', label: 'Workers' },
];

/** Main navigation; the link of the current section carries aria-current. */
export function Nav() {
  const pathname = usePathname();
  const current = (href: string) =>
    href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <nav aria-label="Main">
      <ul className="nav">
        {LINKS.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={current(link.href) ? 'page' : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
