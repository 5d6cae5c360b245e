# One image for the API, the workers, the dashboard and the CLI; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV AKD_DATA_DIR=/data
COPY package.json package-lock.json ./
COPY apps ./apps
COPY libs ./libs
COPY prisma ./prisma
COPY scripts ./scripts
COPY data ./data
COPY prisma.config.mjs tsconfig.json tsconfig.base.json ./
RUN npm ci --no-audit --no-fund
# Production build of the dashboard (apps/web), which the compose `web` service starts.
RUN npm run web:build
ENV NODE_ENV=production
VOLUME /data
CMD ["npx", "tsx", "apps/api/src/main.ts"]
