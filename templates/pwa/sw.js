// WFH ASN service worker: caches only the static shell, never a page or a check-in.
// Served by wfh.pwa.service_worker at the site root. Version {{ version }}.
"use strict";

const CACHE = "wfh-shell-{{ version }}";
const SHELL = {{ shell|safe }};
const OFFLINE = {{ offline_url|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  // Only GET is looked at: a check-in, a report or any other form goes straight to the
  // server, and fails while offline. Nothing is stored or sent later.
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages: always the network; the offline page only when the network fails.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
});
