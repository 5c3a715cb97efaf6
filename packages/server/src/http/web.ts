import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from './problem.js';

/** Vite puts content-hashed files under assets/: they never change, so they cache for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

function isApiPath(url: string): boolean {
  return /^\/(api|healthz|readyz)(\/|\?|$)/.test(url);
}

/**
 * Serves the built web app at / with a fallback to index.html for client-side routes, and
 * answers every other unknown path with a 404 problem.
 */
export async function registerWeb(app: FastifyInstance, webDistDir: string | null): Promise<void> {
  const root =
    webDistDir !== null && fs.existsSync(path.join(webDistDir, 'index.html')) ? webDistDir : null;
  if (webDistDir !== null && root === null) {
    app.log.warn(`no built web app in ${webDistDir}: serving the API only (run "npm run build")`);
  }
  const hasWeb = root !== null;
  if (root !== null) {
    const assets = path.join(root, 'assets') + path.sep;
    await app.register(fastifyStatic, {
      root,
      wildcard: true,
      index: 'index.html',
      setHeaders: (reply, filePath) => {
        reply.header('cache-control', filePath.startsWith(assets) ? IMMUTABLE : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !isApiPath(request.url) &&
      (request.headers.accept ?? '').includes('text/html');
    if (hasWeb && wantsPage) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, {
      title: 'Not Found',
      status: 404,
      detail: `There is no ${request.method} ${request.url.split('?')[0] ?? ''} here.`,
      instance: request.url.split('?')[0],
    });
  });
}
