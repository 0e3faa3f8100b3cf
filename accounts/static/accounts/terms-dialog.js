/*
 * The Terms of use dialog.
 *
 * Pages are cached and shared between visitors, so they carry only an empty
 * slot (#terms-prompt) with the version in force. This script compares it with
 * the visitor's `terms_answer` cookie and, if they have not answered this
 * version, fetches the dialog from an uncached endpoint and opens it as a
 * modal <dialog>: focus moves into it, the page behind is inert, Escape and
 * the Close button close it, and focus returns to where it was.
 *
 * "Agree" and "Not now" are ordinary form posts (the server sets the cookie),
 * so without JavaScript the same choice is on /terms/ and nothing is blocked.
 */
(function () {
  "use strict";

  var COOKIE = "terms_answer";
  // Close or Escape hides the dialog for the rest of this tab's visit
  // without answering; a new tab, or a new version, asks again.
  var DISMISSED = "terms-dialog-dismissed";

  function cookie(name) {
    var prefix = name + "=";
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i += 1) {
      if (parts[i].indexOf(prefix) === 0) {
        return decodeURIComponent(parts[i].slice(prefix.length));
      }
    }
    return null;
  }

  function dismissed(version) {
    try {
      return window.sessionStorage.getItem(DISMISSED) === version;
    } catch (error) {
      return false;
    }
  }

  function rememberDismissal(version) {
    try {
      window.sessionStorage.setItem(DISMISSED, version);
    } catch (error) {
      // Private mode without storage: the dialog simply asks again.
    }
  }

  function open(slot, version, html) {
    slot.innerHTML = html;
    var dialog = slot.querySelector("dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      slot.innerHTML = "";
      return;
    }
    var returnFocusTo = document.activeElement;
    dialog.addEventListener("close", function () {
      if (dialog.returnValue !== "answered") {
        rememberDismissal(version);
      }
      slot.innerHTML = "";
      if (returnFocusTo && typeof returnFocusTo.focus === "function") {
        returnFocusTo.focus();
      }
    });
    var close = dialog.querySelector("[data-terms-dialog-close]");
    if (close) {
      close.addEventListener("click", function () {
        dialog.close();
      });
    }
    dialog.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function () {
        dialog.returnValue = "answered";
      });
    });
    dialog.showModal();
  }

  function start() {
    var slot = document.getElementById("terms-prompt");
    if (!slot || !window.fetch) {
      return;
    }
    var version = slot.getAttribute("data-terms-version");
    if (!version || cookie(COOKIE) === version || dismissed(version)) {
      return;
    }
    var url = new URL(slot.getAttribute("data-src"), window.location.href);
    url.searchParams.set("next", window.location.pathname + window.location.search);
    window
      .fetch(url.toString(), {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      })
      .then(function (response) {
        return response.status === 200 ? response.text() : null;
      })
      .then(function (html) {
        // The visitor may have answered in another tab meanwhile.
        if (html && cookie(COOKIE) !== version) {
          open(slot, version, html);
        }
      })
      .catch(function () {
        // No dialog is better than a broken page; /terms/ still has it all.
      });
  }

  // Back/forward cache: a page restored after answering must not show the
  // dialog it had open when the visitor left it.
  window.addEventListener("pageshow", function (event) {
    var dialog = document.querySelector("#terms-prompt dialog");
    var slot = document.getElementById("terms-prompt");
    if (event.persisted && dialog && slot && cookie(COOKIE) === slot.getAttribute("data-terms-version")) {
      dialog.returnValue = "answered";
      dialog.close();
    }
  });

  start();
})();
