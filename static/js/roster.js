// Tap (or click) a roster cell to read why the person is where they are.
// One delegated listener instead of a popover per cell: a big OPD has thousands of cells.
(function () {
  var box = document.getElementById("reason-box");
  if (!box) { return; }
  document.addEventListener("click", function (event) {
    var cell = event.target.closest("button.cell");
    if (cell) { box.textContent = cell.getAttribute("data-reason"); }
  });
})();
