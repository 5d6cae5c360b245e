// Next.js settings of the dashboard. The workspace libraries are TypeScript sources (for example
// @akd/search-space, whose genome expansion draws architectures), so Next compiles them too.
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** @type {import('next').NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ['@akd/core', '@akd/search-space'],
  // The libraries live outside apps/web, in the npm workspace at the repository root.
  turbopack: { root: repositoryRoot },
  outputFileTracingRoot: repositoryRoot,
  // ws loads optional native add-ons with require() guarded by try/catch; bundling breaks that.
  serverExternalPackages: ['ws'],
  // `next dev` serves its scripts and hot reload to localhost only unless other hosts are listed.
  allowedDevOrigins: ['127.0.0.1'],
  // `next dev` and `next build` would otherwise write AGENTS.md files into the workspace.
  agentRules: false,
  experimental: { agentUpgrade: false },
};

export default config;
