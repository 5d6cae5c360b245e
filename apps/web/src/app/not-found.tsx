import Link from 'next/link';

/** Shown for unknown paths and for unknown experiment, teacher, model or study ids. */
export default function NotFound() {
  return (
    <section className="panel" aria-labelledby="not-found-heading">
      <h1 id="not-found-heading">Not found</h1>
      <p>
        There is nothing at this address. The experiment, teacher, model or study may have been deleted, or
        the link has a wrong id.
      </p>
      <p>
        <Link href="/">Back to the overview</Link> · <Link href="/experiments">Experiments</Link> ·{' '}
        <Link href="/teachers">Teachers</Link>
      </p>
    </section>
  );
}
