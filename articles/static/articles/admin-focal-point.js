/*
 * Click-to-set focal point for pictures in the admin (story lead image,
 * author photo). The picture is a button: a click (or Enter/Space, which
 * sets the centre) writes the point into the two percentage inputs named by
 * data-focal-x and data-focal-y, and moves the marker. Typing in the inputs
 * moves the marker too. Without JavaScript the inputs work on their own.
 * A static file under the site's strict CSP: no inline script or style.
 */
(function () {
  "use strict";

  function clamp(value) {
    return Math.max(0, Math.min(100, Math.round(value)));
  }

  function setUp(container) {
    var inputX = document.getElementById(container.getAttribute("data-focal-x"));
    var inputY = document.getElementById(container.getAttribute("data-focal-y"));
    var picker = container.querySelector(".focal-point__picker");
    var marker = container.querySelector(".focal-point__marker");
    if (!inputX || !inputY || !picker || !marker) {
      return;
    }

    function showMarker() {
      var x = clamp(parseFloat(inputX.value));
      var y = clamp(parseFloat(inputY.value));
      if (isNaN(x) || isNaN(y)) {
        marker.hidden = true;
        return;
      }
      // CSSOM, not a style attribute: allowed under the strict CSP.
      marker.style.left = x + "%";
      marker.style.top = y + "%";
      marker.hidden = false;
    }

    picker.addEventListener("click", function (event) {
      var box = picker.getBoundingClientRect();
      var fromKeyboard = event.detail === 0;
      var x = fromKeyboard ? 50 : ((event.clientX - box.left) / box.width) * 100;
      var y = fromKeyboard ? 50 : ((event.clientY - box.top) / box.height) * 100;
      inputX.value = clamp(x);
      inputY.value = clamp(y);
      inputX.dispatchEvent(new Event("change", { bubbles: true }));
      showMarker();
    });
    inputX.addEventListener("input", showMarker);
    inputY.addEventListener("input", showMarker);
    showMarker();
  }

  function start() {
    document.querySelectorAll("[data-focal-point]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
