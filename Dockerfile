# syntax=docker/dockerfile:1
# otel-netif container image.
#   docker build -t otel-netif .
#   docker run --rm --network host -v /proc:/host/proc:ro -v /sys:/host/sys:ro otel-netif run --root-path=/host
# Multi-stage: TypeScript and the dev dependencies stay in the build stages; the final image has
# Node, the compiled packages and their production dependencies, and runs as a non-root user.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# Manifests first, so the dependency layer is reused until package-lock.json changes.
COPY package.json package-lock.json ./
COPY packages/metadata/package.json packages/metadata/
COPY packages/receiver-netif/package.json packages/receiver-netif/
COPY packages/processor-rate/package.json packages/processor-rate/
COPY packages/cli/package.json packages/cli/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY packages/ packages/
RUN npx tsc -b packages/cli && node packages/cli/scripts/bundle.mjs

# The run-time tree: the built packages plus production dependencies only, installed fresh so no
# dev dependency (or a package-local node_modules from the build stage) reaches the final image.
FROM ${NODE_IMAGE} AS runtime-tree
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=build /src/packages ./packages
RUN rm -rf packages/*/node_modules \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE}
# The wrapper runs the bundle itself, not `node otel-netif.js`: its launcher lines carry the agent's V8 and malloc settings.
# npm, npx and yarn are not needed at run time; removing them shrinks what an attacker can use.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && printf '#!/bin/sh\nexec /app/packages/cli/dist/bundle/otel-netif.js "$@"\n' > /usr/local/bin/otel-netif \
 && chmod 0755 /usr/local/bin/otel-netif
WORKDIR /app
ENV NODE_ENV=production
COPY --from=runtime-tree /app ./
# A container's own loopback is useless to a scraper: listen on all of the container's addresses.
# Flags still win over this (the agent's precedence is flag > env > file > default).
ENV OTEL_NETIF_LISTEN=0.0.0.0:9464
EXPOSE 9464
# Any fixed non-root UID works: /proc/net/dev and /sys/class/net are world-readable. Numeric, so
# Kubernetes' runAsNonRoot can verify it.
USER 65532:65532
ENTRYPOINT ["otel-netif"]
CMD ["run"]
