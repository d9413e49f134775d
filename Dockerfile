# Snodus container image: compile the single executable, then ship only it on a slim Debian base.
# The base images are build arguments so the image can be built from local copies where no registry
# is reachable (README, "Container image", says how it was built and checked that way).
ARG BUILD_IMAGE=node:20-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# Same path as a developer machine: npm installs Bun from the lockfile, Bun compiles. Only runtime
# dependencies are needed to bundle the executable.
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${RUNTIME_IMAGE}
# CA roots for the upstream HTTPS calls; an unprivileged user that owns the data volume.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && useradd --uid 10001 --user-group --home-dir /data --no-create-home --shell /usr/sbin/nologin snodus \
  && mkdir -p /data \
  && chown snodus:snodus /data
COPY --from=build /src/dist/snodus /usr/local/bin/snodus
USER snodus
WORKDIR /data
# BUN_CONFIG_MAX_HTTP_REQUESTS set here spares `serve` its re-exec (src/cli/fetch-limit.ts).
ENV SNODUS_ADDR=0.0.0.0:8080 DATABASE_URL=/data/snodus.db BUN_CONFIG_MAX_HTTP_REQUESTS=65535
EXPOSE 8080
VOLUME ["/data"]
# No curl in the image: the executable is the Bun runtime too (BUN_BE_BUN=1), so it probes /health itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["env", "BUN_BE_BUN=1", "snodus", "-e", "const port = (process.env.SNODUS_ADDR ?? '').split(':').pop() || '8080'; const r = await fetch('http://127.0.0.1:' + port + '/health').catch(() => null); process.exit(r?.ok ? 0 : 1)"]
ENTRYPOINT ["snodus"]
CMD ["serve"]
