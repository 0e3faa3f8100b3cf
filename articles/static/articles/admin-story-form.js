/*
 * The story form's running counts: words in the body, and the length of the
 * SEO title and description against what search engines show. A static file
 * (the admin's CSP allows no inline script); it only reads the form and
 * writes a short, politely announced note under each field.
 */
(function () {
  "use strict";

  function note(field, id) {
    var row = field.closest(".form-row") || field.parentNode;
    var existing = document.getElementById(id);
    if (existing) {
      return existing;
    }
    var element = document.createElement("p");
    element.id = id;
    element.className = "help story-count";
    element.setAttribute("aria-live", "polite");
    row.appendChild(element);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? described + " " + id : id);
    return element;
  }

  function bodyText(textarea) {
    var wrapper = textarea.closest(".prose-editor");
    var editable = wrapper && wrapper.querySelector("[contenteditable]");
    if (editable) {
      return editable.innerText || editable.textContent || "";
    }
    var scratch = document.createElement("div");
    scratch.innerHTML = textarea.value; // never attached to the page
    return scratch.textContent || "";
  }

  function words(text) {
    var found = text.trim().split(/\s+/).filter(Boolean);
    return found.length;
  }

  function update() {
    var body = document.getElementById("id_body");
    if (body) {
      var count = words(bodyText(body));
      note(body, "story-word-count").textContent =
        count + (count === 1 ? " word" : " words");
    }
    [
      ["id_seo_title", 70, 60],
      ["id_seo_description", 160, 155],
    ].forEach(function (spec) {
      var field = document.getElementById(spec[0]);
      if (!field) {
        return;
      }
      var length = field.value.length;
      var text = length + " of " + spec[1] + " characters";
      if (length > spec[2]) {
        text += " (search engines may cut it after about " + spec[2] + ")";
      }
      note(field, spec[0] + "_count").textContent = text;
    });
  }

  var pending = null;
  function soon() {
    if (pending === null) {
      pending = window.setTimeout(function () {
        pending = null;
        update();
      }, 150);
    }
  }

  document.addEventListener("DOMContentLoaded", update);
  document.addEventListener("prose-editor:ready", soon);
  document.addEventListener("input", soon);
  document.addEventListener("keyup", soon);
})();
