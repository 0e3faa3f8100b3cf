/*
 * Counts a view of the story on this page and shows the current count.
 *
 * The page itself may come from the shared page cache, which never reaches
 * Django, so the view is recorded by this small POST instead (see
 * articles.views.view_beacon). The answer carries the up-to-date count, which
 * replaces the one baked into the cached page.
 */
(function () {
  "use strict";
  var story = document.querySelector("[data-view-beacon]");
  if (!story || !window.fetch) {
    return;
  }
  fetch(story.getAttribute("data-view-beacon"), {
    method: "POST",
    credentials: "omit",
    keepalive: true,
    headers: { Accept: "application/json" },
  })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (data) {
      if (!data || typeof data.views !== "number") {
        return;
      }
      var shown = data.views.toLocaleString("en-US");
      document.querySelectorAll("[data-view-count]").forEach(function (node) {
        node.textContent = shown;
      });
    })
    .catch(function () {
      /* A lost view is not worth bothering the reader about. */
    });
})();
