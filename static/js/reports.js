// The head's day page: "Pilih semua di halaman ini" ticks every report checkbox of the
// page (they belong to the bulk-accept form through their form= attribute). Without
// script each report is ticked by hand; nothing else depends on this file.
(function () {
  "use strict";
  document.querySelectorAll("[data-pick-all]").forEach(function (box) {
    var name = box.getAttribute("data-pick-all");
    box.addEventListener("change", function () {
      document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (each) {
        each.checked = box.checked;
      });
    });
  });
})();
