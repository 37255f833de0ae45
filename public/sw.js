// Parta's service worker: lets the app start without a network (a parent on a train reloads the page
// and still has the chat and their unsent messages), and makes it installable.
//
// An app shell, nothing more:
// - opening a page (a navigation) asks the network first and falls back to the last index.html;
// - the app's files, named by their content hash, come from the cache once there: those index.html
//   names, and every chunk of the app (src/chunks.rs), which the chunks' loader `__wasm_split-….js`
//   names — a screen opened without a network needs its chunk;
// - everything else (the API, the live connection, config.json, files, the QR decoder) is never
//   touched: the browser fetches it as if there were no worker, so errors reach the app as they are.
// One cache holds one build: each index.html that arrives replaces the last, and the files it names
// replace the old build's. The worker itself is served with `Cache-Control: no-cache`.
'use strict';

// Changed when this file's way of caching changes: activating drops every other cache of Parta.
const CACHE = 'parta-shell-2';
const SHELL = '/index.html';
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/;

// The files index.html names: `href="/x"`, `src="/x"` and the start script's '/x.js' and '/x_bg.wasm'.
function assetsOf(html) {
  const found = new Set();
  const pattern = /(?:href|src)="(\/[^"]+\.(?:js|wasm|css))"|'(\/[^']+\.(?:js|wasm))'/g;
  for (const match of html.matchAll(pattern)) found.add(match[1] || match[2]);
  return [...found];
}

// The chunks the loader script fetches: `new URL("./x.wasm", import.meta.url)`.
function chunksOf(loader, loaderPath) {
  const found = [];
  for (const match of loader.matchAll(/"\.\/([^"]+\.wasm)"/g)) found.push(new URL(match[1], self.location.origin + loaderPath).pathname);
  return found;
}

// Caches what `files` names that the cache does not have yet (a new build's files only, mostly).
async function addMissing(cache, files) {
  const missing = [];
  for (const file of files) if (!(await cache.match(file))) missing.push(file);
  await cache.addAll(missing);
}

// Keeps `response` (an index.html) as the shell, with the files it names and the app's chunks, and
// forgets the old build's.
async function keepShell(response) {
  const html = await response.clone().text();
  const assets = assetsOf(html);
  const cache = await caches.open(CACHE);
  await addMissing(cache, assets);
  for (const loader of assets.filter((asset) => /\/__wasm_split-[^/]*\.js$/.test(asset))) {
    const chunks = chunksOf(await (await cache.match(loader)).text(), loader);
    await addMissing(cache, chunks);
    assets.push(...chunks);
  }
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
    const isShell = response.ok && (response.headers.get('content-type') || '').startsWith('text/html');
    if (isShell) event.waitUntil(keepShell(response.clone()).catch(() => {}));
    return response;
  } catch (offline) {
    const cached = await caches.match(SHELL, { cacheName: CACHE });
    if (cached) return cached;
    throw offline;
  }
}
