/*
 * Names the body editor for assistive technology. django-prose-editor hides
 * the textarea that the field's <label> points at and edits in a
 * contenteditable element (role="textbox") of its own, which was left without
 * an accessible name. This labels that element by the same <label>.
 * Loaded as a classic script in the admin's <head>: it is listening before the
 * editor's modules run and announce each editor with "prose-editor:ready".
 */
(function () {
  "use strict";

  function label(textarea, editable) {
    if (!textarea || !editable || !textarea.id || editable.hasAttribute("aria-labelledby")) {
      return;
    }
    var fieldLabel = document.querySelector('label[for="' + textarea.id + '"]');
    if (!fieldLabel) {
      return;
    }
    if (!fieldLabel.id) {
      fieldLabel.id = textarea.id + "_label";
    }
    editable.setAttribute("aria-labelledby", fieldLabel.id);
  }

  document.addEventListener("prose-editor:ready", function (event) {
    var detail = event.detail || {};
    label(detail.textarea, detail.editor && detail.editor.view && detail.editor.view.dom);
  });

  // Any editor made before this ran (should the scripts ever load in another order).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".prose-editor").forEach(function (wrapper) {
      label(wrapper.querySelector("textarea"), wrapper.querySelector("[contenteditable]"));
    });
  });
})();
