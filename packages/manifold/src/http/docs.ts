/**
 * The API reference page served on `GET /docs`: one self-contained HTML file (no CDN, no
 * external request, works offline) built from the OpenAPI document, with a form to try each
 * operation. The script reads the inlined document and builds the page with DOM calls only
 * (`textContent`, never `innerHTML`), so schema text cannot inject markup.
 *
 * @module
 */
import type { AnyApp } from '../app.ts'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const style = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#5b6570;--bg:#fff;--panel:#f5f7f9;--line:#d8dee4;--accent:#0b6bcb}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9aa7b3;--bg:#0d1117;--panel:#161b22;--line:#30363d;--accent:#4ea1ff}}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);background:var(--bg);display:grid;grid-template-columns:260px 1fr;min-height:100vh}
nav{border-right:1px solid var(--line);padding:16px;position:sticky;top:0;height:100vh;overflow:auto;background:var(--panel)}
nav h1{font-size:18px;margin:0 0 4px}nav .version{color:var(--muted);font-size:13px;margin-bottom:12px}
nav h2{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:16px 0 4px}
nav a{display:block;color:var(--fg);text-decoration:none;padding:2px 0;font-family:ui-monospace,monospace;font-size:13px}nav a:hover{color:var(--accent)}
main{padding:24px 32px;max-width:980px}section.op{border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:0 0 20px}
.route{font-family:ui-monospace,monospace;font-size:14px;margin:2px 0}.method{display:inline-block;min-width:64px;font-weight:700;color:var(--accent)}
h3{margin:0;font-family:ui-monospace,monospace;font-size:17px}p.summary{margin:6px 0 10px;color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}th,td{text-align:left;border-bottom:1px solid var(--line);padding:4px 8px;vertical-align:top}
td code{font-family:ui-monospace,monospace}.req{color:#c2410c;font-size:12px}
textarea,input{width:100%;font:13px ui-monospace,monospace;padding:8px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
textarea{min-height:80px}button{margin-top:8px;padding:6px 14px;border:0;border-radius:6px;background:var(--accent);color:#fff;font-weight:600;cursor:pointer}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px;overflow:auto;font-size:13px;white-space:pre-wrap;word-break:break-word}
details{margin:8px 0}summary{cursor:pointer;color:var(--muted)}.status{font-weight:700}.auth{margin-bottom:20px}
`

const script = `
(function () {
  var spec = JSON.parse(document.getElementById('spec').textContent);
  var nav = document.getElementById('nav');
  var main = document.getElementById('ops');
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function resolve(schema) {
    var seen = 0;
    while (schema && schema.$ref && seen++ < 20) {
      var parts = schema.$ref.replace(/^#\\//, '').split('/');
      var cur = spec;
      parts.forEach(function (p) { cur = cur && cur[p]; });
      schema = cur;
    }
    return schema || {};
  }
  function typeOf(schema) {
    schema = resolve(schema);
    if (schema.type === 'array') return typeOf(schema.items || {}) + '[]';
    if (Array.isArray(schema.type)) return schema.type.join(' | ');
    if (schema.enum) return schema.enum.map(function (v) { return JSON.stringify(v); }).join(' | ');
    if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ');
    return schema.type || 'any';
  }
  function example(schema, depth) {
    schema = resolve(schema);
    if (depth > 4) return null;
    if (schema.default !== undefined) return schema.default;
    if (schema.enum) return schema.enum[0];
    if (schema.anyOf) return example(schema.anyOf[0], depth + 1);
    var t = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (t === 'object' || schema.properties) {
      var out = {};
      var req = schema.required || [];
      Object.keys(schema.properties || {}).forEach(function (k) {
        if (req.indexOf(k) !== -1) out[k] = example(schema.properties[k], depth + 1);
      });
      return out;
    }
    if (t === 'array') return [];
    if (t === 'integer' || t === 'number') return schema.minimum !== undefined ? schema.minimum : 1;
    if (t === 'boolean') return false;
    if (t === 'string') return schema.format === 'email' ? 'someone@example.com' : 'text';
    return null;
  }
  var token = document.getElementById('token');
  var ops = [];
  Object.keys(spec.paths || {}).forEach(function (path) {
    Object.keys(spec.paths[path]).forEach(function (method) {
      var op = spec.paths[path][method];
      var name = op['x-manifold-op'] || op.operationId;
      var existing = ops.filter(function (o) { return o.name === name; })[0];
      if (existing) existing.routes.push({ method: method.toUpperCase(), path: path, op: op });
      else ops.push({ name: name, routes: [{ method: method.toUpperCase(), path: path, op: op }] });
    });
  });
  var groups = {};
  ops.forEach(function (o) {
    var dot = o.name.lastIndexOf('.');
    var g = dot === -1 ? '' : o.name.slice(0, dot);
    (groups[g] = groups[g] || []).push(o);
  });
  Object.keys(groups).sort().forEach(function (g) {
    if (g) nav.appendChild(el('h2', { text: g }));
    groups[g].forEach(function (o) { nav.appendChild(el('a', { href: '#op-' + o.name, text: o.name })); });
  });
  ops.forEach(function (o) {
    var body = o.routes.filter(function (r) { return r.method !== 'GET'; })[0];
    var route = body || o.routes[0];
    var first = route.op;
    var section = el('section', { class: 'op', id: 'op-' + o.name, 'data-op': o.name });
    section.appendChild(el('h3', { text: o.name }));
    o.routes.forEach(function (r) {
      section.appendChild(el('div', { class: 'route' }, [el('span', { class: 'method', text: r.method }), document.createTextNode(r.path)]));
    });
    if (first.summary) section.appendChild(el('p', { class: 'summary', text: first.summary }));
    var input = null;
    if (first.requestBody) input = resolve(first.requestBody.content['application/json'].schema);
    else if (first.parameters) {
      input = { type: 'object', properties: {}, required: [] };
      first.parameters.forEach(function (p) {
        input.properties[p.name] = p.schema;
        if (p.required) input.required.push(p.name);
      });
    }
    (first.parameters || []).forEach(function (p) {
      if (p.in === 'path' && input && !input.properties[p.name]) {
        input.properties[p.name] = p.schema;
        input.required = (input.required || []).concat([p.name]);
      }
    });
    if (input && input.properties && Object.keys(input.properties).length) {
      var rows = Object.keys(input.properties).map(function (k) {
        var s = resolve(input.properties[k]);
        var required = (input.required || []).indexOf(k) !== -1;
        return el('tr', {}, [
          el('td', {}, [el('code', { text: k }), required ? el('span', { class: 'req', text: ' required' }) : null]),
          el('td', {}, [el('code', { text: typeOf(s) })]),
          el('td', { text: s.description || '' }),
        ]);
      });
      section.appendChild(el('table', {}, [el('thead', {}, [el('tr', {}, [el('th', { text: 'Field' }), el('th', { text: 'Type' }), el('th', { text: 'Description' })])]), el('tbody', {}, rows)]));
      section.appendChild(el('details', {}, [el('summary', { text: 'JSON Schema' }), el('pre', { text: JSON.stringify(input, null, 2) })]));
    }
    var area = el('textarea', { 'aria-label': 'Input of ' + o.name, spellcheck: 'false' });
    area.value = JSON.stringify(input ? example(input, 0) : {}, null, 2);
    var output = el('pre', { class: 'response', hidden: '' });
    var button = el('button', { type: 'button', text: 'Send' });
    button.addEventListener('click', function () {
      var value;
      try { value = area.value.trim() === '' ? {} : JSON.parse(area.value); }
      catch (e) { output.hidden = false; output.textContent = 'Input is not JSON: ' + e.message; return; }
      var path = route.path.replace(/\\{([^}/]+)\\}/g, function (_m, name) {
        var v = value[name];
        delete value[name];
        return encodeURIComponent(String(v));
      });
      var init = { method: route.method, headers: { accept: 'application/json, application/x-ndjson' } };
      if (token && token.value) init.headers.authorization = 'Bearer ' + token.value;
      if (route.method === 'GET') {
        var q = new URLSearchParams();
        Object.keys(value).forEach(function (k) {
          [].concat(value[k]).forEach(function (v) { q.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v)); });
        });
        if (String(q)) path += '?' + q;
      } else {
        init.headers['content-type'] = 'application/json';
        init.body = JSON.stringify(value);
      }
      output.hidden = false;
      output.textContent = '…';
      fetch(path, init).then(function (res) {
        return res.text().then(function (text) {
          var pretty = text;
          try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (e) {}
          output.textContent = '';
          output.appendChild(el('span', { class: 'status', text: res.status + ' ' + res.statusText + '\\n' }));
          output.appendChild(document.createTextNode(pretty));
        });
      }, function (e) { output.textContent = 'Request failed: ' + e.message; });
    });
    section.appendChild(el('div', { class: 'try' }, [area, button, output]));
    main.appendChild(section);
  });
})();
`

/**
 * The docs page of an app, with its OpenAPI document (JSON text) inlined.
 *
 * @example
 * ```ts
 * import { app } from 'manifold'
 * import { docsPage } from './docs.ts'
 * const html = docsPage(app({ name: 'hello', version: '1.0.0', operations: [] }), '{"openapi":"3.1.0","paths":{}}')
 * ```
 */
export function docsPage(app: AnyApp, spec: string): string {
  // `<` escaped keeps "</script>" in a description from ending the data block.
  const data = spec.replace(/</g, '\\u003c')
  const hasAuth = app.auth !== undefined
  const title = escapeHtml(app.name)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} API reference</title><link rel="icon" href="data:,"><style>${style}</style></head>
<body><nav id="nav"><h1>${title}</h1><div class="version">v${escapeHtml(app.version)} · <a href="openapi.json" style="display:inline">openapi.json</a></div></nav>
<main><p>${escapeHtml(app.description ?? '')}</p>${
    hasAuth
      ? '<div class="auth"><label for="token">Bearer token (sent with every try-it call)</label><input id="token" type="password" autocomplete="off"></div>'
      : ''
  }<div id="ops"></div></main>
<script type="application/json" id="spec">${data}</script>
<script>${script}</script></body></html>
`
}
