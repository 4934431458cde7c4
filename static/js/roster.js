// Tap (or click, or Enter/Space on) a roster cell to read why the person is where they
// are: one popover (#reason-box), placed next to the tapped cell and filled from the
// cell's data-reason, the row's name and the column's day. One delegated listener
// instead of a popover per cell: a big OPD has thousands of cells. It closes with Esc,
// its close button, a tap elsewhere, or when its cell scrolls out of view.
// A form with data-confirm asks before it is sent ("Ajukan ke BKPSDM").
(function () {
  var box = document.getElementById("reason-box");
  var current = null;
  var GAP = 6;
  var MARGIN = 8;

  function visible(cell) {
    var r = cell.getBoundingClientRect();
    var wrap = cell.closest(".roster-wrap");
    var w = wrap ? wrap.getBoundingClientRect() : { top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth };
    return r.bottom > w.top && r.top < w.bottom && r.right > w.left && r.left < w.right &&
      r.bottom > 0 && r.top < window.innerHeight;
  }

  function place() {
    if (!current) { return; }
    var r = current.getBoundingClientRect();
    var vw = document.documentElement.clientWidth;
    var vh = window.innerHeight;
    var w = box.offsetWidth;
    var h = box.offsetHeight;
    var left = Math.max(MARGIN, Math.min(r.left + r.width / 2 - w / 2, vw - w - MARGIN));
    var top = r.bottom + GAP;
    if (top + h > vh - MARGIN && r.top - GAP - h >= MARGIN) { top = r.top - GAP - h; }
    box.style.left = left + "px";
    box.style.top = Math.max(MARGIN, Math.min(top, vh - h - MARGIN)) + "px";
  }

  function close(restoreFocus) {
    if (!current) { return; }
    var cell = current;
    current = null;
    cell.setAttribute("aria-expanded", "false");
    box.hidden = true;
    if (restoreFocus) { cell.focus(); }
  }

  function open(cell) {
    if (current) { close(false); }
    var td = cell.closest("td");
    var row = cell.closest("tr");
    var table = cell.closest("table");
    var name = row.querySelector(".name-text");
    var head = table.tHead.rows[0].cells[td.cellIndex];
    document.getElementById("reason-title").textContent =
      (name ? name.textContent : "") + " · " + (head ? head.getAttribute("data-day") : "");
    document.getElementById("reason-text").textContent =
      cell.textContent.trim() + ": " + cell.getAttribute("data-reason");
    current = cell;
    cell.setAttribute("aria-expanded", "true");
    box.hidden = false;
    place();
    box.focus({ preventScroll: true });
  }

  if (box) {
    document.addEventListener("click", function (event) {
      var cell = event.target.closest("button.cell");
      if (cell && cell.closest(".roster-grid")) {
        if (cell === current) { close(false); } else { open(cell); }
        return;
      }
      if (event.target.closest("[data-close]") && box.contains(event.target)) {
        close(true);
        return;
      }
      if (current && !box.contains(event.target)) { close(false); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && current) {
        event.preventDefault();
        close(true);
      }
    });
    box.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (current && next && !box.contains(next) && next !== current) { close(false); }
    });
    // Follow the cell while the grid or the page scrolls; close once it leaves the view.
    document.addEventListener("scroll", function () {
      if (!current) { return; }
      if (visible(current)) { place(); } else { close(false); }
    }, true);
    window.addEventListener("resize", place);
  }

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
