import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';

const require = createRequire(import.meta.url);
const swaggerUiDir = dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>API docs</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;

// persistAuthorization keeps the token pasted into "Authorize" across page reloads (in localStorage).
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, persistAuthorization: true });`;

/**
 * `/openapi.json` and `/docs`, a Swagger UI page served from the installed swagger-ui-dist package,
 * so the docs work with no internet. Its scripts are files, not inline, so the CSP stays strict.
 */
export function docsRouter(document: object): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  const page = helmet({ contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'] } } });
  router.get('/docs', page, (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  router.use('/docs/assets', express.static(swaggerUiDir, { index: false, maxAge: '1h' }));
  return router;
}
