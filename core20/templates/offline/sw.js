// A service worker for forms that work offline (rendered by
// core20.web.offline.offline_service_worker: the activities one from /activities/sw.js,
// the insights one from /insights/sw.js, each scoped to its folder). It keeps the form pages
// and the files they need, so a form opens with no connection:
// - form pages (paths matching PAGES): network first (always fresh when online), the kept
//   copy when offline. Those in PRECACHE, and those open in a window when it installs (the
//   page that registered it), are kept at once; any other is kept when it is first opened;
// - static files: the kept copy first (their addresses change when they change).
// Submissions made offline are queued by static/js/offline-form.js, not here.
const VERSION = "{{ version|escapejs }}";
const PREFIX = "core20-{{ name|escapejs }}-";
const CACHE = PREFIX + VERSION;
const PAGES = new RegExp("{{ pages|escapejs }}");
const PRECACHE = [{% for url in precache %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

async function openPages() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  return windows
    .map((client) => new URL(client.url))
    .filter((url) => url.origin === self.location.origin && PAGES.test(url.pathname))
    .map((url) => url.pathname);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    Promise.all([caches.open(CACHE), openPages()])
      .then(([cache, pages]) =>
        Promise.all(
          [...new Set([...pages, ...PRECACHE])].map((url) =>
            cache.add(new Request(url, { credentials: "same-origin" })).catch(() => undefined),
          ),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(
        keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE)
          .map((key) => caches.delete(key)),
      ),
    ).then(() => self.clients.claim()),
  );
});

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.includes("/static/");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (PAGES.test(url.pathname)) {
    const page = url.pathname;
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(page, copy));
          }
          return response;
        })
        .catch(() => caches.match(page).then((kept) => kept || Response.error())),
    );
    return;
  }
  if (isStatic(url)) {
    event.respondWith(
      caches.match(request).then(
        (kept) =>
          kept ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              caches.open(CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  }
});
