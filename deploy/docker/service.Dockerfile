# syntax=docker/dockerfile:1
#
# The image of one Skald service; the same file builds all six. Build context: the repository root.
#
#   docker build -f deploy/docker/service.Dockerfile \
#     --build-arg SERVICE=orders --build-arg PORT=3001 -t skald/orders .
#
# docker-compose.yml builds every service this way. The image starts the service with the
# OpenTelemetry SDK (`node --import @skald/service-kit/instrument dist/main.js`); the same image
# runs migrations with `node dist/migrate.js run`.
# Works with BuildKit and with the legacy builder (no BuildKit-only instructions).

# Current Node.js LTS (26 since 2026-10-28) on the current Debian stable.
ARG NODE_IMAGE=node:26-trixie-slim

# ---- manifests: every workspace's package.json and nothing else. npm needs all of them;
# copying them out of the sources keeps the dependency layers cached until a manifest changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY libs libs
COPY services services
COPY e2e/package.json e2e/package.json
COPY deploy/package.json deploy/package.json
RUN mkdir /manifests && cp --parents libs/*/package.json services/*/package.json e2e/package.json deploy/package.json /manifests/

# ---- base: root manifests plus the workspace manifests.
FROM ${NODE_IMAGE} AS base
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NX_TUI=false \
    SCARF_ANALYTICS=false \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=manifests /manifests/ ./

# ---- build: all dependencies, the libraries and the one service, compiled by Nx (libraries first).
# `npm install` with the lock file, not `npm ci`: see docs/adr/0001 (the lock lacks other
# platforms' optional builds of @swc/core, which `npm ci` refuses).
FROM base AS build
RUN npm install
COPY nx.json tsconfig.base.json ./
COPY libs libs
ARG SERVICE
ARG PORT
RUN test -n "$SERVICE" && test -n "$PORT" \
 || { echo 'build with --build-arg SERVICE=<name> --build-arg PORT=<port>' >&2; exit 1; }
COPY services/${SERVICE} services/${SERVICE}
RUN npx nx run "@skald/${SERVICE}:build" \
 && mkdir /out \
 && cp -r --parents libs/*/dist "services/${SERVICE}/dist" /out/ \
 && find /out -name '*.tsbuildinfo' -delete

# ---- prod-deps: production dependencies only. node_modules/@skald/* are relative symlinks into
# libs/ and services/; the links to the other services are dropped along with their manifests.
FROM base AS prod-deps
RUN npm install --omit=dev
ARG SERVICE
RUN find node_modules/@skald -maxdepth 1 -type l \( -lname '../../services/*' ! -name "$SERVICE" -o -lname '../../e2e' -o -lname '../../deploy' \) -delete \
 && find services -mindepth 1 -maxdepth 1 ! -name "$SERVICE" -exec rm -rf {} + \
 && rm -rf e2e deploy

# ---- runtime: production node_modules + the compiled libraries and service, owned by root and
# run as the unprivileged `node` user.
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG PORT
# A small young generation and a bounded old one keep a service's peak RSS near 120 MB (docs/adr/0003).
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=128" \
    MALLOC_ARENA_MAX=2 \
    PORT=${PORT}
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /out ./
WORKDIR /app/services/${SERVICE}
USER node
EXPOSE ${PORT}
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "--import", "@skald/service-kit/instrument", "dist/main.js"]
