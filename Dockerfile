# Snodus container image: compile the single executable, then ship it on a slim base.
# (No Docker engine runs on the development machines, so this file is kept deliberately plain.)
# Same path as a developer machine: Node/npm install Bun from the lockfile, Bun compiles.
FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/dist/snodus /usr/local/bin/snodus
WORKDIR /data
# BUN_CONFIG_MAX_HTTP_REQUESTS set here spares `serve` its re-exec (src/cli/fetch-limit.ts).
ENV SNODUS_ADDR=0.0.0.0:8080 DATABASE_URL=/data/snodus.db BUN_CONFIG_MAX_HTTP_REQUESTS=65535
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["snodus"]
CMD ["serve"]
