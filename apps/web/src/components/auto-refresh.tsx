'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/** A switch that re-renders the page's server data every `seconds` while it is on. */
export function AutoRefresh({ seconds }: { seconds: number }) {
  const router = useRouter();
  const [on, setOn] = useState(true);
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => router.refresh(), seconds * 1000);
    return () => clearInterval(timer);
  }, [on, router, seconds]);
  return (
    <label className="field inline">
      <input type="checkbox" checked={on} onChange={(event) => setOn(event.target.checked)} />
      Refresh every {seconds} s
    </label>
  );
}
