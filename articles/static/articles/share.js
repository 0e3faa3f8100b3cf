/*
 * Share links, improved where the browser can (the links work without this):
 * "Link to this story" becomes "Copy link", and a "More ways to share"
 * button opens the Web Share API's sheet where the browser has one.
 * A static file, so the strict Content Security Policy allows it.
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-share]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-share-url");
  var title = box.getAttribute("data-share-title");
  var status = box.querySelector("[data-share-status]");

  var copy = box.querySelector("[data-share-copy]");
  if (copy && navigator.clipboard && window.isSecureContext) {
    copy.textContent = "Copy link";
    copy.addEventListener("click", function (event) {
      event.preventDefault();
      navigator.clipboard.writeText(url).then(
        function () {
          status.textContent = "Link copied.";
        },
        function () {
          status.textContent = "Could not copy the link. Its address is " + url;
        }
      );
    });
  }

  var native = box.querySelector("[data-share-native]");
  if (native && navigator.share) {
    box.querySelector("[data-share-native-item]").hidden = false;
    native.addEventListener("click", function () {
      navigator.share({ title: title, url: url }).catch(function () {
        // The reader closed the sheet: nothing to do.
      });
    });
  }
})();
