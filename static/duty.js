// Tilsyn: the print button on the A4 roster. No inline script (CSP).
(function () {
  "use strict";
  if (window.TryggDuty) return;  // loaded again after boosted navigation
  window.TryggDuty = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
})();
