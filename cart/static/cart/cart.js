/*
 * Progressive enhancement for "Add to cart": send the form with fetch, update
 * the header's count and say what happened, without reloading the page.
 * Without this script (or if anything goes wrong) the form is sent as usual.
 */
(function () {
  "use strict";

  function announce(form, text, isError) {
    var scope = form.closest("main") || document;
    var status = scope.querySelector("[data-cart-status]");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("cart-status--error", Boolean(isError));
  }

  function showCount(count) {
    document.querySelectorAll("[data-cart-count]").forEach(function (element) {
      element.textContent = String(count);
      var label = element.nextElementSibling;
      if (label && label.classList.contains("visually-hidden")) {
        label.textContent = count === 1 ? "item" : "items";
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-cart-add")) return;
    if (!window.fetch || !window.FormData) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;

    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            showCount(data.count);
            announce(form, data.message, false);
          } else if (data.errors) {
            announce(form, data.errors.join(" "), true);
          } else {
            throw new Error("unexpected answer");
          }
        });
      })
      .catch(function () {
        // Fall back to the plain form; submit() does not fire this handler again.
        form.submit();
      })
      .finally(function () {
        if (button) button.disabled = false;
      });
  });
})();
