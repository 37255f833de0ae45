// Parta's service worker: lets the app start without a network (a parent on a train reloads the page
// and still has the chat and their unsent messages), and makes it installable.
//
// An app shell, nothing more:
// - opening a page (a navigation) asks the network first and falls back to the last index.html;
// - the app's files, which Trunk names by their content hash, come from the cache once there;
// - everything else (the API, the live connection, config.json, files, the QR decoder) is never
//   touched: the browser fetches it as if there were no worker, so errors reach the app as they are.
// One cache holds one build: each index.html that arrives replaces the last, and the files it names
// replace the old build's. The worker itself is served with `Cache-Control: no-cache`.
'use strict';

// Changed when this file's way of caching changes: activating drops every other cache of Parta.
const CACHE = 'parta-shell-1';
const SHELL = '/index.html';
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/;

// The files index.html names: `href="/x"`, `src="/x"` and the start script's '/x.js' and '/x_bg.wasm'.
function assetsOf(html) {
  const found = new Set();
  const pattern = /(?:href|src)="(\/[^"]+\.(?:js|wasm|css))"|'(\/[^']+\.(?:js|wasm))'/g;
  for (const match of html.matchAll(pattern)) found.add(match[1] || match[2]);
  return [...found];
}

// Keeps `response` (an index.html) as the shell, with the files it names, and forgets the old build's.
async function keepShell(response) {
  const html = await response.clone().text();
  const assets = assetsOf(html);
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const asset of assets) if (!(await cache.match(asset))) missing.push(asset);
  await cache.addAll(missing);
  await cache.put(SHELL, response);
  const wanted = new Set(assets.map((asset) => new URL(asset, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (HASHED.test(new URL(request.url).pathname) && !wanted.has(request.url)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const response = await fetch(SHELL, { cache: 'no-cache' });
    if (!response.ok) throw new Error(`index.html: ${response.status}`);
    await keepShell(response);
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith('parta-') && name !== CACHE).map((name) => caches.delete(name)));
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(event));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then((cached) => cached || fetch(request)));
  }
});

async function navigate(event) {
  try {
    const response = await fetch(event.request);
    // The staff bundle's page (/staff.html) is fetched when needed, never kept as the shell.
    const isShell = response.ok && (response.headers.get('content-type') || '').startsWith('text/html') &&
      new URL(event.request.url).pathname !== '/staff.html';
    if (isShell) event.waitUntil(keepShell(response.clone()).catch(() => {}));
    return response;
  } catch (offline) {
    const cached = await caches.match(SHELL, { cacheName: CACHE });
    if (cached) return cached;
    throw offline;
  }
}
