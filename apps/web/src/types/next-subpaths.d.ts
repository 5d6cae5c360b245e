// The dashboard compiles with NodeNext resolution, like the workspace libraries it imports, so
// that Turbopack resolves their `./x.js` imports to `./x.ts`. Next.js publishes its subpath
// modules (next/link...) without an `exports` map, which NodeNext cannot resolve without the
// `.js` suffix; these declarations give the usual specifiers the types of those files, and Next
// still applies its own aliases to the usual specifiers when it bundles.
declare module 'next/link' {
  import type * as LinkModule from 'next/link.js';
  // NodeNext reads next/link.d.ts as CommonJS: its namespace's default is module.exports, whose
  // `default` property is the component.
  const Link: typeof LinkModule.default.default;
  export default Link;
  export * from 'next/link.js';
}

declare module 'next/navigation' {
  export * from 'next/navigation.js';
}

declare module 'next/headers' {
  export * from 'next/headers.js';
}
