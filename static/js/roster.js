// Tap (or click) a roster cell to read why the person is where they are.
// One delegated listener instead of a popover per cell: a big OPD has thousands of cells.
// The reason box sticks to the bottom of the screen, so a tap far down the grid is read
// where it happened. A form with data-confirm asks before it is sent ("Ajukan ke BKPSDM").
(function () {
  var box = document.getElementById("reason-box");
  document.addEventListener("click", function (event) {
    var cell = event.target.closest("button.cell");
    if (cell && box) { box.textContent = cell.getAttribute("data-reason"); }
  });
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
