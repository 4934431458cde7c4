// "Cetak" buttons: print the page with its print stylesheet (no inline script).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
