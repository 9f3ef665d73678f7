// The activities service worker (served by core20.engagement.views.service_worker from
// /activities/sw.js, so its scope is /activities/). It keeps the activity form and the
// files it needs, so the form opens with no connection:
// - the form page: network first (always fresh when online), the kept copy when offline;
// - static files: the kept copy first (their addresses change when they change).
// Submissions made offline are queued by offline.js, not here.
const VERSION = "{{ version|escapejs }}";
const CACHE = "core20-activities-" + VERSION;
const FORM_URL = "{{ form_url|escapejs }}";
const ASSETS = [{% for url in assets %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        [FORM_URL, ...ASSETS].map((url) =>
          cache.add(new Request(url, { credentials: "same-origin" })).catch(() => undefined),
        ),
      ),
    ).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(
        keys.filter((key) => key.startsWith("core20-activities-") && key !== CACHE)
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
  if (url.pathname === FORM_URL) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(FORM_URL, copy));
          }
          return response;
        })
        .catch(() => caches.match(FORM_URL).then((kept) => kept || Response.error())),
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
