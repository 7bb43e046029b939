# One image for every Tessera process (the five services, the CLI, standalone); docker-compose.yml
# and the Helm chart (deploy/helm/tessera) pick the process with `command`: `node
# dist/apps/<service>/src/main.js` for a service, `tessera <command>` for the CLI (e.g. the
# migration). The default is the standalone mode (DESIGN §6).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/cli/package.json packages/cli/package.json
# No install scripts yet: `prepare` builds, and the sources are not copied at this point.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# `tessera` (packages/cli, a workspace link in node_modules/.bin) runs dist/apps/cli/src/main.js.
ENV PATH=/app/node_modules/.bin:$PATH
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
CMD ["node", "dist/apps/standalone/src/main.js"]
