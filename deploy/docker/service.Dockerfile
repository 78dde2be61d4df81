# syntax=docker/dockerfile:1
#
# The image of one Skald service; the same file builds all six. Build context: the repository root.
#
#   docker build -f deploy/docker/service.Dockerfile \
#     --build-arg SERVICE=orders --build-arg PORT=3001 -t skald/orders:0.1.0 .
#
# docker-compose.yml builds every service this way. The image starts the service with the
# OpenTelemetry SDK (`node <V8 flags> --import @skald/service-kit/instrument dist/main.js`); the same image
# runs migrations with `node dist/migrate.js run`.
# Works with BuildKit and with the legacy builder (no BuildKit-only instructions).
# deploy/docker/test checks this file's rules and the production dependency tree without Docker.

# Current Node.js LTS (26 since 2026-10-28) on the current Debian stable.
ARG NODE_IMAGE=node:26-trixie-slim

# ---- manifests: every workspace's package.json and nothing else. `npm ci` needs all of them to
# match the lock; copying them out of the sources keeps the dependency layers cached until a
# manifest changes.
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

# ---- build: every dependency exactly as locked, the libraries and the one service, compiled by
# Nx (libraries first).
FROM base AS build
RUN npm ci
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

# ---- prod-deps: the one service's production dependency tree, as locked, and nothing else.
# `npm ci --omit=dev --workspace services/<service>` alone is not enough (npm 11): the workspace
# filter follows every dependency of the service's workspace, devDependencies included, and
# --omit=dev never drops a workspace (the root lists each one, so npm counts it as production) —
# @skald/testing, a devDependency of the services, came in with its test servers (smtp-server,
# supertest, mailparser). With the devDependencies taken out of the manifests nothing reaches it;
# `npm ci` still installs exactly the locked versions (it refuses a tree the lock does not hold).
# No package of the production tree needs an install script (deploy/docker/test runs each service
# from a tree installed this way). The manifests of the workspaces the service does not use are
# dropped, so the image holds only what it runs.
FROM base AS prod-deps
ARG SERVICE
RUN npm pkg delete devDependencies --workspaces --include-workspace-root \
 && npm ci --omit=dev --ignore-scripts --workspace "services/${SERVICE}" \
 && for dir in libs/* services/* e2e deploy; do \
      [ -e "node_modules/@skald/$(basename "$dir")" ] || rm -rf "$dir"; \
    done

# ---- app: the production tree plus the compiled code of the service and of the libraries it uses.
FROM prod-deps AS app
ARG SERVICE
COPY --from=build /out /out
RUN for lib in libs/*; do cp -r "/out/$lib/dist" "$lib/"; done \
 && cp -r "/out/services/${SERVICE}/dist" "services/${SERVICE}/"

# ---- runtime: owned by root, run as the unprivileged `node` user (uid 1000), so the service can
# write nothing under /app; it writes nowhere but /tmp, and runs with a read-only root filesystem
# (deploy/k8s mounts an emptyDir at /tmp). Node is PID 1 (exec-form CMD, no shell): it gets
# SIGTERM itself, and the service handles SIGTERM and SIGINT (drain, then exit 0; docs/adr/0003).
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG PORT
# A small young generation, a bounded old one and two malloc arenas, and (in CMD) the V8 flags that
# NODE_OPTIONS refuses (docs/adr/0003, Memory): the same settings as scripts/lib/suite.mjs gives
# `npm start` and the benchmarks (deploy/docker/test checks).
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=128" \
    MALLOC_ARENA_MAX=2 \
    PORT=${PORT}
WORKDIR /app
COPY --from=app /app ./
WORKDIR /app/services/${SERVICE}
USER node
EXPOSE ${PORT}
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "--no-maglev-destroy-on-background", "--import", "@skald/service-kit/instrument", "dist/main.js"]
